// Reading and writing holiday tables (docs/holidays-json.md). Reading is strict: every error is
// ErrorCode::invalid and starts with the JSON Pointer of the bad value.
#include <algorithm>
#include <array>
#include <cstdint>
#include <set>
#include <string>

#include <boost/date_time/gregorian/gregorian.hpp>
#include <nlohmann/json.hpp>

#include "calendar/checks.hpp"
#include "json/dates.hpp"
#include "psp/calendar.hpp"
#include "psp/error.hpp"

namespace psp {
namespace {

using Json = nlohmann::json;
using psp::json::bad;
using psp::json::ObjectReader;
using psp::json::parse_date;
using psp::json::parse_document;
namespace greg = boost::gregorian;

constexpr const char* holidays_format = "psp-holidays";
constexpr int holidays_format_version = 1;

// Indexed by boost::date_time::weekdays (Sunday = 0).
constexpr std::array<const char*, 7> weekday_names{"sunday",   "monday", "tuesday", "wednesday",
                                                   "thursday", "friday", "saturday"};

std::string got(const Json& v) { return std::string("got ") + v.type_name(); }

const Json& required(ObjectReader& r, const char* key) {
    const Json* v = r.find(key);
    if (!v) bad(r.at(key), "missing");
    return *v;
}

const Json* array_or_null(ObjectReader& r, const char* key) {
    const Json* v = r.find(key);
    if (v && !v->is_array()) bad(r.at(key), "expected an array, " + got(*v));
    return v;
}

boost::date_time::weekdays read_weekday(const Json& v, const std::string& path) {
    if (!v.is_string()) bad(path, "expected a weekday name, " + got(v));
    const auto s = v.get<std::string>();
    for (std::size_t i = 0; i < weekday_names.size(); ++i) {
        if (s == weekday_names[i]) return static_cast<boost::date_time::weekdays>(i);
    }
    bad(path, "unknown weekday '" + s + "' (expected monday ... sunday)");
}

void check_year(const greg::date& d, const HolidayTable& t, const std::string& path) {
    const int y = d.year();
    if (y < t.first_year || y > t.last_year) {
        bad(path, greg::to_iso_extended_string(d) + " is outside the years " + std::to_string(t.first_year) + ".." +
                      std::to_string(t.last_year) + " the table declares");
    }
}

}  // namespace

HolidayTable parse_holidays(std::string_view text) {
    const Json doc = parse_document(text);
    ObjectReader top(doc, "");
    if (top.text("format") != holidays_format) bad("/format", std::string("expected \"") + holidays_format + "\"");
    if (const auto version = top.integer("version"); version != holidays_format_version) {
        bad("/version", "format version " + std::to_string(version) + " is not supported (this library reads " +
                            std::to_string(holidays_format_version) + ")");
    }
    HolidayTable t;
    t.region = top.text("region");
    if (t.region.empty()) bad("/region", "must not be empty");
    const auto first = top.integer("first_year");
    const auto last = top.integer("last_year");
    if (first < 1400 || first > 9999) bad("/first_year", "expected a year in 1400..9999, got " + std::to_string(first));
    if (last < 1400 || last > 9999) bad("/last_year", "expected a year in 1400..9999, got " + std::to_string(last));
    if (last < first) bad("/last_year", "is before first_year");
    t.first_year = static_cast<int>(first);
    t.last_year = static_cast<int>(last);

    // Dates may come in any order; the table keeps them ascending. A date listed twice is an
    // error rather than merged: it usually means a copy-paste slip that hides a missing date.
    std::vector<std::pair<greg::date, std::string>> holidays;  // with their paths, for messages
    if (const Json* a = array_or_null(top, "holidays")) {
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string path = "/holidays/" + std::to_string(i);
            const auto d = parse_date((*a)[i], path);
            check_year(d, t, path);
            holidays.emplace_back(d, path);
        }
    }
    std::vector<std::pair<MakeupDay, std::string>> makeups;
    if (const Json* a = array_or_null(top, "makeup_days")) {
        for (std::size_t i = 0; i < a->size(); ++i) {
            ObjectReader r((*a)[i], "/makeup_days/" + std::to_string(i));
            MakeupDay m;
            m.date = parse_date(required(r, "date"), r.at("date"));
            check_year(m.date, t, r.at("date"));
            if (const Json* w = r.find("works_as")) m.works_as = read_weekday(*w, r.at("works_as"));
            r.finish();
            makeups.emplace_back(m, r.at("date"));
        }
    }
    if (const Json* s = array_or_null(top, "sources")) {
        for (std::size_t i = 0; i < s->size(); ++i) {
            if (!(*s)[i].is_string()) bad("/sources/" + std::to_string(i), "expected a string, " + got((*s)[i]));
        }
    }
    top.finish();

    std::stable_sort(holidays.begin(), holidays.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 1; i < holidays.size(); ++i) {
        if (holidays[i].first == holidays[i - 1].first) {
            bad(holidays[i].second, "duplicate date " + greg::to_iso_extended_string(holidays[i].first));
        }
    }
    std::stable_sort(makeups.begin(), makeups.end(),
                     [](const auto& a, const auto& b) { return a.first.date < b.first.date; });
    for (std::size_t i = 1; i < makeups.size(); ++i) {
        if (makeups[i].first.date == makeups[i - 1].first.date) {
            bad(makeups[i].second, "duplicate date " + greg::to_iso_extended_string(makeups[i].first.date));
        }
    }
    t.holidays.reserve(holidays.size());
    for (const auto& h : holidays) t.holidays.push_back(h.first);
    for (const auto& [m, path] : makeups) {
        if (std::binary_search(t.holidays.begin(), t.holidays.end(), m.date)) {
            bad(path, greg::to_iso_extended_string(m.date) + " is both a holiday and a make-up day");
        }
    }
    t.makeup_days.reserve(makeups.size());
    for (const auto& m : makeups) t.makeup_days.push_back(m.first);
    return t;
}

std::string holidays_to_json(const HolidayTable& t) {
    // ordered_json keeps the documented key order, so written files diff well against shipped ones.
    using ojson = nlohmann::ordered_json;
    // A file that parse_holidays() would refuse must not be written.
    calendar_detail::check_holiday_table(t, "");
    if (t.region.empty()) throw Error(ErrorCode::invalid, "region: must not be empty");
    if (t.first_year < 1400 || t.last_year > 9999) {
        throw Error(ErrorCode::invalid, "first_year, last_year: expected years in 1400..9999");
    }
    const auto outside = [&](const greg::date& d) { return d.year() < t.first_year || d.year() > t.last_year; };
    for (std::size_t i = 0; i < t.holidays.size(); ++i) {
        if (outside(t.holidays[i])) throw Error(ErrorCode::invalid, "holidays[" + std::to_string(i) + "]: outside first_year..last_year");
    }
    for (std::size_t i = 0; i < t.makeup_days.size(); ++i) {
        if (outside(t.makeup_days[i].date)) {
            throw Error(ErrorCode::invalid, "makeup_days[" + std::to_string(i) + "].date: outside first_year..last_year");
        }
    }
    ojson holidays = ojson::array();
    for (const auto& d : t.holidays) holidays.push_back(greg::to_iso_extended_string(d));
    ojson makeups = ojson::array();
    for (const auto& m : t.makeup_days) {
        makeups.push_back({{"date", greg::to_iso_extended_string(m.date)},
                           {"works_as", weekday_names[static_cast<std::size_t>(m.works_as)]}});
    }
    ojson doc = {{"format", holidays_format},     {"version", holidays_format_version},
                 {"region", t.region},            {"first_year", t.first_year},
                 {"last_year", t.last_year},      {"holidays", holidays},
                 {"makeup_days", makeups}};
    try {
        return doc.dump(2) + "\n";
    } catch (const nlohmann::json::type_error&) {
        throw Error(ErrorCode::invalid, "region: not valid UTF-8");  // the only free text
    }
}

}  // namespace psp
