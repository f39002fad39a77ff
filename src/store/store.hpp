// Rows of the psp schema: writing each entity and relation, loading a whole network, the journal.
// Writers expect the caller to hold a Transaction; they never commit by themselves.
#pragma once

#include <memory>
#include <tuple>
#include <string>
#include <unordered_map>
#include <vector>

#include "psp/booking.hpp"
#include "psp/journal.hpp"
#include "psp/network.hpp"
#include "psp/routing.hpp"
#include "psp/settlement.hpp"
#include "store/connection.hpp"

namespace psp::store {

class SqliteConnection;

class Store {
public:
    // Opens the file or PostgreSQL database (connection.hpp), refuses foreign or newer ones,
    // migrates (see schema.hpp).
    Store(const std::string& path, int busy_timeout_ms);
    // An in-memory SQLite copy of `source` as committed, for scratch copies.
    struct InMemoryCopy {};
    Store(Store& source, InMemoryCopy);

    Connection& connection() { return *conn_; }
    int schema_version() const { return schema_version_; }

    // insert = new row, update = existing row (same id).
    void insert(const District&);
    void insert(const Zone&);
    void insert(const Platform&);
    void insert(const Alliance&);
    void insert(const EquipmentClass&);
    void insert(const Equipment&);
    void insert(const Enterprise&);
    void update(const District&);
    void update(const Zone&);
    void update(const Platform&);
    void update(const Alliance&);
    void update(const EquipmentClass&);
    void update(const Equipment&);
    void update(const Enterprise&);
    void erase(DistrictId);
    void erase(ZoneId);
    void erase(PlatformId);
    void erase(AllianceId);
    void erase(EquipmentClassId);
    void erase(EquipmentId);
    void erase(EnterpriseId);

    void put(const DistrictTravel&);   // insert or replace
    void erase_travel(DistrictId, DistrictId);
    void put(const ZoneService&);
    void erase_zone_service(PlatformId, ZoneId);
    void put(const PlatformLink&);
    void erase_link(PlatformId from, PlatformId to);

    // Booking (migration 2). Rules and calendars travel as JSON text.
    void put_platform_calendar(PlatformId, const std::string& calendar_json);
    void put_equipment_booking(EquipmentId, const std::string* rules_json, const std::string* calendar_json);
    void put_training(EnterpriseId, EquipmentClassId, bool trained);
    void insert(const Booking&);
    void update_status(const Booking&);
    struct BookingSetup {
        std::vector<std::pair<PlatformId, std::string>> platform_calendars;
        std::vector<std::tuple<EquipmentId, std::string, std::string>> equipment;   // rules, calendar ("" = none)
        std::vector<std::pair<EnterpriseId, EquipmentClassId>> training;
    };
    BookingSetup load_booking_setup();
    std::vector<Booking> load_bookings();   // ascending id
    // Catching up (Database::refresh): bookings from `first_new` on and those the journal names
    // after `after_seq`; prices from a booking on; voucher movements after the first `skip`.
    std::vector<Booking> load_bookings_changed(std::int64_t after_seq, BookingId first_new);
    std::vector<std::pair<BookingId, std::string>> load_booking_prices_from(BookingId first);
    // Prices and vouchers: tariffs, schemes and prices as JSON rows; movements as plain rows.
    void put_tariff(EquipmentId, const std::string& json);
    void put_voucher_scheme(VoucherSchemeId, const std::string& json);
    void put_booking_price(BookingId, const std::string& json);
    struct VoucherMovement {
        VoucherSchemeId scheme;
        PlatformId platform;
        EnterpriseId enterprise;
        BookingId booking;
        int year = 0;
        Time at = 0;
        Fen amount = 0;   // > 0 redeemed, < 0 refunded
    };
    void insert(const VoucherMovement&);
    struct PricingRows {
        std::vector<std::pair<EquipmentId, std::string>> tariffs;
        std::vector<std::pair<VoucherSchemeId, std::string>> schemes;
        std::vector<std::pair<BookingId, std::string>> prices;
        std::vector<VoucherMovement> movements;
    };
    PricingRows load_pricing();
    std::vector<VoucherMovement> load_voucher_movements_from(std::size_t skip);
    void insert(const WaitlistEntry&);
    void update_status(const WaitlistEntry&);
    std::vector<WaitlistEntry> load_waitlist();   // ascending id

    // --- Coordination and settlement (store_routing.cpp).
    void put(const ServiceCapacity&);
    std::vector<ServiceCapacity> load_service_capacity();
    void put_alliance_policy(AllianceId, const std::string& json);
    std::vector<std::pair<AllianceId, std::string>> load_alliance_policies();
    void put(const AllianceSettlementRule&);   // alliance 0: the default rule
    std::vector<AllianceSettlementRule> load_settlement_rules();
    void insert(const ServedRequest&);
    std::vector<ServedRequest> load_served_requests(ServedRequestId from = ServedRequestId(1));   // ascending id
    void insert(const UnmetRequest&);
    std::vector<UnmetRequest> load_unmet_requests(UnmetRequestId from = UnmetRequestId(1));     // ascending id

    // --- Major projects (store_projects.cpp): JSON text, in id / decision order.
    void put_project(std::int64_t id, const std::string& json);
    std::vector<std::pair<std::int64_t, std::string>> load_projects();
    void insert_decision(std::int64_t project, const std::string& json);
    std::vector<std::string> load_decisions();

    // --- Documents (store_projects.cpp): certification and plans, JSON text per (kind, id), in id order.
    void put_document(const char* kind, std::int64_t id, const std::string& json);
    std::vector<std::pair<std::int64_t, std::string>> load_documents(const char* kind);

    // Appends the entry as `seq`: psp numbers the journal itself (Database::Impl::journal), under
    // the write lock and on a current model, so the row needs no answer from the database.
    void append(const JournalEntry&, std::int64_t seq);
    std::int64_t last_journal_seq();            // 0 for an empty journal
    struct JournalMark {
        std::int64_t seq = 0;
        EntityKind entity = EntityKind::network;
        std::int64_t entity_id = 0;
        std::string action;
    };
    std::vector<JournalMark> journal_since(std::int64_t after_seq);   // ascending seq
    std::vector<JournalEntry> journal(const JournalQuery&);

    // Whole network in ascending id order.
    Network load();
    bool empty();

private:
    Statement& cached(const char* sql);
    // Every table of psp's schema, row by row, into an empty in-memory SQLite database of the same
    // schema version (store_copy.cpp): a scratch copy of a PostgreSQL database.
    static void copy_tables(Connection& from, SqliteConnection& to);
    void write_members(const Alliance&);

    std::unique_ptr<Connection> conn_;
    int schema_version_ = 0;
    std::unordered_map<const char*, std::unique_ptr<Statement>> statements_;
};

}  // namespace psp::store
