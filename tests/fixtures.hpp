// Shared helpers for the module tests: temp files, a small valid network, a matcher for psp::Error,
// and a check that a refused change left memory, journal and file exactly as they were.
#pragma once

#include <catch2/catch.hpp>
#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <stdexcept>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "psp/database.hpp"
#include "psp/error.hpp"

namespace Catch {
template <>
struct StringMaker<psp::Error> {
    static std::string convert(const psp::Error& e) {
        return std::string("psp::Error{") + psp::to_string(e.code()) + ", \"" + e.what() + "\"}";
    }
};
template <>
struct StringMaker<psp::ErrorCode> {
    static std::string convert(psp::ErrorCode c) { return psp::to_string(c); }
};
}  // namespace Catch

namespace psp::test {

// --- Temp files: unique names under the system temp directory, removed with SQLite's side files.
inline std::filesystem::path unique_temp_path(const std::string& stem, const std::string& ext = ".psp") {
    static const auto run = std::random_device{}();
    static unsigned counter = 0;
    return std::filesystem::temp_directory_path() /
           ("psp_" + stem + "_" + std::to_string(run) + "_" + std::to_string(++counter) + ext);
}

// The storage engine the suite runs against: with PSP_TEST_POSTGRES set (a URI of a cluster's
// maintenance database, tests/postgres/with_cluster.sh), every psp database a test makes with
// TempFile is a fresh PostgreSQL database instead of a file. Tests that are about SQLite files
// as such (bytes, side files, raw SQLite access) carry the tag [sqlite] and run only on SQLite.
inline const char* postgres_base() {
    const char* base = std::getenv("PSP_TEST_POSTGRES");
    return base && *base ? base : nullptr;
}

// A fresh PostgreSQL database on the test cluster, dropped (with any session left on it) when
// this goes; uri() opens it.
class TempPostgresDatabase {
public:
    explicit TempPostgresDatabase(const std::string& stem) {
        static const auto run = std::random_device{}() % 100000;
        static unsigned counter = 0;
        std::string clean;
        for (char c : stem.substr(0, 30)) clean += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
        name_ = "psp_" + clean + "_" + std::to_string(run) + "_" + std::to_string(++counter);
        admin("CREATE DATABASE \"" + name_ + "\"");
        uri_ = base_uri_with_database(name_);
    }
    TempPostgresDatabase(const TempPostgresDatabase&) = delete;
    TempPostgresDatabase& operator=(const TempPostgresDatabase&) = delete;
    ~TempPostgresDatabase() {
        try {
            admin("DROP DATABASE IF EXISTS \"" + name_ + "\" WITH (FORCE)");
        } catch (...) {   // the cluster goes with the run anyway
        }
    }
    const std::string& uri() const { return uri_; }
    const std::string& name() const { return name_; }

    // The base URI (".../postgres") with another database name.
    static std::string base_uri_with_database(const std::string& database) {
        std::string base = postgres_base();
        const auto slash = base.rfind('/');
        return base.substr(0, slash + 1) + database;
    }

private:
    static void admin(const std::string& sql) {
        PGconn* c = PQconnectdb(postgres_base());
        if (PQstatus(c) != CONNECTION_OK) {
            const std::string why = PQerrorMessage(c);
            PQfinish(c);
            throw std::runtime_error("test cluster: " + why);
        }
        PGresult* r = PQexec(c, sql.c_str());   // names made above: letters, digits, '_'
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        const std::string why = PQerrorMessage(c);
        PQclear(r);
        PQfinish(c);
        if (!ok) throw std::runtime_error("test cluster: " + sql + ": " + why);
    }
    std::string name_, uri_;
};

class TempFile {
public:
    // A ".psp" file is a psp database: on PostgreSQL (PSP_TEST_POSTGRES) a fresh database there.
    explicit TempFile(const std::string& stem, const std::string& ext = ".psp") : path_(unique_temp_path(stem, ext)) {
        if (ext == ".psp" && postgres_base()) postgres_ = std::make_unique<TempPostgresDatabase>(stem);
        remove_all_files();
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() { remove_all_files(); }

    const std::filesystem::path& path() const { return path_; }
    // What Database::open takes: the file name, or the PostgreSQL database's URI.
    std::string str() const { return postgres_ ? postgres_->uri() : path_.string(); }
    bool on_postgres() const { return postgres_ != nullptr; }

private:
    void remove_all_files() const {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
            std::filesystem::remove(path_.string() + suffix, ec);
        }
    }
    std::filesystem::path path_;
    std::unique_ptr<TempPostgresDatabase> postgres_;
};

inline std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

// --- A clock the test moves by hand, for journal times.
struct ManualClock {
    std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(1'700'000'000);
    OpenOptions options(int busy_timeout_ms = 5000) const {
        OpenOptions o;
        o.busy_timeout_ms = busy_timeout_ms;
        o.clock = [t = now] { return *t; };
        return o;
    }
    void set(std::int64_t t) const { *now = t; }
};

// --- A small valid network. Three districts, two zones, four platforms (a backbone with a
// sub-platform, a second backbone of another field, a planned stand-alone platform), an alliance,
// two equipment classes, three pieces of equipment, two enterprises.
struct SmallNetwork {
    DistrictId d1, d2, d3;
    ZoneId z1, z2;
    PlatformId tech, tech_sub, quality, ip;
    AllianceId alliance;
    EquipmentClassId sem, printer;
    EquipmentId sem1, sem2, printer1;
    EnterpriseId acme, bolt;
};

inline Platform make_platform(std::string name, PlatformTier tier, PlatformField field, ServiceSet services,
                              bool backbone, PlatformId parent, DistrictId site,
                              PlatformStatus status = PlatformStatus::operating) {
    Platform p;
    p.name = std::move(name);
    p.tier = tier;
    p.field = field;
    p.operator_model = OperatorModel::university;
    p.services = services;
    p.backbone = backbone;
    p.parent = parent;
    p.site = site;
    p.status = status;
    return p;
}

inline SmallNetwork build_small_network(Database& db, const Actor& actor = Actor::office()) {
    SmallNetwork n;
    n.d1 = db.add(actor, District{{}, "Shangcheng", 1.5, 2.25});
    n.d2 = db.add(actor, District{{}, "Binjiang", 3, -4});
    n.d3 = db.add(actor, District{{}, "Xiaoshan", 10.125, -8});
    db.set_travel(actor, {n.d1, n.d2, 20});
    db.set_travel(actor, {n.d3, n.d2, 15});   // given reversed: psp keeps from < to
    db.set_travel(actor, {n.d1, n.d3, 50});
    n.z1 = db.add(actor, Zone{{}, "Hubin", n.d1, ZoneType::central_business});
    n.z2 = db.add(actor, Zone{{}, "Binjiang Hi-tech", n.d2, ZoneType::tech_innovation});

    auto tech = make_platform("Tech backbone", PlatformTier::municipal, PlatformField::technology_support,
                              {ServiceKind::technology_rd, ServiceKind::equipment_sharing}, true, {}, n.d1);
    n.tech = db.add(actor, tech);
    auto sub = make_platform("Tech sub Binjiang", PlatformTier::district, PlatformField::technology_support,
                             {ServiceKind::technology_rd, ServiceKind::equipment_sharing}, false, n.tech, n.d2);
    sub.operator_model = OperatorModel::selected_operator;
    n.tech_sub = db.add(actor, sub);
    auto quality = make_platform("Quality centre", PlatformTier::provincial, PlatformField::quality_testing,
                                 {ServiceKind::quality_testing, ServiceKind::equipment_sharing}, true, {}, n.d2);
    quality.operator_model = OperatorModel::research_institute;
    n.quality = db.add(actor, quality);
    auto ip = make_platform("IP office", PlatformTier::district, PlatformField::intellectual_property,
                            {ServiceKind::intellectual_property}, false, {}, n.d1, PlatformStatus::planned);
    ip.operator_model = OperatorModel::government_office;
    n.ip = db.add(actor, ip);

    db.set_zone_service(actor, {n.tech, n.z1, 5});
    db.set_zone_service(actor, {n.tech_sub, n.z2, 10});
    db.set_zone_service(actor, {n.quality, n.z1, 30});
    db.set_zone_service(actor, {n.quality, n.z2, 8});
    db.add_link(actor, {n.tech_sub, n.quality, LinkKind::higher_tier});
    db.add_link(actor, {n.tech, n.quality, LinkKind::cooperation});

    n.alliance = db.add(actor, Alliance{{}, "Tech alliance", AllianceScope::regional, AllianceSector::industry,
                                        AllianceBreadth::specialised, n.tech,
                                        {{n.tech, MemberRole::lead}, {n.tech_sub, MemberRole::member},
                                         {n.quality, MemberRole::core}},
                                        true});
    n.sem = db.add(actor, EquipmentClass{{}, "SEM", "analysis"});
    n.printer = db.add(actor, EquipmentClass{{}, "3D printer", "fabrication"});
    n.sem1 = db.add(actor, Equipment{{}, "SEM-1", n.sem, n.tech, 2, n.d1, 150'000'000});
    n.sem2 = db.add(actor, Equipment{{}, "SEM-2", n.sem, n.quality, 1, n.d2, 120'000'000});
    n.printer1 = db.add(actor, Equipment{{}, "Printer-1", n.printer, n.tech_sub, 3, n.d2, 5'000'000});
    n.acme = db.add(actor, Enterprise{{}, "Acme", n.z1, EnterpriseSize::micro, "software"});
    n.bolt = db.add(actor, Enterprise{{}, "Bolt", n.z2, EnterpriseSize::medium, "design"});
    return n;
}
inline constexpr std::size_t small_network_changes = 26;   // journal rows build_small_network writes

// --- Matching psp::Error by code and message.
class ErrorMatcher : public Catch::MatcherBase<psp::Error> {
public:
    ErrorMatcher(ErrorCode code, std::string prefix, std::vector<std::string> fragments)
        : code_(code), prefix_(std::move(prefix)), fragments_(std::move(fragments)) {}

    bool match(const psp::Error& e) const override {
        const std::string what = e.what();
        if (e.code() != code_) return false;
        if (!prefix_.empty() && what.rfind(prefix_, 0) != 0) return false;
        for (const auto& f : fragments_) {
            if (what.find(f) == std::string::npos) return false;
        }
        return true;
    }
    std::string describe() const override {
        std::ostringstream os;
        os << "has code " << to_string(code_);
        if (!prefix_.empty()) os << ", a message starting with \"" << prefix_ << "\"";
        for (const auto& f : fragments_) os << ", containing \"" << f << "\"";
        return os.str();
    }

private:
    ErrorCode code_;
    std::string prefix_;
    std::vector<std::string> fragments_;
};

// The error has `code` and its message contains every fragment.
inline ErrorMatcher IsError(ErrorCode code, std::initializer_list<std::string> fragments = {}) {
    return ErrorMatcher(code, {}, fragments);
}
// The error has `code` and its message starts with `prefix` (a JSON path) and contains the fragments.
inline ErrorMatcher IsErrorAt(ErrorCode code, std::string prefix, std::initializer_list<std::string> fragments = {}) {
    return ErrorMatcher(code, std::move(prefix), fragments);
}

// --- "Nothing changed": the model and journal before a refused change, compared after it, and
// (for a file) in a fresh connection to the same file.
inline std::vector<std::string> journal_lines(const std::vector<JournalEntry>& entries) {
    std::vector<std::string> out;
    out.reserve(entries.size());
    for (const auto& e : entries) {
        out.push_back(std::to_string(e.seq) + " t=" + std::to_string(e.time) + " " + to_string(e.actor_role) + "/" +
                      std::to_string(e.actor_subject) + " '" + e.actor_name + "' " + e.action + " " +
                      to_string(e.entity) + "#" + std::to_string(e.entity_id) + " " + e.details);
    }
    return out;
}

class Saved {
public:
    explicit Saved(const Database& db) : network_(db.snapshot()), journal_(journal_lines(db.journal())) {}

    // Memory and, for a file, what a new connection reads are exactly as saved.
    void check_unchanged(const Database& db) const {
        CHECK(db.snapshot() == network_);
        CHECK(journal_lines(db.journal()) == journal_);
        if (db.path() != ":memory:") {
            auto again = Database::open(db.path());
            CHECK(again.snapshot() == network_);
            CHECK(journal_lines(again.journal()) == journal_);
        }
    }
    const Network& network() const { return network_; }

private:
    Network network_;
    std::vector<std::string> journal_;
};

}  // namespace psp::test

// The change must throw a psp::Error matching `matcher` and leave db (memory, journal, file) unchanged.
#define PSP_CHECK_REFUSED(db, change, matcher)                              \
    do {                                                                    \
        const ::psp::test::Saved psp_saved_before_(db);                     \
        CHECK_THROWS_MATCHES(change, ::psp::Error, matcher);                \
        psp_saved_before_.check_unchanged(db);                              \
    } while (false)
