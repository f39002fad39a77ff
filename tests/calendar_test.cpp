// Calendars: time zones (DST days), weekly hours, holidays and make-up days (调休) of the shipped
// mainland China table, closures, the holiday JSON format and validation errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <boost/date_time/local_time/local_time.hpp>
#include <nlohmann/json.hpp>

#include "calendar/cn_holidays.hpp"
#include "calendar/days.hpp"
#include "calendar/time_zone.hpp"
#include "fixtures.hpp"
#include "psp/calendar.hpp"
#include "psp/error.hpp"

namespace {

using namespace psp;
using psp::test::IsError;
using psp::test::IsErrorAt;
using boost::gregorian::date;
using boost::date_time::weekdays;
using calendar_detail::days_from_date;

constexpr Time hour = 3600;
constexpr Time minute = 60;

// Wall-clock seconds of a local date and time, as if the zone were UTC.
Time wall(int y, int m, int d, int hh = 0, int mm = 0) {
    return days_from_date(date(static_cast<unsigned short>(y), static_cast<unsigned short>(m),
                               static_cast<unsigned short>(d))) * 86400 + hh * hour + mm * minute;
}
Time utc(int y, int m, int d, int hh = 0, int mm = 0) { return wall(y, m, d, hh, mm); }
// Asia/Shanghai is UTC+8 all year.
Time cst(int y, int m, int d, int hh = 0, int mm = 0) { return wall(y, m, d, hh, mm) - 8 * hour; }

// The whole local day (Shanghai) as a window.
Period cst_day(int y, int m, int d) { return {cst(y, m, d), cst(y, m, d) + 24 * hour}; }

// The standard week's two periods of one Shanghai day.
std::vector<Period> office_day(int y, int m, int d) {
    return {{cst(y, m, d, 8, 30), cst(y, m, d, 12)}, {cst(y, m, d, 13, 30), cst(y, m, d, 17, 30)}};
}

constexpr Time office_day_seconds = 7 * hour + 30 * minute;

Calendar all_day_every_day(const std::string& zone) {
    Calendar c;
    c.time_zone = zone;
    for (auto& d : c.weekly) d = {{0, 1440}};
    return c;
}

bool disjoint_ascending(const std::vector<Period>& ps) {
    for (std::size_t i = 0; i < ps.size(); ++i) {
        if (ps[i].empty()) return false;
        if (i > 0 && ps[i - 1].end >= ps[i].start) return false;  // touching must have been merged
    }
    return true;
}

std::string cn_json_path() {
    // PSP_TEST_DATA_DIR is <source>/tests/data; the shipped tables live in <source>/data.
    return (std::filesystem::path(PSP_TEST_DATA_DIR).parent_path().parent_path() / "data" / "holidays" / "cn.json")
        .string();
}

// A small valid holiday document to break in the error tests.
nlohmann::json small_table() {
    return nlohmann::json::parse(R"({
        "format": "psp-holidays", "version": 1, "region": "XX", "first_year": 2025, "last_year": 2025,
        "holidays": ["2025-01-01", "2025-05-01"],
        "makeup_days": [{"date": "2025-04-27", "works_as": "friday"}]
    })");
}

}  // namespace

// --- Time zones -----------------------------------------------------------------------------

TEST_CASE("time zones: known names, POSIX strings, unknown names", "[calendar]") {
    using calendar_detail::resolve_time_zone;
    CHECK(resolve_time_zone("Asia/Shanghai")->offset_at(utc(2025, 7, 1)) == 8 * hour);
    CHECK(resolve_time_zone("Asia/Tokyo")->offset_at(utc(2025, 1, 1)) == 9 * hour);
    CHECK(resolve_time_zone("UTC")->offset_at(utc(2025, 1, 1)) == 0);
    for (const char* name : {"Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei", "Asia/Singapore"}) {
        CHECK(resolve_time_zone(name)->offset_at(utc(2025, 7, 1)) == 8 * hour);
    }
    CHECK(resolve_time_zone("Asia/Seoul")->offset_at(utc(2025, 7, 1)) == 9 * hour);
    // Boost's sign: east of Greenwich is "+", so New York's standard time is "-05".
    CHECK(resolve_time_zone("America/New_York")->offset_at(utc(2025, 1, 15)) == -5 * hour);
    CHECK(resolve_time_zone("America/New_York")->offset_at(utc(2025, 7, 15)) == -4 * hour);
    CHECK(resolve_time_zone("Europe/Berlin")->offset_at(utc(2025, 7, 15)) == 2 * hour);
    CHECK(resolve_time_zone("CST+08")->offset_at(utc(2025, 7, 1)) == 8 * hour);
    CHECK(resolve_time_zone("IST+05:30")->offset_at(utc(2025, 7, 1)) == 5 * hour + 30 * minute);

    for (const char* bad : {"Asia/Shangai", "", "Mars/Olympus", "asia/shanghai", "CST+25", "CST+08XDT",
                            "CST+08XDT,M13.1.0,M10.5.0", "EST-05EDT,M3.2.0", "GMT+00 ", "+08"}) {
        CAPTURE(bad);
        Calendar c;
        c.time_zone = bad;
        CHECK_THROWS_MATCHES(validate(c), Error, IsErrorAt(ErrorCode::invalid, "time_zone: "));
    }
}

TEST_CASE("time zones agree with Boost's local_date_time every hour of 2024-2026", "[calendar]") {
    using namespace boost::local_time;
    using boost::posix_time::ptime;
    using boost::posix_time::seconds;
    for (const char* name : {"Europe/London", "Europe/Berlin", "America/New_York", "Asia/Shanghai"}) {
        CAPTURE(name);
        const auto zone = calendar_detail::resolve_time_zone(name);
        const time_zone_ptr tz(new posix_time_zone(calendar_detail::known_zone_posix(name)));
        const ptime epoch(date(1970, 1, 1));
        for (Time t = utc(2024, 1, 1); t < utc(2027, 1, 1); t += hour) {
            const local_date_time ldt(epoch + seconds(static_cast<long>(t)), tz);
            const Time boost_offset = (ldt.local_time() - ldt.utc_time()).total_seconds();
            if (zone->offset_at(t) != boost_offset) {
                CAPTURE(t);
                REQUIRE(zone->offset_at(t) == boost_offset);
            }
            // Back from the wall clock: the same instant, except in the second pass of a repeated
            // hour, which maps to the first pass one hour earlier.
            const Time back = zone->to_utc(zone->to_local(t));
            if (back != t && back != t - hour) {
                CAPTURE(t);
                REQUIRE(back == t);
            }
        }
    }
}

TEST_CASE("DST days in Europe/London have 23 and 25 hours", "[calendar]") {
    const auto c = all_day_every_day("Europe/London");
    // 2024-03-31: clocks go from 01:00 GMT to 02:00 BST. 2024-10-27: from 02:00 BST back to 01:00 GMT.
    const Period spring{utc(2024, 3, 31, 0), utc(2024, 3, 31, 23)};  // local midnight to midnight
    const Period autumn{utc(2024, 10, 26, 23), utc(2024, 10, 28, 0)};
    CHECK(open_seconds(c, spring) == 23 * hour);
    CHECK(open_seconds(c, autumn) == 25 * hour);

    // Office hours 08:00-17:00 are nine hours either side of the change, one hour earlier in UTC in summer.
    Calendar office;
    office.time_zone = "Europe/London";
    for (auto& d : office.weekly) d = {{8 * 60, 17 * 60}};
    CHECK(open_periods(office, {utc(2024, 3, 30), utc(2024, 4, 1)}) ==
          std::vector<Period>{{utc(2024, 3, 30, 8), utc(2024, 3, 30, 17)}, {utc(2024, 3, 31, 7), utc(2024, 3, 31, 16)}});
    CHECK(open_periods(office, {utc(2024, 10, 26), utc(2024, 10, 28)}) ==
          std::vector<Period>{{utc(2024, 10, 26, 7), utc(2024, 10, 26, 16)}, {utc(2024, 10, 27, 8), utc(2024, 10, 27, 17)}});

    SECTION("an interval in the skipped hour is empty; one across it loses the hour") {
        Calendar night;
        night.time_zone = "Europe/London";
        night.weekly[6] = {{60, 120}, {150, 180}};  // Sunday 01:00-02:00 (skipped) and 02:30-03:00
        CHECK(open_periods(night, {utc(2024, 3, 31), utc(2024, 4, 1)}) ==
              std::vector<Period>{{utc(2024, 3, 31, 1, 30), utc(2024, 3, 31, 2)}});
        night.weekly[6] = {{90, 180}};  // 01:30-03:00 local: 02:00-03:00 BST is 01:00-02:00 UTC
        CHECK(open_periods(night, {utc(2024, 3, 31), utc(2024, 4, 1)}) ==
              std::vector<Period>{{utc(2024, 3, 31, 1), utc(2024, 3, 31, 2)}});
    }
    SECTION("an interval across the repeated hour includes both passes") {
        Calendar night;
        night.time_zone = "Europe/London";
        night.weekly[6] = {{60, 120}};  // 01:00 BST (00:00 UTC) to 02:00 GMT (02:00 UTC)
        CHECK(open_periods(night, {utc(2024, 10, 27), utc(2024, 10, 28)}) ==
              std::vector<Period>{{utc(2024, 10, 27, 0), utc(2024, 10, 27, 2)}});
    }
}

TEST_CASE("DST days in America/New_York and Europe/Berlin", "[calendar]") {
    const auto ny = all_day_every_day("America/New_York");
    // 2025-03-09 and 2025-11-02; New York midnight is 05:00 UTC in winter, 04:00 UTC in summer.
    CHECK(open_seconds(ny, {utc(2025, 3, 9, 5), utc(2025, 3, 10, 4)}) == 23 * hour);
    CHECK(open_seconds(ny, {utc(2025, 11, 2, 4), utc(2025, 11, 3, 5)}) == 25 * hour);
    const auto berlin = all_day_every_day("Europe/Berlin");
    CHECK(open_seconds(berlin, {utc(2025, 3, 29, 23), utc(2025, 3, 30, 22)}) == 23 * hour);
    CHECK(open_seconds(berlin, {utc(2025, 10, 25, 22), utc(2025, 10, 26, 23)}) == 25 * hour);
    // Every day open all day gives one merged period over any window (24:00 meets 00:00).
    CHECK(open_periods(berlin, {utc(2025, 3, 1), utc(2025, 11, 1)}) ==
          std::vector<Period>{{utc(2025, 3, 1), utc(2025, 11, 1)}});
}

// --- The mainland China table ---------------------------------------------------------------

TEST_CASE("the shipped China table: data file and embedded copy agree", "[calendar]") {
    const std::string file = psp::test::read_bytes(cn_json_path());
    REQUIRE_FALSE(file.empty());
    CHECK(parse_holidays(file) == china_mainland_holidays());
    // Whitespace aside, the texts are the same document (sources included).
    CHECK(nlohmann::json::parse(file) == nlohmann::json::parse(calendar_detail::china_mainland_holidays_json()));

    const auto& cn = china_mainland_holidays();
    CHECK(cn.region == "CN");
    CHECK(cn.first_year == 2024);
    CHECK(cn.last_year == 2026);
    CHECK(cn.holidays.size() == 91);
    CHECK(cn.makeup_days.size() == 19);
    CHECK(std::is_sorted(cn.holidays.begin(), cn.holidays.end()));
    for (const auto& m : cn.makeup_days) {
        CAPTURE(boost::gregorian::to_iso_extended_string(m.date));
        const auto wd = m.date.day_of_week().as_enum();
        CHECK((wd == boost::date_time::Saturday || wd == boost::date_time::Sunday));
        CHECK(m.works_as != boost::date_time::Saturday);
        CHECK(m.works_as != boost::date_time::Sunday);
    }
    CHECK_NOTHROW(validate(Calendar::standard_working_week()));
}

TEST_CASE("working days per year follow the statutory holiday count", "[calendar]") {
    // Weekdays minus the statutory days off (11 until 2024, 13 from 2025): swaps cancel out.
    const auto c = Calendar::standard_working_week();
    for (const auto& [year, expected] : {std::pair{2024, 251}, {2025, 248}, {2026, 248}}) {
        int worked = 0;
        for (date d(static_cast<unsigned short>(year), 1, 1); d.year() == year; d += boost::gregorian::days(1)) {
            worked += is_working_day(c, d) ? 1 : 0;
        }
        CAPTURE(year);
        CHECK(worked == expected);
        CHECK(open_seconds(c, {cst(year, 1, 1), cst(year + 1, 1, 1)}) == expected * office_day_seconds);
    }
}

TEST_CASE("Spring Festival weeks with their make-up days", "[calendar]") {
    const auto c = Calendar::standard_working_week();
    SECTION("2025: closed Jan 28 - Feb 4, worked Sun Jan 26 and Sat Feb 8") {
        CHECK(open_periods(c, cst_day(2025, 1, 26)) == office_day(2025, 1, 26));  // Sunday worked as Monday
        CHECK(open_periods(c, cst_day(2025, 1, 27)) == office_day(2025, 1, 27));
        for (int d = 28; d <= 31; ++d) CHECK(open_periods(c, cst_day(2025, 1, d)).empty());
        for (int d = 1; d <= 4; ++d) CHECK(open_periods(c, cst_day(2025, 2, d)).empty());
        CHECK(open_periods(c, cst_day(2025, 2, 5)) == office_day(2025, 2, 5));
        CHECK(open_periods(c, cst_day(2025, 2, 8)) == office_day(2025, 2, 8));  // Saturday worked
        CHECK(open_periods(c, cst_day(2025, 2, 9)).empty());                    // an ordinary Sunday
        // Sun Jan 26 .. Sun Feb 9: Jan 26, 27, Feb 5, 6, 7, 8.
        CHECK(open_seconds(c, {cst(2025, 1, 26), cst(2025, 2, 10)}) == 6 * office_day_seconds);
        CHECK(is_working_day(c, date(2025, 1, 26)));
        CHECK_FALSE(is_working_day(c, date(2025, 1, 29)));
        CHECK(is_working_day(c, date(2025, 2, 8)));
        CHECK_FALSE(is_working_day(c, date(2025, 2, 9)));
    }
    SECTION("2024: closed Feb 10 - 17, worked Sun Feb 4 and Sun Feb 18") {
        CHECK(open_periods(c, cst_day(2024, 2, 4)) == office_day(2024, 2, 4));
        CHECK(open_periods(c, cst_day(2024, 2, 9)) == office_day(2024, 2, 9));  // 除夕 is not a holiday in 2024
        for (int d = 10; d <= 17; ++d) CHECK(open_periods(c, cst_day(2024, 2, d)).empty());
        CHECK(open_periods(c, cst_day(2024, 2, 18)) == office_day(2024, 2, 18));
        // Mon Feb 5 .. Sun Feb 18: Feb 5-9 and the make-up Sunday Feb 18.
        CHECK(open_seconds(c, {cst(2024, 2, 5), cst(2024, 2, 19)}) == 6 * office_day_seconds);
    }
    SECTION("2026: closed Feb 15 - 23, worked Sat Feb 14 and Sat Feb 28") {
        CHECK(open_periods(c, cst_day(2026, 2, 14)) == office_day(2026, 2, 14));
        for (int d = 15; d <= 23; ++d) CHECK(open_periods(c, cst_day(2026, 2, d)).empty());
        CHECK(open_periods(c, cst_day(2026, 2, 24)) == office_day(2026, 2, 24));
        CHECK(open_periods(c, cst_day(2026, 2, 28)) == office_day(2026, 2, 28));
        CHECK(open_periods(c, cst_day(2026, 3, 1)).empty());
    }
}

TEST_CASE("National Day weeks with their make-up days", "[calendar]") {
    const auto c = Calendar::standard_working_week();
    SECTION("2025: closed Oct 1 - 8, worked Sun Sep 28 and Sat Oct 11") {
        CHECK(open_periods(c, cst_day(2025, 9, 27)).empty());  // an ordinary Saturday
        CHECK(open_periods(c, cst_day(2025, 9, 28)) == office_day(2025, 9, 28));
        CHECK(open_periods(c, cst_day(2025, 9, 30)) == office_day(2025, 9, 30));
        for (int d = 1; d <= 8; ++d) CHECK(open_periods(c, cst_day(2025, 10, d)).empty());
        CHECK(open_periods(c, cst_day(2025, 10, 9)) == office_day(2025, 10, 9));
        CHECK(open_periods(c, cst_day(2025, 10, 11)) == office_day(2025, 10, 11));
        CHECK(open_periods(c, cst_day(2025, 10, 12)).empty());
        // Sun Sep 28 .. Sun Oct 12: Sep 28, 29, 30, Oct 9, 10, 11.
        CHECK(open_seconds(c, {cst(2025, 9, 28), cst(2025, 10, 13)}) == 6 * office_day_seconds);
    }
    SECTION("2024: closed Oct 1 - 7, worked Sun Sep 29 and Sat Oct 12") {
        CHECK(open_periods(c, cst_day(2024, 9, 29)) == office_day(2024, 9, 29));
        for (int d = 1; d <= 7; ++d) CHECK(open_periods(c, cst_day(2024, 10, d)).empty());
        CHECK(open_periods(c, cst_day(2024, 10, 12)) == office_day(2024, 10, 12));
        CHECK(open_periods(c, cst_day(2024, 10, 13)).empty());
    }
    SECTION("2026: closed Oct 1 - 7, worked Sun Sep 20 and Sat Oct 10") {
        CHECK(open_periods(c, cst_day(2026, 9, 20)) == office_day(2026, 9, 20));
        for (int d = 1; d <= 7; ++d) CHECK(open_periods(c, cst_day(2026, 10, d)).empty());
        CHECK(open_periods(c, cst_day(2026, 10, 10)) == office_day(2026, 10, 10));
    }
}

TEST_CASE("a make-up day has the hours of the weekday it is worked as", "[calendar]") {
    auto c = Calendar::standard_working_week();
    c.weekly[4] = {{9 * 60, 12 * 60}};  // Fridays: mornings only
    // 2024-02-18 (Sunday) is worked as Friday Feb 16, which moved into the Spring Festival.
    CHECK(open_periods(c, cst_day(2024, 2, 18)) == std::vector<Period>{{cst(2024, 2, 18, 9), cst(2024, 2, 18, 12)}});
    // 2024-02-04 (Sunday) is worked as Thursday.
    CHECK(open_periods(c, cst_day(2024, 2, 4)) == office_day(2024, 2, 4));
    // A make-up day worked as a weekday without hours is a working day with nothing open.
    c.weekly[4].clear();
    CHECK(is_working_day(c, date(2024, 2, 18)));
    CHECK(open_periods(c, cst_day(2024, 2, 18)).empty());
}

TEST_CASE("holidays close weekend hours too", "[calendar]") {
    // Why the table lists every day of a holiday period: a lab open on Saturdays is closed on the
    // Saturday of the Spring Festival, and open on an ordinary one.
    auto c = Calendar::standard_working_week();
    c.weekly[5] = {{9 * 60, 12 * 60}};
    CHECK(open_periods(c, cst_day(2025, 2, 1)).empty());
    CHECK(open_periods(c, cst_day(2025, 2, 15)) == std::vector<Period>{{cst(2025, 2, 15, 9), cst(2025, 2, 15, 12)}});
    CHECK_FALSE(is_working_day(c, date(2025, 2, 1)));
    CHECK(is_working_day(c, date(2025, 2, 15)));
}

// --- Weekly hours, windows, closures --------------------------------------------------------

TEST_CASE("several intervals a day, clipped to the window", "[calendar]") {
    const auto c = Calendar::standard_working_week();
    CHECK(open_periods(c, cst_day(2025, 3, 3)) == office_day(2025, 3, 3));
    CHECK(open_periods(c, {cst(2025, 3, 3, 10), cst(2025, 3, 3, 15)}) ==
          std::vector<Period>{{cst(2025, 3, 3, 10), cst(2025, 3, 3, 12)}, {cst(2025, 3, 3, 13, 30), cst(2025, 3, 3, 15)}});
    CHECK(open_periods(c, {cst(2025, 3, 3, 12), cst(2025, 3, 3, 13, 30)}).empty());  // lunch
    CHECK(open_periods(c, {cst(2025, 3, 3, 9), cst(2025, 3, 3, 9)}).empty());        // empty window
    CHECK_THROWS_MATCHES(open_periods(c, {cst(2025, 3, 3, 10), cst(2025, 3, 3, 9)}), Error,
                         IsErrorAt(ErrorCode::invalid, "window: "));
}

TEST_CASE("touching intervals merge: 12:00-12:00 and 24:00-00:00", "[calendar]") {
    Calendar c;
    c.weekly[0] = {{13 * 60, 1440}, {8 * 60, 12 * 60}, {12 * 60, 13 * 60}};  // out of order on purpose
    c.weekly[1] = {{0, 6 * 60}};
    CHECK_NOTHROW(validate(c));
    const auto got = open_periods(c, {cst(2025, 3, 3), cst(2025, 3, 5)});
    CHECK(got == std::vector<Period>{{cst(2025, 3, 3, 8), cst(2025, 3, 4, 6)}});
    // Spanning midnight is open throughout.
    CHECK(is_open(c, {cst(2025, 3, 3, 22), cst(2025, 3, 4, 2)}));
}

TEST_CASE("month ends and the leap day", "[calendar]") {
    const auto c = Calendar::standard_working_week();
    SECTION("2024-02-29 is an ordinary Thursday") {
        CHECK(open_periods(c, cst_day(2024, 2, 29)) ==
              std::vector<Period>{{utc(2024, 2, 29, 0, 30), utc(2024, 2, 29, 4)}, {utc(2024, 2, 29, 5, 30), utc(2024, 2, 29, 9, 30)}});
        CHECK(open_seconds(c, {cst(2024, 2, 28), cst(2024, 3, 2)}) == 3 * office_day_seconds);  // Wed, Thu, Fri
        CHECK(is_working_day(c, date(2024, 2, 29)));
        // Leap year: 2024 has one more day between Feb 28 and Mar 1 than 2025.
        CHECK(cst(2024, 3, 1) - cst(2024, 2, 28) == 2 * 24 * hour);
        CHECK(cst(2025, 3, 1) - cst(2025, 2, 28) == 24 * hour);
    }
    SECTION("across month ends") {
        // Fri 2025-02-28, then Mon 2025-03-03.
        CHECK(open_periods(c, {cst(2025, 2, 28, 12), cst(2025, 3, 3, 12)}) ==
              std::vector<Period>{{cst(2025, 2, 28, 13, 30), cst(2025, 2, 28, 17, 30)}, {cst(2025, 3, 3, 8, 30), cst(2025, 3, 3, 12)}});
        // Wed 2025-04-30 open, Thu 2025-05-01 Labour Day.
        CHECK(open_seconds(c, {cst(2025, 4, 30), cst(2025, 5, 2)}) == office_day_seconds);
        // Year end: Wed 2025-12-31 open, Thu 2026-01-01 New Year.
        CHECK(open_seconds(c, {cst(2025, 12, 31), cst(2026, 1, 2)}) == office_day_seconds);
        // A window from UTC midnight to UTC midnight, not local: Mon 2025-03-31 is open
        // 00:30-09:30 UTC; 2025-01-31 is in the Spring Festival.
        CHECK(open_seconds(c, {utc(2025, 3, 31), utc(2025, 4, 1)}) == office_day_seconds);
        CHECK(open_seconds(c, {utc(2025, 1, 31), utc(2025, 2, 1)}) == 0);
    }
}

TEST_CASE("closures cut intervals", "[calendar]") {
    auto c = Calendar::standard_working_week();
    SECTION("one closure across lunch") {
        c.closures = {{{cst(2025, 3, 3, 10), cst(2025, 3, 3, 14)}, "maintenance"}};
        CHECK(open_periods(c, cst_day(2025, 3, 3)) ==
              std::vector<Period>{{cst(2025, 3, 3, 8, 30), cst(2025, 3, 3, 10)}, {cst(2025, 3, 3, 14), cst(2025, 3, 3, 17, 30)}});
    }
    SECTION("several closures, overlapping, out of order, one inside another, one empty") {
        c.closures = {{{cst(2025, 3, 3, 16), cst(2025, 3, 3, 17)}, "b"},
                      {{cst(2025, 3, 3, 9), cst(2025, 3, 3, 11)}, "a"},
                      {{cst(2025, 3, 3, 9, 30), cst(2025, 3, 3, 10)}, "inside a"},
                      {{cst(2025, 3, 3, 10, 30), cst(2025, 3, 3, 11, 30)}, "overlaps a"},
                      {{cst(2025, 3, 3, 15), cst(2025, 3, 3, 15)}, "empty"}};
        CHECK(open_periods(c, cst_day(2025, 3, 3)) ==
              std::vector<Period>{{cst(2025, 3, 3, 8, 30), cst(2025, 3, 3, 9)},
                                  {cst(2025, 3, 3, 11, 30), cst(2025, 3, 3, 12)},
                                  {cst(2025, 3, 3, 13, 30), cst(2025, 3, 3, 16)},
                                  {cst(2025, 3, 3, 17), cst(2025, 3, 3, 17, 30)}});
    }
    SECTION("a closure over several days, starting before the window") {
        c.closures = {{{cst(2025, 3, 1), cst(2025, 3, 5, 10)}, "training days"}};
        CHECK(open_periods(c, {cst(2025, 3, 3), cst(2025, 3, 7)}) ==
              std::vector<Period>{{cst(2025, 3, 5, 10), cst(2025, 3, 5, 12)},
                                  {cst(2025, 3, 5, 13, 30), cst(2025, 3, 5, 17, 30)},
                                  {cst(2025, 3, 6, 8, 30), cst(2025, 3, 6, 12)},
                                  {cst(2025, 3, 6, 13, 30), cst(2025, 3, 6, 17, 30)}});
        CHECK(open_seconds(c, {cst(2025, 3, 3), cst(2025, 3, 10)}) == office_day_seconds * 2 + 6 * hour);  // Wed from 10:00, Thu, Fri
    }
}

TEST_CASE("is_open", "[calendar]") {
    auto c = Calendar::standard_working_week();
    CHECK(is_open(c, {cst(2025, 3, 3, 9), cst(2025, 3, 3, 11)}));             // within a morning
    CHECK(is_open(c, {cst(2025, 3, 3, 8, 30), cst(2025, 3, 3, 12)}));         // exactly the morning
    CHECK_FALSE(is_open(c, {cst(2025, 3, 3, 11), cst(2025, 3, 3, 14)}));      // spans the lunch break
    CHECK_FALSE(is_open(c, {cst(2025, 3, 3, 8), cst(2025, 3, 3, 9)}));        // starts before opening
    CHECK_FALSE(is_open(c, {cst(2025, 3, 3, 17), cst(2025, 3, 3, 18)}));      // ends after closing
    CHECK_FALSE(is_open(c, {cst(2025, 10, 2, 9), cst(2025, 10, 2, 10)}));     // National Day
    CHECK(is_open(c, {cst(2025, 10, 11, 9), cst(2025, 10, 11, 10)}));         // its make-up Saturday
    CHECK_FALSE(is_open(c, {cst(2025, 3, 3, 9), cst(2025, 3, 3, 9)}));        // empty
    CHECK_FALSE(is_open(c, {cst(2025, 3, 3, 10), cst(2025, 3, 3, 9)}));       // reversed
    c.closures = {{{cst(2025, 3, 3, 10), cst(2025, 3, 3, 10, 15)}, "calibration"}};
    CHECK_FALSE(is_open(c, {cst(2025, 3, 3, 9), cst(2025, 3, 3, 11)}));
    CHECK(is_open(c, {cst(2025, 3, 3, 10, 15), cst(2025, 3, 3, 11)}));
}

TEST_CASE("open_seconds of a week", "[calendar]") {
    const auto c = Calendar::standard_working_week();
    CHECK(open_seconds(c, {cst(2025, 3, 3), cst(2025, 3, 10)}) == 5 * office_day_seconds);  // 37.5 h
    CHECK(open_seconds(c, {cst(2025, 4, 28), cst(2025, 5, 5)}) == 3 * office_day_seconds);  // Labour Day week
    // Tokyo hours of the same shape, with no holiday table.
    Calendar tokyo;
    tokyo.time_zone = "Asia/Tokyo";
    for (std::size_t d = 0; d < 5; ++d) tokyo.weekly[d] = {{9 * 60, 18 * 60}};
    CHECK(open_seconds(tokyo, {utc(2025, 3, 2, 15), utc(2025, 3, 9, 15)}) == 45 * hour);
    CHECK(open_seconds(tokyo, {utc(2025, 3, 2, 15), utc(2025, 3, 9, 14)}) == 45 * hour);
}

TEST_CASE("open_periods matches a minute-by-minute count", "[calendar]") {
    // Random hours and closures in Shanghai (no DST), checked against walking every minute.
    std::mt19937 rng(20250101);
    const auto& cn = china_mainland_holidays();
    for (int trial = 0; trial < 40; ++trial) {
        Calendar c;
        c.holidays = cn;
        for (auto& day : c.weekly) {
            int m = 0;
            while (true) {
                m += static_cast<int>(rng() % 300);
                const int close = m + 1 + static_cast<int>(rng() % 400);
                if (close > 1440) break;
                day.push_back({m, close});
                m = close;
            }
        }
        const Time from = cst(2024, 1, 1) + static_cast<Time>(rng() % (3 * 365)) * 86400 + static_cast<Time>(rng() % 1440) * 60;
        const Time to = from + static_cast<Time>(rng() % (12 * 1440)) * 60;
        for (int k = 0; k < 3; ++k) {
            const Time s = from + static_cast<Time>(rng() % (14 * 1440)) * 60;
            c.closures.push_back({{s, s + static_cast<Time>(rng() % 600) * 60}, "random"});
        }
        const auto got = open_periods(c, {from, to});
        REQUIRE(disjoint_ascending(got));
        std::size_t k = 0;
        for (Time t = from; t < to; t += 60) {
            const std::int64_t local = t + 8 * hour;
            const auto day = calendar_detail::floor_div(local, 86400);
            const int minute_of_day = static_cast<int>((local - day * 86400) / 60);
            const auto d = calendar_detail::date_from_days(day);
            std::size_t weekday = (static_cast<std::size_t>(d.day_of_week().as_number()) + 6) % 7;
            bool open_day = true;
            for (const auto& m : cn.makeup_days) {
                if (m.date == d) weekday = (static_cast<std::size_t>(m.works_as) + 6) % 7;
            }
            const bool makeup = std::any_of(cn.makeup_days.begin(), cn.makeup_days.end(), [&](const MakeupDay& m) { return m.date == d; });
            if (!makeup && std::binary_search(cn.holidays.begin(), cn.holidays.end(), d)) open_day = false;
            bool expected = open_day && std::any_of(c.weekly[weekday].begin(), c.weekly[weekday].end(), [&](const DayHours& h) {
                                return h.open_minute <= minute_of_day && minute_of_day < h.close_minute;
                            });
            for (const auto& cl : c.closures) {
                if (cl.period.start <= t && t < cl.period.end) expected = false;
            }
            while (k < got.size() && got[k].end <= t) ++k;
            const bool actual = k < got.size() && got[k].start <= t;
            if (actual != expected) {
                CAPTURE(trial, t);
                REQUIRE(actual == expected);
            }
        }
    }
}

TEST_CASE("a year of open periods is cheap", "[calendar]") {
    // Not a timing assertion (see bench/): the year is computed and has the expected shape.
    const auto c = Calendar::standard_working_week();
    const auto year = open_periods(c, {cst(2025, 1, 1), cst(2026, 1, 1)});
    CHECK(year.size() == 2 * 248);
    CHECK(disjoint_ascending(year));
    const auto london = open_periods(all_day_every_day("Europe/London"), {utc(2024, 1, 1), utc(2027, 1, 1)});
    CHECK(london == std::vector<Period>{{utc(2024, 1, 1), utc(2027, 1, 1)}});
}

// --- Holiday JSON ---------------------------------------------------------------------------

TEST_CASE("holiday JSON round trip and defaults", "[calendar]") {
    const auto& cn = china_mainland_holidays();
    CHECK(parse_holidays(holidays_to_json(cn)) == cn);

    auto doc = small_table();
    doc["holidays"] = {"2025-05-01", "2025-01-01"};  // any order: stored ascending
    doc["makeup_days"] = {{{"date", "2025-04-27"}}};  // works_as defaults to Monday
    const auto t = parse_holidays(doc.dump());
    CHECK(t.holidays == std::vector<date>{date(2025, 1, 1), date(2025, 5, 1)});
    REQUIRE(t.makeup_days.size() == 1);
    CHECK(t.makeup_days[0].works_as == boost::date_time::Monday);
    // Both lists may be omitted.
    doc.erase("holidays");
    doc.erase("makeup_days");
    CHECK(parse_holidays(doc.dump()).holidays.empty());
}

TEST_CASE("bad holiday JSON names its path", "[calendar]") {
    const auto refused = [](const nlohmann::json& doc, const std::string& path, std::initializer_list<std::string> fragments) {
        CAPTURE(doc.dump());
        CHECK_THROWS_MATCHES(parse_holidays(doc.dump()), Error, IsErrorAt(ErrorCode::invalid, path + ": ", fragments));
    };
    SECTION("malformed") {
        CHECK_THROWS_MATCHES(parse_holidays("{\"format\": "), Error, IsErrorAt(ErrorCode::invalid, "/: malformed JSON"));
        CHECK_THROWS_MATCHES(parse_holidays("[]"), Error, IsErrorAt(ErrorCode::invalid, "/: ", {"expected an object"}));
    }
    SECTION("bad dates") {
        auto doc = small_table();
        doc["holidays"][1] = "2025-02-30";
        refused(doc, "/holidays/1", {"no such date \"2025-02-30\""});
        doc["holidays"][1] = "2025-13-01";
        refused(doc, "/holidays/1", {"no such date"});
        doc["holidays"][1] = "2025-2-3";
        refused(doc, "/holidays/1", {"YYYY-MM-DD"});
        doc["holidays"][1] = "2025-Feb-03";
        refused(doc, "/holidays/1", {"YYYY-MM-DD"});
        doc = small_table();
        doc["makeup_days"][0]["date"] = "2025-04-31";
        refused(doc, "/makeup_days/0/date", {"no such date"});
    }
    SECTION("wrong types") {
        auto doc = small_table();
        doc["holidays"][0] = 20250101;
        refused(doc, "/holidays/0", {"expected a date", "got number"});
        doc = small_table();
        doc["holidays"] = "2025-01-01";
        refused(doc, "/holidays", {"expected an array, got string"});
        doc = small_table();
        doc["first_year"] = "2025";
        refused(doc, "/first_year", {"expected an integer, got string"});
        doc = small_table();
        doc["makeup_days"][0] = "2025-04-27";
        refused(doc, "/makeup_days/0", {"expected an object"});
        doc = small_table();
        doc["makeup_days"][0]["works_as"] = 5;
        refused(doc, "/makeup_days/0/works_as", {"expected a weekday name"});
        doc = small_table();
        doc["sources"] = {1};
        refused(doc, "/sources/0", {"expected a string"});
    }
    SECTION("unknown keys") {
        auto doc = small_table();
        doc["makeup_day"] = nlohmann::json::array();
        refused(doc, "/makeup_day", {"unknown key"});
        doc = small_table();
        doc["makeup_days"][0]["weekday"] = "friday";
        refused(doc, "/makeup_days/0/weekday", {"unknown key"});
        doc = small_table();
        doc["makeup_days"][0]["works_as"] = "Fri";
        refused(doc, "/makeup_days/0/works_as", {"unknown weekday 'Fri'"});
    }
    SECTION("a holiday that is also a make-up day") {
        auto doc = small_table();
        doc["makeup_days"][0]["date"] = "2025-05-01";
        refused(doc, "/makeup_days/0/date", {"2025-05-01 is both a holiday and a make-up day"});
    }
    SECTION("dates outside the declared years, and the years themselves") {
        auto doc = small_table();
        doc["holidays"][0] = "2024-12-31";
        refused(doc, "/holidays/0", {"outside the years 2025..2025"});
        doc = small_table();
        doc["makeup_days"][0]["date"] = "2026-01-04";
        refused(doc, "/makeup_days/0/date", {"outside the years"});
        doc = small_table();
        doc["last_year"] = 2024;
        refused(doc, "/last_year", {"before first_year"});
        doc = small_table();
        doc["first_year"] = 0;
        refused(doc, "/first_year", {"1400..9999"});
    }
    SECTION("duplicates, missing keys, format and version") {
        auto doc = small_table();
        doc["holidays"] = {"2025-05-01", "2025-01-01", "2025-05-01"};
        refused(doc, "/holidays/2", {"duplicate date 2025-05-01"});
        doc = small_table();
        doc["makeup_days"][0].erase("date");
        refused(doc, "/makeup_days/0/date", {"missing"});
        doc = small_table();
        doc.erase("region");
        refused(doc, "/region", {"missing"});
        doc = small_table();
        doc["format"] = "psp-network";
        refused(doc, "/format", {"psp-holidays"});
        doc = small_table();
        doc["version"] = 2;
        refused(doc, "/version", {"format version 2 is not supported"});
    }
    SECTION("writing refuses what reading would refuse") {
        HolidayTable t;
        t.region = "XX";
        t.first_year = t.last_year = 2025;
        t.holidays = {date(2025, 5, 1), date(2025, 1, 1)};
        CHECK_THROWS_MATCHES(holidays_to_json(t), Error, IsErrorAt(ErrorCode::invalid, "holidays[1]: "));
        t.holidays = {date(2024, 5, 1)};
        CHECK_THROWS_MATCHES(holidays_to_json(t), Error, IsErrorAt(ErrorCode::invalid, "holidays[0]: ", {"outside"}));
        t.holidays.clear();
        t.region = "\xff";
        CHECK_THROWS_MATCHES(holidays_to_json(t), Error, IsErrorAt(ErrorCode::invalid, "region: "));
    }
}

// --- validate -------------------------------------------------------------------------------

TEST_CASE("validate names the bad field", "[calendar]") {
    const auto refused = [](const Calendar& c, const std::string& prefix, std::initializer_list<std::string> fragments) {
        CHECK_THROWS_MATCHES(validate(c), Error, IsErrorAt(ErrorCode::invalid, prefix, fragments));
        // Every query validates too: a malformed calendar never yields periods.
        CHECK_THROWS_MATCHES(open_periods(c, {cst(2025, 3, 3), cst(2025, 3, 4)}), Error, IsError(ErrorCode::invalid));
    };
    auto c = Calendar::standard_working_week();
    CHECK_NOTHROW(validate(c));
    CHECK_NOTHROW(validate(Calendar{}));

    SECTION("overlapping intervals") {
        c.weekly[0] = {{8 * 60, 12 * 60}, {11 * 60, 14 * 60}};
        refused(c, "weekly[0] (Monday): ", {"08:00-12:00", "11:00-14:00", "overlap"});
        c.weekly[0] = {{8 * 60, 12 * 60}, {9 * 60, 10 * 60}};  // one inside the other
        refused(c, "weekly[0] (Monday): ", {"overlap"});
    }
    SECTION("minutes out of range") {
        c.weekly[2] = {{8 * 60, 1441}};
        refused(c, "weekly[2][0] (Wednesday): ", {"0..1440"});
        c.weekly[6] = {{-1, 60}};
        c.weekly[2].clear();
        refused(c, "weekly[6][0] (Sunday): ", {"0..1440"});
    }
    SECTION("open not before close") {
        c.weekly[1] = {{8 * 60, 12 * 60}, {14 * 60, 13 * 60}};
        refused(c, "weekly[1][1] (Tuesday): ", {"opens at 14:00, not before it closes at 13:00"});
        c.weekly[1] = {{600, 600}};
        refused(c, "weekly[1][0] (Tuesday): ", {"opens at 10:00"});
    }
    SECTION("reversed closure") {
        c.closures = {{{cst(2025, 3, 3), cst(2025, 3, 4)}, "ok"}, {{cst(2025, 3, 5), cst(2025, 3, 4)}, "reversed"}};
        refused(c, "closures[1]: ", {"ends", "before it starts"});
    }
    SECTION("unknown time zone") {
        c.time_zone = "Asia/Beijing";
        refused(c, "time_zone: ", {"unknown time zone 'Asia/Beijing'"});
    }
    SECTION("holiday tables built by hand") {
        c.holidays.holidays = {date(2025, 5, 2), date(2025, 5, 1)};
        refused(c, "holidays.holidays[1]: ", {"ascending"});
        c.holidays.holidays = {date(2025, 5, 1), date(boost::gregorian::not_a_date_time)};
        refused(c, "holidays.holidays[1]: ", {"not a date"});
        c.holidays.holidays = {date(2025, 5, 1)};
        c.holidays.makeup_days = {{date(2025, 5, 1), boost::date_time::Monday}};
        refused(c, "holidays.makeup_days[0].date: ", {"both"});
        c.holidays.makeup_days = {{date(2025, 4, 27), static_cast<weekdays>(7)}};
        refused(c, "holidays.makeup_days[0].works_as: ", {"not a weekday"});
    }
}

TEST_CASE("is_working_day", "[calendar]") {
    const auto c = Calendar::standard_working_week();
    CHECK(is_working_day(c, date(2025, 3, 3)));          // Monday
    CHECK_FALSE(is_working_day(c, date(2025, 3, 8)));    // Saturday
    CHECK_FALSE(is_working_day(c, date(2025, 1, 1)));    // New Year
    CHECK(is_working_day(c, date(2025, 4, 27)));         // make-up Sunday
    CHECK(is_working_day(c, date(2023, 10, 2)));         // before the table: weekly hours only
    CHECK_THROWS_MATCHES(is_working_day(c, date(boost::gregorian::not_a_date_time)), Error,
                         IsErrorAt(ErrorCode::invalid, "date: "));
}
