// Structural checks of calendar values shared by validate() and holidays_to_json().
#pragma once

#include <string>

#include "psp/calendar.hpp"

namespace psp::calendar_detail {

// Throws psp::Error(invalid) naming the field (under `prefix`, e.g. "holidays.makeup_days[2]"):
// a special date, dates not ascending or repeated, a date both holiday and make-up day, a works_as
// that is not a weekday, last_year before first_year.
void check_holiday_table(const HolidayTable&, const std::string& prefix);

}  // namespace psp::calendar_detail
