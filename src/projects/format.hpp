// Figures of the projects module as readable text (reasons, findings, the filed report) and the exact
// share arithmetic they quote: one place, so a reason and the figures beside it never disagree.
#pragma once

#include <cstdint>
#include <string>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "psp/model.hpp"
#include "psp/projects.hpp"

namespace psp::projects {

namespace greg = boost::gregorian;

inline constexpr int full_bp = 10'000;

// floor(part × 10000 / whole) for part, whole >= 0, whole > 0, in 128 bits; capped at 10^6 (100 × 100 %).
int share_bp(Fen part, Fen whole);

// "2026-03-31"
std::string iso(greg::date);

// 2000 → "20", 2550 → "25.5": a share in basis points as percent (or percentage points), bare.
std::string plain(int bp);
// 3500 → "35 %", 3550 → "35.5 %", 3525 → "35.25 %".
std::string percent(int bp);
// 2500 → "25 points", 100 → "1 point", 250 → "2.5 points".
std::string points(int bp);
// 123456789 → "1,234,567.89 yuan".
std::string yuan(Fen fen);

// "on track", "suspend funding"... for reasons and reports.
const char* verdict_words(Verdict);

// "project 17 <field>: <message>"
std::string field_of(std::int64_t project, const char* field);

}  // namespace psp::projects
