// Text of figures for the projects module (src/projects/format.hpp).
#include "projects/format.hpp"

#include <cstdio>

#include <boost/date_time/gregorian/gregorian.hpp>

namespace psp::projects {
namespace {

// "35", "35.5", "35.25" for 3500, 3550, 3525 hundredths.
std::string hundredths(int v) {
    const bool negative = v < 0;
    const long long a = negative ? -static_cast<long long>(v) : v;
    char buf[40];
    if (a % 100 == 0) {
        std::snprintf(buf, sizeof buf, "%s%lld", negative ? "-" : "", a / 100);
    } else if (a % 10 == 0) {
        std::snprintf(buf, sizeof buf, "%s%lld.%lld", negative ? "-" : "", a / 100, a % 100 / 10);
    } else {
        std::snprintf(buf, sizeof buf, "%s%lld.%02lld", negative ? "-" : "", a / 100, a % 100);
    }
    return buf;
}

}  // namespace

int share_bp(Fen part, Fen whole) {
    __extension__ typedef __int128 Wide;
    if (whole <= 0) return part > 0 ? full_bp : 0;
    const Wide bp = static_cast<Wide>(part) * full_bp / whole;
    if (bp > 1'000'000) return 1'000'000;
    if (bp < -1'000'000) return -1'000'000;
    return static_cast<int>(bp);
}

std::string iso(greg::date d) { return greg::to_iso_extended_string(d); }

std::string plain(int bp) { return hundredths(bp); }

std::string percent(int bp) { return hundredths(bp).append(" %"); }

std::string points(int bp) { return hundredths(bp).append(bp == 100 || bp == -100 ? " point" : " points"); }

std::string yuan(Fen fen) {
    const bool negative = fen < 0;
    const auto a = negative ? -static_cast<unsigned long long>(fen) : static_cast<unsigned long long>(fen);
    std::string whole = std::to_string(a / 100);
    std::string grouped;
    const std::size_t n = whole.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0) grouped.push_back(',');
        grouped.push_back(whole[i]);
    }
    char cents[8];
    std::snprintf(cents, sizeof cents, ".%02llu", a % 100);
    std::string out = negative ? "-" : "";
    return out.append(grouped).append(cents).append(" yuan");
}

const char* verdict_words(Verdict v) {
    switch (v) {
    case Verdict::on_track: return "on track";
    case Verdict::warning: return "warning";
    case Verdict::rectify: return "rectify";
    case Verdict::suspend_funding: return "suspend funding";
    case Verdict::revoke: return "revoke";
    }
    return "?";
}

std::string field_of(std::int64_t project, const char* field) {
    return std::string("project ").append(std::to_string(project)).append(" ").append(field).append(": ");
}

}  // namespace psp::projects
