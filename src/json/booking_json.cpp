// Calendars and booking rules as JSON. Local times of day are "HH:MM" (up to "24:00"); instants
// are Unix seconds; the shipped China holiday table is written by name ("CN") to keep rows small.
#include "json/booking_json.hpp"

#include <cstdio>

#include "core/hhmm.hpp"
#include "json/reader.hpp"

namespace psp::json {
namespace {

using detail::hhmm;

int read_hhmm(const json& v, const std::string& path) {
    if (!v.is_string()) bad(path, std::string("expected \"HH:MM\", got ") + type_name(v));
    const auto s = v.get<std::string>();
    if (s.size() != 5 || s[2] != ':' || !isdigit(static_cast<unsigned char>(s[0])) ||
        !isdigit(static_cast<unsigned char>(s[1])) || !isdigit(static_cast<unsigned char>(s[3])) ||
        !isdigit(static_cast<unsigned char>(s[4]))) {
        bad(path, "expected \"HH:MM\", got \"" + s + "\"");
    }
    const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) bad(path, "no such time of day \"" + s + "\"");
    return h * 60 + m;
}

json period_json(const Period& p) { return {{"start", p.start}, {"end", p.end}}; }

Period read_period(const json& v, const std::string& path) {
    ObjectReader r(v, path);
    Period p{r.integer("start"), r.integer("end")};
    r.finish();
    if (p.empty()) bad(path, "period is empty or reversed");
    return p;
}

}  // namespace

json to_json(const Calendar& c) {
    json weekly = json::array();
    for (const auto& day : c.weekly) {
        json intervals = json::array();
        for (const auto& h : day) intervals.push_back({{"open", hhmm(h.open_minute)}, {"close", hhmm(h.close_minute)}});
        weekly.push_back(intervals);
    }
    json closures = json::array();
    for (const auto& cl : c.closures) closures.push_back({{"start", cl.period.start}, {"end", cl.period.end}, {"reason", cl.reason}});
    // No table at all is written as null: there is nothing a holiday file could hold.
    const bool none = c.holidays == HolidayTable{};
    json holidays = none ? json(nullptr)
                    : c.holidays == china_mainland_holidays() ? json("CN")
                                                              : json::parse(holidays_to_json(c.holidays));
    return {{"time_zone", c.time_zone}, {"weekly", weekly}, {"holidays", holidays}, {"closures", closures}};
}

Calendar calendar_from_json(const json& v, const std::string& path) {
    ObjectReader r(v, path);
    Calendar c;
    c.time_zone = r.text_or("time_zone", std::string("Asia/Shanghai"));
    if (const json* w = r.find("weekly")) {
        if (!w->is_array() || w->size() != 7) bad(r.at("weekly"), "expected 7 days, Monday first");
        for (std::size_t d = 0; d < 7; ++d) {
            const json& day = (*w)[d];
            const auto dp = r.at("weekly/" + std::to_string(d));
            if (!day.is_array()) bad(dp, std::string("expected an array of intervals, got ") + type_name(day));
            for (std::size_t i = 0; i < day.size(); ++i) {
                ObjectReader h(day[i], dp + "/" + std::to_string(i));
                const json* open = h.find("open");
                const json* close = h.find("close");
                if (!open) bad(h.at("open"), "missing");
                if (!close) bad(h.at("close"), "missing");
                c.weekly[d].push_back({read_hhmm(*open, h.at("open")), read_hhmm(*close, h.at("close"))});
                h.finish();
            }
        }
    }
    if (const json* h = r.find("holidays")) {
        if (h->is_string() && h->get<std::string>() == "CN") {
            c.holidays = china_mainland_holidays();
        } else if (h->is_object()) {
            try {
                c.holidays = parse_holidays(h->dump());
            } catch (const Error& e) {
                bad(r.at("holidays"), e.what());
            }
        } else if (!h->is_null()) {
            bad(r.at("holidays"), "expected \"CN\" or a holiday table object");
        }
    }
    if (const json* cl = r.find("closures")) {
        if (!cl->is_array()) bad(r.at("closures"), std::string("expected an array, got ") + type_name(*cl));
        for (std::size_t i = 0; i < cl->size(); ++i) {
            ObjectReader x((*cl)[i], r.at("closures/" + std::to_string(i)));
            Closure closure{{x.integer("start"), x.integer("end")}, x.text_or("reason", std::string())};
            x.finish();
            c.closures.push_back(std::move(closure));
        }
    }
    r.finish();
    return c;
}

json to_json(const BookingRules& b) {
    json blackouts = json::array();
    for (const auto& p : b.blackouts) blackouts.push_back(period_json(p));
    return {{"slot_minutes", b.slot_minutes},
            {"min_minutes", b.min_minutes},
            {"max_minutes", b.max_minutes},
            {"min_notice_minutes", b.min_notice_minutes},
            {"max_horizon_days", b.max_horizon_days},
            {"buffer_minutes", b.buffer_minutes},
            {"approval_required", b.approval_required},
            {"training_required", b.training_required},
            {"weekly_quota_minutes", b.weekly_quota_minutes},
            {"cancel_deadline_minutes", b.cancel_deadline_minutes},
            {"late_cancel_fee", b.late_cancel_fee},
            {"no_show_grace_minutes", b.no_show_grace_minutes},
            {"no_show_limit", b.no_show_limit},
            {"no_show_block_days", b.no_show_block_days},
            {"blackouts", blackouts}};
}

BookingRules booking_rules_from_json(const json& v, const std::string& path) {
    ObjectReader r(v, path);
    BookingRules b;
    b.slot_minutes = r.small_integer_or("slot_minutes", b.slot_minutes);
    b.min_minutes = r.small_integer_or("min_minutes", b.min_minutes);
    b.max_minutes = r.small_integer_or("max_minutes", b.max_minutes);
    b.min_notice_minutes = r.small_integer_or("min_notice_minutes", b.min_notice_minutes);
    b.max_horizon_days = r.small_integer_or("max_horizon_days", b.max_horizon_days);
    b.buffer_minutes = r.small_integer_or("buffer_minutes", b.buffer_minutes);
    b.approval_required = r.boolean_or("approval_required", b.approval_required);
    b.training_required = r.boolean_or("training_required", b.training_required);
    b.weekly_quota_minutes = r.small_integer_or("weekly_quota_minutes", b.weekly_quota_minutes);
    b.cancel_deadline_minutes = r.small_integer_or("cancel_deadline_minutes", b.cancel_deadline_minutes);
    b.late_cancel_fee = r.integer_or("late_cancel_fee", b.late_cancel_fee);
    b.no_show_grace_minutes = r.small_integer_or("no_show_grace_minutes", b.no_show_grace_minutes);
    b.no_show_limit = r.small_integer_or("no_show_limit", b.no_show_limit);
    b.no_show_block_days = r.small_integer_or("no_show_block_days", b.no_show_block_days);
    if (const json* bl = r.find("blackouts")) {
        if (!bl->is_array()) bad(r.at("blackouts"), std::string("expected an array, got ") + type_name(*bl));
        for (std::size_t i = 0; i < bl->size(); ++i) b.blackouts.push_back(read_period((*bl)[i], r.at("blackouts/" + std::to_string(i))));
    }
    r.finish();
    return b;
}

json to_json(const Booking& b) {
    return {{"id", b.id.value},
            {"equipment", b.equipment.value},
            {"enterprise", b.enterprise.value},
            {"start", b.period.start},
            {"end", b.period.end},
            {"units", b.units},
            {"status", to_string(b.status)},
            {"created", b.created},
            {"cancellation_fee", b.cancellation_fee},
            {"note", b.note}};
}

}  // namespace psp::json
