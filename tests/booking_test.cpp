// The booking engine's rules one by one, its lifecycle, free slots, and the interval index
// against a brute-force model.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

#include "booking/engine.hpp"
#include "booking/interval_index.hpp"
#include "psp/error.hpp"

using namespace psp;
using booking::Engine;
using booking::EquipmentSetup;

namespace {

constexpr Time H = 3600, M = 60, D = 86400;
// Monday 2025-03-03 00:00 UTC.
constexpr Time monday = 1740960000;

Calendar always_open() {
    Calendar c;
    c.time_zone = "UTC";
    for (auto& day : c.weekly) day = {{0, 1440}};
    return c;
}

EquipmentSetup setup(std::int64_t id, int capacity = 1, BookingRules rules = {}, Calendar cal = always_open()) {
    rules.min_notice_minutes = 0;
    EquipmentSetup s;
    s.id = EquipmentId(id);
    s.equipment_class = EquipmentClassId(1);
    s.capacity_units = capacity;
    s.rules = rules;
    s.calendar = cal;
    return s;
}

BookingRequest req(std::int64_t equipment, std::int64_t enterprise, Time start, Time end, int units = 1) {
    return {EquipmentId(equipment), EnterpriseId(enterprise), {start, end}, units, {}, {}};
}

const Time now = monday - 7 * D;

}  // namespace

TEST_CASE("capacity: overlaps up to the equipment's units, touching periods do not overlap", "[booking]") {
    Engine e;
    e.set_equipment(setup(1, 2));
    CHECK(e.book(req(1, 1, monday + 10 * H, monday + 12 * H), now));
    CHECK(e.book(req(1, 2, monday + 11 * H, monday + 13 * H), now));
    auto third = e.book(req(1, 3, monday + 11 * H + 30 * M, monday + 12 * H + 30 * M), now);
    CHECK_FALSE(third);
    CHECK(third.refused_by == BookingRule::capacity);
    CHECK_THAT(third.reason, Catch::Contains("2 of 2 units"));
    CHECK(e.book(req(1, 3, monday + 13 * H, monday + 14 * H), now));          // touches the second
    CHECK(e.book(req(1, 3, monday + 12 * H, monday + 13 * H), now));          // first ended at 12:00
    CHECK(e.book(req(1, 4, monday + 8 * H, monday + 10 * H, 2), now));        // both units before 10:00
    CHECK(e.book(req(1, 4, monday + 9 * H, monday + 10 * H), now).refused_by == BookingRule::capacity);
}

TEST_CASE("buffer: free time is kept around every booking", "[booking]") {
    BookingRules r;
    r.slot_minutes = 15;
    r.buffer_minutes = 15;
    Engine e;
    e.set_equipment(setup(1, 1, r));
    CHECK(e.book(req(1, 1, monday + 10 * H, monday + 11 * H), now));
    CHECK(e.book(req(1, 2, monday + 11 * H, monday + 12 * H), now).refused_by == BookingRule::capacity);
    CHECK(e.book(req(1, 2, monday + 11 * H + 15 * M, monday + 12 * H), now));
    CHECK(e.book(req(1, 2, monday + 9 * H, monday + 9 * H + 45 * M), now));
}

TEST_CASE("time rules: past, notice, horizon, grid, durations, blackouts", "[booking]") {
    BookingRules r;
    r.min_minutes = 60;
    r.max_minutes = 4 * 60;
    r.max_horizon_days = 30;
    r.blackouts = {{monday + 2 * D, monday + 3 * D}};
    auto s = setup(1, 1, r);
    s.rules.min_notice_minutes = 120;
    Engine e;
    e.set_equipment(s);
    const Time t = monday + 10 * H;
    CHECK(e.book(req(1, 1, t - H, t + H), t).refused_by == BookingRule::in_past);
    CHECK(e.book(req(1, 1, t + H, t + 2 * H), t).refused_by == BookingRule::min_notice);
    CHECK(e.book(req(1, 1, t + 2 * H, t + 3 * H), t));
    CHECK(e.book(req(1, 1, t + 31 * D, t + 31 * D + H), t).refused_by == BookingRule::max_horizon);
    CHECK(e.book(req(1, 1, t + D + 10 * M, t + D + H + 10 * M), t).refused_by == BookingRule::slot_grid);
    CHECK(e.book(req(1, 1, t + D, t + D + 30 * M), t).refused_by == BookingRule::min_duration);
    CHECK(e.book(req(1, 1, t + D, t + D + 5 * H), t).refused_by == BookingRule::max_duration);
    CHECK(e.book(req(1, 1, monday + 2 * D + 23 * H, monday + 3 * D + H), t).refused_by == BookingRule::blackout);
    CHECK(e.book(req(1, 1, monday + 3 * D, monday + 3 * D + H), t));   // blackout is half-open
}

TEST_CASE("opening hours follow the calendar: weekends, lunch, Spring Festival and its make-up day", "[booking]") {
    Engine e;
    auto s = setup(1, 1, {}, Calendar::standard_working_week());
    e.set_equipment(s);
    // 2025-01-20 is a Monday; Shanghai is UTC+8, so 09:00 local is 01:00 UTC.
    const Time mon = 1737302400;   // 2025-01-20 00:00 in Shanghai (16:00 UTC the day before)
    const Time before = mon - 2 * D;
    CHECK(e.book(req(1, 1, mon + 9 * H, mon + 11 * H), before));
    CHECK(e.book(req(1, 1, mon + 11 * H, mon + 14 * H), before).refused_by == BookingRule::opening_hours);  // lunch
    CHECK(e.book(req(1, 1, mon + 5 * D + 9 * H, mon + 5 * D + 10 * H), before).refused_by == BookingRule::opening_hours);  // Saturday
    // 2025-01-26 (Sunday) is a make-up working day; 2025-01-29 is Spring Festival.
    CHECK(e.book(req(1, 1, mon + 6 * D + 9 * H, mon + 6 * D + 10 * H), before));
    CHECK(e.book(req(1, 1, mon + 9 * D + 9 * H, mon + 9 * D + 10 * H), before).refused_by == BookingRule::opening_hours);
}

TEST_CASE("enterprise rules: training, weekly quota, no-show block", "[booking]") {
    BookingRules r;
    r.training_required = true;
    r.weekly_quota_minutes = 3 * 60;
    r.no_show_limit = 2;
    r.no_show_block_days = 10;
    Engine e;
    e.set_equipment(setup(1, 1, r));
    CHECK(e.book(req(1, 7, monday + 9 * H, monday + 10 * H), now).refused_by == BookingRule::training);
    e.set_training(EnterpriseId(7), EquipmentClassId(1), true);
    auto first = e.book(req(1, 7, monday + 9 * H, monday + 11 * H), now);
    REQUIRE(first);
    CHECK(e.book(req(1, 7, monday + D + 9 * H, monday + D + 11 * H), now).refused_by == BookingRule::weekly_quota);
    CHECK(e.book(req(1, 7, monday + D + 9 * H, monday + D + 10 * H), now));
    CHECK(e.book(req(1, 7, monday + 7 * D + 9 * H, monday + 7 * D + 12 * H), now));   // next ISO week
    // Cancelling gives the minutes back.
    e.cancel(first.booking->id, now);
    CHECK(e.book(req(1, 7, monday + 2 * D + 9 * H, monday + 2 * D + 11 * H), now));

    // Two no-shows block the enterprise for ten days from the last one.
    e.set_training(EnterpriseId(8), EquipmentClassId(1), true);
    REQUIRE(e.book(req(1, 8, monday + 3 * D + 9 * H, monday + 3 * D + 10 * H), now));
    REQUIRE(e.book(req(1, 8, monday + 4 * D + 9 * H, monday + 4 * D + 10 * H), now));
    const auto no_shows = e.mark_no_shows(monday + 5 * D);   // enterprise 7's past bookings too
    CHECK(std::count_if(no_shows.begin(), no_shows.end(), [](const Booking& b) { return b.enterprise == EnterpriseId(8); }) == 2);
    auto blocked = e.book(req(1, 8, monday + 8 * D + 9 * H, monday + 8 * D + 10 * H), monday + 5 * D);
    CHECK(blocked.refused_by == BookingRule::no_show_block);
    CHECK(e.book(req(1, 8, monday + 15 * D + 9 * H, monday + 15 * D + 10 * H), monday + 15 * D - H));
    // Another enterprise is not blocked by enterprise 8's no-shows.
    e.set_training(EnterpriseId(9), EquipmentClassId(1), true);
    CHECK(e.book(req(1, 9, monday + 8 * D + 10 * H, monday + 8 * D + 11 * H), monday + 5 * D));

    // No-shows count for 90 days. The booking of day 15 is a third no-show; on day 100 only it is
    // recent, one of the two that block.
    e.mark_no_shows(monday + 20 * D);
    const Time later = monday + 100 * D;
    REQUIRE(e.book(req(1, 8, later + 9 * H, later + 10 * H), later));
    // A fourth, on day 100: two recent again, and the block runs ten days from the latest.
    e.mark_no_shows(later + D);
    const auto again = e.book(req(1, 8, later + 3 * D + 9 * H, later + 3 * D + 10 * H), later + D);
    CHECK(again.refused_by == BookingRule::no_show_block);
    CHECK_THAT(again.reason, Catch::Contains("2 no-shows") && Catch::Contains(std::to_string(later + 9 * H + 10 * D)));
    CHECK(e.book(req(1, 8, later + 11 * D + 9 * H, later + 11 * D + 10 * H), later + 10 * D + 10 * H));
}

TEST_CASE("weekly quota: local ISO weeks, per enterprise, large ids, restored bookings", "[booking]") {
    BookingRules r;
    r.weekly_quota_minutes = 2 * 60;
    Calendar shanghai = always_open();
    shanghai.time_zone = "Asia/Shanghai";
    Engine e;
    e.set_equipment(setup(1, 4, r, shanghai));
    // Monday 00:00 in Shanghai is Sunday 16:00 UTC: a booking at Sunday 17:00 UTC counts in the
    // new local week, one at Sunday 15:00 UTC in the old one.
    const Time local_monday = monday + 7 * D - 8 * H;
    const std::int64_t wide = (std::int64_t{1} << 32) + 7;   // same low 32 bits as enterprise 7
    REQUIRE(e.book(req(1, 7, local_monday - 2 * H, local_monday - H), now));   // old week, 1 h
    REQUIRE(e.book(req(1, 7, local_monday + H, local_monday + 3 * H), now));   // new week, 2 h
    CHECK(e.book(req(1, 7, local_monday + D, local_monday + D + H), now).refused_by == BookingRule::weekly_quota);
    CHECK(e.book(req(1, 7, local_monday - 3 * H, local_monday - 2 * H), now));  // old week: 2 h
    // Another enterprise, and one whose id differs only above 32 bits, have their own quota.
    CHECK(e.book(req(1, 8, local_monday + D, local_monday + D + 2 * H), now));
    CHECK(e.book(req(1, wide, local_monday + 2 * D, local_monday + 2 * D + 2 * H), now));
    CHECK(e.book(req(1, wide, local_monday + 3 * D, local_monday + 3 * D + H), now).refused_by == BookingRule::weekly_quota);

    // Restored bookings count like booked ones; cancelled ones do not.
    Engine reloaded;
    reloaded.set_equipment(setup(1, 4, r, shanghai));
    for (std::int64_t id = 1; id <= static_cast<std::int64_t>(e.booking_count()); ++id) reloaded.restore(e.get(BookingId(id)));
    CHECK(reloaded.check(req(1, 7, local_monday + D, local_monday + D + H), now).refused_by == BookingRule::weekly_quota);
    reloaded.cancel(BookingId(2), now);
    const auto freed = reloaded.check(req(1, 7, local_monday + D, local_monday + D + H), now);
    INFO(freed.reason);
    CHECK(freed);
}

TEST_CASE("training records: dense and very large ids, withdrawn records", "[booking]") {
    Engine e;
    const std::int64_t big = std::int64_t{1} << 40;
    e.set_training(EnterpriseId(3), EquipmentClassId(2), true);
    e.set_training(EnterpriseId(big), EquipmentClassId(2), true);
    e.set_training(EnterpriseId(5), EquipmentClassId(big), true);
    CHECK(e.trained(EnterpriseId(3), EquipmentClassId(2)));
    CHECK_FALSE(e.trained(EnterpriseId(3), EquipmentClassId(1)));
    CHECK_FALSE(e.trained(EnterpriseId(4), EquipmentClassId(2)));
    CHECK(e.trained(EnterpriseId(big), EquipmentClassId(2)));
    CHECK_FALSE(e.trained(EnterpriseId(big + 1), EquipmentClassId(2)));
    CHECK(e.trained(EnterpriseId(5), EquipmentClassId(big)));
    e.set_training(EnterpriseId(3), EquipmentClassId(2), false);
    e.set_training(EnterpriseId(big), EquipmentClassId(2), false);
    e.set_training(EnterpriseId(9999), EquipmentClassId(7), false);   // never trained: no-op
    CHECK_FALSE(e.trained(EnterpriseId(3), EquipmentClassId(2)));
    CHECK_FALSE(e.trained(EnterpriseId(big), EquipmentClassId(2)));
    CHECK_FALSE(e.trained(EnterpriseId(9999), EquipmentClassId(7)));
    // Many records: the flat table for large ids grows and keeps every one.
    for (std::int64_t i = 1; i <= 2000; ++i) e.set_training(EnterpriseId(big + i), EquipmentClassId(i % 7 + 1), true);
    for (std::int64_t i = 1; i <= 2000; ++i) {
        CHECK(e.trained(EnterpriseId(big + i), EquipmentClassId(i % 7 + 1)));
        CHECK_FALSE(e.trained(EnterpriseId(big + i), EquipmentClassId(i % 7 + 2)));
    }
}

TEST_CASE("lifecycle: approval, rejection, check-in, completion, cancellation with fee", "[booking]") {
    BookingRules r;
    r.approval_required = true;
    r.cancel_deadline_minutes = 24 * 60;
    r.late_cancel_fee = 5000;
    Engine e;
    e.set_equipment(setup(1, 1, r));
    auto a = e.book(req(1, 1, monday + 9 * H, monday + 10 * H), now).booking.value();
    CHECK(a.status == BookingStatus::pending);
    CHECK(e.book(req(1, 2, monday + 9 * H, monday + 10 * H), now).refused_by == BookingRule::capacity);  // pending holds
    CHECK(e.reject(a.id).status == BookingStatus::rejected);
    auto b = e.book(req(1, 2, monday + 9 * H, monday + 10 * H), now).booking.value();
    CHECK(e.approve(b.id).status == BookingStatus::confirmed);
    CHECK_THROWS_MATCHES(e.approve(b.id), Error, Catch::Matchers::Predicate<Error>([](const Error& x) {
                             return x.code() == ErrorCode::refused;
                         }));
    CHECK_THROWS_AS(e.check_in(b.id, monday + 7 * H), Error);   // too early
    CHECK(e.check_in(b.id, monday + 9 * H + 5 * M).status == BookingStatus::checked_in);
    CHECK(e.complete(b.id).status == BookingStatus::completed);

    auto c = e.book(req(1, 3, monday + 2 * D + 9 * H, monday + 2 * D + 10 * H), now).booking.value();
    e.approve(c.id);
    CHECK(e.cancel(c.id, now).cancellation_fee == 0);               // early: free
    CHECK_THROWS_AS(e.cancel(c.id, now), Error);                     // twice
    auto d = e.book(req(1, 3, monday + 3 * D + 9 * H, monday + 3 * D + 10 * H), now).booking.value();
    CHECK(e.cancel(d.id, monday + 3 * D + 8 * H).cancellation_fee == 5000);   // late
    CHECK_THROWS_AS(e.cancel(BookingId(999), now), Error);
}

TEST_CASE("misuse is an error, not a refusal", "[booking]") {
    Engine e;
    e.set_equipment(setup(1));
    auto code = [&](auto&& f) {
        try {
            f();
        } catch (const Error& x) {
            return x.code();
        }
        return ErrorCode::ok;
    };
    CHECK(code([&] { e.book(req(1, 1, monday + 2 * H, monday + H), now); }) == ErrorCode::invalid);
    CHECK(code([&] { e.book(req(1, 1, monday + H, monday + H), now); }) == ErrorCode::invalid);
    CHECK(code([&] { e.book(req(1, 1, monday + H + 1, monday + 2 * H), now); }) == ErrorCode::invalid);
    CHECK(code([&] { e.book(req(1, 1, monday + H, monday + 2 * H, 0), now); }) == ErrorCode::invalid);
    CHECK(code([&] { e.book(req(2, 1, monday + H, monday + 2 * H), now); }) == ErrorCode::not_found);
    CHECK(code([&] { e.get(BookingId(1)); }) == ErrorCode::not_found);
    CHECK(e.booking_count() == 0);

    auto bad = [&](auto change) {
        auto s = setup(3);
        change(s.rules);
        return code([&] { e.set_equipment(s); });
    };
    CHECK(bad([](BookingRules& r) { r.slot_minutes = 7; }) == ErrorCode::invalid);
    CHECK(bad([](BookingRules& r) { r.late_cancel_fee = -1; }) == ErrorCode::invalid);
    CHECK(bad([](BookingRules& r) { r.late_cancel_fee = Fen{1} << 60; }) == ErrorCode::invalid);
    CHECK(bad([](BookingRules& r) { r.max_minutes = 10; }) == ErrorCode::invalid);
    CHECK(bad([](BookingRules& r) { r.blackouts = {{10, 5}}; }) == ErrorCode::invalid);
    CHECK_FALSE(e.has_equipment(EquipmentId(3)));
}

TEST_CASE("free slots respect bookings, buffers, units, opening hours and the grid", "[booking]") {
    BookingRules r;
    r.buffer_minutes = 30;
    Engine e;
    auto s = setup(1, 2, r);
    s.calendar.weekly = {};
    for (int d = 0; d < 5; ++d) s.calendar.weekly[static_cast<std::size_t>(d)] = {{9 * 60, 17 * 60}};
    e.set_equipment(s);
    REQUIRE(e.book(req(1, 1, monday + 10 * H, monday + 11 * H, 2), now));
    REQUIRE(e.book(req(1, 1, monday + 14 * H, monday + 15 * H), now));
    const Period day{monday, monday + D};
    auto one = e.free_slots(EquipmentId(1), day, 30, 1);
    REQUIRE(one.size() == 2);
    CHECK(one[0] == Period{monday + 9 * H, monday + 9 * H + 30 * M});
    CHECK(one[1] == Period{monday + 11 * H + 30 * M, monday + 17 * H});
    auto two = e.free_slots(EquipmentId(1), day, 30, 2);
    REQUIRE(two.size() == 3);
    CHECK(two[1] == Period{monday + 11 * H + 30 * M, monday + 13 * H + 30 * M});
    CHECK(two[2] == Period{monday + 15 * H + 30 * M, monday + 17 * H});
    CHECK(e.free_slots(EquipmentId(1), day, 180, 2).size() == 0);
    CHECK(e.free_slots(EquipmentId(1), {monday + 5 * D, monday + 7 * D}, 30, 1).empty());   // weekend
}

TEST_CASE("the interval index agrees with brute force on random histories", "[booking][index]") {
    std::mt19937_64 rng(7);
    booking::IntervalIndex index;
    std::vector<booking::Slot> live;
    auto brute_peak = [&](booking::Minute s, booking::Minute e, booking::Minute buffer) {
        int peak = 0;
        for (booking::Minute t = s - buffer; t < e + buffer; ++t) {
            int used = 0;
            for (const auto& x : live) {
                if (x.start <= t && t < x.end) used += x.units;
            }
            peak = std::max(peak, used);
        }
        return peak;
    };
    for (std::uint32_t i = 0; i < 3000; ++i) {
        const auto s = static_cast<booking::Minute>(rng() % 2000);
        // Mostly short, now and then a long one that overshadows the slots starting after it.
        const auto len = static_cast<booking::Minute>(rng() % 10 == 0 ? 1 + rng() % 600 : 1 + rng() % 40);
        if (rng() % 4 == 0 && !live.empty()) {
            const auto k = static_cast<std::size_t>(rng() % live.size());
            REQUIRE(index.erase(live[k].booking, live[k].start));
            live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
        } else {
            booking::Slot slot{s, s + len, i, static_cast<std::uint16_t>(1 + rng() % 3), 0};
            index.insert(slot);
            live.push_back(slot);
        }
        if (i % 50 == 0) {
            const auto qs = static_cast<booking::Minute>(rng() % 2000);
            const auto qe = qs + 1 + static_cast<booking::Minute>(rng() % 30);
            const auto buffer = static_cast<booking::Minute>(rng() % 5);
            INFO("query [" << qs << ", " << qe << ") buffer " << buffer << " after " << i << " steps");
            REQUIRE(index.peak_units(qs, qe, buffer) == brute_peak(qs, qe, buffer));
        }
        if (i % 7 == 0) {
            // Exactly the slots running in [qs, qe), by start (ties in any order).
            const auto qs = static_cast<booking::Minute>(rng() % 2200) - 100;
            const auto qe = qs + 1 + static_cast<booking::Minute>(rng() % 200);
            std::vector<std::pair<booking::Minute, std::uint32_t>> want, got;
            for (const auto& x : live) {
                if (x.start < qe && x.end > qs) want.emplace_back(x.start, x.booking);
            }
            index.for_each_overlapping(qs, qe, [&](const booking::Slot& x) { got.emplace_back(x.start, x.booking); });
            INFO("overlapping [" << qs << ", " << qe << ") after " << i << " steps");
            REQUIRE(std::is_sorted(got.begin(), got.end(), [](const auto& a, const auto& b) { return a.first < b.first; }));
            std::sort(want.begin(), want.end());
            std::sort(got.begin(), got.end());
            REQUIRE(got == want);
        }
    }
    CHECK(index.size() == live.size());
}

TEST_CASE("the interval index agrees with brute force when bookings mostly come after the last", "[booking][index]") {
    // The way a simulation books: starts a little ahead of a clock that moves on, so that most
    // slots land at or near the end of the last block (one after all the others starts a block of
    // its own), some further back, and cancellations empty whole blocks now and then.
    std::mt19937_64 rng(11);
    booking::IntervalIndex index;
    std::vector<booking::Slot> live;
    booking::Minute clock = 0;
    for (std::uint32_t i = 0; i < 6000; ++i) {
        clock += static_cast<booking::Minute>(rng() % 3);
        if (rng() % 5 == 0 && !live.empty()) {
            // Cancel one of the latest (or now and then any) booking.
            const auto k = rng() % 3 == 0 ? static_cast<std::size_t>(rng() % live.size())
                                          : live.size() - 1 - static_cast<std::size_t>(rng() % std::min<std::size_t>(live.size(), 8));
            REQUIRE(index.erase(live[k].booking, live[k].start));
            live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
        } else {
            const auto s = clock + static_cast<booking::Minute>(rng() % 4 == 0 ? rng() % 200 : rng() % 6);
            const auto len = static_cast<booking::Minute>(rng() % 20 == 0 ? 1 + rng() % 500 : 1 + rng() % 30);
            booking::Slot slot{s, s + len, i, static_cast<std::uint16_t>(1 + rng() % 2), i % 7};
            index.insert(slot);
            live.push_back(slot);
        }
        if (i % 13 == 0) {
            const auto qs = clock - static_cast<booking::Minute>(rng() % 400);
            const auto qe = qs + 1 + static_cast<booking::Minute>(rng() % 300);
            std::vector<std::tuple<booking::Minute, std::uint32_t, booking::Minute, std::uint16_t, std::uint32_t>> want, got;
            for (const auto& x : live) {
                if (x.start < qe && x.end > qs) want.emplace_back(x.start, x.booking, x.end, x.units, x.enterprise);
            }
            index.for_each_overlapping(qs, qe, [&](const booking::Slot& x) { got.emplace_back(x.start, x.booking, x.end, x.units, x.enterprise); });
            INFO("overlapping [" << qs << ", " << qe << ") after " << i << " steps");
            REQUIRE(std::is_sorted(got.begin(), got.end(), [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); }));
            std::sort(want.begin(), want.end());
            std::sort(got.begin(), got.end());
            REQUIRE(got == want);
            // for_each_from: the slots running at qs or starting after it, by start, until the
            // visitor stops (here after `stop` of them).
            const auto stop = static_cast<std::size_t>(rng() % 12);
            std::vector<std::pair<booking::Minute, std::uint32_t>> from_want, from_got;
            for (const auto& x : live) {
                if (x.end > qs) from_want.emplace_back(x.start, x.booking);
            }
            index.for_each_from(qs, [&](const booking::Slot& x) {
                from_got.emplace_back(x.start, x.booking);
                return from_got.size() < stop;
            });
            REQUIRE(std::is_sorted(from_got.begin(), from_got.end(), [](const auto& a, const auto& b) { return a.first < b.first; }));
            std::sort(from_want.begin(), from_want.end());
            REQUIRE(from_got.size() == std::min(std::max<std::size_t>(stop, 1), from_want.size()));
            // The first ones by start: each got is wanted, and none wanted starts before the last got.
            for (const auto& g : from_got) REQUIRE(std::binary_search(from_want.begin(), from_want.end(), g));
            if (!from_got.empty() && from_got.size() < from_want.size()) {
                REQUIRE(from_want[from_got.size() - 1].first <= from_got.back().first);
                REQUIRE(from_want[from_got.size()].first >= from_got.back().first);
            }
        }
    }
    CHECK(index.size() == live.size());
    // Within bench/booking_attempts' bound of 64 bytes a booking, with a fifth of the bookings
    // cancelled out of blocks that no later booking refills.
    CHECK(static_cast<double>(index.memory_bytes()) / static_cast<double>(index.size()) < 64.0);
}

TEST_CASE("recurring series: all-or-nothing and skip-conflicts", "[booking][series]") {
    Engine e;
    e.set_equipment(setup(1));
    REQUIRE(e.book(req(1, 9, monday + 14 * D + 10 * H, monday + 14 * D + 11 * H), now));   // blocks week 3
    Recurrence weekly;
    weekly.count = 4;
    SECTION("all-or-nothing refuses the whole series and leaves nothing behind") {
        auto out = e.book_series(req(1, 1, monday + 10 * H, monday + 11 * H), weekly, SeriesMode::all_or_nothing, now);
        CHECK(out.booked.empty());
        REQUIRE(out.skipped.size() == 1);
        CHECK(out.skipped[0].period.start == monday + 14 * D + 10 * H);
        CHECK(out.skipped[0].refused_by == BookingRule::capacity);
        CHECK(out.series == 0);
        CHECK(e.booking_count() == 1);
        CHECK(e.book(req(1, 2, monday + 10 * H, monday + 11 * H), now));   // the slot is free again
    }
    SECTION("skip-conflicts books the rest and names the skipped occurrence") {
        auto out = e.book_series(req(1, 1, monday + 10 * H, monday + 11 * H), weekly, SeriesMode::skip_conflicts, now);
        REQUIRE(out.booked.size() == 3);
        CHECK(out.skipped.size() == 1);
        CHECK(out.series == out.booked[0].id.value);
        for (const auto& b : out.booked) CHECK(b.series == out.series);
        CHECK(out.booked[2].period.start == monday + 21 * D + 10 * H);
    }
    SECTION("daily until a date, and bad recurrences") {
        Recurrence daily;
        daily.every = Recurrence::Every::day;
        daily.until = monday + 4 * D + 10 * H;
        auto out = e.book_series(req(1, 1, monday + 10 * H, monday + 11 * H), daily, SeriesMode::skip_conflicts, now);
        CHECK(out.booked.size() == 5);
        Recurrence none;
        CHECK_THROWS_AS(e.book_series(req(1, 1, monday + 10 * H, monday + 11 * H), none, SeriesMode::skip_conflicts, now), Error);
        Recurrence huge;
        huge.every = Recurrence::Every::day;
        huge.count = 5000;
        CHECK_THROWS_AS(e.occurrences(req(1, 1, monday + 10 * H, monday + 11 * H), huge), Error);
    }
}

TEST_CASE("a weekly series keeps its local time across a daylight-saving change", "[booking][series]") {
    Calendar london = always_open();
    london.time_zone = "Europe/London";
    Engine e;
    e.set_equipment(setup(1, 1, {}, london));
    // 2025-03-24 09:00 GMT; clocks go forward on 2025-03-30, so the next Monday 09:00 is 08:00 UTC.
    const Time first = 1742806800;
    Recurrence weekly;
    weekly.count = 2;
    auto p = e.occurrences(req(1, 1, first, first + H), weekly);
    REQUIRE(p.size() == 2);
    CHECK(p[1].start == first + 7 * D - H);
}

TEST_CASE("no-show sweeps and per-subject lists agree with brute force on random histories", "[booking][index]") {
    Engine e;
    BookingRules approval;
    approval.approval_required = true;
    approval.no_show_grace_minutes = 30;
    BookingRules quick;
    quick.no_show_grace_minutes = 0;
    quick.no_show_block_days = 0;
    e.set_equipment(setup(1, 2, approval));
    e.set_equipment(setup(2, 1, quick));
    e.set_equipment(setup(3, 3));
    std::mt19937_64 rng(11);
    Time clock = monday;
    const auto brute_due = [&](Time at) {
        std::vector<BookingId> out;
        for (std::int64_t id = 1; id < e.next_id().value; ++id) {
            const Booking b = e.get(BookingId(id));
            const int grace = b.equipment.value == 1 ? 30 : b.equipment.value == 2 ? 0 : 15;   // as set up above
            if (b.status == BookingStatus::confirmed && b.period.start + grace * M <= at) out.push_back(b.id);
        }
        return out;
    };
    for (int step = 0; step < 3000; ++step) {
        const auto roll = rng() % 10;
        if (roll < 6) {
            const auto eq = static_cast<std::int64_t>(1 + rng() % 3);
            const Time start = clock + static_cast<Time>(rng() % (3 * 24 * 4)) * 15 * M;
            (void)e.book(req(eq, static_cast<std::int64_t>(1 + rng() % 5), start, start + static_cast<Time>(1 + rng() % 4) * 30 * M), clock);
        } else if (roll < 8 && e.booking_count() > 0) {
            const BookingId id(static_cast<std::int64_t>(1 + rng() % e.booking_count()));
            const Booking b = e.get(id);
            if (b.status == BookingStatus::pending) e.approve(id);   // possibly long after its start
            else if (b.status == BookingStatus::confirmed && b.period.start > clock) e.cancel(id, clock);
        } else {
            clock += static_cast<Time>(rng() % 24) * 15 * M;
            // Half the bookings whose check-in time holds the clock are checked in, half of those completed.
            for (std::int64_t id = 1; id < e.next_id().value; ++id) {
                const Booking b = e.get(BookingId(id));
                if (b.status != BookingStatus::confirmed || clock < b.period.start - 60 * M || clock > b.period.start) continue;
                if (rng() % 2 == 0) continue;
                e.check_in(b.id, clock);
                if (rng() % 2 == 0) e.complete(b.id);
            }
            std::vector<BookingId> due;
            for (const auto& b : e.due_no_shows(clock)) due.push_back(b.id);
            REQUIRE(due == brute_due(clock));
            const auto marked = e.mark_no_shows(clock);
            REQUIRE(marked.size() == due.size());
            REQUIRE(brute_due(clock).empty());
        }
    }
    // Every subject's list matches a filter over all bookings, in id order.
    const Period all{monday - D, clock + 30 * D};
    for (std::int64_t firm = 1; firm <= 5; ++firm) {
        std::vector<BookingId> expected, got;
        for (std::int64_t id = 1; id < e.next_id().value; ++id) {
            if (e.get(BookingId(id)).enterprise == EnterpriseId(firm)) expected.push_back(BookingId(id));
        }
        for (const auto& b : e.bookings_of(EnterpriseId(firm), all)) got.push_back(b.id);
        CHECK(got == expected);
    }
    const auto both = e.bookings_of(std::vector<EquipmentId>{EquipmentId(3), EquipmentId(1)}, all);
    CHECK(std::is_sorted(both.begin(), both.end(), [](const Booking& a, const Booking& b) { return a.id < b.id; }));
    CHECK(both.size() == e.bookings_of(EquipmentId(1), all).size() + e.bookings_of(EquipmentId(3), all).size());

    // Usage (Database::utilisation) sums the same bookings' unit-seconds inside a window: booked
    // while they hold or held time, used once checked in; windows that cut bookings in two too.
    std::size_t used = 0;
    for (std::int64_t eq = 1; eq <= 3; ++eq) {
        for (const Period window : {all, Period{monday + D + 7 * M, monday + 2 * D + 53 * M}, Period{clock - 20 * H, clock}}) {
            Engine::Usage expected;
            for (std::int64_t id = 1; id < e.next_id().value; ++id) {
                const Booking b = e.get(BookingId(id));
                if (b.equipment != EquipmentId(eq) || b.period.start >= window.end || window.start >= b.period.end) continue;
                const Time overlap = (std::min(b.period.end, window.end) - std::max(b.period.start, window.start)) * b.units;
                const bool is_used = b.status == BookingStatus::checked_in || b.status == BookingStatus::completed;
                if (is_used || b.status == BookingStatus::pending || b.status == BookingStatus::confirmed) expected.booked_seconds += overlap;
                if (is_used) expected.used_seconds += overlap;
            }
            const Engine::Usage got = e.usage(EquipmentId(eq), window);
            INFO("equipment " << eq << " window [" << window.start << ", " << window.end << ")");
            CHECK(got.booked_seconds == expected.booked_seconds);
            CHECK(got.used_seconds == expected.used_seconds);
            used += expected.used_seconds > 0 ? 1 : 0;
        }
    }
    CHECK(used >= 3);   // the random history checked bookings in
    CHECK_THROWS_AS(e.usage(EquipmentId(1), {clock, clock}), Error);
}
