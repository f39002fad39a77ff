// Tariffs, innovation vouchers and price breakdowns (include/psp/pricing.hpp): integer fen only,
// every rounding explicit, every product and sum checked against 64-bit overflow.
#include "psp/pricing.hpp"

#include <cstdio>
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>

#include "booking/pricing_checks.hpp"
#include "booking/voucher_bound.hpp"
#include "core/utf8.hpp"
#include "psp/error.hpp"

namespace psp {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorCode::invalid, message); }

// Overflow is an error, not a wrap: a wrapped price would be a silently wrong bill.
Fen checked_add(Fen a, Fen b, const char* what) {
    Fen r = 0;
    if (__builtin_add_overflow(a, b, &r)) invalid(std::string(what) + " does not fit in 64 bits");
    return r;
}

// "20000.00 yuan" (notes are for people; the amount in fen is in the breakdown itself).
std::string yuan(Fen fen) {
    const bool negative = fen < 0;
    // Work on the magnitude as unsigned so INT64_MIN does not overflow.
    const auto m = negative ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s%llu.%02llu yuan", negative ? "-" : "", static_cast<unsigned long long>(m / 100),
                  static_cast<unsigned long long>(m % 100));
    return buf;
}

std::optional<detail::PricingProblem> money_problem(const char* field, Fen v, Fen max, const char* unit) {
    if (v < 0) return detail::PricingProblem{field, std::to_string(v) + " fen" + unit + " is negative"};
    if (v > max) {
        return detail::PricingProblem{field, std::to_string(v) + " fen" + unit + " is absurd (above " + yuan(max) + unit + ")"};
    }
    return std::nullopt;
}

bool bad_size(EnterpriseSize s) {
    const int i = static_cast<int>(s);
    return i < 0 || i >= enterprise_size_count;
}

// The quoted name of a scheme for notes.
std::string quoted(const VoucherScheme& s) { return "scheme '" + s.name + "'"; }

void check_breakdown(const PriceBreakdown& b) {
    if (b.gross < 0 || b.voucher_pays < 0 || b.enterprise_pays < 0 || b.voucher_pays > b.gross ||
        b.gross - b.voucher_pays != b.enterprise_pays) {
        invalid("price breakdown is inconsistent: gross " + std::to_string(b.gross) + ", enterprise pays " +
                std::to_string(b.enterprise_pays) + ", voucher pays " + std::to_string(b.voucher_pays) + " fen");
    }
}

}  // namespace

namespace detail {

std::optional<PricingProblem> tariff_problem(const Tariff& t) {
    // Every price is checked against its tariff (gross_price): the usual answer, all in range,
    // without building a problem first.
    if (tariff_in_range(t)) return std::nullopt;
    if (auto p = money_problem("member_rate", t.member_rate, max_hourly_rate, "/hour")) return p;
    if (auto p = money_problem("external_rate", t.external_rate, max_hourly_rate, "/hour")) return p;
    if (auto p = money_problem("minimum_charge", t.minimum_charge, max_flat_fee, "")) return p;
    if (auto p = money_problem("late_cancel_fee", t.late_cancel_fee, max_flat_fee, "")) return p;
    return std::nullopt;
}

std::optional<PricingProblem> scheme_problem(const VoucherScheme& s) {
    if (s.name.empty()) return PricingProblem{"name", "is empty"};
    if (!valid_utf8(s.name)) return PricingProblem{"name", "is not valid UTF-8"};
    for (int i = 0; i < enterprise_size_count; ++i) {
        const int bp = s.share_bp[static_cast<std::size_t>(i)];
        if (bp < 0 || bp > basis_points) {
            return PricingProblem{std::string("share_bp/") + to_string(static_cast<EnterpriseSize>(i)),
                                  std::to_string(bp) + " basis points is outside 0..10000"};
        }
    }
    if (auto p = money_problem("per_use_cap", s.per_use_cap, max_voucher_cap, "")) return p;
    if (auto p = money_problem("yearly_cap", s.yearly_cap, max_voucher_cap, "")) return p;
    if (!s.services.valid()) return PricingProblem{"services", "holds an unknown service kind"};
    if (s.services.empty()) return PricingProblem{"services", "no eligible service kind"};
    const auto& a = s.accepted_by;
    for (std::size_t i = 0; i < a.alliances.size(); ++i) {
        if (a.alliances[i].value <= 0) return PricingProblem{"accepted_by/alliances/" + std::to_string(i), "ids are positive integers"};
    }
    for (std::size_t i = 0; i < a.platforms.size(); ++i) {
        if (a.platforms[i].value <= 0) return PricingProblem{"accepted_by/platforms/" + std::to_string(i), "ids are positive integers"};
    }
    for (std::size_t i = 0; i < a.regions.size(); ++i) {
        if (a.regions[i].empty()) return PricingProblem{"accepted_by/regions/" + std::to_string(i), "is empty"};
        if (!valid_utf8(a.regions[i])) return PricingProblem{"accepted_by/regions/" + std::to_string(i), "is not valid UTF-8"};
    }
    if (!a.whole_city && a.alliances.empty() && a.platforms.empty() && a.regions.empty()) {
        return PricingProblem{"accepted_by", "accepts no platform: set whole_city or list alliances, platforms or regions"};
    }
    const auto year_problem = [](const char* field, int y) -> std::optional<PricingProblem> {
        if (y < min_scheme_year || y > max_scheme_year) {
            return PricingProblem{field, std::to_string(y) + " is outside " + std::to_string(min_scheme_year) + ".." +
                                             std::to_string(max_scheme_year)};
        }
        return std::nullopt;
    };
    if (auto p = year_problem("first_year", s.first_year)) return p;
    if (auto p = year_problem("last_year", s.last_year)) return p;
    if (s.last_year < s.first_year) {
        return PricingProblem{"last_year", std::to_string(s.last_year) + " is before first_year " + std::to_string(s.first_year)};
    }
    return std::nullopt;
}

}  // namespace detail

void validate(const Tariff& t) {
    if (auto p = detail::tariff_problem(t)) invalid("tariff " + p->field + ": " + p->message);
}

void validate(const VoucherScheme& s) {
    if (auto p = detail::scheme_problem(s)) invalid("voucher scheme " + p->field + ": " + p->message);
}

Fen gross_price(const Tariff& t, Period period, int units, bool member) {
    validate(t);
    if (period.empty()) invalid("period: empty or reversed");
    if (units < 1) invalid("units: must be at least 1, got " + std::to_string(units));
    // A started minute is charged as a whole one; booking periods lie on a minute grid anyway.
    const Time seconds = period.seconds();
    const Fen minutes = seconds / 60 + (seconds % 60 != 0 ? 1 : 0);
    Fen gross = 0;
    if (!detail::gross_of_minutes(t, minutes, units, member, gross)) invalid("price does not fit in 64 bits");
    return gross;
}

bool accepts(const VoucherScheme& s, const PlatformPlace& place, std::string_view issuing_region) {
    const auto& a = s.accepted_by;
    if (a.whole_city && (place.region.empty() || issuing_region.empty() || place.region == issuing_region)) return true;
    if (std::find(a.platforms.begin(), a.platforms.end(), place.platform) != a.platforms.end()) return true;
    for (const auto& alliance : place.alliances) {
        if (std::find(a.alliances.begin(), a.alliances.end(), alliance) != a.alliances.end()) return true;
    }
    return !place.region.empty() && std::find(a.regions.begin(), a.regions.end(), place.region) != a.regions.end();
}

PriceBreakdown apply_voucher(Fen gross, const VoucherScheme* scheme, const VoucherUse& use) {
    if (gross < 0) invalid("gross: " + std::to_string(gross) + " fen is negative");
    PriceBreakdown b{gross, gross, 0, {}, {}};
    if (!scheme) return b;
    if (use.used_this_year < 0) invalid("used_this_year: " + std::to_string(use.used_this_year) + " fen is negative");
    if (bad_size(use.size)) invalid("size: unknown enterprise size " + std::to_string(static_cast<int>(use.size)));
    // Cheap numeric guards (validate() also checks names): a bad share or cap must not turn into a
    // negative voucher or one above gross.
    for (const int share : scheme->share_bp) {
        if (share < 0 || share > basis_points) invalid("voucher scheme share_bp: outside 0..10000 (validate the scheme)");
    }
    if (scheme->per_use_cap < 0 || scheme->yearly_cap < 0) invalid("voucher scheme caps: negative (validate the scheme)");
    b.scheme = scheme->id;
    const auto nothing = [&b](std::string why) {
        b.voucher_note = std::move(why);
        return b;
    };
    if (!use.platform_accepts) return nothing("the platform does not accept " + quoted(*scheme));
    if (!scheme->services.contains(use.kind)) {
        return nothing(std::string("service kind ") + to_string(use.kind) + " is not eligible for " + quoted(*scheme));
    }
    if (use.year < scheme->first_year || use.year > scheme->last_year) {
        return nothing(quoted(*scheme) + " is valid " + std::to_string(scheme->first_year) + "-" +
                       std::to_string(scheme->last_year) + ", not in " + std::to_string(use.year));
    }
    const Fen bp = scheme->share(use.size);
    if (bp == 0) return nothing(quoted(*scheme) + " pays no share for " + to_string(use.size) + " enterprises");
    Fen left_this_year = 0;
    if (scheme->yearly_cap > 0) {
        left_this_year = std::max<Fen>(0, scheme->yearly_cap - use.used_this_year);
        if (left_this_year == 0) return nothing("yearly cap of " + yuan(scheme->yearly_cap) + " reached");
    }
    Fen voucher = detail::voucher_share(gross, bp);
    if (scheme->per_use_cap > 0 && voucher > scheme->per_use_cap) {
        voucher = scheme->per_use_cap;
        b.voucher_note = "capped at the per-use cap of " + yuan(scheme->per_use_cap);
    }
    if (scheme->yearly_cap > 0 && voucher > left_this_year) {
        voucher = left_this_year;
        b.voucher_note = "capped by the yearly cap of " + yuan(scheme->yearly_cap) + ": " + yuan(left_this_year) + " was left";
    }
    b.voucher_pays = voucher;
    b.enterprise_pays = gross - voucher;
    return b;
}

PriceBreakdown price(const Tariff& t, Period period, int units, bool member, const VoucherScheme* scheme,
                     const VoucherUse& use) {
    return apply_voucher(gross_price(t, period, units, member), scheme, use);
}

void redeem(VoucherAccount& account, const VoucherScheme& scheme, const PriceBreakdown& b) {
    check_breakdown(b);
    if (b.voucher_pays == 0) return;
    if (b.scheme != scheme.id || account.scheme != scheme.id) {
        invalid("breakdown of scheme " + std::to_string(b.scheme.value) + " and account of scheme " +
                std::to_string(account.scheme.value) + " do not match scheme " + std::to_string(scheme.id.value));
    }
    if (account.year < scheme.first_year || account.year > scheme.last_year) {
        throw Error(ErrorCode::refused, quoted(scheme) + " is not valid in " + std::to_string(account.year));
    }
    if (scheme.per_use_cap > 0 && b.voucher_pays > scheme.per_use_cap) {
        throw Error(ErrorCode::refused, "voucher beyond its per-use cap: " + yuan(b.voucher_pays) + " above " +
                                            yuan(scheme.per_use_cap));
    }
    const Fen used = checked_add(account.used, b.voucher_pays, "voucher account");
    if (scheme.yearly_cap > 0 && used > scheme.yearly_cap) {
        throw Error(ErrorCode::refused, "voucher beyond its yearly cap: " + yuan(used) + " would be used of " +
                                            yuan(scheme.yearly_cap) + " (price again)");
    }
    account.used = used;
}

Fen refund_voucher(VoucherAccount& account, const PriceBreakdown& b) {
    check_breakdown(b);
    if (b.voucher_pays == 0) return 0;
    if (b.scheme != account.scheme) {
        invalid("breakdown of scheme " + std::to_string(b.scheme.value) + " refunded to an account of scheme " +
                std::to_string(account.scheme.value));
    }
    if (b.voucher_pays > account.used) {
        invalid("refund of " + yuan(b.voucher_pays) + " is more than the " + yuan(account.used) + " used");
    }
    account.used -= b.voucher_pays;
    return b.voucher_pays;
}

std::vector<PlatformVoucherTotal> voucher_totals(std::span<const VoucherRedemption> movements, Period period) {
    if (period.end < period.start) invalid("period: reversed");
    std::map<PlatformId, PlatformVoucherTotal> by_platform;   // ordered: the answer is by platform id
    for (const auto& m : movements) {
        if (m.amount == 0 || m.at < period.start || m.at >= period.end) continue;
        auto& t = by_platform[m.platform];
        t.platform = m.platform;
        if (m.amount > 0) {
            t.redeemed = checked_add(t.redeemed, m.amount, "voucher total");
            ++t.redemptions;
        } else {
            if (m.amount == INT64_MIN) invalid("voucher refund does not fit in 64 bits");
            t.refunded = checked_add(t.refunded, -m.amount, "voucher total");
            ++t.refunds;
        }
    }
    std::vector<PlatformVoucherTotal> out;
    out.reserve(by_platform.size());
    for (auto& [id, t] : by_platform) {
        t.net = t.redeemed - t.refunded;   // both in [0, INT64_MAX]: the difference fits
        out.push_back(t);
    }
    return out;
}

VoucherScheme zhejiang_county_example() {
    VoucherScheme s;
    s.name = "Zhejiang county innovation voucher (example)";
    // micro, small, medium, large: 50–60 % is the common public figure; large firms are outside
    // the usual target group of county schemes in this example.
    s.share_bp = {6000, 6000, 5000, 0};
    s.per_use_cap = 2'000'000;     // 20,000 yuan
    s.yearly_cap = 10'000'000;     // 100,000 yuan
    s.services = {ServiceKind::technology_rd, ServiceKind::product_design, ServiceKind::equipment_sharing,
                  ServiceKind::quality_testing};
    s.accepted_by.whole_city = true;
    s.first_year = 2025;
    s.last_year = 2027;
    return s;
}

}  // namespace psp
