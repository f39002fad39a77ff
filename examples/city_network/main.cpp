// city_network: generates a synthetic Hangzhou, saves it to a psp database file, reopens it and
// prints what the network holds, where services are missing and where they are built twice (§2.2).
//
//   city_network [--db PATH] [--dot PATH] [--scale district|city|region] [--seed N]
#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "psp/database.hpp"
#include "psp/error.hpp"
#include "psp/synth.hpp"

namespace {

constexpr const char* usage =
    "usage: city_network [--db PATH] [--dot PATH] [--scale district|city|region] [--seed N]\n"
    "  --db PATH     SQLite file to create; an old file there is replaced (default city.psp)\n"
    "  --dot PATH    Graphviz DOT file to write (default city.dot)\n"
    "  --scale S     district, city or region (DESIGN.md section 5; default city)\n"
    "  --seed N      seed of the synthetic city, an unsigned integer (default 1)\n";

struct Options {
    std::string db = "city.psp";
    std::string dot = "city.dot";
    psp::synth::Scale scale = psp::synth::Scale::city;
    std::string scale_name = "city";
    std::uint64_t seed = 1;
    bool help = false;
};

struct UsageError {
    std::string message;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            o.help = true;
            continue;
        }
        if (arg != "--db" && arg != "--dot" && arg != "--scale" && arg != "--seed")
            throw UsageError{"unknown argument '" + std::string(arg) + "'"};
        // A value that looks like an option means the value was left out.
        if (i + 1 >= argc || std::string_view(argv[i + 1]).starts_with("--"))
            throw UsageError{std::string(arg) + " needs a value"};
        const std::string value = argv[++i];
        if (arg == "--db") {
            if (value.empty()) throw UsageError{"--db needs a path"};
            o.db = value;
        } else if (arg == "--dot") {
            if (value.empty()) throw UsageError{"--dot needs a path"};
            o.dot = value;
        } else if (arg == "--scale") {
            static const std::map<std::string, psp::synth::Scale, std::less<>> scales = {
                {"district", psp::synth::Scale::district},
                {"city", psp::synth::Scale::city},
                {"region", psp::synth::Scale::region}};
            const auto it = scales.find(value);
            if (it == scales.end()) throw UsageError{"unknown scale '" + value + "'"};
            o.scale = it->second;
            o.scale_name = value;
        } else {
            const char* end = value.data() + value.size();
            const auto [ptr, ec] = std::from_chars(value.data(), end, o.seed);
            if (value.empty() || ec != std::errc() || ptr != end)
                throw UsageError{"--seed needs an unsigned integer, not '" + value + "'"};
        }
    }
    return o;
}

// The database and its WAL companions: a stale -wal beside a fresh file would be replayed into it.
void remove_old_database(const std::string& path) {
    namespace fs = std::filesystem;
    if (fs::is_directory(path)) throw psp::Error(psp::ErrorCode::io, "'" + path + "' is a directory");
    for (const std::string& p : {path, path + "-wal", path + "-shm"}) {
        std::error_code ec;
        fs::remove(p, ec);
        if (ec) throw psp::Error(psp::ErrorCode::io, "cannot remove '" + p + "': " + ec.message());
    }
}

// Columns of a terminal that a UTF-8 string takes: CJK and full-width forms take two.
std::size_t display_width(std::string_view s) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = len == 1 ? c : c & (0x7F >> len);
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        width += cp >= 0x2E80 && cp <= 0xFFEF ? 2 : 1;
        i += len;
    }
    return width;
}

// `s` cut to at most `width` columns (whole characters, an ellipsis if cut) and padded to it.
std::string fit(std::string_view s, std::size_t width) {
    std::string out;
    std::size_t used = 0;
    const bool cut = display_width(s) > width;
    const std::size_t room = cut ? width - 1 : width;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        const std::string_view ch = s.substr(i, len);
        const std::size_t w = display_width(ch);
        if (used + w > room) break;
        out += ch;
        used += w;
        i += len;
    }
    if (cut) {
        out += "…";
        ++used;
    }
    out.append(width - std::min(width, used), ' ');
    return out;
}

// Column heads of the coverage table, in ServiceKind order.
constexpr std::array<const char*, psp::service_kind_count> kind_heads = {
    "RD", "PD", "MC", "MK", "ST", "IC", "EQ", "SM", "TA", "FG", "IP", "TD", "QT", "AA"};

double ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

int run(const Options& o) {
    using psp::Database;
    namespace synth = psp::synth;
    auto t = std::chrono::steady_clock::now();
    const psp::Network net = synth::generate_city(synth::CityParams::for_scale(o.scale, o.seed));
    const double generate_ms = ms_since(t);

    remove_old_database(o.db);
    t = std::chrono::steady_clock::now();
    {
        auto db = Database::open(o.db);
        db.import_network(psp::Actor::office("city_network"), net);
    }  // closed here, so that what follows reads only what reached the file
    const double save_ms = ms_since(t);

    t = std::chrono::steady_clock::now();
    const auto db = Database::open(o.db);
    const auto counts = db.counts();
    const double reopen_ms = ms_since(t);

    std::cout << "psp city network: a synthetic Hangzhou at " << o.scale_name << " scale, seed " << o.seed << "\n"
              << "generated in " << static_cast<long>(generate_ms) << " ms, saved to " << o.db << " in "
              << static_cast<long>(save_ms) << " ms, reopened in " << static_cast<long>(reopen_ms) << " ms\n\n";

    std::cout << "Counts\n";
    auto row = [](const char* what, std::size_t n, const std::string& note = {}) {
        std::cout << "  " << fit(what, 20) << std::string(8 - std::min<std::size_t>(8, std::to_string(n).size()), ' ')
                  << n << (note.empty() ? "" : "  " + note) << "\n";
    };
    row("districts", counts.districts);
    row("zones", counts.zones);
    row("platforms", counts.platforms,
        "(" + std::to_string(counts.backbones) + " backbones, " + std::to_string(counts.sub_platforms) +
            " sub-platforms)");
    row("alliances", counts.alliances);
    row("equipment classes", counts.equipment_classes);
    row("equipment", counts.equipment);
    row("enterprises", counts.enterprises);
    row("zone services", counts.zone_services);
    row("platform links", counts.links);
    row("travel pairs", counts.travel);

    std::unordered_map<std::int64_t, std::string> zone_names, platform_names, district_names;
    for (const auto& d : db.districts()) district_names[d.id.value] = d.name;
    for (const auto& z : db.zones()) zone_names[z.id.value] = z.name + "（" + district_names[z.district.value] + "）";
    for (const auto& p : db.platforms()) platform_names[p.id.value] = p.name;

    // Coverage gaps, one row per zone that lacks something.
    const auto gaps = db.coverage_gaps();
    std::map<std::int64_t, std::array<bool, psp::service_kind_count>> missing;
    for (const auto& g : gaps) missing[g.zone.value][static_cast<std::size_t>(g.kind)] = true;
    std::cout << "\nCoverage gaps: " << gaps.size() << " of " << counts.zones * psp::service_kind_count
              << " zone × service cells have no operating platform, in " << missing.size() << " of "
              << counts.zones << " zones\n";
    constexpr std::size_t shown_zones = 15;
    constexpr std::size_t name_width = 34;
    if (!missing.empty()) {
        std::cout << "  " << fit("zone", name_width);
        for (const char* h : kind_heads) std::cout << ' ' << fit(h, 2);
        std::cout << "\n";
        std::size_t shown = 0;
        for (const auto& [zone, kinds] : missing) {
            if (shown++ == shown_zones) break;
            std::cout << "  " << fit(zone_names[zone], name_width);
            for (bool m : kinds) std::cout << ' ' << (m ? " x" : " .");
            std::cout << "\n";
        }
        if (missing.size() > shown_zones)
            std::cout << "  … and " << missing.size() - shown_zones << " more zones with gaps\n";
        std::cout << "  x = missing;";
        for (int k = 0; k < psp::service_kind_count; ++k)
            std::cout << (k % 5 == 4 ? "\n   " : "") << ' ' << kind_heads[static_cast<std::size_t>(k)] << ' '
                      << psp::to_string(static_cast<psp::ServiceKind>(k));
        std::cout << "\n";
    }

    // Duplications: several platforms of one field offering one service to one zone.
    auto dups = db.duplications();
    // The worst first: where most platforms of one field crowd one service into one zone.
    std::stable_sort(dups.begin(), dups.end(), [](const auto& a, const auto& b) {
        return a.platforms.size() > b.platforms.size();
    });
    std::cout << "\nDuplications: " << dups.size()
              << " zone × field × service cells served by two or more platforms of the same field"
              << (dups.empty() ? "" : "; the largest:") << "\n";
    constexpr std::size_t shown_dups = 6;
    for (std::size_t i = 0; i < std::min(shown_dups, dups.size()); ++i) {
        const auto& d = dups[i];
        std::cout << "  " << zone_names[d.zone.value] << " · " << psp::to_string(d.field) << " · "
                  << psp::to_string(d.kind) << " · " << d.platforms.size() << " platforms:\n";
        constexpr std::size_t shown_platforms = 3;
        for (std::size_t k = 0; k < std::min(shown_platforms, d.platforms.size()); ++k)
            std::cout << "      " << platform_names[d.platforms[k].value] << "\n";
        if (d.platforms.size() > shown_platforms)
            std::cout << "      … and " << d.platforms.size() - shown_platforms << " more\n";
    }
    if (dups.size() > shown_dups) std::cout << "  … and " << dups.size() - shown_dups << " more\n";

    const std::string dot = db.to_graphviz();
    std::ofstream out(o.dot, std::ios::binary | std::ios::trunc);
    out << dot;
    out.close();
    if (!out) throw psp::Error(psp::ErrorCode::io, "cannot write '" + o.dot + "'");
    std::cout << "\nwrote " << o.dot << " (" << dot.size() / 1024 << " KiB of Graphviz DOT)\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parse(argc, argv);
    } catch (const UsageError& e) {
        std::cerr << "city_network: " << e.message << "\n" << usage;
        return 2;
    }
    if (options.help) {
        std::cout << usage;
        return 0;
    }
    try {
        return run(options);
    } catch (const psp::Error& e) {
        std::cerr << "city_network: " << e.what() << " (" << psp::to_string(e.code()) << ")\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "city_network: " << e.what() << "\n";
        return 1;
    }
}
