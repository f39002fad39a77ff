// The mainland China holiday table compiled into the library (a copy of data/holidays/cn.json).
#pragma once

#include <string_view>

namespace psp::calendar_detail {

// The JSON text china_mainland_holidays() is read from; a test checks it against the data file.
std::string_view china_mainland_holidays_json();

}  // namespace psp::calendar_detail
