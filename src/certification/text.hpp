// Small text helpers of the certification messages (private).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "core/cat.hpp"

namespace psp::certification {

using detail::cat;

// "1 year", "3 years".
std::string count_of(std::int64_t n, const char* singular, const char* plural);
// Basis points as a percentage without trailing zeros: 4000 → "40 %", 3850 → "38.5 %", 3855 → "38.55 %".
std::string percent(std::int64_t bp);
// "2025-03-01"; "not-a-date" for a special value.
std::string date_text(boost::gregorian::date);
[[noreturn]] void invalid(const std::string& message);

}  // namespace psp::certification
