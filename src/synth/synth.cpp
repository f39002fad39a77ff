// psp::synth: generates Hangzhou-like platform networks (districts, zones, platforms, alliances,
// equipment, enterprises) at the three scales of DESIGN.md §5, identically for a given seed.
#include "psp/synth.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "psp/error.hpp"
#include "synth/catalogue.hpp"
#include "synth/random.hpp"

namespace psp::synth {

CityParams CityParams::for_scale(Scale scale, std::uint64_t seed) {
    CityParams p;
    p.seed = seed;
    switch (scale) {
        case Scale::district:
            p.districts = 1;
            p.zones_per_district = 6;
            p.platforms = 20;
            p.backbone_share = 0.1;
            p.sub_platform_share = 0.2;
            p.alliances = 8;  // one of each scope × sector × breadth
            p.equipment_classes = 30;
            p.equipment = 300;
            p.enterprises = 3'000;
            return p;
        case Scale::city:
            return p;  // the defaults are the city
        case Scale::region:
            p.districts = 13;
            p.zones_per_district = 12;
            p.platforms = 3'000;
            p.backbone_share = 0.08;
            p.sub_platform_share = 0.3;
            p.alliances = 60;
            p.equipment_classes = 60;
            p.equipment = 30'000;
            p.enterprises = 500'000;
            return p;
    }
    throw Error(ErrorCode::invalid, "synth: unknown scale " + std::to_string(static_cast<int>(scale)));
}

namespace {

using detail::Rng;
using detail::WeightedIndex;

// Trade names map enterprise numbers onto at most 4 characters of a 100-character table.
constexpr int max_enterprises = 10'000'000;

// One independent random stream per stage (see detail::stream_seed).
enum Stream : std::uint64_t {
    zones_stream = 1,
    platforms_stream,
    services_stream,
    links_stream,
    alliances_stream,
    equipment_stream,
    enterprises_stream,
};

void validate(const CityParams& p) {
    auto fail = [](const std::string& what) { throw Error(ErrorCode::invalid, "CityParams: " + what); };
    const int max_districts = static_cast<int>(detail::districts.size());
    if (p.districts < 1 || p.districts > max_districts)
        fail("districts must be 1.." + std::to_string(max_districts));
    if (p.zones_per_district < 1) fail("zones_per_district must be at least 1");
    if (p.platforms < 1) fail("platforms must be at least 1");
    if (!(p.backbone_share >= 0 && p.backbone_share <= 1)) fail("backbone_share must be in [0, 1]");
    if (!(p.sub_platform_share >= 0 && p.sub_platform_share <= 1)) fail("sub_platform_share must be in [0, 1]");
    if (p.alliances < 0) fail("alliances must not be negative");
    if (p.equipment < 0) fail("equipment must not be negative");
    if (p.equipment > 0 && p.equipment_classes < 1) fail("equipment needs at least one equipment class");
    if (p.equipment_classes < 0) fail("equipment_classes must not be negative");
    if (p.enterprises < 0 || p.enterprises > max_enterprises)
        fail("enterprises must be 0.." + std::to_string(max_enterprises));
}

// Road distance is taken as 1.3 × the straight line, driven at ~40 km/h for the first 20 km of
// urban roads and ~80 km/h on expressways beyond. std::sqrt, unlike std::hypot, is correctly
// rounded by IEEE 754, so the minutes are the same on every platform.
int travel_minutes(const detail::DistrictInfo& a, const detail::DistrictInfo& b) {
    const double dx = a.x_km - b.x_km;
    const double dy = a.y_km - b.y_km;
    const double road_km = 1.3 * std::sqrt(dx * dx + dy * dy);
    const double minutes = road_km <= 20 ? road_km * 1.5 : 30 + (road_km - 20) * 0.75;
    return std::max(5, static_cast<int>(std::lround(minutes)));
}

// Names unique per kind: a clash gets a qualifier in full-width brackets, numbered if needed.
class Names {
public:
    bool taken(const std::string& name) const { return used_.contains(name); }

    // `base`, else `base（qualifier）`, else `base（qualifier2）`, `base（qualifier3）`, …
    std::string take(const std::string& base, const std::string& qualifier = {}) {
        if (used_.insert(base).second) return base;
        if (!qualifier.empty()) {
            std::string q = base + "（" + qualifier + "）";
            if (used_.insert(q).second) return q;
        }
        for (int n = 2;; ++n) {
            std::string q = base + "（" + qualifier + std::to_string(n) + "）";
            if (used_.insert(q).second) return q;
        }
    }

private:
    std::unordered_set<std::string> used_;
};

template <class T, std::size_t N>
const T& pick(Rng& rng, const T (&items)[N]) {
    return items[rng.index(N)];
}
template <class T>
const T& pick(Rng& rng, std::span<const T> items) {
    return items[rng.index(items.size())];
}

template <class Id>
std::size_t index_of(Id id) {
    return static_cast<std::size_t>(id.value - 1);
}

template <class Id>
Id id_at(std::size_t index) {
    return Id(static_cast<std::int64_t>(index) + 1);
}

std::string zero_padded(std::int64_t n, int width) {
    std::string digits = std::to_string(n);
    if (static_cast<int>(digits.size()) < width) digits.insert(0, width - digits.size(), '0');
    return digits;
}

class Generator {
public:
    explicit Generator(const CityParams& p) : p_(p) {}

    Network run() {
        make_districts();
        make_zones();
        make_platforms();
        make_zone_services();
        make_links();
        make_alliances();
        make_equipment_classes();
        make_equipment();
        make_enterprises();
        return std::move(net_);
    }

private:
    int travel(std::size_t a, std::size_t b) const { return travel_[a * district_count_ + b]; }
    std::size_t site_of(const Platform& p) const { return index_of(p.site); }
    const detail::DistrictInfo& info(std::size_t district) const { return detail::districts[district]; }

    WeightedIndex district_picker() const {
        std::vector<std::uint64_t> w;
        for (std::size_t d = 0; d < district_count_; ++d) w.push_back(static_cast<std::uint64_t>(info(d).weight));
        return WeightedIndex(w);
    }

    void make_districts() {
        district_count_ = static_cast<std::size_t>(p_.districts);
        travel_.assign(district_count_ * district_count_, 0);
        for (std::size_t d = 0; d < district_count_; ++d)
            net_.districts.push_back({id_at<DistrictId>(d), std::string(info(d).name), info(d).x_km, info(d).y_km});
        // Every pair, (lower id, higher id), in the order Database::snapshot() lists them.
        for (std::size_t a = 0; a < district_count_; ++a) {
            for (std::size_t b = a + 1; b < district_count_; ++b) {
                const int m = travel_minutes(info(a), info(b));
                travel_[a * district_count_ + b] = travel_[b * district_count_ + a] = m;
                net_.travel.push_back({id_at<DistrictId>(a), id_at<DistrictId>(b), m});
            }
        }
    }

    void make_zones() {
        Rng rng(detail::stream_seed(p_.seed, zones_stream));
        const std::vector<std::uint64_t> type_weights(detail::zone_type_weights.begin(),
                                                      detail::zone_type_weights.end());
        const WeightedIndex pick_type(type_weights);
        Names names;
        zones_of_.assign(district_count_, {});
        for (std::size_t d = 0; d < district_count_; ++d) {
            for (int k = 0; k < p_.zones_per_district; ++k) {
                Zone z;
                z.id = id_at<ZoneId>(net_.zones.size());
                z.district = id_at<DistrictId>(d);
                if (k < detail::landmark_zones_per_district) {
                    const auto& landmark = detail::landmark_zones[d][static_cast<std::size_t>(k)];
                    z.type = landmark.type;
                    z.name = names.take(std::string(landmark.name));
                } else {
                    z.type = static_cast<ZoneType>(pick_type(rng));
                    const std::string label(detail::zone_type_labels[static_cast<std::size_t>(z.type)]);
                    std::string base;
                    // A few redraws of the quarter keep numbered names rare.
                    for (int attempt = 0; attempt < 4; ++attempt) {
                        base = std::string(info(d).short_name) + std::string(pick(rng, detail::zone_places)) + label;
                        if (!names.taken(base)) break;
                    }
                    z.name = names.take(base);
                }
                zones_of_[d].push_back(z.id);
                net_.zones.push_back(std::move(z));
            }
        }
    }

    static std::string tier_prefix(PlatformTier tier, const detail::DistrictInfo& site) {
        switch (tier) {
            case PlatformTier::national: return "国家";
            case PlatformTier::provincial: return "浙江省";
            case PlatformTier::municipal: return "杭州市";
            case PlatformTier::district: break;
        }
        return std::string(site.name);
    }

    std::string platform_name(Rng& rng, PlatformTier tier, PlatformField field, std::size_t site) {
        const auto& f = detail::fields[static_cast<std::size_t>(field)];
        const std::string prefix = tier_prefix(tier, info(site));
        std::string base;
        for (int attempt = 0; attempt < 6; ++attempt) {
            // Two statements: the operands of + are unsequenced, and the draws must come in one order.
            const std::string_view theme = pick(rng, f.themes);
            const std::string_view suffix = pick(rng, f.suffixes);
            base = prefix + std::string(theme) + std::string(suffix);
            if (!platform_names_.taken(base)) break;
        }
        // City-wide names that clash are told apart by where the platform sits.
        return platform_names_.take(base, tier == PlatformTier::district ? "" : std::string(info(site).short_name));
    }

    // The field's core kind plus others of its pool, `count` kinds in all.
    static ServiceSet draw_services(Rng& rng, PlatformField field, int count) {
        const auto& f = detail::fields[static_cast<std::size_t>(field)];
        ServiceSet s{f.core};
        const std::vector<ServiceKind> pool(f.pool.begin(), f.pool.end());
        for (auto k : rng.sample(pool, static_cast<std::size_t>(count - 1))) s.insert(k);
        return s;
    }

    static OperatorModel draw_operator(Rng& rng, PlatformTier tier) {
        // Indexed by OperatorModel: government, leading enterprise, university, research institute,
        // association, agency, selected operator, joint venture. District platforms are mostly run by
        // the district or agencies it selects; provincial and national ones by research bodies.
        static constexpr std::array<std::uint64_t, operator_model_count> district_w = {30, 5, 2, 3, 20, 20, 15, 5};
        static constexpr std::array<std::uint64_t, operator_model_count> municipal_w = {15, 15, 10, 15, 10, 15, 15, 5};
        static constexpr std::array<std::uint64_t, operator_model_count> higher_w = {10, 15, 25, 35, 5, 5, 3, 2};
        const auto& w = tier == PlatformTier::district    ? district_w
                        : tier == PlatformTier::municipal ? municipal_w
                                                          : higher_w;
        return static_cast<OperatorModel>(WeightedIndex(w)(rng));
    }

    void make_platforms() {
        Rng rng(detail::stream_seed(p_.seed, platforms_stream));
        const int total = p_.platforms;
        // At least one backbone, so that alliances have a lead and sub-platforms a parent.
        const int backbones =
            std::clamp(static_cast<int>(std::lround(total * p_.backbone_share)), 1, total);
        const int subs =
            std::clamp(static_cast<int>(std::lround(total * p_.sub_platform_share)), 0, total - backbones);
        const int regular = total - backbones - subs;

        const WeightedIndex pick_district = district_picker();
        std::vector<std::uint64_t> field_w;
        for (const auto& f : detail::fields) field_w.push_back(static_cast<std::uint64_t>(f.weight));
        const WeightedIndex pick_field(field_w);
        // Mostly district and municipal platforms, a few provincial and national ones.
        static constexpr std::array<std::uint64_t, platform_tier_count> tier_w = {55, 35, 7, 3};
        const WeightedIndex pick_tier(tier_w);
        // planned, operating, suspended, closed
        static constexpr std::array<std::uint64_t, platform_status_count> status_w = {6, 85, 5, 4};
        const WeightedIndex pick_status(status_w);

        net_.platforms.reserve(static_cast<std::size_t>(total));
        auto add = [&](Platform p) {
            p.id = id_at<PlatformId>(net_.platforms.size());
            net_.platforms.push_back(std::move(p));
            return net_.platforms.size() - 1;
        };

        // Backbones first, so that every parent has a lower id than its sub-platforms.
        for (int i = 0; i < backbones; ++i) {
            Platform p;
            p.tier = i % 10 == 1 ? PlatformTier::national
                     : i % 4 == 0 ? PlatformTier::provincial
                                  : PlatformTier::municipal;
            p.field = static_cast<PlatformField>(pick_field(rng));
            const std::size_t site = pick_district(rng);
            p.site = id_at<DistrictId>(site);
            p.operator_model = draw_operator(rng, p.tier);
            p.services = draw_services(rng, p.field, rng.between(4, 6));
            p.backbone = true;
            p.status = PlatformStatus::operating;
            p.name = platform_name(rng, p.tier, p.field, site);
            backbones_.push_back(add(std::move(p)));
        }
        for (int i = 0; i < regular; ++i) {
            Platform p;
            p.tier = static_cast<PlatformTier>(pick_tier(rng));
            p.field = static_cast<PlatformField>(pick_field(rng));
            const std::size_t site = pick_district(rng);
            p.site = id_at<DistrictId>(site);
            p.operator_model = draw_operator(rng, p.tier);
            p.services = draw_services(rng, p.field, rng.between(2, 6));
            p.status = static_cast<PlatformStatus>(pick_status(rng));
            p.name = platform_name(rng, p.tier, p.field, site);
            add(std::move(p));
        }
        // Sub-platforms carry a backbone's services into another district (§3.2): each backbone gets
        // one before any gets a second, and a backbone's subs go to districts it does not reach yet.
        subs_of_.assign(net_.platforms.size() + static_cast<std::size_t>(subs), {});
        std::vector<std::vector<bool>> reached(static_cast<std::size_t>(backbones),
                                               std::vector<bool>(district_count_, false));
        for (int b = 0; b < backbones; ++b)
            reached[static_cast<std::size_t>(b)][site_of(net_.platforms[backbones_[static_cast<std::size_t>(b)]])] = true;
        for (int i = 0; i < subs; ++i) {
            const std::size_t b = i < backbones ? static_cast<std::size_t>(i) : rng.index(backbones_.size());
            const Platform parent = net_.platforms[backbones_[b]];
            const std::size_t parent_site = site_of(parent);

            std::vector<std::uint64_t> w(district_count_, 0);
            for (std::size_t d = 0; d < district_count_; ++d)
                if (!reached[b][d]) w[d] = static_cast<std::uint64_t>(info(d).weight);
            if (std::all_of(w.begin(), w.end(), [](auto x) { return x == 0; })) {
                for (std::size_t d = 0; d < district_count_; ++d)
                    if (d != parent_site) w[d] = static_cast<std::uint64_t>(info(d).weight);
            }
            // A one-district city has nowhere else to go: the sub-platform shares its parent's district.
            const WeightedIndex pick_site(w);
            const std::size_t site = pick_site.empty() ? parent_site : pick_site(rng);
            reached[b][site] = true;

            Platform p;
            p.tier = PlatformTier::district;
            p.field = parent.field;
            p.operator_model = parent.operator_model;
            const ServiceKind core = detail::fields[static_cast<std::size_t>(parent.field)].core;
            std::vector<ServiceKind> others;
            for (auto k : parent.services.kinds())
                if (k != core) others.push_back(k);
            p.services = ServiceSet{core};
            const int extra = rng.between(1, static_cast<int>(others.size()));
            for (auto k : rng.sample(others, static_cast<std::size_t>(extra))) p.services.insert(k);
            p.parent = parent.id;
            p.site = id_at<DistrictId>(site);
            p.status = PlatformStatus::operating;
            p.name = platform_names_.take(parent.name + std::string(info(site).short_name) + "分平台");
            subs_of_[backbones_[b]].push_back(add(std::move(p)));
        }
    }

    void make_zone_services() {
        Rng rng(detail::stream_seed(p_.seed, services_stream));
        std::vector<ZoneId> all_zones;
        for (const auto& z : net_.zones) all_zones.push_back(z.id);

        // Other districts by travel time from each district, nearest first.
        std::vector<std::vector<std::size_t>> nearest(district_count_);
        for (std::size_t d = 0; d < district_count_; ++d) {
            for (std::size_t o = 0; o < district_count_; ++o)
                if (o != d) nearest[d].push_back(o);
            std::stable_sort(nearest[d].begin(), nearest[d].end(),
                             [&](std::size_t a, std::size_t b) { return travel(d, a) < travel(d, b); });
        }

        std::vector<ZoneId> chosen;
        for (const auto& p : net_.platforms) {
            const std::size_t site = site_of(p);
            chosen.clear();
            auto own = [&](int lo, int hi) {
                const int k = rng.between(lo, hi);
                for (auto z : rng.sample(zones_of_[site], static_cast<std::size_t>(k))) chosen.push_back(z);
            };
            auto nearby = [&](int lo, int hi) {
                if (nearest[site].empty()) return;
                const std::size_t reach = std::min<std::size_t>(3, nearest[site].size());
                for (int n = rng.between(lo, hi); n > 0; --n) {
                    const std::size_t d = nearest[site][rng.index(reach)];
                    chosen.push_back(rng.pick(zones_of_[d]));
                }
            };
            auto anywhere = [&](int lo, int hi) {
                const int k = rng.between(lo, hi);
                for (auto z : rng.sample(all_zones, static_cast<std::size_t>(k))) chosen.push_back(z);
            };
            if (p.parent) {
                own(2, 4);
            } else if (p.backbone) {
                own(2, 4);
                anywhere(2, 4);
            } else if (p.tier == PlatformTier::district) {
                own(1, 3);
            } else if (p.tier == PlatformTier::municipal) {
                own(1, 3);
                nearby(1, 2);
            } else {
                anywhere(3, 8);
            }
            std::sort(chosen.begin(), chosen.end());
            chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
            for (auto z : chosen) {
                const std::size_t zone_district = index_of(net_.zones[index_of(z)].district);
                // Travel between district seats, plus the last few minutes across town.
                net_.zone_services.push_back({p.id, z, travel(zone_district, site) + rng.between(3, 15)});
            }
        }
    }

    void make_links() {
        Rng rng(detail::stream_seed(p_.seed, links_stream));
        std::unordered_set<std::uint64_t> linked;  // unordered pairs: at most one link between two platforms
        auto try_link = [&](PlatformId from, PlatformId to, LinkKind kind) {
            if (from == to) return;
            const auto lo = static_cast<std::uint64_t>(std::min(from, to).value);
            const auto hi = static_cast<std::uint64_t>(std::max(from, to).value);
            if (linked.insert((lo << 32) | hi).second) net_.links.push_back({from, to, kind});
        };

        // Operating platforms by field and tier: the targets of vertical links (§2.3 上下联动).
        std::array<std::array<std::vector<PlatformId>, platform_tier_count>, platform_field_count> by_field_tier;
        std::array<std::vector<PlatformId>, platform_tier_count> by_tier;
        std::vector<PlatformId> operating;
        for (const auto& p : net_.platforms) {
            if (p.status != PlatformStatus::operating) continue;
            by_field_tier[static_cast<std::size_t>(p.field)][static_cast<std::size_t>(p.tier)].push_back(p.id);
            by_tier[static_cast<std::size_t>(p.tier)].push_back(p.id);
            operating.push_back(p.id);
        }
        // A uniform draw from the union of the lists of every tier above `tier`.
        auto draw_above = [&](const std::array<std::vector<PlatformId>, platform_tier_count>& lists,
                              PlatformTier tier) -> PlatformId {
            std::size_t total = 0;
            for (int t = static_cast<int>(tier) + 1; t < platform_tier_count; ++t)
                total += lists[static_cast<std::size_t>(t)].size();
            if (total == 0) return PlatformId();
            std::size_t r = rng.index(total);
            for (int t = static_cast<int>(tier) + 1; t < platform_tier_count; ++t) {
                const auto& l = lists[static_cast<std::size_t>(t)];
                if (r < l.size()) return l[r];
                r -= l.size();
            }
            return PlatformId();
        };

        static constexpr std::array<double, platform_tier_count> link_up_chance = {0.25, 0.35, 0.5, 0};
        for (const auto& p : net_.platforms) {
            if (p.parent || p.status == PlatformStatus::closed) continue;  // subs reach up through their backbone
            if (!rng.chance(link_up_chance[static_cast<std::size_t>(p.tier)])) continue;
            // Prefer a higher platform of the same field; any field if there is none.
            PlatformId to = draw_above(by_field_tier[static_cast<std::size_t>(p.field)], p.tier);
            if (!to) to = draw_above(by_tier, p.tier);
            if (to) try_link(p.id, to, LinkKind::higher_tier);
        }

        if (operating.size() >= 2) {
            const std::size_t wanted = net_.platforms.size() / 8 + 1;
            const std::size_t before = net_.links.size();
            for (std::size_t attempt = 0; attempt < 20 * wanted && net_.links.size() - before < wanted; ++attempt) {
                const PlatformId a = rng.pick(operating);
                const PlatformId b = rng.pick(operating);
                try_link(std::min(a, b), std::max(a, b), LinkKind::cooperation);
            }
        }
        std::sort(net_.links.begin(), net_.links.end(), [](const PlatformLink& x, const PlatformLink& y) {
            return std::pair(x.from, x.to) < std::pair(y.from, y.to);
        });
    }

    void make_alliances() {
        if (p_.alliances == 0) return;
        Rng rng(detail::stream_seed(p_.seed, alliances_stream));
        Names names;
        std::vector<std::size_t> leads = backbones_;
        rng.shuffle(leads);
        const auto& platforms = net_.platforms;
        std::vector<std::size_t> operating;
        for (std::size_t i = 0; i < platforms.size(); ++i)
            if (platforms[i].status == PlatformStatus::operating) operating.push_back(i);
        const int most = std::max(4, p_.platforms / p_.alliances / 2);
        std::vector<bool> in_alliance(platforms.size(), false);

        for (int i = 0; i < p_.alliances; ++i) {
            // Cycling through the 8 combinations gives every type once the count reaches 8.
            const int combo = i % 8;
            Alliance a;
            a.id = id_at<AllianceId>(net_.alliances.size());
            a.scope = static_cast<AllianceScope>(combo & 1);
            a.sector = static_cast<AllianceSector>((combo >> 1) & 1);
            a.breadth = static_cast<AllianceBreadth>((combo >> 2) & 1);
            const std::size_t lead_ix = leads[static_cast<std::size_t>(i) % leads.size()];
            const Platform& lead = platforms[lead_ix];
            a.lead = lead.id;
            const ServiceKind core = detail::fields[static_cast<std::size_t>(lead.field)].core;

            // Strictness 0 applies every rule of the alliance's type; each level drops one, and is
            // used only to reach a minimum of two partners when the strict pool is too small.
            auto fits = [&](const Platform& q, int level) {
                if (level < 1 && a.scope == AllianceScope::regional && travel(site_of(q), site_of(lead)) > 45)
                    return false;
                if (level < 2 && a.breadth == AllianceBreadth::specialised && !q.services.contains(core))
                    return false;
                if (level < 3 && a.sector == AllianceSector::industry && q.field != lead.field) return false;
                return true;
            };
            std::vector<std::size_t> chosen;
            std::fill(in_alliance.begin(), in_alliance.end(), false);
            in_alliance[lead_ix] = true;
            auto join = [&](const std::vector<std::size_t>& picks) {
                for (auto ix : picks) {
                    in_alliance[ix] = true;
                    chosen.push_back(ix);
                }
            };
            const std::size_t target = static_cast<std::size_t>(rng.between(std::max(2, most / 3), most));
            // A cross-regional alliance brings the lead's sub-platforms along: that is how it spans districts.
            if (a.scope == AllianceScope::cross_regional)
                join(rng.sample(subs_of_[lead_ix], target / 2));
            for (int level = 0; level < 4; ++level) {
                const std::size_t want = level == 0 ? target : 2;
                if (chosen.size() >= want) break;
                std::vector<std::size_t> pool;
                for (auto ix : operating)
                    if (!in_alliance[ix] && fits(platforms[ix], level)) pool.push_back(ix);
                join(rng.sample(pool, want - chosen.size()));
            }

            a.members.push_back({lead.id, MemberRole::lead});
            for (auto ix : chosen)
                a.members.push_back({platforms[ix].id, rng.chance(0.25) ? MemberRole::core : MemberRole::member});
            std::sort(a.members.begin(), a.members.end(),
                      [](const AllianceMember& x, const AllianceMember& y) { return x.platform < y.platform; });
            a.one_stop = i == 0 || rng.chance(a.breadth == AllianceBreadth::comprehensive ? 0.6 : 0.25);

            const std::string where = a.scope == AllianceScope::regional ? std::string(info(site_of(lead)).name)
                                                                         : std::string("杭州市跨区域");
            const std::string sector = a.sector == AllianceSector::industry
                                           ? std::string(detail::fields[static_cast<std::size_t>(lead.field)].label)
                                           : std::string("跨行业");
            const std::string breadth = a.breadth == AllianceBreadth::comprehensive ? "综合服务" : "专业服务";
            a.name = names.take(where + sector + breadth + "联盟");
            net_.alliances.push_back(std::move(a));
        }
    }

    void make_equipment_classes() {
        const std::size_t catalogue = std::size(detail::equipment_classes);
        for (int k = 0; k < p_.equipment_classes; ++k) {
            const auto& c = detail::equipment_classes[static_cast<std::size_t>(k) % catalogue];
            const std::size_t generation = static_cast<std::size_t>(k) / catalogue + 1;
            EquipmentClass e;
            e.id = id_at<EquipmentClassId>(net_.equipment_classes.size());
            e.name = std::string(c.name);
            std::string code(c.code);
            // Beyond the catalogue, later generations of the same instruments.
            if (generation > 1) {
                e.name += "（第" + std::to_string(generation) + "代）";
                code += std::to_string(generation);
            }
            e.category = std::string(c.category);
            class_info_.push_back(&c);
            class_codes_.push_back(std::move(code));
            net_.equipment_classes.push_back(std::move(e));
        }
    }

    void make_equipment() {
        if (p_.equipment == 0) return;
        Rng rng(detail::stream_seed(p_.seed, equipment_stream));
        const auto& platforms = net_.platforms;

        // Owners are platforms that share, test or do R&D; bigger and backbone platforms own more.
        static constexpr std::array<std::uint64_t, platform_tier_count> tier_w = {1, 2, 4, 4};
        std::vector<std::size_t> owners;
        std::vector<std::uint64_t> owner_w;
        for (std::size_t i = 0; i < platforms.size(); ++i) {
            const Platform& p = platforms[i];
            if (p.status != PlatformStatus::operating && p.status != PlatformStatus::suspended) continue;
            const auto& s = p.services;
            if (!s.contains(ServiceKind::equipment_sharing) && !s.contains(ServiceKind::quality_testing) &&
                !s.contains(ServiceKind::technology_rd))
                continue;
            owners.push_back(i);
            owner_w.push_back(tier_w[static_cast<std::size_t>(p.tier)] * (p.backbone ? 2 : 1) *
                              (s.contains(ServiceKind::equipment_sharing) ? 2 : 1));
        }
        if (owners.empty()) {  // a tiny city without such platforms: anyone may own
            for (std::size_t i = 0; i < platforms.size(); ++i) {
                owners.push_back(i);
                owner_w.push_back(1);
            }
        }
        const WeightedIndex pick_owner(owner_w);

        // Testing platforms hold analysis, testing and life-science instruments; others hold any class.
        std::array<std::vector<std::size_t>, platform_field_count> classes_for;
        for (std::size_t c = 0; c < class_info_.size(); ++c) {
            const auto category = class_info_[c]->category;
            for (std::size_t f = 0; f < platform_field_count; ++f) {
                const bool testing = category == "analysis" || category == "testing" || category == "life_science";
                if (f != static_cast<std::size_t>(PlatformField::quality_testing) || testing)
                    classes_for[f].push_back(c);
            }
        }
        for (auto& list : classes_for) {
            if (!list.empty()) continue;
            for (std::size_t c = 0; c < class_info_.size(); ++c) list.push_back(c);
        }

        // Single instruments are mostly one unit; a few come as pairs or benches.
        static constexpr std::array<std::uint64_t, 4> units_w = {80, 12, 5, 3};
        const WeightedIndex pick_units(units_w);
        const int tag_width = p_.equipment > 99'999 ? 7 : 5;

        // Each owner specialises in a few classes of its field (a backbone in more), as real platforms
        // do: so the platforms serving a zone between them lack some classes, and the zone's
        // enterprises must go elsewhere for those (DESIGN.md §2.2 coverage gaps).
        std::vector<std::vector<std::size_t>> specialities(owners.size());
        for (std::size_t i = 0; i < owners.size(); ++i) {
            const Platform& p = platforms[owners[i]];
            const auto& field = classes_for[static_cast<std::size_t>(p.field)];
            const int k = p.backbone ? rng.between(6, 12) : rng.between(2, 5);
            specialities[i] = rng.sample(field, std::min(field.size(), static_cast<std::size_t>(k)));
        }

        net_.equipment.reserve(static_cast<std::size_t>(p_.equipment));
        for (int i = 0; i < p_.equipment; ++i) {
            const std::size_t o = pick_owner(rng);
            const Platform& owner = platforms[owners[o]];
            const std::size_t c = rng.pick(specialities[o]);
            const auto& ci = *class_info_[c];
            Equipment e;
            e.id = id_at<EquipmentId>(net_.equipment.size());
            e.name = class_codes_[c] + "-" + zero_padded(e.id.value, tag_width);
            e.equipment_class = id_at<EquipmentClassId>(c);
            e.owner = owner.id;
            e.site = owner.site;
            e.capacity_units = ci.shared_units ? rng.between(2, 4) : static_cast<int>(pick_units(rng)) + 1;
            // List price ±, rounded to 1,000 yuan, in fen.
            const long long yuan = ci.value_yuan * rng.between(60, 160) / 100;
            e.purchase_value = static_cast<Fen>((yuan + 500) / 1000 * 1000) * 100;
            net_.equipment.push_back(std::move(e));
        }
    }

    void make_enterprises() {
        if (p_.enterprises == 0) return;
        Rng rng(detail::stream_seed(p_.seed, enterprises_stream));
        std::vector<std::uint64_t> zone_w;
        for (const auto& z : net_.zones)
            zone_w.push_back(static_cast<std::uint64_t>(info(index_of(z.district)).weight) *
                             static_cast<std::uint64_t>(detail::zone_type_weights[static_cast<std::size_t>(z.type)]));
        const WeightedIndex pick_zone(zone_w);
        static constexpr std::array<std::uint64_t, enterprise_size_count> size_w = {62, 27, 8, 3};
        const WeightedIndex pick_size(size_w);

        // Trade names: n ↦ (n × m + c) mod 100^k is a bijection when m is coprime to 100^k, so the
        // k-character names it spells are distinct without a set of 500,000 strings, yet look random.
        const std::uint64_t table = detail::trade_name_chars.size();
        int width = 2;
        std::uint64_t space = table * table;
        while (space < static_cast<std::uint64_t>(p_.enterprises)) {
            space *= table;
            ++width;
        }
        static constexpr std::array<std::uint64_t, 4> coprime_digits = {1, 3, 7, 9};
        const std::uint64_t tens = rng.below(space / 10);  // separate from the next draw: + is unsequenced
        const std::uint64_t multiplier = tens * 10 + coprime_digits[rng.index(4)];
        const std::uint64_t offset = rng.below(space);

        net_.enterprises.reserve(static_cast<std::size_t>(p_.enterprises));
        for (int i = 0; i < p_.enterprises; ++i) {
            const Zone& zone = net_.zones[pick_zone(rng)];
            const auto sectors = detail::sectors_by_zone_type[static_cast<std::size_t>(zone.type)];
            const auto& sector = pick(rng, sectors);
            Enterprise e;
            e.id = id_at<EnterpriseId>(net_.enterprises.size());
            e.zone = zone.id;
            e.size = static_cast<EnterpriseSize>(pick_size(rng));
            e.sector = std::string(sector.code);
            e.name.reserve(64);
            e.name = "杭州";
            std::uint64_t rest = (static_cast<std::uint64_t>(i) * multiplier + offset) % space;
            for (int c = 0; c < width; ++c) {
                // The low digit of an affine sequence cycles with period 100; shifting each digit by
                // a hash of the digits above it hides that and stays one-to-one (decode top down).
                std::uint64_t digit = rest % table;
                rest /= table;
                digit = (digit + detail::Rng(rest ^ offset).next() % table) % table;
                e.name += detail::trade_name_chars[digit];
            }
            e.name += sector.word;
            e.name += "有限公司";
            net_.enterprises.push_back(std::move(e));
        }
    }

    const CityParams& p_;
    Network net_;
    std::size_t district_count_ = 0;
    std::vector<int> travel_;                        // district × district minutes, 0 on the diagonal
    std::vector<std::vector<ZoneId>> zones_of_;      // by district index
    std::vector<std::size_t> backbones_;             // platform indices
    std::vector<std::vector<std::size_t>> subs_of_;  // by platform index: its sub-platforms' indices
    Names platform_names_;
    std::vector<const detail::EquipmentClassInfo*> class_info_;  // by class index
    std::vector<std::string> class_codes_;
};

}  // namespace

Network generate_city(const CityParams& params) {
    validate(params);
    return Generator(params).run();
}

}  // namespace psp::synth
