// The working state's tables: the dense id index agrees with the rows through random puts,
// erases, sparse and huge ids, copies and moves.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "database/state.hpp"

using namespace psp;

TEST_CASE("table look-ups by id agree with the rows after random changes, copies and moves", "[state]") {
    detail::Table<District> table;
    std::map<std::int64_t, std::string> model;
    std::mt19937_64 rng(5);
    const auto check = [&](const detail::Table<District>& t) {
        for (std::int64_t id = 0; id < 3000; ++id) {
            const District* d = t.find(DistrictId(id));
            const auto it = model.find(id);
            REQUIRE((d != nullptr) == (it != model.end()));
            if (d) REQUIRE(d->name == it->second);
        }
        for (const auto& [id, name] : model) REQUIRE(t.find(DistrictId(id))->name == name);
    };
    for (int step = 0; step < 5000; ++step) {
        const auto roll = rng() % 10;
        // Mostly dense ids, sometimes far ones (stay in the map only) and huge ones.
        std::int64_t id = static_cast<std::int64_t>(rng() % 2000) + 1;
        if (roll == 0) id = static_cast<std::int64_t>(rng() % 1'000'000'000) + 5000;
        if (roll < 7) {
            District d{DistrictId(id), "d" + std::to_string(id) + "-" + std::to_string(step), 0, 0};
            table.put(d);
            model[id] = d.name;
        } else {
            table.erase(DistrictId(id));
            model.erase(id);
        }
        if (step % 1000 == 999) check(table);
    }
    check(table);
    const auto copy = table;   // its own index
    auto model_at_copy = model;
    table.put({DistrictId(1), "changed after the copy", 0, 0});
    model[1] = "changed after the copy";
    check(table);
    std::swap(model, model_at_copy);
    check(copy);               // untouched by the change to the original
    std::swap(model, model_at_copy);
    const auto moved = std::move(table);
    check(moved);              // a move keeps the rows' nodes, so the index stays right
    detail::Table<District> assigned;
    assigned = copy;
    CHECK(assigned.size() == copy.size());
    for (const auto& [id, row] : copy.rows()) CHECK(assigned.find(id) == &assigned.rows().at(id));
}
