// Tariffs, voucher schemes and price breakdowns as JSON. Money is integer fen, shares integer
// basis points; a JSON number with a fraction is refused rather than rounded.
#include "json/pricing_json.hpp"

#include "booking/pricing_checks.hpp"
#include "json/reader.hpp"

namespace psp::json {
namespace {

// The checks of validate(), reported at the JSON path of the offending value.
void check(const std::optional<detail::PricingProblem>& problem, const std::string& path) {
    if (problem) bad(path + "/" + problem->field, problem->message);
}

const json& array_at(ObjectReader& r, const char* key, const json& empty) {
    const json* v = r.find(key);
    if (!v) return empty;
    if (!v->is_array()) bad(r.at(key), std::string("expected an array, got ") + type_name(*v));
    return *v;
}

template <class IdT>
std::vector<IdT> read_ids(ObjectReader& r, const char* key) {
    static const json empty = json::array();
    const json& a = array_at(r, key, empty);
    std::vector<IdT> out;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto path = r.at(key) + "/" + std::to_string(i);
        const json& v = a[i];
        if (!v.is_number_integer()) bad(path, std::string("expected an id, got ") + type_name(v));
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
            bad(path, "integer out of range (above 2^63-1)");
        }
        const auto id = v.get<std::int64_t>();
        if (id <= 0) bad(path, "ids are positive integers, got " + std::to_string(id));
        out.emplace_back(id);
    }
    return out;
}

}  // namespace

json to_json(const Tariff& t) {
    return {{"member_rate", t.member_rate},
            {"external_rate", t.external_rate},
            {"minimum_charge", t.minimum_charge},
            {"late_cancel_fee", t.late_cancel_fee},
            {"per_unit", t.per_unit}};
}

Tariff tariff_from_json(const json& v, const std::string& path) {
    ObjectReader r(v, path);
    Tariff t;
    t.member_rate = r.integer("member_rate");
    t.external_rate = r.integer("external_rate");
    t.minimum_charge = r.integer_or("minimum_charge", 0);
    t.late_cancel_fee = r.integer_or("late_cancel_fee", 0);
    t.per_unit = r.boolean_or("per_unit", true);
    r.finish();
    check(detail::tariff_problem(t), path);
    return t;
}

json to_json(const VoucherScheme& s) {
    json share = json::object();
    for (int i = 0; i < enterprise_size_count; ++i) {
        share[to_string(static_cast<EnterpriseSize>(i))] = s.share_bp[static_cast<std::size_t>(i)];
    }
    json services = json::array();
    for (auto k : s.services.kinds()) services.push_back(to_string(k));
    json alliances = json::array(), platforms = json::array();
    for (auto a : s.accepted_by.alliances) alliances.push_back(a.value);
    for (auto p : s.accepted_by.platforms) platforms.push_back(p.value);
    return {{"id", s.id.value},
            {"name", s.name},
            {"share_bp", share},
            {"per_use_cap", s.per_use_cap},
            {"yearly_cap", s.yearly_cap},
            {"services", services},
            {"accepted_by",
             {{"whole_city", s.accepted_by.whole_city},
              {"alliances", alliances},
              {"platforms", platforms},
              {"regions", s.accepted_by.regions}}},
            {"first_year", s.first_year},
            {"last_year", s.last_year}};
}

VoucherScheme voucher_scheme_from_json(const json& v, const std::string& path) {
    ObjectReader r(v, path);
    VoucherScheme s;
    const auto id = r.integer_or("id", 0);   // 0: not yet assigned
    if (id < 0) bad(r.at("id"), "ids are positive integers (or 0 for none), got " + std::to_string(id));
    s.id = VoucherSchemeId(id);
    s.name = r.text("name");
    {
        const json* share = r.find("share_bp");
        if (!share) bad(r.at("share_bp"), "missing");
        // Every size is required: a forgotten size must not silently mean "no share".
        ObjectReader sr(*share, r.at("share_bp"));
        for (int i = 0; i < enterprise_size_count; ++i) {
            const char* size = to_string(static_cast<EnterpriseSize>(i));
            const auto bp = sr.integer(size);
            if (bp < 0 || bp > basis_points) bad(sr.at(size), std::to_string(bp) + " basis points is outside 0..10000");
            s.share_bp[static_cast<std::size_t>(i)] = static_cast<int>(bp);
        }
        sr.finish();
    }
    s.per_use_cap = r.integer("per_use_cap");
    s.yearly_cap = r.integer("yearly_cap");
    {
        static const json empty = json::array();
        const json& kinds = array_at(r, "services", empty);
        for (std::size_t i = 0; i < kinds.size(); ++i) {
            s.services.insert(ObjectReader::parse_enum_at<ServiceKind>(kinds[i], r.at("services/" + std::to_string(i))));
        }
    }
    {
        const json* acc = r.find("accepted_by");
        if (!acc) bad(r.at("accepted_by"), "missing");
        ObjectReader ar(*acc, r.at("accepted_by"));
        s.accepted_by.whole_city = ar.boolean_or("whole_city", false);
        s.accepted_by.alliances = read_ids<AllianceId>(ar, "alliances");
        s.accepted_by.platforms = read_ids<PlatformId>(ar, "platforms");
        static const json empty = json::array();
        const json& regions = array_at(ar, "regions", empty);
        for (std::size_t i = 0; i < regions.size(); ++i) {
            if (!regions[i].is_string()) {
                bad(ar.at("regions/" + std::to_string(i)), std::string("expected a string, got ") + type_name(regions[i]));
            }
            s.accepted_by.regions.push_back(regions[i].get<std::string>());
        }
        ar.finish();
    }
    s.first_year = r.small_integer_or("first_year", std::nullopt);
    s.last_year = r.small_integer_or("last_year", std::nullopt);
    r.finish();
    check(detail::scheme_problem(s), path);
    return s;
}

json to_json(const PriceBreakdown& b) {
    return {{"gross", b.gross},
            {"enterprise_pays", b.enterprise_pays},
            {"voucher_pays", b.voucher_pays},
            {"scheme", b.scheme.value},
            {"voucher_note", b.voucher_note}};
}

PriceBreakdown price_breakdown_from_json(const json& v, const std::string& path) {
    ObjectReader r(v, path);
    PriceBreakdown b;
    b.gross = r.integer("gross");
    b.enterprise_pays = r.integer("enterprise_pays");
    b.voucher_pays = r.integer_or("voucher_pays", 0);
    const auto scheme = r.integer_or("scheme", 0);
    if (scheme < 0) bad(r.at("scheme"), "ids are positive integers (or 0 for none), got " + std::to_string(scheme));
    b.scheme = VoucherSchemeId(scheme);
    b.voucher_note = r.text_or("voucher_note", std::string());
    r.finish();
    if (b.gross < 0) bad(r.at("gross"), std::to_string(b.gross) + " fen is negative");
    if (b.voucher_pays < 0 || b.voucher_pays > b.gross) bad(r.at("voucher_pays"), "outside 0..gross");
    if (b.enterprise_pays != b.gross - b.voucher_pays) bad(r.at("enterprise_pays"), "is not gross - voucher_pays");
    if (b.voucher_pays > 0 && !b.scheme) bad(r.at("scheme"), "a voucher paid but no scheme is named");
    return b;
}

}  // namespace psp::json
