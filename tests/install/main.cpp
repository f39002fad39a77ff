// Uses the installed C++ API: an in-memory network with one district and one zone.
#include <psp/psp.hpp>

#include <cstdio>

int main() {
    auto db = psp::Database::open(":memory:");
    auto office = psp::Actor::office();
    auto d = db.add(office, psp::District{{}, "Shangcheng", 0, 0});
    db.add(office, psp::Zone{{}, "Hubin CBD", d, psp::ZoneType::central_business});
    std::printf("psp %s: %zu zone(s)\n", psp::version(), db.zones().size());
    return db.zones().size() == 1 ? 0 : 1;
}
