// The shipped mainland China schedule, embedded so that china_mainland_holidays() needs no file at
// run time. Keep it identical to data/holidays/cn.json (calendar_test compares the two).
#include "calendar/cn_holidays.hpp"

#include "psp/calendar.hpp"

namespace psp {
namespace calendar_detail {

std::string_view china_mainland_holidays_json() {
    static constexpr std::string_view text = R"json({
  "format": "psp-holidays",
  "version": 1,
  "region": "CN",
  "first_year": 2024,
  "last_year": 2026,
  "sources": [
    "2024: 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号)",
    "2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号)",
    "2026: 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号)",
    "Every day of each holiday period is listed, weekends included; make-up days work as the weekday moved into the holiday (docs/holidays-json.md)."
  ],
  "holidays": [
    "2024-01-01",
    "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16", "2024-02-17",
    "2024-04-04", "2024-04-05", "2024-04-06",
    "2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04", "2024-05-05",
    "2024-06-08", "2024-06-09", "2024-06-10",
    "2024-09-15", "2024-09-16", "2024-09-17",
    "2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-05", "2024-10-06", "2024-10-07",
    "2025-01-01",
    "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04",
    "2025-04-04", "2025-04-05", "2025-04-06",
    "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05",
    "2025-05-31", "2025-06-01", "2025-06-02",
    "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
    "2026-01-01", "2026-01-02", "2026-01-03",
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06",
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
    "2026-06-19", "2026-06-20", "2026-06-21",
    "2026-09-25", "2026-09-26", "2026-09-27",
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"
  ],
  "makeup_days": [
    {"date": "2024-02-04", "works_as": "thursday"},
    {"date": "2024-02-18", "works_as": "friday"},
    {"date": "2024-04-07", "works_as": "friday"},
    {"date": "2024-04-28", "works_as": "thursday"},
    {"date": "2024-05-11", "works_as": "friday"},
    {"date": "2024-09-14", "works_as": "monday"},
    {"date": "2024-09-29", "works_as": "friday"},
    {"date": "2024-10-12", "works_as": "monday"},
    {"date": "2025-01-26", "works_as": "monday"},
    {"date": "2025-02-08", "works_as": "tuesday"},
    {"date": "2025-04-27", "works_as": "monday"},
    {"date": "2025-09-28", "works_as": "tuesday"},
    {"date": "2025-10-11", "works_as": "wednesday"},
    {"date": "2026-01-04", "works_as": "friday"},
    {"date": "2026-02-14", "works_as": "friday"},
    {"date": "2026-02-28", "works_as": "monday"},
    {"date": "2026-05-09", "works_as": "tuesday"},
    {"date": "2026-09-20", "works_as": "tuesday"},
    {"date": "2026-10-10", "works_as": "wednesday"}
  ]
}
)json";
    return text;
}

}  // namespace calendar_detail

const HolidayTable& china_mainland_holidays() {
    // Parsed once, thread-safely (a function-local static); the text is checked by the tests, so a
    // failure here would be a build of an edited, untested table.
    static const HolidayTable table = parse_holidays(calendar_detail::china_mainland_holidays_json());
    return table;
}

}  // namespace psp
