// Engine::free_slots remembers busy stretches of single-unit searches (EquipmentState::busy), so
// that a full instrument is skipped without reading its interval index (issue 16). The memo must
// never change an answer, and first_start_bound() must never promise a start later than the
// first free one: random histories of bookings, cancellations, no-shows and queries, on
// one engine that keeps what it learnt and one that forgets it before every query.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "booking/engine.hpp"

using namespace psp;
using booking::Engine;
using booking::EquipmentSetup;

namespace {

constexpr Time M = 60, D = 86400;
constexpr Time monday = 1740960000;   // Monday 2025-03-03 00:00 UTC
constexpr Time now = monday - 7 * D;

EquipmentSetup setup(int capacity, int grid, int buffer) {
    EquipmentSetup s;
    s.id = EquipmentId(1);
    s.equipment_class = EquipmentClassId(1);
    s.capacity_units = capacity;
    s.rules.min_notice_minutes = 0;
    s.rules.slot_minutes = grid;
    s.rules.min_minutes = grid;
    s.rules.max_minutes = 8 * 60;
    s.rules.buffer_minutes = buffer;
    s.calendar.time_zone = "UTC";
    for (std::size_t d = 0; d < 5; ++d) s.calendar.weekly[d] = {{8 * 60, 12 * 60}, {13 * 60, 18 * 60}};
    return s;
}

BookingRequest req(Time start, Time end, int units) { return {EquipmentId(1), EnterpriseId(1), {start, end}, units, {}, {}}; }

}  // namespace

TEST_CASE("free_slots answers the same whether or not it remembers busy stretches", "[booking][free_slots]") {
    std::mt19937_64 rng(20261206);
    std::size_t queries = 0, found = 0, bounded = 0, exact = 0;
    for (int history = 0; history < 40; ++history) {
        const int grid = history % 2 ? 15 : 30;
        const int buffer = static_cast<int>(rng() % 3) * 15;
        const int capacity = 1 + static_cast<int>(rng() % 2);
        Engine keeps, forgets;
        keeps.set_equipment(setup(capacity, grid, buffer));
        forgets.set_equipment(setup(capacity, grid, buffer));
        std::vector<BookingId> live;
        for (int step = 0; step < 400; ++step) {
            const auto what = rng() % 10;
            if (what < 6) {   // book: the same request on both
                const Time start = monday + static_cast<Time>(rng() % (14 * 1440 / grid)) * grid * M;
                const Time length = static_cast<Time>(1 + rng() % 8) * grid * M;
                const int units = 1 + static_cast<int>(rng() % static_cast<unsigned>(capacity));
                const auto a = keeps.book(req(start, start + length, units), now);
                const auto b = forgets.book(req(start, start + length, units), now);
                REQUIRE(bool(a) == bool(b));
                if (a) live.push_back(a.booking->id);
            } else if (what < 7 && !live.empty()) {   // cancel one, anywhere in time
                const std::size_t i = rng() % live.size();
                keeps.cancel(live[i], now);
                forgets.cancel(live[i], now);
                live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
            } else if (what < 8 && !live.empty()) {   // a sweep marks the due no-shows, releasing time
                const Time at = monday + static_cast<Time>(rng() % 14) * D;
                const auto marked = keeps.mark_no_shows(at);
                CHECK(forgets.mark_no_shows(at).size() == marked.size());
                for (const auto& b : marked) std::erase(live, b.id);
            } else {   // a search, single unit mostly, windows of hours to days
                const Time from = monday + static_cast<Time>(rng() % (14 * 1440)) * M;
                const Time window = static_cast<Time>(30 + rng() % (4 * 1440)) * M;
                const int minutes = grid * (1 + static_cast<int>(rng() % 10));
                const int units = rng() % 4 ? 1 : capacity;
                const std::size_t limit = 1 + rng() % 4;
                forgets.forget_searches();
                const auto expected = forgets.free_slots(EquipmentId(1), {from, from + window}, minutes, units, limit);
                INFO("history " << history << " step " << step << " from " << from << " window " << window / M << " min, "
                                << minutes << " minutes, units " << units);
                CHECK(keeps.free_slots(EquipmentId(1), {from, from + window}, minutes, units, limit) == expected);
                // The bound routing ranks instruments by: never after the first free start, and
                // none only where there is no free start at all (with and without the memo).
                for (const Engine* e : {&keeps, &forgets}) {
                    const auto bound = e->first_start_bound(EquipmentId(1), {from, from + window}, minutes, units);
                    if (!bound) {
                        CHECK(expected.empty());
                    } else if (!expected.empty()) {
                        CHECK(*bound <= expected.front().start);
                    }
                    if (bound && !expected.empty()) ++bounded;
                    if (bound && !expected.empty() && *bound == expected.front().start) ++exact;
                }
                ++queries;
                if (!expected.empty()) ++found;
            }
        }
    }
    // Both kinds of answer were tried often.
    INFO(found << " of " << queries << " searches found a slot");
    CHECK(found > queries / 10);
    CHECK(queries - found > queries / 10);
    // The bound is often the answer itself (that is what makes it worth ranking by), not always.
    INFO(exact << " of " << bounded << " bounds were the first free start");
    CHECK(exact > bounded / 4);
    CHECK(exact < bounded);
}

TEST_CASE("searches from different days each keep what they learnt", "[booking][free_slots]") {
    // Requests ask from different days (tomorrow, next week). A search from Wednesday must not
    // make the engine forget what a search from Monday proved busy, or the next request from
    // Monday is ranked as if the instrument were free at once and searched again.
    Engine e;
    e.set_equipment(setup(1, 30, 0));
    // Monday and Tuesday full, Wednesday free; Thursday full, Friday free (open 8-12, 13-18).
    for (const Time day : {Time{0}, Time{1}, Time{3}}) {
        REQUIRE(e.book(req(monday + day * D + 8 * 3600, monday + day * D + 12 * 3600, 1), now));
        REQUIRE(e.book(req(monday + day * D + 13 * 3600, monday + day * D + 18 * 3600, 1), now));
    }
    const Period from_monday{monday, monday + 5 * D}, from_thursday{monday + 3 * D, monday + 5 * D};
    const Time wednesday = monday + 2 * D + 8 * 3600, friday = monday + 4 * D + 8 * 3600;
    // Before any search the bound is the first open hour: bookings are not read.
    CHECK(e.first_start_bound(EquipmentId(1), from_monday, 120, 1) == monday + 8 * 3600);
    REQUIRE(e.free_slots(EquipmentId(1), from_monday, 120, 1, 1).front().start == wednesday);
    REQUIRE(e.free_slots(EquipmentId(1), from_thursday, 120, 1, 1).front().start == friday);
    // Both stretches are remembered: each bound is now the first free start itself.
    CHECK(e.first_start_bound(EquipmentId(1), from_monday, 120, 1) == wednesday);
    CHECK(e.first_start_bound(EquipmentId(1), from_thursday, 120, 1) == friday);
    // Freeing Monday's morning cuts the stretch back: the bound never passes a free start.
    const auto monday_morning = e.bookings_of(EquipmentId(1), {monday, monday + 12 * 3600});
    REQUIRE(monday_morning.size() == 1);
    e.cancel(monday_morning.front().id, now);
    CHECK(e.first_start_bound(EquipmentId(1), from_monday, 120, 1) <= monday + 8 * 3600);
    CHECK(e.free_slots(EquipmentId(1), from_monday, 120, 1, 1).front().start == monday + 8 * 3600);
    CHECK(e.first_start_bound(EquipmentId(1), from_thursday, 120, 1) == friday);
}
