// "HH:MM" for a minute of the day (0..1440), as calendars are written and reported.
#pragma once

#include <cstdio>
#include <string>

namespace psp::detail {

inline std::string hhmm(int minute_of_day) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
    return buf;
}

}  // namespace psp::detail
