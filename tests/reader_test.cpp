// Reads on behalf of a reader (issue 9): an enterprise sees only its own business through every
// read that takes a reader, an operator what concerns its platform, the office everything, experts
// and the public none of it. The expectations are written out record by record, not derived from
// the read table, so a wrong table fails here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;

namespace {

constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai
const Actor office = Actor::office();

// Two enterprises' business spread over three platforms:
//   b1  Acme on SEM-1 (tech), with a voucher      b2  Bolt on SEM-2 (quality)
//   b3  Bolt on Printer-1 (tech_sub)              b4  Bolt on SEM-1 (tech), through fulfil:
//   w1  Acme waiting for SEM-2 (quality)              s1 received by tech_sub, served by tech (family)
//   u1  Acme's unmet request for five printers, asked at tech
//   training: tech's operator trained Acme on the SEM
struct Business {
    TempFile file{"reader"};
    ManualClock clock;
    Database db = Database::open(file.str(), clock.options());
    SmallNetwork n = build_small_network(db);
    VoucherSchemeId scheme;
    BookingId b1, b2, b3, b4;
    WaitlistId w1;
    ServedRequestId s1;
    UnmetRequestId u1;
    Period week{monday_cst, monday_cst + 7 * D};

    Business() {
        clock.set(monday_cst);
        scheme = db.add_voucher_scheme(office, zhejiang_county_example());
        const Actor acme = Actor::enterprise_self(n.acme, "Acme clerk");
        const Actor bolt = Actor::enterprise_self(n.bolt, "Bolt clerk");
        const Period tuesday_10{monday_cst + D + 10 * H, monday_cst + D + 11 * H};
        BookingRequest r1{n.sem1, n.acme, tuesday_10, 1, "", scheme};
        b1 = db.book(acme, r1).booking.value().id;
        b2 = db.book(bolt, {n.sem2, n.bolt, tuesday_10, 1, "", {}}).booking.value().id;
        b3 = db.book(bolt, {n.printer1, n.bolt, tuesday_10, 1, "", {}}).booking.value().id;
        w1 = db.join_waitlist(acme, {n.sem2, n.acme, tuesday_10, 1, "", {}}).id;

        ServiceRequest q;
        q.enterprise = n.bolt;
        q.equipment_class = n.sem;
        q.window = {monday_cst + D + 9 * H, monday_cst + D + 12 * H};
        q.received_by = n.tech_sub;
        const auto served = db.fulfil(bolt, q);
        s1 = served.served.value().id;
        b4 = served.served->booking;

        ServiceRequest five_printers;
        five_printers.enterprise = n.acme;
        five_printers.equipment_class = n.printer;
        five_printers.units = 5;   // Printer-1 has 3
        five_printers.window = q.window;
        five_printers.received_by = n.tech;
        const auto unmet = db.fulfil(acme, five_printers);
        REQUIRE_FALSE(unmet);
        u1 = unmet.unmet;

        db.set_training(Actor::operator_of(n.tech, "tech desk"), n.acme, n.sem, true);
    }

    // Every reader the tests try, by name.
    std::map<std::string, Actor> readers() const {
        return {{"office", office},
                {"tech", Actor::operator_of(n.tech)},
                {"tech_sub", Actor::operator_of(n.tech_sub)},
                {"quality", Actor::operator_of(n.quality)},
                {"ip", Actor::operator_of(n.ip)},
                {"acme", Actor::enterprise_self(n.acme, "Acme clerk")},
                {"bolt", Actor::enterprise_self(n.bolt, "Bolt clerk")},
                {"expert", Actor::expert_reviewer()},
                {"public", Actor::anyone()}};
    }

    // Every booking a reader gets through the three bookings_of queries, over every subject.
    std::set<BookingId> bookings_seen(const Actor& reader) const {
        std::set<BookingId> out;
        for (const auto& e : db.equipment()) for (const auto& b : db.bookings_of(reader, e.id, week)) out.insert(b.id);
        for (const auto& p : db.platforms()) for (const auto& b : db.bookings_of(reader, p.id, week)) out.insert(b.id);
        for (const auto& e : db.enterprises()) for (const auto& b : db.bookings_of(reader, e.id, week)) out.insert(b.id);
        return out;
    }
};

std::set<BookingId> ids(std::initializer_list<BookingId> list) { return list; }

}  // namespace

TEST_CASE("each reader sees exactly the bookings that concern it", "[reader][security]") {
    Business w;
    const std::map<std::string, std::set<BookingId>> expected{
        {"office", ids({w.b1, w.b2, w.b3, w.b4})},
        {"tech", ids({w.b1, w.b4})},   // owns SEM-1
        {"tech_sub", ids({w.b3})},     // owns Printer-1
        {"quality", ids({w.b2})},      // owns SEM-2
        {"ip", {}},
        {"acme", ids({w.b1})},
        {"bolt", ids({w.b2, w.b3, w.b4})},
        {"expert", {}},
        {"public", {}}};
    for (const auto& [name, reader] : w.readers()) {
        DYNAMIC_SECTION(name) {
            const auto& mine = expected.at(name);
            CHECK(w.bookings_seen(reader) == mine);
            for (const BookingId id : {w.b1, w.b2, w.b3, w.b4}) {
                if (mine.count(id)) {
                    CHECK(w.db.get(reader, id) == w.db.get(id));
                    CHECK(w.db.price_of(reader, id) == w.db.price_of(id));
                } else {
                    CHECK_THROWS_MATCHES(w.db.get(reader, id), Error,
                                         IsError(ErrorCode::permission, {"may not read booking " + std::to_string(id.value)}));
                    CHECK_THROWS_MATCHES(w.db.price_of(reader, id), Error, IsError(ErrorCode::permission));
                }
            }
        }
    }
    // The trusted reads are unchanged: everything.
    CHECK(w.db.bookings_of(w.n.tech, w.week).size() == 2);
    // Unknown ids are still not_found, before any permission question.
    CHECK_THROWS_MATCHES(w.db.get(Actor::anyone(), BookingId(99)), Error, IsError(ErrorCode::not_found));
    CHECK_THROWS_MATCHES(w.db.bookings_of(Actor::anyone(), EquipmentId(99), w.week), Error, IsError(ErrorCode::not_found));
}

TEST_CASE("waiting lists, voucher accounts, served and unmet requests and the ledger follow the read table",
          "[reader][security]") {
    Business w;
    const auto readers = w.readers();
    const auto waiting = [&](const std::string& name) {
        return w.db.waitlist(readers.at(name), w.n.sem2).size();
    };
    CHECK(waiting("office") == 1);
    CHECK(waiting("quality") == 1);   // owns SEM-2
    CHECK(waiting("acme") == 1);
    for (const char* name : {"tech", "tech_sub", "ip", "bolt", "expert", "public"}) {
        INFO(name);
        CHECK(waiting(name) == 0);
    }

    const VoucherAccount trusted = w.db.voucher_account(w.n.acme, w.scheme, 2025);
    CHECK(w.db.voucher_account(readers.at("office"), w.n.acme, w.scheme, 2025) == trusted);
    CHECK(w.db.voucher_account(readers.at("acme"), w.n.acme, w.scheme, 2025) == trusted);
    for (const char* name : {"tech", "quality", "bolt", "expert", "public"}) {
        INFO(name);
        CHECK_THROWS_MATCHES(w.db.voucher_account(readers.at(name), w.n.acme, w.scheme, 2025), Error,
                             IsError(ErrorCode::permission, {"voucher account of enterprise"}));
    }

    const auto served = [&](const std::string& name) { return w.db.served_requests(readers.at(name), w.week).size(); };
    const auto ledger = [&](const std::string& name) { return w.db.settlement_ledger(readers.at(name), w.week).size(); };
    // s1: Bolt's, received by tech_sub, served by tech.
    for (const char* name : {"office", "tech", "tech_sub", "bolt"}) {
        INFO(name);
        CHECK(served(name) == 1);
        CHECK(ledger(name) == 1);
    }
    for (const char* name : {"quality", "ip", "acme", "expert", "public"}) {
        INFO(name);
        CHECK(served(name) == 0);
        CHECK(ledger(name) == 0);
    }
    CHECK(w.db.served_requests(readers.at("bolt"), w.week).front().id == w.s1);

    // u1: Acme's, asked at tech.
    const auto unmet = [&](const std::string& name) { return w.db.unmet_requests(readers.at(name), w.week).size(); };
    for (const char* name : {"office", "tech", "acme"}) {
        INFO(name);
        CHECK(unmet(name) == 1);
    }
    for (const char* name : {"tech_sub", "quality", "bolt", "expert", "public"}) {
        INFO(name);
        CHECK(unmet(name) == 0);
    }
    CHECK(w.db.unmet_requests(readers.at("acme"), w.week).front().id == w.u1);
}

TEST_CASE("the journal shows a reader the network, its own changes and the business it may see", "[reader][security]") {
    Business w;
    const auto readers = w.readers();
    const auto trusted = w.db.journal();
    // What each journal row is about, as the test's own key.
    const auto key = [](const JournalEntry& e) { return std::string(to_string(e.entity)) + ":" + e.action + ":" +
                                                        std::to_string(e.entity_id); };
    const auto seen = [&](const std::string& name) {
        std::multiset<std::string> out;
        for (const auto& e : w.db.journal(readers.at(name))) out.insert(key(e));
        return out;
    };
    std::multiset<std::string> network;   // the public rows: the network and the voucher scheme
    for (std::size_t i = 0; i < small_network_changes + 1; ++i) network.insert(key(trusted[i]));
    const auto with = [&](std::initializer_list<std::string> extra) {
        auto out = network;
        out.insert(extra.begin(), extra.end());
        return out;
    };
    const auto b = [](BookingId id) { return "booking:add:" + std::to_string(id.value); };
    const std::string serve = "served_request:serve:" + std::to_string(w.s1.value);
    const std::string training = "training:add:" + std::to_string(w.n.acme.value);

    CHECK(journal_lines(w.db.journal(readers.at("office"))) == journal_lines(trusted));
    // Acme: its booking, its waiting-list entry and unmet request (rows it made), its training.
    CHECK(seen("acme") == with({b(w.b1), "booking:wait:0", "served_request:unmet:0", training}));
    // Bolt: its three bookings and the served request, nothing of Acme's.
    CHECK(seen("bolt") == with({b(w.b2), b(w.b3), b(w.b4), serve}));
    // tech: what happened on SEM-1, the request it served, the unmet one asked at it, the training
    // it recorded.
    CHECK(seen("tech") == with({b(w.b1), b(w.b4), serve, "served_request:unmet:0", training}));
    CHECK(seen("tech_sub") == with({b(w.b3), serve}));
    // quality: SEM-2's booking and the entry waiting for SEM-2.
    CHECK(seen("quality") == with({b(w.b2), "booking:wait:0"}));
    CHECK(seen("expert") == network);
    CHECK(seen("public") == network);

    // Acme leaves the waiting list: the row names the entry, so SEM-2's operator sees it too.
    w.db.leave_waitlist(readers.at("acme"), w.w1);
    const std::string withdraw = "booking:withdraw:0";
    CHECK(seen("acme").count(withdraw) == 1);
    CHECK(seen("quality").count(withdraw) == 1);
    CHECK(seen("bolt").count(withdraw) == 0);
    CHECK(seen("tech").count(withdraw) == 0);

    // The limit counts what the reader gets; the other filters still apply.
    JournalQuery two;
    two.entity = EntityKind::booking;
    two.limit = 2;
    const auto acme_two = w.db.journal(readers.at("acme"), two);
    REQUIRE(acme_two.size() == 2);
    CHECK(key(acme_two[0]) == b(w.b1));
    CHECK(key(acme_two[1]) == "booking:wait:0");
    JournalQuery reversed;
    reversed.from = 10;
    reversed.to = 5;
    CHECK_THROWS_MATCHES(w.db.journal(readers.at("acme"), reversed), Error, IsError(ErrorCode::invalid, {"reversed"}));
}

TEST_CASE("a reader out of range or with a bad name is refused by every read", "[reader][security]") {
    Business w;
    Actor bad = Actor::enterprise_self(w.n.acme);
    bad.role = static_cast<Role>(9);
    Actor bad_name = Actor::enterprise_self(w.n.acme, std::string("\xff\xfe", 2));
    for (const Actor& reader : {bad, bad_name}) {
        CHECK_THROWS_MATCHES(w.db.get(reader, w.b1), Error, IsError(ErrorCode::invalid, {"actor"}));
        CHECK_THROWS_MATCHES(w.db.bookings_of(reader, w.n.acme, w.week), Error, IsError(ErrorCode::invalid));
        CHECK_THROWS_MATCHES(w.db.bookings_of(reader, w.n.sem1, w.week), Error, IsError(ErrorCode::invalid));
        CHECK_THROWS_MATCHES(w.db.bookings_of(reader, w.n.tech, w.week), Error, IsError(ErrorCode::invalid));
        CHECK_THROWS_MATCHES(w.db.waitlist(reader, w.n.sem2), Error, IsError(ErrorCode::invalid));
        CHECK_THROWS_MATCHES(w.db.price_of(reader, w.b1), Error, IsError(ErrorCode::invalid));
        CHECK_THROWS_MATCHES(w.db.voucher_account(reader, w.n.acme, w.scheme, 2025), Error, IsError(ErrorCode::invalid));
        CHECK_THROWS_MATCHES(w.db.served_requests(reader, w.week), Error, IsError(ErrorCode::invalid));
        CHECK_THROWS_MATCHES(w.db.unmet_requests(reader, w.week), Error, IsError(ErrorCode::invalid));
        CHECK_THROWS_MATCHES(w.db.settlement_ledger(reader, w.week), Error, IsError(ErrorCode::invalid));
        CHECK_THROWS_MATCHES(w.db.journal(reader), Error, IsError(ErrorCode::invalid));
    }
}

TEST_CASE("the read table, role by role", "[reader][security]") {
    const PlatformId p(3), other(4);
    const EnterpriseId e(7), someone(8);
    const Parties parties{e, {p}};
    CHECK(may_read(Actor::office(), parties));
    CHECK(may_read(Actor::office(), Parties{}));
    CHECK(may_read(Actor::operator_of(p), parties));
    CHECK_FALSE(may_read(Actor::operator_of(other), parties));
    CHECK_FALSE(may_read(Actor::operator_of(PlatformId{}), Parties{e, {PlatformId{}}}));   // no platform is nobody's
    CHECK(may_read(Actor::enterprise_self(e), parties));
    CHECK_FALSE(may_read(Actor::enterprise_self(someone), parties));
    CHECK_FALSE(may_read(Actor::enterprise_self(EnterpriseId{}), Parties{}));
    CHECK_FALSE(may_read(Actor::expert_reviewer(), parties));
    CHECK_FALSE(may_read(Actor::anyone(), parties));
    Actor out_of_range;
    out_of_range.role = static_cast<Role>(-1);
    CHECK_FALSE(may_read(out_of_range, parties));
}
