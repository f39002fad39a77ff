// Shared pieces of the reliability programs (issue 9): the small network they book on, and the
// checks they run on a database file after a writer died, through raw SQLite and through psp.
#pragma once

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "psp/psp.hpp"

namespace psp::reliability {

// Bookings live on a 24/7 calendar in UTC, on 30-minute slots from this Monday (2027-01-04 00:00
// UTC): no holiday or opening hour can refuse a slot, so every refusal the tests see is a real
// conflict.
inline constexpr Time base_time = 1'798'934'400;
inline constexpr Time slot_seconds = 30 * 60;
inline Period slot(std::int64_t k) { return {base_time + k * slot_seconds, base_time + (k + 1) * slot_seconds}; }
inline const Period whole_range{base_time - 86'400, base_time + 3'650LL * 86'400};

struct Net {
    PlatformId platform;
    EquipmentId e1, e2;   // one unit each: two live bookings on one slot is a double booking
    EnterpriseId firm;
};

// The ids are fixed by construction (a fresh file, ids from 1), so a child process can rebuild
// the struct without asking.
inline Net net_ids() { return {PlatformId(1), EquipmentId(1), EquipmentId(2), EnterpriseId(1)}; }

inline void remove_db_files(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}

// A fresh database file with the network, all in one transaction.
inline Net build_network(const std::string& path) {
    remove_db_files(path);
    auto db = Database::open(path);
    const auto office = Actor::office();
    Net n;
    db.transaction([&] {
        const auto d = db.add(office, District{{}, "Shangcheng", 0, 0});
        const auto z = db.add(office, Zone{{}, "Hubin", d, ZoneType::central_business});
        Platform p;
        p.name = "Shared instruments";
        p.tier = PlatformTier::municipal;
        p.services = {ServiceKind::equipment_sharing};
        p.backbone = true;
        p.site = d;
        p.status = PlatformStatus::operating;
        n.platform = db.add(office, p);
        db.set_zone_service(office, {n.platform, z, 5});
        const auto cls = db.add(office, EquipmentClass{{}, "SEM", "analysis"});
        n.e1 = db.add(office, Equipment{{}, "SEM-1", cls, n.platform, 1, d, 1'000'000});
        n.e2 = db.add(office, Equipment{{}, "SEM-2", cls, n.platform, 1, d, 1'000'000});
        n.firm = db.add(office, Enterprise{{}, "Acme", z, EnterpriseSize::micro, "software"});
        Calendar always;
        always.time_zone = "UTC";
        for (auto& day : always.weekly) day = {DayHours{0, 1440}};
        db.set_calendar(office, n.platform, always);
    });
    const Net expected = net_ids();
    if (n.e1 != expected.e1 || n.e2 != expected.e2 || n.firm != expected.firm || n.platform != expected.platform) {
        throw std::runtime_error("build_network: ids are not the expected 1, 1, 2, 1");
    }
    return n;
}

// --- Raw SQLite, for what psp must not be trusted to tell about itself.
class RawDb {
public:
    explicit RawDb(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            throw std::runtime_error("sqlite3_open_v2 " + path + ": " + sqlite3_errmsg(db_));
        }
        sqlite3_busy_timeout(db_, 5000);
    }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;
    ~RawDb() { sqlite3_close_v2(db_); }

    // Every row as text columns.
    std::vector<std::vector<std::string>> rows(const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db_) + " in " + sql);
        }
        std::vector<std::vector<std::string>> out;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
                row.emplace_back(t ? t : "");
            }
            out.push_back(std::move(row));
        }
        const std::string err = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
        sqlite3_finalize(st);
        if (!err.empty()) throw std::runtime_error("step: " + err + " in " + sql);
        return out;
    }
    std::string scalar(const char* sql) {
        const auto r = rows(sql);
        return r.empty() || r[0].empty() ? "" : r[0][0];
    }

private:
    sqlite3* db_ = nullptr;
};

// Booking id -> status name.
using StatusMap = std::map<std::int64_t, std::string>;

struct FileState {
    StatusMap bookings;                     // the bookings table
    std::map<std::int64_t, std::string> notes;
    StatusMap replayed;                     // the journal's booking rows, replayed in order
    std::int64_t journal_rows = 0;
    std::int64_t served = 0;                // served requests (fulfil)
};

// Reads the file raw and checks what must hold whatever moment the writer died at; returns the
// problems found (empty: all good).
inline std::vector<std::string> check_file(const std::string& path, FileState& out) {
    std::vector<std::string> problems;
    RawDb raw(path);
    const auto integrity = raw.scalar("PRAGMA integrity_check");
    if (integrity != "ok") problems.push_back("integrity_check: " + integrity);
    if (!raw.rows("PRAGMA foreign_key_check").empty()) problems.push_back("foreign_key_check reports rows");

    for (const auto& r : raw.rows("SELECT id, status, note FROM bookings ORDER BY id")) {
        const auto id = std::stoll(r[0]);
        out.bookings[id] = to_string(static_cast<BookingStatus>(std::stoi(r[1])));
        out.notes[id] = r[2];
    }
    // The journal replayed: an "add" creates a booking with the status of its details, every
    // later row of that booking carries the status after the change.
    const auto booking_kind = std::to_string(static_cast<int>(EntityKind::booking));
    const std::string sql = "SELECT seq, action, entity_id, details FROM journal WHERE entity=" + booking_kind + " ORDER BY seq";
    for (const auto& r : raw.rows(sql.c_str())) {
        const auto id = std::stoll(r[2]);
        const auto details = nlohmann::json::parse(r[3]);
        if (!details.contains("status")) continue;   // waitlist rows
        if (r[1] == "add") {
            if (out.replayed.count(id)) problems.push_back("journal adds booking " + r[2] + " twice");
        } else if (!out.replayed.count(id)) {
            problems.push_back("journal row " + r[0] + " (" + r[1] + ") for booking " + r[2] + " before its add");
        }
        out.replayed[id] = details["status"].get<std::string>();
    }
    out.journal_rows = std::stoll(raw.scalar("SELECT count(*) FROM journal"));
    if (out.replayed != out.bookings) {
        problems.push_back("bookings table (" + std::to_string(out.bookings.size()) + " rows) differs from the journal replay (" +
                           std::to_string(out.replayed.size()) + " bookings)");
    }
    // fulfil() writes a booking and its served request together: neither without the other.
    out.served = std::stoll(raw.scalar("SELECT count(*) FROM served_requests"));
    const auto orphans = raw.scalar("SELECT count(*) FROM served_requests s LEFT JOIN bookings b ON b.id=s.booking WHERE b.id IS NULL");
    const auto routed = std::stoll(raw.scalar("SELECT count(*) FROM bookings WHERE note LIKE 'fulfil:%'"));
    const std::string serve_sql = "SELECT count(*) FROM journal WHERE action='serve' AND entity=" +
                                  std::to_string(static_cast<int>(EntityKind::served_request));
    const auto serve_rows = std::stoll(raw.scalar(serve_sql.c_str()));
    if (orphans != "0" || routed != out.served || serve_rows != out.served) {
        problems.push_back("half a fulfil: " + std::to_string(out.served) + " served requests, " + orphans + " without their booking, " +
                           std::to_string(routed) + " routed bookings, " + std::to_string(serve_rows) + " serve journal rows");
    }
    // A capacity-1 instrument never has two live bookings overlapping. (Bookings here are shorter
    // than a day, so b.start > a.start - 1 day lets the (equipment, start) index bound the join.)
    const auto doubles = raw.scalar(
        "SELECT count(*) FROM bookings a JOIN bookings b ON a.equipment=b.equipment AND a.id<>b.id "
        "AND b.start>a.start-86400 AND b.start<a.end AND a.start<b.end AND (a.start<b.start OR (a.start=b.start AND a.id<b.id)) "
        "WHERE a.status IN (0,1,2,3) AND b.status IN (0,1,2,3)");
    if (doubles != "0") problems.push_back(doubles + " pair(s) of overlapping live bookings (double booking)");
    return problems;
}

// What a fresh psp::Database loads from the file: booking id -> status, over both instruments.
inline StatusMap loaded_statuses(const Database& db) {
    StatusMap m;
    const Net n = net_ids();
    for (auto e : {n.e1, n.e2}) {
        for (const auto& b : db.bookings_of(e, whole_range)) m[b.id.value] = to_string(b.status);
    }
    return m;
}

}  // namespace psp::reliability
