// C ABI: prices and innovation vouchers: tariffs as versioned structs, voucher schemes as JSON
// (docs/booking-json.md), voucher accounts, the price of a booking and redemptions per platform.
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "capi.hpp"
#include "json/pricing_json.hpp"
#include "psp/pricing.hpp"

using namespace psp::capi;

struct psp_voucher_redemptions_iter : Iter<psp::PlatformVoucherTotal> { using Iter::Iter; };

namespace {

using psp::Database;

psp::Tariff tariff_from_c(const psp_tariff& c) {
    psp::Tariff t;
    t.member_rate = c.member_rate;
    t.external_rate = c.external_rate;
    t.minimum_charge = c.minimum_charge;
    t.late_cancel_fee = c.late_cancel_fee;
    t.per_unit = c.per_unit != 0;
    return t;
}

void to_c(const psp::Tariff& t, psp_tariff& c) {
    c.member_rate = t.member_rate;
    c.external_rate = t.external_rate;
    c.minimum_charge = t.minimum_charge;
    c.late_cancel_fee = t.late_cancel_fee;
    c.per_unit = t.per_unit ? 1 : 0;
}

void to_c(const psp::PriceBreakdown& p, psp_price& c) {
    c.gross = p.gross;
    c.enterprise_pays = p.enterprise_pays;
    c.voucher_pays = p.voucher_pays;
    c.scheme = p.scheme.value;
    c.voucher_note = p.voucher_note.c_str();
}

void to_c(const psp::PlatformVoucherTotal& t, psp_platform_voucher_total& c) {
    c.platform = t.platform.value;
    c.redeemed = t.redeemed;
    c.refunded = t.refunded;
    c.net = t.net;
    c.redemptions = t.redemptions;
    c.refunds = t.refunds;
}

// The scheme object of docs/booking-json.md: malformed text names the argument, a bad value its
// JSON path.
psp::VoucherScheme scheme_from_text(const char* text, const char* name) {
    return psp::json::voucher_scheme_from_json(json_arg(text, name));
}

// What psp_booking_price_get lends to the calling thread (convention 6).
psp::PriceBreakdown& lent_price() {
    thread_local psp::PriceBreakdown p;
    return p;
}

// psp_booking_price_get and its reader twin: `read` answers the price from the database.
template <class Read>
int price_out(const char* fn, psp_price* out, psp_db* db, Read read) {
    return guard(fn, [&] {
        auto& o = require_struct(out, PSP_PRICE_VERSION, "out");
        auto& h = handle(db);
        psp::PriceBreakdown p;
        {
            std::lock_guard lock(h.mu);
            p = read(h.db);
        }
        auto& l = lent_price();
        l = std::move(p);
        to_c(l, o);
        return 0;
    });
}

}  // namespace

extern "C" {

PSP_EXTERN(int) psp_tariff_init(psp_tariff* tariff, unsigned version) {
    return init_struct("psp_tariff_init", tariff, version, PSP_TARIFF_VERSION, "tariff", psp_tariff PSP_TARIFF_INIT);
}

PSP_EXTERN(int) psp_tariff_set(psp_db* db, const psp_actor* actor, int64_t equipment, const psp_tariff* tariff) {
    return guard("psp_tariff_set", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto t = tariff_from_c(require_struct(tariff, PSP_TARIFF_VERSION, "tariff"));
        std::lock_guard lock(h.mu);
        h.db.set_tariff(a, psp::EquipmentId(equipment), t);
        return 0;
    });
}

PSP_EXTERN(int) psp_tariff_get(psp_tariff* out, int* out_has, psp_db* db, int64_t equipment) {
    return guard("psp_tariff_get", [&] {
        auto& o = require_struct(out, PSP_TARIFF_VERSION, "out");
        auto& has = require(out_has, "out_has");
        auto& h = handle(db);
        std::optional<psp::Tariff> t;
        {
            std::lock_guard lock(h.mu);
            t = h.db.tariff(psp::EquipmentId(equipment));
        }
        const psp_tariff none PSP_TARIFF_INIT;
        to_c(t ? *t : tariff_from_c(none), o);
        has = t ? 1 : 0;
        return 0;
    });
}

PSP_EXTERN(int) psp_voucher_scheme_add_json(int64_t* out, psp_db* db, const psp_actor* actor,
                                            const char* scheme_json) {
    return guard("psp_voucher_scheme_add_json", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto s = scheme_from_text(scheme_json, "scheme_json");
        psp::VoucherSchemeId id;
        {
            std::lock_guard lock(h.mu);
            id = h.db.add_voucher_scheme(a, std::move(s));
        }
        if (out != nullptr) *out = id.value;
        return 0;
    });
}

PSP_EXTERN(int) psp_voucher_schemes_json(char** out, psp_db* db) {
    return text_out("psp_voucher_schemes_json", out, db, [](const psp::Database& d) {
        auto array = ::nlohmann::json::array();
        for (const auto& s : d.voucher_schemes()) array.push_back(psp::json::to_json(s));
        return array.dump();
    });
}

PSP_EXTERN(int) psp_voucher_account_get(int64_t* out, psp_db* db, int64_t enterprise, int64_t scheme, int year) {
    return guard("psp_voucher_account_get", [&] {
        auto& o = require(out, "out");
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        o = h.db.voucher_account(psp::EnterpriseId(enterprise), psp::VoucherSchemeId(scheme), year).used;
        return 0;
    });
}

PSP_EXTERN(int) psp_voucher_account_get_as(int64_t* out, psp_db* db, const psp_actor* reader, int64_t enterprise,
                                           int64_t scheme, int year) {
    return guard("psp_voucher_account_get_as", [&] {
        auto& o = require(out, "out");
        auto& h = handle(db);
        const auto r = reader_from_c(reader);
        std::lock_guard lock(h.mu);
        o = h.db.voucher_account(r, psp::EnterpriseId(enterprise), psp::VoucherSchemeId(scheme), year).used;
        return 0;
    });
}

PSP_EXTERN(int) psp_price_init(psp_price* price, unsigned version) {
    return init_struct("psp_price_init", price, version, PSP_PRICE_VERSION, "price", psp_price PSP_PRICE_INIT);
}

PSP_EXTERN(int) psp_booking_price_get(psp_price* out, psp_db* db, int64_t booking) {
    return price_out("psp_booking_price_get", out, db,
                     [&](const psp::Database& d) { return d.price_of(psp::BookingId(booking)); });
}

PSP_EXTERN(int) psp_booking_price_get_as(psp_price* out, psp_db* db, const psp_actor* reader, int64_t booking) {
    return price_out("psp_booking_price_get_as", out, db, [&](const psp::Database& d) {
        return d.price_of(reader_from_c(reader), psp::BookingId(booking));
    });
}

PSP_EXTERN(int) psp_platform_voucher_total_init(psp_platform_voucher_total* total, unsigned version) {
    return init_struct("psp_platform_voucher_total_init", total, version, PSP_PLATFORM_VOUCHER_TOTAL_VERSION, "total",
                       psp_platform_voucher_total PSP_PLATFORM_VOUCHER_TOTAL_INIT);
}

PSP_EXTERN(int) psp_voucher_redemptions_iter_new(psp_voucher_redemptions_iter** out, psp_db* db, int64_t scheme,
                                                 const psp_period* period) {
    return iter_new("psp_voucher_redemptions_iter_new", out, db, [&](const Database& d) {
        const auto& p = require(period, "period");
        const psp::Period w{p.start, p.end};
        if (w.empty()) {
            invalid("period: [" + std::to_string(p.start) + ", " + std::to_string(p.end) + ") is empty or reversed");
        }
        return d.voucher_redemptions(psp::VoucherSchemeId(scheme), w);
    });
}

PSP_EXTERN(int) psp_voucher_redemptions_iter_next(psp_platform_voucher_total* out, psp_voucher_redemptions_iter* it) {
    return iter_next("psp_voucher_redemptions_iter_next", out, it, PSP_PLATFORM_VOUCHER_TOTAL_VERSION,
                     [](const psp::PlatformVoucherTotal& t, psp_platform_voucher_total& c, Scratch&) { to_c(t, c); });
}

PSP_EXTERN(void) psp_voucher_redemptions_iter_free(psp_voucher_redemptions_iter* it) { delete it; }

}  // extern "C"
