// Text helpers of the certification messages (src/certification/text.hpp).
#include "certification/text.hpp"

#include <cstdio>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "psp/error.hpp"

namespace psp::certification {

std::string count_of(std::int64_t n, const char* singular, const char* plural) {
    std::string s = std::to_string(n);
    s += ' ';
    s += n == 1 ? singular : plural;
    return s;
}

std::string percent(std::int64_t bp) {
    const bool negative = bp < 0;
    const std::uint64_t a = negative ? 0 - static_cast<std::uint64_t>(bp) : static_cast<std::uint64_t>(bp);
    char buf[48];
    const unsigned long long whole = a / 100, frac = a % 100;
    if (frac == 0) {
        std::snprintf(buf, sizeof buf, "%s%llu %%", negative ? "-" : "", whole);
    } else if (frac % 10 == 0) {
        std::snprintf(buf, sizeof buf, "%s%llu.%llu %%", negative ? "-" : "", whole, frac / 10);
    } else {
        std::snprintf(buf, sizeof buf, "%s%llu.%02llu %%", negative ? "-" : "", whole, frac);
    }
    return buf;
}

std::string date_text(boost::gregorian::date d) {
    if (d.is_special()) return "not-a-date";
    return boost::gregorian::to_iso_extended_string(d);
}

void invalid(const std::string& message) { throw Error(ErrorCode::invalid, message); }

}  // namespace psp::certification
