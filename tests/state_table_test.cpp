// The working state's tables: the dense id index agrees with the rows through random puts,
// erases, sparse and huge ids, copies and moves; so do the tariff and voucher-account tables.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <tuple>

#include "database/state.hpp"
#include "database/tariff_table.hpp"
#include "database/voucher_accounts.hpp"

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

// The pricing tables beside them (database/tariff_table.hpp, database/voucher_accounts.hpp): dense
// slots for small ids, a map for the rest; both must answer exactly what one map would.
TEST_CASE("tariff and voucher-account tables agree with a map through random changes", "[state][pricing]") {
    std::mt19937_64 rng(16);
    const auto some_id = [&rng] {
        const auto roll = rng() % 10;
        if (roll == 0) return static_cast<std::int64_t>(rng() % 1'000'000'000) + (1 << 20);   // beyond the dense slots
        if (roll == 1) return -static_cast<std::int64_t>(rng() % 50) - 1;                       // not an id a network gives
        return static_cast<std::int64_t>(rng() % 3000);
    };

    detail::TariffTable tariffs;
    std::map<std::int64_t, Tariff> tariff_model;
    for (int step = 0; step < 5000; ++step) {
        const std::int64_t id = some_id();
        Tariff t;
        t.member_rate = static_cast<Fen>(rng() % 100'000);
        t.external_rate = static_cast<Fen>(rng() % 100'000);
        tariffs.put(id, t);
        tariff_model[id] = t;
        const std::int64_t probe = some_id();
        const Tariff* found = tariffs.find(probe);
        const auto it = tariff_model.find(probe);
        REQUIRE((found != nullptr) == (it != tariff_model.end()));
        if (found) REQUIRE(*found == it->second);
    }
    for (const auto& [id, t] : tariff_model) REQUIRE(*tariffs.find(id) == t);

    // Accounts: several schemes and years per enterprise (the first takes the slot, the others
    // go to the map), refunds included.
    detail::VoucherAccounts accounts;
    std::map<std::tuple<std::int64_t, std::int64_t, int>, Fen> account_model;
    for (int step = 0; step < 20000; ++step) {
        const std::int64_t enterprise = some_id();
        const std::int64_t scheme = static_cast<std::int64_t>(rng() % 3) + 1;
        const int year = 2026 + static_cast<int>(rng() % 3);
        const Fen amount = static_cast<Fen>(rng() % 20'000) - 5'000;
        accounts.add(enterprise, scheme, year, amount);
        account_model[{enterprise, scheme, year}] += amount;
        const std::int64_t e = some_id();
        const std::int64_t s = static_cast<std::int64_t>(rng() % 4);   // 0: no scheme, never added
        const int y = 2026 + static_cast<int>(rng() % 3);
        const auto it = account_model.find({e, s, y});
        REQUIRE(accounts.used(e, s, y) == (it == account_model.end() ? 0 : it->second));
    }
    for (const auto& [key, sum] : account_model) {
        REQUIRE(accounts.used(std::get<0>(key), std::get<1>(key), std::get<2>(key)) == sum);
    }
}
