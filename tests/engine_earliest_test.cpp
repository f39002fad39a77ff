// Engine::earliest_start, the "first free start from t" query of issue 8's queues: worked
// cases (grid, gaps, until, buffers, units, opening hours) and random histories against a brute
// force that asks check() at every grid start.
#include <catch2/catch.hpp>

#include <optional>
#include <random>

#include "booking/engine.hpp"
#include "psp/error.hpp"

using namespace psp;
using booking::Engine;
using booking::EquipmentSetup;

namespace {

constexpr Time H = 3600, M = 60, D = 86400;
constexpr Time monday = 1740960000;   // Monday 2025-03-03 00:00 UTC
constexpr Time now = monday - 7 * D;

Calendar utc_hours(int open_minute, int close_minute, int days) {
    Calendar c;
    c.time_zone = "UTC";
    for (int d = 0; d < days; ++d) c.weekly[static_cast<std::size_t>(d)] = {{open_minute, close_minute}};
    return c;
}

EquipmentSetup setup(int capacity, BookingRules rules, Calendar cal) {
    rules.min_notice_minutes = 0;
    EquipmentSetup s;
    s.id = EquipmentId(1);
    s.equipment_class = EquipmentClassId(1);
    s.capacity_units = capacity;
    s.rules = rules;
    s.calendar = std::move(cal);
    return s;
}

BookingRequest req(Time start, Time end, int units = 1) {
    return {EquipmentId(1), EnterpriseId(1), {start, end}, units, {}, {}};
}

}  // namespace

TEST_CASE("earliest_start: the first grid start from a time that fits between bookings", "[booking][earliest]") {
    Engine e;
    e.set_equipment(setup(1, {}, utc_hours(0, 1440, 7)));   // open around the clock, 30-minute grid
    const EquipmentId id(1);
    CHECK(e.earliest_start(id, monday + 10 * H + 5 * M, monday + D, 60, 1) == monday + 10 * H + 30 * M);   // grid
    REQUIRE(e.book(req(monday + 10 * H, monday + 11 * H), now));
    REQUIRE(e.book(req(monday + 11 * H, monday + 12 * H), now));
    REQUIRE(e.book(req(monday + 12 * H + 30 * M, monday + 13 * H + 30 * M), now));
    CHECK(e.earliest_start(id, monday + 10 * H + 15 * M, monday + D, 30, 1) == monday + 12 * H);        // the gap
    CHECK(e.earliest_start(id, monday + 10 * H + 15 * M, monday + D, 60, 1) == monday + 13 * H + 30 * M);   // too short
    CHECK(e.earliest_start(id, monday + 9 * H, monday + D, 60, 1) == monday + 9 * H);
    CHECK(e.earliest_start(id, monday + 9 * H + 30 * M, monday + D, 60, 1) == monday + 13 * H + 30 * M);
    // `until` bounds the start, inclusively.
    CHECK(e.earliest_start(id, monday + 10 * H, monday + 13 * H, 60, 1) == std::nullopt);
    CHECK(e.earliest_start(id, monday + 10 * H, monday + 13 * H + 30 * M, 60, 1) == monday + 13 * H + 30 * M);
    CHECK(e.earliest_start(id, monday + 10 * H, monday + 9 * H, 60, 1) == std::nullopt);
    // What it answers, book() takes.
    const auto start = e.earliest_start(id, monday + 10 * H + 15 * M, monday + D, 60, 1);
    REQUIRE(start);
    CHECK(e.book(req(*start, *start + H), now));
}

TEST_CASE("earliest_start: buffers, units and opening hours, as free_slots offers them", "[booking][earliest]") {
    BookingRules r;
    r.buffer_minutes = 30;
    Engine e;
    e.set_equipment(setup(2, r, utc_hours(9 * 60, 17 * 60, 5)));   // weekdays 09:00-17:00
    const EquipmentId id(1);
    REQUIRE(e.book(req(monday + 10 * H, monday + 11 * H, 2), now));
    REQUIRE(e.book(req(monday + 14 * H, monday + 15 * H), now));
    CHECK(e.earliest_start(id, monday, monday + 7 * D, 30, 1) == monday + 9 * H);   // before opening: at 09:00
    CHECK(e.earliest_start(id, monday + 9 * H, monday + 7 * D, 60, 1) == monday + 11 * H + 30 * M);   // buffer
    CHECK(e.earliest_start(id, monday + 12 * H, monday + 7 * D, 60, 1) == monday + 12 * H);   // between the two
    // Both units for 150 minutes: not before the 14:00 booking (buffer), not after it (closes at 17:00).
    CHECK(e.earliest_start(id, monday + 9 * H, monday + 7 * D, 150, 2) == monday + D + 9 * H);
    CHECK(e.earliest_start(id, monday + 4 * D + 16 * H + 30 * M, monday + 14 * D, 60, 1) == monday + 7 * D + 9 * H);   // Friday late: Monday
    CHECK(e.earliest_start(id, monday, monday + 7 * D, 9 * 60, 1) == std::nullopt);   // longer than any opening
    CHECK(e.earliest_start(id, monday, monday + 7 * D, 367 * 1440, 1) == std::nullopt);   // longer than any booking
    for (int units : {1, 2}) {
        for (int minutes : {30, 60, 150}) {
            const auto free = e.free_slots(id, {monday, monday + 7 * D}, minutes, units);
            REQUIRE_FALSE(free.empty());
            CHECK(e.earliest_start(id, monday, monday + 7 * D, minutes, units) == free.front().start);
        }
    }
    CHECK_THROWS_AS(e.earliest_start(id, monday, monday + D, 0, 1), Error);
    CHECK_THROWS_AS(e.earliest_start(id, monday, monday + D, 30, 0), Error);
    CHECK_THROWS_AS(e.earliest_start(EquipmentId(2), monday, monday + D, 30, 1), Error);
}

TEST_CASE("earliest_start agrees with check() at every grid start on random histories", "[booking][earliest]") {
    std::mt19937_64 rng(20261127);
    for (int history = 0; history < 20; ++history) {
        BookingRules r;
        r.slot_minutes = 15;
        r.min_minutes = 15;
        r.max_minutes = 10 * 60;
        r.buffer_minutes = static_cast<int>(rng() % 3) * 15;
        const int capacity = 1 + static_cast<int>(rng() % 3);
        Engine e;
        e.set_equipment(setup(capacity, r, utc_hours(8 * 60, 18 * 60, 5)));
        const EquipmentId id(1);
        for (int k = 0; k < 60; ++k) {   // some refused: capacity and hours decide
            const Time start = monday + static_cast<Time>(rng() % (7 * 96)) * 15 * M;
            const Time length = static_cast<Time>(1 + rng() % 12) * 15 * M;
            (void)e.book(req(start, start + length, 1 + static_cast<int>(rng() % static_cast<unsigned>(capacity))), now);
        }
        for (int query = 0; query < 50; ++query) {
            const Time from = monday + static_cast<Time>(rng() % (7 * 1440)) * M;
            const Time until = from + static_cast<Time>(rng() % (3 * 1440)) * M;
            const int minutes = 15 * (1 + static_cast<int>(rng() % 16));
            const int units = 1 + static_cast<int>(rng() % static_cast<unsigned>(capacity));
            std::optional<Time> brute;
            for (Time c = (from + 15 * M - 1) / (15 * M) * (15 * M); c <= until && !brute; c += 15 * M) {
                if (e.check(req(c, c + minutes * M, units), now)) brute = c;
            }
            INFO("history " << history << " from " << from << " until " << until << " minutes " << minutes << " units " << units);
            CHECK(e.earliest_start(id, from, until, minutes, units) == brute);
        }
    }
}

TEST_CASE("earliest_start agrees with check() on crowded histories, queues longer than its look-ahead", "[booking][earliest]") {
    // Bookings back to back far beyond the few request lengths one scan looks ahead: the search
    // follows the queue past its look-ahead and answers from that one scan where every slot blocks
    // alone (a queue on one-unit equipment), and scans again where one does not.
    std::mt19937_64 rng(20261208);
    for (int history = 0; history < 24; ++history) {
        BookingRules r;
        r.slot_minutes = history % 3 == 0 ? 1 : 15;
        r.min_minutes = r.slot_minutes;
        r.max_minutes = 10 * 60;
        r.buffer_minutes = (history % 4 == 1) ? r.slot_minutes : 0;
        const int capacity = history % 2 == 0 ? 1 : 2;
        Engine e;
        e.set_equipment(setup(capacity, r, history % 5 == 4 ? utc_hours(8 * 60, 18 * 60, 5) : utc_hours(0, 24 * 60, 7)));
        const EquipmentId id(1);
        Time at = monday;
        for (int k = 0; k < 150; ++k) {   // a queue with a gap now and then
            const Time length = static_cast<Time>(1 + rng() % 8) * r.slot_minutes * M;
            const Time gap = rng() % 6 == 0 ? static_cast<Time>(1 + rng() % 4) * r.slot_minutes * M : 0;
            const int units = 1 + static_cast<int>(rng() % static_cast<unsigned>(capacity));
            if (auto b = e.book(req(at + gap, at + gap + length, units), now)) at = b.booking->period.end + r.buffer_minutes * M;
            else at += r.slot_minutes * M;
        }
        for (int query = 0; query < 40; ++query) {
            const Time from = monday + static_cast<Time>(rng() % static_cast<unsigned>((at - monday) / M + 1)) * M;
            const Time until = from + static_cast<Time>(rng() % (4 * 1440)) * M;
            const int minutes = r.slot_minutes * (1 + static_cast<int>(rng() % 4));
            const int units = 1 + static_cast<int>(rng() % static_cast<unsigned>(capacity));
            const Time step = r.slot_minutes * M;
            std::optional<Time> brute;
            for (Time c = (from + step - 1) / step * step; c <= until && !brute; c += step) {
                if (e.check(req(c, c + minutes * M, units), now)) brute = c;
            }
            INFO("history " << history << " from " << from << " until " << until << " minutes " << minutes << " units " << units);
            CHECK(e.earliest_start(id, from, until, minutes, units) == brute);
        }
    }
}
