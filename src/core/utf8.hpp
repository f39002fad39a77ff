// UTF-8 validation: every string psp stores or passes across the ABI must be valid UTF-8.
#pragma once

#include <string_view>

namespace psp::detail {

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool valid_utf8(std::string_view s) noexcept;

}  // namespace psp::detail
