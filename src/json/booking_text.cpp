// Direct JSON writers for the booking hot path (see booking_text.hpp).
#include "json/booking_text.hpp"

#include <cinttypes>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace psp::json {
namespace {

// A JSON string literal. Notes are mostly empty; the rare non-empty one goes through nlohmann's
// escaping, which handles control characters and keeps UTF-8 as it is.
void append_string(std::string& out, const std::string& s) {
    if (s.empty()) {
        out += "\"\"";
        return;
    }
    out += nlohmann::json(s).dump();
}

}  // namespace

std::string price_text(const PriceBreakdown& p) {
    char head[160];
    std::snprintf(head, sizeof head,
                  "{\"enterprise_pays\":%" PRId64 ",\"gross\":%" PRId64 ",\"scheme\":%" PRId64 ",\"voucher_note\":",
                  static_cast<std::int64_t>(p.enterprise_pays), static_cast<std::int64_t>(p.gross),
                  static_cast<std::int64_t>(p.scheme.value));
    std::string out = head;
    append_string(out, p.voucher_note);
    char tail[48];
    std::snprintf(tail, sizeof tail, ",\"voucher_pays\":%" PRId64 "}", static_cast<std::int64_t>(p.voucher_pays));
    out += tail;
    return out;
}

std::string booking_text(const Booking& b, const PriceBreakdown* price) {
    char head[256];
    std::snprintf(head, sizeof head,
                  "{\"cancellation_fee\":%" PRId64 ",\"created\":%" PRId64 ",\"end\":%" PRId64 ",\"enterprise\":%" PRId64
                  ",\"equipment\":%" PRId64 ",\"id\":%" PRId64 ",\"note\":",
                  static_cast<std::int64_t>(b.cancellation_fee), static_cast<std::int64_t>(b.created),
                  static_cast<std::int64_t>(b.period.end), static_cast<std::int64_t>(b.enterprise.value),
                  static_cast<std::int64_t>(b.equipment.value), static_cast<std::int64_t>(b.id.value));
    std::string out;
    out.reserve(price ? 320 : 200);
    out += head;
    append_string(out, b.note);
    if (price) {
        out += ",\"price\":";
        out += price_text(*price);
    }
    char tail[96];
    std::snprintf(tail, sizeof tail, ",\"start\":%" PRId64 ",\"status\":\"%s\",\"units\":%d}",
                  static_cast<std::int64_t>(b.period.start), to_string(b.status), b.units);
    out += tail;
    return out;
}

}  // namespace psp::json
