// A calendar's offset from UTC at an instant: the booking engine aligns slot grids and ISO weeks
// to local time with it.
#include "calendar/time_zone.hpp"
#include "psp/calendar.hpp"

namespace psp {

int utc_offset_minutes(const Calendar& c, Time t) {
    return static_cast<int>(calendar_detail::resolve_time_zone(c.time_zone)->offset_at(t) / 60);
}

}  // namespace psp
