// Fuzz target: a sequence of C ABI calls driven by the fuzz bytes. The bytes are read as a little
// program: each step takes one byte choosing a call and then the bytes that call needs (ids picked
// among those created so far or deliberately unknown, enum values in and out of range, strings
// with or without valid UTF-8, NULL pointers, actors of every role, structs of a wrong version).
// The only check is the ABI's contract (psp.h conventions 2-4): every call returns 0 or a negative
// PSP_E... code, and after a failure psp_error_last() carries that code and a message. Sanitizer
// reports, leaks and crashes are findings as usual. The database is ":memory:" with a fixed clock.
#include <psp/psp.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <string>
#include <vector>

namespace {

// 2026-03-02 00:00 UTC, a Monday (08:00 in Asia/Shanghai), inside the years of the shipped holidays.
constexpr int64_t kNow = 1772409600;

int64_t fixed_clock(void*) { return kNow; }

class Input {
public:
    Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    bool empty() const { return pos_ >= size_; }
    uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
    uint16_t u16() { return static_cast<uint16_t>(u8() | (u8() << 8)); }
    uint32_t u32() { return static_cast<uint32_t>(u16()) | (static_cast<uint32_t>(u16()) << 16); }
    int64_t i64() { return static_cast<int64_t>(static_cast<uint64_t>(u32()) | (static_cast<uint64_t>(u32()) << 32)); }
    // A string of up to 15 bytes taken as they come (so sometimes not UTF-8, sometimes with a NUL).
    std::string str() {
        const size_t n = u8() % 16;
        std::string s;
        for (size_t i = 0; i < n && !empty(); ++i) s.push_back(static_cast<char>(u8()));
        return s;
    }
    // The rest of the input up to n bytes, as text (for the JSON calls).
    std::string rest(size_t n) {
        std::string s;
        while (s.size() < n && !empty()) s.push_back(static_cast<char>(u8()));
        return s;
    }

private:
    const uint8_t* data_;
    size_t size_;
    size_t pos_ = 0;
};

[[noreturn]] void finding(const char* call, int rc, const char* what) {
    const psp_error* e = psp_error_last();
    std::fprintf(stderr, "capi_sequence: %s returned %d: %s (psp_error_last: code %d, message \"%s\")\n", call, rc,
                 what, e ? e->code : 0, e && e->message ? e->message : "(null)");
    std::abort();
}

// PSP_FUZZ_TRACE=1 prints every call and its code (to see what a seed or a finding does).
const bool kTrace = std::getenv("PSP_FUZZ_TRACE") != nullptr;

// The contract of every int-returning call.
int check(const char* call, int rc) {
    if (kTrace) std::fprintf(stderr, "%4d  %s\n", rc, call);
    if (rc == 0) return rc;
    if (rc > 0 || rc < PSP_EFORMAT) finding(call, rc, "not 0 and not a PSP_E... code");
    if (rc == PSP_ITEROVER) return rc;  // iteration over, not a failure
    const psp_error* e = psp_error_last();
    if (e == nullptr) finding(call, rc, "psp_error_last() is NULL");
    if (e->message == nullptr) finding(call, rc, "psp_error_last()->message is NULL");
    if (e->code != rc) finding(call, rc, "psp_error_last()->code differs from the code returned");
    if (e->message[0] == '\0') finding(call, rc, "psp_error_last()->message is empty");
    return rc;
}
#define CALL(expr) check(#expr, (expr))

struct State {
    psp_db* db = nullptr;
    std::vector<int64_t> districts, zones, platforms, classes, equipment, enterprises, alliances, bookings;
    std::deque<std::string> strings;   // keeps the strings passed in alive (a deque: push_back never moves them)
    std::string exported;              // the last export, for re-import
};

// An id: mostly one created so far, sometimes 0, negative, huge or unknown.
int64_t pick_id(Input& in, const std::vector<int64_t>& ids) {
    const uint8_t b = in.u8();
    if (b < 200 && !ids.empty()) return ids[b % ids.size()];
    switch (b % 6) {
        case 0: return 0;
        case 1: return -1;
        case 2: return INT64_MAX;
        case 3: return INT64_MIN;
        case 4: return 1 + (b % 8);
        default: return 1000 + b;
    }
}

// An enum value: mostly in range, sometimes just out of it or far out.
int pick_enum(Input& in, int count) {
    const uint8_t b = in.u8();
    if (b < 220) return b % count;
    switch (b % 4) {
        case 0: return -1;
        case 1: return count;
        case 2: return INT32_MAX;
        default: return INT32_MIN;
    }
}

// A struct version: mostly right, sometimes 0 or from the future.
unsigned pick_version(Input& in, unsigned right) {
    const uint8_t b = in.u8();
    if (b < 240) return right;
    return b % 2 ? 0u : right + 1 + (b % 7);
}

// A string argument: NULL, empty, or bytes from the input (valid UTF-8 or not).
const char* pick_str(Input& in, State& s, bool allow_null = true) {
    const uint8_t b = in.u8();
    if (allow_null && b >= 245) return nullptr;
    if (b < 64) {
        static const char* names[] = {"Xihu", "滨江", "Zone A", "Platform", "Lab", "Firm", "", "a\"b\\c"};
        return names[b % 8];
    }
    s.strings.push_back(in.str());
    return s.strings.back().c_str();
}

// A time: near the fixed clock on the half-hour grid mostly, or anything.
int64_t pick_time(Input& in) {
    const uint8_t b = in.u8();
    if (b < 230) return kNow + static_cast<int64_t>(in.u16() % 4096) * 1800;
    switch (b % 4) {
        case 0: return 0;
        case 1: return INT64_MAX;
        case 2: return INT64_MIN;
        default: return in.i64();
    }
}

// t + seconds, wrapping instead of overflowing (the times may be INT64_MAX on purpose).
int64_t later(int64_t t, int64_t seconds) {
    return static_cast<int64_t>(static_cast<uint64_t>(t) + static_cast<uint64_t>(seconds));
}

struct ActorBox {
    psp_actor actor = PSP_ACTOR_INIT;
    bool null = false;
    const psp_actor* get() const { return null ? nullptr : &actor; }
};

ActorBox pick_actor(Input& in, State& s) {
    ActorBox a;
    const uint8_t b = in.u8();
    a.actor.name = "fuzz";
    if (b < 150) {
        a.actor.role = PSP_ROLE_PROMOTION_OFFICE;
    } else if (b < 185) {
        a.actor.role = PSP_ROLE_PLATFORM_OPERATOR;
        a.actor.platform = pick_id(in, s.platforms);
    } else if (b < 220) {
        a.actor.role = PSP_ROLE_ENTERPRISE;
        a.actor.enterprise = pick_id(in, s.enterprises);
    } else if (b < 235) {
        a.actor.role = pick_enum(in, PSP_ROLE_COUNT);
        a.actor.name = pick_str(in, s);
    } else if (b < 245) {
        a.actor.version = pick_version(in, PSP_ACTOR_VERSION);
        a.actor.role = pick_enum(in, PSP_ROLE_COUNT);
    } else {
        a.null = true;
    }
    return a;
}

void remember(std::vector<int64_t>& ids, int rc, int64_t id) {
    if (rc == 0 && id != 0 && ids.size() < 64) ids.push_back(id);
}

void take_string(char* text) { psp_free(text); }

// ---- Routing, fulfilment and settlement (psp.h "Coordination across the network and settlement")

// Reads all that a borrowed answer points to (convention 6: valid until the next psp call), so a
// dangling or short string or chain is an ASan report here instead of a read nobody makes.
volatile uint64_t g_sink;

void touch(const char* text) {
    uint64_t h = 0;
    for (const char* c = text; c != nullptr && *c != '\0'; ++c) h += static_cast<unsigned char>(*c);
    g_sink = g_sink + h;
}

void touch(const char* call, const int64_t* chain, size_t count) {
    if (count > 0 && chain == nullptr) finding(call, 0, "chain_count > 0 with a NULL chain");
    if (count > 1000) finding(call, 0, "chain_count implausibly large");
    uint64_t h = 0;
    for (size_t i = 0; i < count; ++i) h += static_cast<uint64_t>(chain[i]);
    g_sink = g_sink + h;
}

void touch(const char* call, const psp_offer& o) {
    touch(o.voucher_note);
    touch(call, o.chain, o.chain_count);
}

void touch(const char* call, const psp_served_request& r) {
    touch(r.note);
    touch(r.voucher_note);
    touch(call, r.chain, r.chain_count);
}

// A period: mostly one covering every time pick_time makes (so the served requests, settlements
// and ledgers have rows), else a fuzz-chosen one (possibly empty or reversed), or NULL.
struct PeriodBox {
    psp_period period{};
    bool null = false;
    const psp_period* get() const { return null ? nullptr : &period; }
};

PeriodBox pick_period(Input& in) {
    PeriodBox p;
    const uint8_t b = in.u8();
    if (b < 128) {
        p.period = {kNow - 86400, kNow + 4096 * 1800 + 86400};
    } else if (b < 240) {
        p.period.start = pick_time(in);
        p.period.end = later(p.period.start, static_cast<int64_t>(in.u16()) * 1800);  // 0: empty
    } else if (b < 250) {
        p.period.start = pick_time(in);
        p.period.end = pick_time(in);
    } else {
        p.null = true;
    }
    return p;
}

// A service request. Mostly equipment sharing with a class of equipment (what the network built by
// the program can serve), else any kind, a case without equipment or an out-of-range kind; then a
// bit mask of the optional fields (0: none of them, the class kept).
psp_service_request pick_request(Input& in, State& s) {
    static const std::vector<int64_t> none;  // the program creates no voucher scheme: unknown ids
    psp_service_request q = PSP_SERVICE_REQUEST_INIT;
    q.version = pick_version(in, PSP_SERVICE_REQUEST_VERSION);
    q.enterprise = pick_id(in, s.enterprises);
    const uint8_t k = in.u8();
    q.kind = k < 128 ? PSP_SERVICE_EQUIPMENT_SHARING : k < 240 ? k % PSP_SERVICE_COUNT : (k % 2 ? -1 : PSP_SERVICE_COUNT);
    q.start = pick_time(in);
    const uint8_t w = in.u8();
    q.end = w < 240 ? later(q.start, (1 + w % 16) * 1800) : pick_time(in);
    const uint8_t m = in.u8();
    q.minutes = m < 240 ? 30 * (1 + m % 8) : static_cast<int16_t>(in.u16());  // may exceed the window
    const uint8_t u = in.u8();
    q.units = u < 200 ? 1 + u % 3 : static_cast<int8_t>(u);
    const uint8_t opt = in.u8();
    if ((opt & 1) == 0) q.equipment_class = pick_id(in, s.classes);
    if (opt & 2) {
        q.has_price_ceiling = 1;
        q.price_ceiling = in.u8() < 240 ? in.u16() * 100 : in.i64();
    }
    if (opt & 4) q.voucher_scheme = pick_id(in, none);
    if (opt & 8) q.received_by = pick_id(in, s.platforms);
    if (opt & 16) q.front_door = pick_id(in, s.alliances);
    if (opt & 32) q.note = pick_str(in, s);
    return q;
}

// A weight of the weighted objective: small and finite mostly, else negative, NaN, infinite, huge.
double pick_weight(Input& in) {
    const uint8_t b = in.u8();
    if (b < 200) return (b % 20) / 4.0;
    switch (b % 5) {
        case 0: return -1.0;
        case 1: return std::numeric_limits<double>::quiet_NaN();
        case 2: return std::numeric_limits<double>::infinity();
        case 3: return -std::numeric_limits<double>::infinity();
        default: return 1e308;
    }
}

// A routing policy: NULL (the defaults) often, else the defaults with up to three fields changed,
// in range or not (every tier closed, bits beyond the tiers, max_offers 0, NaN weights...).
const psp_routing_policy* pick_policy(Input& in, psp_routing_policy& p) {
    const uint8_t b = in.u8();
    if (b < 96) return nullptr;
    p = psp_routing_policy PSP_ROUTING_POLICY_INIT;
    p.version = pick_version(in, PSP_ROUTING_POLICY_VERSION);
    for (int n = b % 4; n > 0; --n) {
        switch (in.u8() % 8) {
            case 0: p.open_tiers = in.u8() < 230 ? in.u8() & PSP_ROUTE_TIERS_ALL : in.u32(); break;
            case 1: p.max_travel_minutes = static_cast<int16_t>(in.u16()); break;
            case 2: p.max_referral_hops = static_cast<int8_t>(in.u8()); break;
            case 3: p.objective = pick_enum(in, PSP_OBJECTIVE_COUNT); break;
            case 4: p.nearest_tier_first = in.u8() & 1; break;
            case 5: p.max_offers = in.u8() < 230 ? 1 + in.u8() % 20 : static_cast<int16_t>(in.u16()); break;
            case 6: p.weight_wait_hours = pick_weight(in); p.weight_price_yuan = pick_weight(in); break;
            default: p.weight_travel_minutes = pick_weight(in); p.weight_load_percent = pick_weight(in); break;
        }
    }
    return &p;
}

void routing(State& s, Input& in) {
    psp_db* db = s.db;
    switch (in.u8() % 8) {
        case 0:
        case 1: {  // fulfil (twice the weight: the call that books and records what settlement reads)
            const psp_service_request q = pick_request(in, s);
            psp_routing_policy policy;
            const psp_routing_policy* p = pick_policy(in, policy);
            auto a = pick_actor(in, s);
            psp_served_request served = PSP_SERVED_REQUEST_INIT;
            served.version = pick_version(in, PSP_SERVED_REQUEST_VERSION);
            psp_offer miss = PSP_OFFER_INIT;
            miss.version = pick_version(in, PSP_OFFER_VERSION);
            int is_served = -1;
            const char* reason = nullptr;
            // 1-4: one out-parameter NULL (out and out_nearest_miss may be, out_served may not), 5:
            // no request, 6: no database.
            const uint8_t nulls = in.u8();
            const int rc = CALL(psp_fulfil(nulls == 1 ? nullptr : &served, nulls == 2 ? nullptr : &is_served,
                                           nulls == 3 ? nullptr : &reason, nulls == 4 ? nullptr : &miss,
                                           nulls == 6 ? nullptr : db, a.get(), nulls == 5 ? nullptr : &q, p));
            if (rc != 0) break;
            if (kTrace) std::fprintf(stderr, "      served %d, reason \"%s\"\n", is_served, reason ? reason : "(null)");
            // Convention 14: nothing fitting is an answer, with the reason; served, the reason is "".
            if (is_served != 0 && is_served != 1) finding("psp_fulfil", rc, "*out_served neither 0 nor 1");
            if (nulls != 3) {
                if (reason == nullptr) finding("psp_fulfil", rc, "*out_reason is NULL");
                if (is_served == 1 && reason[0] != '\0') finding("psp_fulfil", rc, "served with a reason");
                if (is_served == 0 && reason[0] == '\0') finding("psp_fulfil", rc, "not served and no reason");
                touch(reason);
            }
            if (is_served == 1 && nulls != 1) {
                touch("psp_fulfil out", served);
                remember(s.bookings, rc, served.booking);  // so the booking transitions reach it
            }
            if (nulls != 4) touch("psp_fulfil out_nearest_miss", miss);
            break;
        }
        case 2: {  // route: the ranked offers, nothing booked
            const psp_service_request q = pick_request(in, s);
            psp_routing_policy policy;
            const psp_routing_policy* p = pick_policy(in, policy);
            psp_offer_iter* it = nullptr;
            const uint8_t nulls = in.u8();
            if (CALL(psp_route_iter_new(nulls == 1 ? nullptr : &it, nulls == 2 ? nullptr : db,
                                        nulls == 3 ? nullptr : &q, p)) == 0) {
                psp_offer o = PSP_OFFER_INIT;
                o.version = pick_version(in, PSP_OFFER_VERSION);
                while (CALL(psp_offer_iter_next(&o, it)) == 0) touch("psp_offer_iter_next", o);
            }
            psp_offer_iter_free(it);
            // Whether anything is offered: answered at the first offer, the same errors as route.
            int can = -1;
            if (CALL(psp_can_route(nulls == 4 ? nullptr : &can, db, &q, p)) == 0 && can != 0 && can != 1) {
                std::fprintf(stderr, "psp_can_route answered %d\n", can);
                std::abort();
            }
            break;
        }
        case 3: {  // served requests of a period
            const PeriodBox period = pick_period(in);
            psp_served_requests_iter* it = nullptr;
            if (CALL(psp_served_requests_iter_new(in.u8() == 255 ? nullptr : &it, db, period.get())) == 0) {
                psp_served_request r = PSP_SERVED_REQUEST_INIT;
                r.version = pick_version(in, PSP_SERVED_REQUEST_VERSION);
                while (CALL(psp_served_requests_iter_next(&r, it)) == 0) touch("psp_served_requests_iter_next", r);
            }
            psp_served_requests_iter_free(it);
            break;
        }
        case 4: {  // service capacity (cases a week for services without equipment), then all of them
            auto a = pick_actor(in, s);
            const int64_t platform = pick_id(in, s.platforms);
            const int kind = pick_enum(in, PSP_SERVICE_COUNT);
            CALL(psp_service_capacity_set(db, a.get(), platform, kind, static_cast<int8_t>(in.u8())));
            psp_service_capacity_iter* it = nullptr;
            if (CALL(psp_service_capacity_iter_new(&it, db)) == 0) {
                psp_service_capacity c = PSP_SERVICE_CAPACITY_INIT;
                c.version = pick_version(in, PSP_SERVICE_CAPACITY_VERSION);
                while (CALL(psp_service_capacity_iter_next(&c, it)) == 0) {}
            }
            psp_service_capacity_iter_free(it);
            break;
        }
        case 5: {  // a one-stop alliance's policy: set (NULL policy included), then read back
            auto a = pick_actor(in, s);
            const int64_t alliance = pick_id(in, s.alliances);
            psp_routing_policy policy;
            const psp_routing_policy* p = pick_policy(in, policy);
            CALL(psp_alliance_policy_set(db, a.get(), alliance, p));
            psp_routing_policy got = PSP_ROUTING_POLICY_INIT;
            got.version = pick_version(in, PSP_ROUTING_POLICY_VERSION);
            int has = -1;
            const uint8_t nulls = in.u8();
            CALL(psp_alliance_policy_get(nulls == 1 ? nullptr : &got, nulls == 2 ? nullptr : &has, db,
                                         in.u8() < 200 ? alliance : pick_id(in, s.alliances)));
            break;
        }
        case 6: {  // a settlement rule (alliance 0: the default one): shares summing to 10000 mostly
            auto a = pick_actor(in, s);
            const int64_t alliance = in.u8() < 64 ? 0 : pick_id(in, s.alliances);
            int serving = 0, referring = 0, pool = 0;
            if (in.u8() < 220) {
                referring = (in.u8() % 41) * 250;  // 0..10000: with pool, may sum past 10000
                pool = (in.u8() % 41) * 250;
                serving = 10000 - referring - pool;
            } else {
                serving = static_cast<int>(in.u32());
                referring = static_cast<int16_t>(in.u16());
                pool = static_cast<int16_t>(in.u16());
            }
            CALL(psp_settlement_rule_set(db, a.get(), alliance, serving, referring, pool));
            const uint8_t nulls = in.u8();
            CALL(psp_settlement_rule_get(nulls == 1 ? nullptr : &serving, nulls == 2 ? nullptr : &referring,
                                         nulls == 3 ? nullptr : &pool, db, alliance));
            break;
        }
        default: {  // the settlement, its ledger and the unmet requests as JSON; the struct inits
            const uint8_t which = in.u8() % 4;
            if (which == 3) {  // every init of this section, with a version right or not, or NULL
                static_assert(PSP_SERVICE_REQUEST_VERSION == 1u && PSP_ROUTING_POLICY_VERSION == 1u &&
                              PSP_OFFER_VERSION == 1u && PSP_SERVED_REQUEST_VERSION == 1u &&
                              PSP_SERVICE_CAPACITY_VERSION == 1u, "one pick_version for the five inits");
                const unsigned v = pick_version(in, 1u);
                const bool null = in.u8() >= 240;
                psp_service_request q;
                psp_routing_policy p;
                psp_offer o;
                psp_served_request r;
                psp_service_capacity c;
                CALL(psp_service_request_init(null ? nullptr : &q, v));
                CALL(psp_routing_policy_init(null ? nullptr : &p, v));
                CALL(psp_offer_init(null ? nullptr : &o, v));
                CALL(psp_served_request_init(null ? nullptr : &r, v));
                CALL(psp_service_capacity_init(null ? nullptr : &c, v));
                break;
            }
            const PeriodBox period = pick_period(in);
            char* text = nullptr;
            char** out = in.u8() < 250 ? &text : nullptr;
            switch (which) {
                case 0: CALL(psp_settle_json(out, db, period.get())); break;
                case 1: CALL(psp_settlement_ledger_json(out, db, period.get())); break;
                default: CALL(psp_unmet_requests_json(out, db, period.get())); break;
            }
            take_string(text);
            break;
        }
    }
}

// The journal, and the reads on behalf of a reader (psp.h convention 10): the trusted journal or
// one of the _as twins, with a reader of any role (or NULL, or of a wrong version).
void journal_and_reader_reads(State& s, Input& in) {
    psp_db* db = s.db;
    const uint8_t which = in.u8() % 10;
    auto reader = pick_actor(in, s);
    if (which < 2) {
        psp_journal_query q = PSP_JOURNAL_QUERY_INIT;
        q.version = pick_version(in, PSP_JOURNAL_QUERY_VERSION);
        const int kind = pick_enum(in, PSP_ENTITY_KIND_COUNT + 1);  // PSP_ENTITY_ANY (-1) too
        q.entity = kind == INT32_MIN ? kind : kind - 1;
        q.limit = in.u8() % 50;
        psp_journal_iter* it = nullptr;
        const int rc = which == 0 ? CALL(psp_journal_iter_new(&it, db, &q))
                                  : CALL(psp_journal_iter_new_as(&it, db, reader.get(), &q));
        if (rc == 0) {
            psp_journal_entry e = PSP_JOURNAL_ENTRY_INIT;
            while (CALL(psp_journal_iter_next(&e, it)) == 0) {}
        }
        psp_journal_iter_free(it);
        return;
    }
    const int64_t start = pick_time(in), end = pick_time(in);
    switch (which) {
        case 2: {
            psp_booking b = PSP_BOOKING_INIT;
            CALL(psp_booking_get_as(in.u8() < 250 ? &b : nullptr, db, reader.get(), pick_id(in, s.bookings)));
            break;
        }
        case 3: {
            psp_booking_iter* it = nullptr;
            int rc = 0;
            switch (in.u8() % 3) {
                case 0: {
                    const int64_t id = pick_id(in, s.equipment);
                    rc = CALL(psp_bookings_of_equipment_iter_new_as(&it, db, reader.get(), id, start, end));
                    break;
                }
                case 1: {
                    const int64_t id = pick_id(in, s.enterprises);
                    rc = CALL(psp_bookings_of_enterprise_iter_new_as(&it, db, reader.get(), id, start, end));
                    break;
                }
                default: {
                    const int64_t id = pick_id(in, s.platforms);
                    rc = CALL(psp_bookings_of_platform_iter_new_as(&it, db, reader.get(), id, start, end));
                    break;
                }
            }
            if (rc == 0) {
                psp_booking b = PSP_BOOKING_INIT;
                while (CALL(psp_booking_iter_next(&b, it)) == 0) {}
            }
            psp_booking_iter_free(it);
            break;
        }
        case 4: {
            psp_waitlist_iter* it = nullptr;
            if (CALL(psp_waitlist_iter_new_as(&it, db, reader.get(), pick_id(in, s.equipment))) == 0) {
                psp_waitlist_entry w = PSP_WAITLIST_ENTRY_INIT;
                while (CALL(psp_waitlist_iter_next(&w, it)) == 0) {}
            }
            psp_waitlist_iter_free(it);
            break;
        }
        case 5: {
            psp_price price = PSP_PRICE_INIT;
            CALL(psp_booking_price_get_as(&price, db, reader.get(), pick_id(in, s.bookings)));
            int64_t used = 0;
            const int64_t firm = pick_id(in, s.enterprises), scheme = in.u8() % 4;
            CALL(psp_voucher_account_get_as(&used, db, reader.get(), firm, scheme, 2000 + in.u8() % 40));
            break;
        }
        case 6: {
            const psp_period period{start, end};
            psp_served_requests_iter* it = nullptr;
            if (CALL(psp_served_requests_iter_new_as(&it, db, reader.get(), in.u8() < 250 ? &period : nullptr)) == 0) {
                psp_served_request r = PSP_SERVED_REQUEST_INIT;
                while (CALL(psp_served_requests_iter_next(&r, it)) == 0) {}
            }
            psp_served_requests_iter_free(it);
            break;
        }
        default: {
            const psp_period period{start, end};
            char* text = nullptr;
            if (which == 7) {
                CALL(psp_unmet_requests_json_as(&text, db, reader.get(), &period));
            } else {
                CALL(psp_settlement_ledger_json_as(&text, db, reader.get(), &period));
            }
            take_string(text);
            break;
        }
    }
}

void step(State& s, Input& in) {
    psp_db* db = s.db;
    const uint8_t op = in.u8();
    switch (op % 32) {
        case 0: {  // district
            psp_district d = PSP_DISTRICT_INIT;
            d.version = pick_version(in, PSP_DISTRICT_VERSION);
            d.name = pick_str(in, s);
            d.x_km = static_cast<int8_t>(in.u8());
            d.y_km = in.u8() == 255 ? 1e308 * 10 : static_cast<int8_t>(in.u8());
            auto a = pick_actor(in, s);
            int64_t id = 0;
            remember(s.districts, CALL(psp_district_add(&id, db, a.get(), &d)), id);
            break;
        }
        case 1: {  // zone
            psp_zone z = PSP_ZONE_INIT;
            z.version = pick_version(in, PSP_ZONE_VERSION);
            z.name = pick_str(in, s);
            z.district = pick_id(in, s.districts);
            z.type = pick_enum(in, PSP_ZONE_TYPE_COUNT);
            auto a = pick_actor(in, s);
            int64_t id = 0;
            remember(s.zones, CALL(psp_zone_add(&id, db, a.get(), &z)), id);
            break;
        }
        case 2: {  // platform
            psp_platform p = PSP_PLATFORM_INIT;
            p.version = pick_version(in, PSP_PLATFORM_VERSION);
            p.name = pick_str(in, s);
            p.tier = pick_enum(in, PSP_TIER_COUNT);
            p.field = pick_enum(in, PSP_FIELD_COUNT);
            p.operator_model = pick_enum(in, PSP_OPERATOR_COUNT);
            p.services = in.u8() < 240 ? (in.u16() & PSP_SERVICES_ALL) : in.u32();
            p.backbone = in.u8() & 1;
            p.parent = (in.u8() & 3) == 0 ? pick_id(in, s.platforms) : 0;
            p.site = pick_id(in, s.districts);
            p.status = pick_enum(in, PSP_STATUS_COUNT);
            auto a = pick_actor(in, s);
            int64_t id = 0;
            remember(s.platforms, CALL(psp_platform_add(&id, db, a.get(), &p)), id);
            break;
        }
        case 3: {  // equipment class
            psp_equipment_class c = PSP_EQUIPMENT_CLASS_INIT;
            c.version = pick_version(in, PSP_EQUIPMENT_CLASS_VERSION);
            c.name = pick_str(in, s);
            c.category = pick_str(in, s);
            auto a = pick_actor(in, s);
            int64_t id = 0;
            remember(s.classes, CALL(psp_equipment_class_add(&id, db, a.get(), &c)), id);
            break;
        }
        case 4: {  // equipment
            psp_equipment e = PSP_EQUIPMENT_INIT;
            e.version = pick_version(in, PSP_EQUIPMENT_VERSION);
            e.name = pick_str(in, s);
            e.equipment_class = pick_id(in, s.classes);
            e.owner = pick_id(in, s.platforms);
            e.capacity_units = static_cast<int8_t>(in.u8());
            e.site = pick_id(in, s.districts);
            e.purchase_value = in.u8() < 250 ? in.u16() * 100 : in.i64();
            auto a = pick_actor(in, s);
            int64_t id = 0;
            remember(s.equipment, CALL(psp_equipment_add(&id, db, a.get(), &e)), id);
            break;
        }
        case 5: {  // enterprise
            psp_enterprise e = PSP_ENTERPRISE_INIT;
            e.version = pick_version(in, PSP_ENTERPRISE_VERSION);
            e.name = pick_str(in, s);
            e.zone = pick_id(in, s.zones);
            e.size = pick_enum(in, PSP_SIZE_COUNT);
            e.sector = pick_str(in, s);
            auto a = pick_actor(in, s);
            int64_t id = 0;
            remember(s.enterprises, CALL(psp_enterprise_add(&id, db, a.get(), &e)), id);
            break;
        }
        case 6: {  // alliance
            psp_alliance al = PSP_ALLIANCE_INIT;
            psp_alliance_member members[4];
            const size_t n = in.u8() % 5;
            for (size_t i = 0; i < n; ++i) {
                members[i].platform = pick_id(in, s.platforms);
                members[i].role = pick_enum(in, PSP_MEMBER_ROLE_COUNT);
            }
            al.version = pick_version(in, PSP_ALLIANCE_VERSION);
            al.name = pick_str(in, s);
            al.scope = pick_enum(in, PSP_SCOPE_COUNT);
            al.sector = pick_enum(in, PSP_SECTOR_COUNT);
            al.breadth = pick_enum(in, PSP_BREADTH_COUNT);
            al.lead = pick_id(in, s.platforms);
            al.members = (n > 0 || in.u8() < 200) ? members : nullptr;
            al.member_count = n;
            if (in.u8() > 250) al.member_count = 1000;  // a count larger than the array: NULL only
            if (al.member_count == 1000) al.members = nullptr;
            al.one_stop = in.u8() & 1;
            auto a = pick_actor(in, s);
            int64_t id = 0;
            remember(s.alliances, CALL(psp_alliance_add(&id, db, a.get(), &al)), id);
            break;
        }
        case 7: {  // relations
            auto a = pick_actor(in, s);
            switch (in.u8() % 6) {
                case 0: {
                    psp_travel t = PSP_TRAVEL_INIT;
                    t.from = pick_id(in, s.districts);
                    t.to = pick_id(in, s.districts);
                    t.minutes = static_cast<int16_t>(in.u16());
                    CALL(psp_travel_set(db, a.get(), &t));
                    break;
                }
                case 1: {
                    psp_zone_service z = PSP_ZONE_SERVICE_INIT;
                    z.platform = pick_id(in, s.platforms);
                    z.zone = pick_id(in, s.zones);
                    z.minutes = static_cast<int16_t>(in.u16());
                    CALL(psp_zone_service_set(db, a.get(), &z));
                    break;
                }
                case 2: {
                    psp_link l = PSP_LINK_INIT;
                    l.from = pick_id(in, s.platforms);
                    l.to = pick_id(in, s.platforms);
                    l.kind = pick_enum(in, PSP_LINK_KIND_COUNT);
                    CALL(psp_link_add(db, a.get(), &l));
                    break;
                }
                case 3: CALL(psp_travel_remove(db, a.get(), pick_id(in, s.districts), pick_id(in, s.districts))); break;
                case 4: CALL(psp_zone_service_remove(db, a.get(), pick_id(in, s.platforms), pick_id(in, s.zones))); break;
                default: CALL(psp_link_remove(db, a.get(), pick_id(in, s.platforms), pick_id(in, s.platforms))); break;
            }
            break;
        }
        case 8: {  // book
            psp_booking_request q = PSP_BOOKING_REQUEST_INIT;
            q.version = in.u8() < 20 ? 1u : pick_version(in, PSP_BOOKING_REQUEST_VERSION);
            q.equipment = pick_id(in, s.equipment);
            q.enterprise = pick_id(in, s.enterprises);
            q.start = pick_time(in);
            q.end = in.u8() < 240 ? later(q.start, (1 + in.u8() % 16) * 1800) : pick_time(in);
            q.units = static_cast<int8_t>(in.u8());
            q.note = pick_str(in, s);
            auto a = pick_actor(in, s);
            psp_booking b = PSP_BOOKING_INIT;
            int rule = -1;
            const char* reason = nullptr;
            const uint8_t nulls = in.u8();
            const int rc = CALL(psp_booking_book(nulls == 1 ? nullptr : &b, nulls == 2 ? nullptr : &rule,
                                                 nulls == 3 ? nullptr : &reason, db, a.get(), &q));
            if (rc == 0 && nulls != 2) {
                if (rule < 0 || rule >= PSP_RULE_COUNT) finding("psp_booking_book", rc, "refused_by out of range");
                if (nulls != 3 && reason == nullptr) finding("psp_booking_book", rc, "reason is NULL");
                if (rule == PSP_RULE_NONE && nulls != 1) remember(s.bookings, rc, b.id);
            }
            break;
        }
        case 9: routing(s, in); break;  // was a second "book" (8) until routing joined the fuzz build
        case 10: {  // booking lifecycle
            psp_booking b = PSP_BOOKING_INIT;
            psp_booking* out = in.u8() < 200 ? &b : nullptr;
            const int64_t id = pick_id(in, s.bookings);
            auto a = pick_actor(in, s);
            switch (in.u8() % 6) {
                case 0: CALL(psp_booking_cancel(out, db, a.get(), id)); break;
                case 1: CALL(psp_booking_approve(out, db, a.get(), id)); break;
                case 2: CALL(psp_booking_reject(out, db, a.get(), id)); break;
                case 3: CALL(psp_booking_check_in(out, db, a.get(), id)); break;
                case 4: CALL(psp_booking_complete(out, db, a.get(), id)); break;
                default: CALL(psp_booking_get(out, db, id)); break;
            }
            break;
        }
        case 11: CALL(psp_db_begin(db)); break;
        case 12: CALL(psp_db_commit(db)); break;
        case 13: CALL(psp_db_rollback(db)); break;
        case 14: {  // export
            char* text = nullptr;
            if (CALL(psp_db_export_json(in.u8() < 250 ? &text : nullptr, db)) == 0 && text != nullptr &&
                std::strlen(text) < 1 << 20)
                s.exported = text;
            take_string(text);
            break;
        }
        case 15: {  // import: the last export (into a database that is empty or not), or bytes
            auto a = pick_actor(in, s);
            const uint8_t b = in.u8();
            std::string json = b < 128 ? s.exported : in.rest(512);
            CALL(psp_db_import_json(db, a.get(), b == 255 ? nullptr : json.c_str()));
            break;
        }
        case 16: {  // JSON helpers without a database
            char* text = nullptr;
            const std::string json = in.rest(in.u8() % 128 + 1);
            switch (in.u8() % 4) {
                case 0: CALL(psp_json_normalize(&text, json.c_str())); break;
                case 1: CALL(psp_calendar_normalize(&text, json.c_str())); break;
                case 2: CALL(psp_holidays_normalize(&text, json.c_str())); break;
                default: CALL(psp_json_normalize(&text, s.exported.c_str())); break;
            }
            take_string(text);
            break;
        }
        case 17: {  // counts and gets
            switch (in.u8() % 8) {
                case 0: {
                    psp_counts c = PSP_COUNTS_INIT;
                    c.version = pick_version(in, PSP_COUNTS_VERSION);
                    CALL(psp_db_counts(&c, db));
                    break;
                }
                case 1: { psp_district d = PSP_DISTRICT_INIT; CALL(psp_district_get(&d, db, pick_id(in, s.districts))); break; }
                case 2: { psp_zone z = PSP_ZONE_INIT; CALL(psp_zone_get(&z, db, pick_id(in, s.zones))); break; }
                case 3: { psp_platform p = PSP_PLATFORM_INIT; CALL(psp_platform_get(&p, db, pick_id(in, s.platforms))); break; }
                case 4: { psp_equipment e = PSP_EQUIPMENT_INIT; CALL(psp_equipment_get(&e, db, pick_id(in, s.equipment))); break; }
                case 5: { psp_enterprise e = PSP_ENTERPRISE_INIT; CALL(psp_enterprise_get(&e, db, pick_id(in, s.enterprises))); break; }
                case 6: { psp_alliance al = PSP_ALLIANCE_INIT; CALL(psp_alliance_get(&al, db, pick_id(in, s.alliances))); break; }
                default: { int has = 0; CALL(psp_platform_contains(&has, db, pick_id(in, s.platforms))); break; }
            }
            break;
        }
        case 18: {  // graph queries through iterators, drained
            switch (in.u8() % 7) {
                case 0: {
                    psp_platform_iter* it = nullptr;
                    if (CALL(psp_platform_iter_new(&it, db)) == 0) {
                        psp_platform p = PSP_PLATFORM_INIT;
                        while (CALL(psp_platform_iter_next(&p, it)) == 0) {}
                    }
                    psp_platform_iter_free(it);
                    break;
                }
                case 1: {
                    psp_coverage_iter* it = nullptr;
                    if (CALL(psp_coverage_iter_new(&it, db)) == 0) {
                        psp_coverage_row r = PSP_COVERAGE_ROW_INIT;
                        while (CALL(psp_coverage_iter_next(&r, it)) == 0) {}
                    }
                    psp_coverage_iter_free(it);
                    break;
                }
                case 2: {
                    psp_coverage_gap_iter* it = nullptr;
                    if (CALL(psp_coverage_gap_iter_new(&it, db)) == 0) {
                        psp_coverage_gap g = PSP_COVERAGE_GAP_INIT;
                        while (CALL(psp_coverage_gap_iter_next(&g, it)) == 0) {}
                    }
                    psp_coverage_gap_iter_free(it);
                    break;
                }
                case 3: {
                    psp_duplication_iter* it = nullptr;
                    if (CALL(psp_duplication_iter_new(&it, db)) == 0) {
                        psp_duplication d = PSP_DUPLICATION_INIT;
                        while (CALL(psp_duplication_iter_next(&d, it)) == 0) {}
                    }
                    psp_duplication_iter_free(it);
                    break;
                }
                case 4: {
                    psp_reachable_iter* it = nullptr;
                    if (CALL(psp_reachable_iter_new(&it, db, pick_id(in, s.zones), pick_id(in, s.classes),
                                                    static_cast<int16_t>(in.u16()))) == 0) {
                        psp_reachable r = PSP_REACHABLE_INIT;
                        while (CALL(psp_reachable_iter_next(&r, it)) == 0) {}
                    }
                    psp_reachable_iter_free(it);
                    break;
                }
                case 5: {
                    psp_id_iter* it = nullptr;
                    const uint8_t which = in.u8() % 3;
                    const int rc = which == 0   ? CALL(psp_sub_platform_iter_new(&it, db, pick_id(in, s.platforms)))
                                   : which == 1 ? CALL(psp_alliances_of_iter_new(&it, db, pick_id(in, s.platforms)))
                                                : CALL(psp_platforms_serving_iter_new(&it, db, pick_id(in, s.zones)));
                    if (rc == 0) {
                        int64_t id = 0;
                        while (CALL(psp_id_iter_next(&id, it)) == 0) {}
                    }
                    psp_id_iter_free(it);
                    break;
                }
                default: {
                    char* text = nullptr;
                    CALL(psp_db_to_graphviz(&text, db));
                    take_string(text);
                    break;
                }
            }
            break;
        }
        case 19: {  // bookings and free slots over a period
            const int64_t start = pick_time(in), end = pick_time(in);
            switch (in.u8() % 4) {
                case 0: {
                    psp_booking_iter* it = nullptr;
                    if (CALL(psp_bookings_of_equipment_iter_new(&it, db, pick_id(in, s.equipment), start, end)) == 0) {
                        psp_booking b = PSP_BOOKING_INIT;
                        while (CALL(psp_booking_iter_next(&b, it)) == 0) {}
                    }
                    psp_booking_iter_free(it);
                    break;
                }
                case 1: {
                    psp_booking_iter* it = nullptr;
                    if (CALL(psp_bookings_of_enterprise_iter_new(&it, db, pick_id(in, s.enterprises), start, end)) == 0) {
                        psp_booking b = PSP_BOOKING_INIT;
                        while (CALL(psp_booking_iter_next(&b, it)) == 0) {}
                    }
                    psp_booking_iter_free(it);
                    break;
                }
                case 2: {
                    psp_free_slot_iter* it = nullptr;
                    if (CALL(psp_free_slot_iter_new(&it, db, pick_id(in, s.equipment), start, end,
                                                    static_cast<int8_t>(in.u8()), static_cast<int8_t>(in.u8()))) == 0) {
                        psp_period p{};
                        int n = 0;
                        while (n++ < 10000 && CALL(psp_free_slot_iter_next(&p, it)) == 0) {}
                    }
                    psp_free_slot_iter_free(it);
                    break;
                }
                default: {
                    int64_t ids[4];
                    const size_t n = in.u8() % 5;
                    for (size_t i = 0; i < n; ++i) ids[i] = pick_id(in, s.equipment);
                    int64_t eq = 0;
                    psp_period p{};
                    CALL(psp_earliest_slot(&eq, &p, db, n ? ids : nullptr, n, start, end,
                                           static_cast<int8_t>(in.u8()), static_cast<int8_t>(in.u8())));
                    break;
                }
            }
            break;
        }
        case 20: {  // removals
            auto a = pick_actor(in, s);
            switch (in.u8() % 7) {
                case 0: CALL(psp_district_remove(db, a.get(), pick_id(in, s.districts))); break;
                case 1: CALL(psp_zone_remove(db, a.get(), pick_id(in, s.zones))); break;
                case 2: CALL(psp_platform_remove(db, a.get(), pick_id(in, s.platforms))); break;
                case 3: CALL(psp_equipment_class_remove(db, a.get(), pick_id(in, s.classes))); break;
                case 4: CALL(psp_equipment_remove(db, a.get(), pick_id(in, s.equipment))); break;
                case 5: CALL(psp_enterprise_remove(db, a.get(), pick_id(in, s.enterprises))); break;
                default: CALL(psp_alliance_remove(db, a.get(), pick_id(in, s.alliances))); break;
            }
            break;
        }
        case 21: {  // platform update: read one, change a field, write it back
            psp_platform p = PSP_PLATFORM_INIT;
            const int64_t id = pick_id(in, s.platforms);
            if (CALL(psp_platform_get(&p, db, id)) != 0) p.id = id;
            std::string name = p.name ? p.name : "";  // borrowed: copy before the next call
            p.name = name.c_str();
            switch (in.u8() % 5) {
                case 0: p.status = pick_enum(in, PSP_STATUS_COUNT); break;
                case 1: p.services = in.u32(); break;
                case 2: p.parent = pick_id(in, s.platforms); break;
                case 3: p.backbone = in.u8() & 1; break;
                default: p.name = pick_str(in, s); break;
            }
            auto a = pick_actor(in, s);
            CALL(psp_platform_update(db, a.get(), &p));
            break;
        }
        case 22: {  // booking rules
            psp_booking_rules r = PSP_BOOKING_RULES_INIT;
            psp_period blackouts[2] = {{pick_time(in), pick_time(in)}, {pick_time(in), pick_time(in)}};
            r.version = pick_version(in, PSP_BOOKING_RULES_VERSION);
            switch (in.u8() % 6) {
                case 0: r.slot_minutes = static_cast<int8_t>(in.u8()); break;
                case 1: r.min_minutes = static_cast<int16_t>(in.u16()); r.max_minutes = static_cast<int16_t>(in.u16()); break;
                case 2: r.approval_required = 1; r.training_required = in.u8() & 1; break;
                case 3: r.blackouts = blackouts; r.blackout_count = in.u8() % 3; break;
                case 4: r.blackouts = nullptr; r.blackout_count = in.u8() % 3; break;
                default: r.min_notice_minutes = static_cast<int16_t>(in.u16()); r.buffer_minutes = static_cast<int8_t>(in.u8()); break;
            }
            const int64_t eq = pick_id(in, s.equipment);
            auto a = pick_actor(in, s);
            CALL(psp_booking_rules_set(db, a.get(), eq, &r));
            psp_booking_rules got = PSP_BOOKING_RULES_INIT;
            CALL(psp_booking_rules_get(&got, db, eq));
            break;
        }
        case 23: {  // calendars
            auto a = pick_actor(in, s);
            char* text = nullptr;
            static const char* calendars[] = {
                "{\"time_zone\": \"Asia/Shanghai\", \"weekly\": [[{\"open\": \"08:00\", \"close\": \"18:00\"}], [], [], [], [], [], []]}",
                "{}", "{\"weekly\": 3}", "{\"time_zone\": \"Mars/Olympus\"}"};
            const uint8_t b = in.u8();
            std::string json = b < 200 ? calendars[b % 4] : in.rest(256);
            if (in.u8() & 1) {
                const int64_t eq = pick_id(in, s.equipment);
                CALL(psp_equipment_calendar_set(db, a.get(), eq, b == 255 ? nullptr : json.c_str()));
                CALL(psp_equipment_calendar_get(&text, db, eq));
            } else {
                const int64_t p = pick_id(in, s.platforms);
                CALL(psp_platform_calendar_set(db, a.get(), p, b == 255 ? nullptr : json.c_str()));
                CALL(psp_platform_calendar_get(&text, db, p));
            }
            take_string(text);
            break;
        }
        case 24: {  // waitlist
            auto a = pick_actor(in, s);
            if (in.u8() & 1) {
                psp_booking_request q = PSP_BOOKING_REQUEST_INIT;
                q.equipment = pick_id(in, s.equipment);
                q.enterprise = pick_id(in, s.enterprises);
                q.start = pick_time(in);
                q.end = later(q.start, (1 + in.u8() % 8) * 1800);
                psp_waitlist_entry e = PSP_WAITLIST_ENTRY_INIT;
                CALL(psp_waitlist_join(&e, db, a.get(), &q));
            } else {
                psp_waitlist_iter* it = nullptr;
                CALL(psp_waitlist_promote(&it, db, a.get(), pick_id(in, s.equipment)));
                psp_waitlist_iter_free(it);
                it = nullptr;
                if (CALL(psp_waitlist_take_promotions(&it, db)) == 0) {
                    psp_waitlist_entry e = PSP_WAITLIST_ENTRY_INIT;
                    while (CALL(psp_waitlist_iter_next(&e, it)) == 0) {}
                }
                psp_waitlist_iter_free(it);
            }
            break;
        }
        case 25: {  // series and batches
            auto a = pick_actor(in, s);
            psp_booking_request q = PSP_BOOKING_REQUEST_INIT;
            q.equipment = pick_id(in, s.equipment);
            q.enterprise = pick_id(in, s.enterprises);
            q.start = pick_time(in);
            q.end = later(q.start, (1 + in.u8() % 8) * 1800);
            if (in.u8() & 1) {
                psp_recurrence r = PSP_RECURRENCE_INIT;
                r.every = pick_enum(in, PSP_EVERY_COUNT);
                r.interval = static_cast<int8_t>(in.u8());
                r.count = in.u8() % 12;
                r.until = in.u8() < 128 ? 0 : pick_time(in);
                int64_t series = 0;
                psp_booking_iter* booked = nullptr;
                psp_booking_outcome_iter* skipped = nullptr;
                CALL(psp_booking_book_series(&series, &booked, &skipped, db, a.get(), &q, &r,
                                             pick_enum(in, PSP_SERIES_MODE_COUNT)));
                psp_booking_iter_free(booked);
                psp_booking_outcome_iter_free(skipped);
                if (series != 0 && in.u8() & 1) {
                    psp_booking_iter* cancelled = nullptr;
                    CALL(psp_booking_cancel_series(&cancelled, db, a.get(), series, pick_time(in)));
                    psp_booking_iter_free(cancelled);
                }
            } else {
                psp_booking_request q2 = q;
                q2.start = pick_time(in);
                q2.end = later(q2.start, 1800);
                const psp_booking_request* requests[3] = {&q, &q2, in.u8() < 20 ? nullptr : &q};
                psp_booking_outcome_iter* it = nullptr;
                if (CALL(psp_booking_book_batch(&it, db, a.get(), requests, in.u8() % 4)) == 0 && it) {
                    psp_booking_outcome o = PSP_BOOKING_OUTCOME_INIT;
                    while (CALL(psp_booking_outcome_iter_next(&o, it)) == 0) {}
                }
                psp_booking_outcome_iter_free(it);
            }
            break;
        }
        case 26: {  // no-shows and utilisation
            auto a = pick_actor(in, s);
            psp_booking_iter* it = nullptr;
            CALL(psp_booking_mark_no_shows(&it, db, a.get()));
            psp_booking_iter_free(it);
            psp_utilisation u = PSP_UTILISATION_INIT;
            CALL(psp_equipment_utilisation(&u, db, pick_id(in, s.equipment), pick_time(in), pick_time(in)));
            break;
        }
        case 27: journal_and_reader_reads(s, in); break;
        case 28: {  // NULL handles and out-parameters (convention 4)
            switch (in.u8() % 10) {
                case 0: CALL(psp_db_begin(nullptr)); break;
                case 1: CALL(psp_db_export_json(nullptr, db)); break;
                case 2: { char* t = nullptr; CALL(psp_db_export_json(&t, nullptr)); take_string(t); break; }
                case 3: CALL(psp_district_add(nullptr, db, nullptr, nullptr)); break;
                case 4: CALL(psp_platform_get(nullptr, db, pick_id(in, s.platforms))); break;
                case 5: CALL(psp_db_counts(nullptr, db)); break;
                case 6: CALL(psp_booking_book(nullptr, nullptr, nullptr, db, nullptr, nullptr)); break;
                case 7: { int v = 0; CALL(psp_db_in_transaction(&v, db)); CALL(psp_db_in_transaction(nullptr, db)); break; }
                case 8: { psp_platform_iter* it = nullptr; CALL(psp_platform_iter_next(nullptr, it)); break; }
                default: {
                    int v = 0;
                    CALL(psp_enum_parse(&v, pick_enum(in, PSP_ENUM_COUNT), pick_str(in, s)));
                    (void)psp_enum_name(pick_enum(in, PSP_ENUM_COUNT), static_cast<int8_t>(in.u8()));
                    (void)psp_strerror(static_cast<int8_t>(in.u8()));
                    break;
                }
            }
            break;
        }
        case 29: {  // training records
            auto a = pick_actor(in, s);
            const int64_t e = pick_id(in, s.enterprises), c = pick_id(in, s.classes);
            CALL(psp_training_set(db, a.get(), e, c, in.u8() & 1));
            int has = 0;
            CALL(psp_training_get(&has, db, e, c));
            break;
        }
        case 30: {  // the other entity iterators
            psp_enterprise_iter* it = nullptr;
            if (CALL(psp_enterprise_iter_new(&it, db)) == 0) {
                psp_enterprise e = PSP_ENTERPRISE_INIT;
                while (CALL(psp_enterprise_iter_next(&e, it)) == 0) {}
            }
            psp_enterprise_iter_free(it);
            psp_member_iter* m = nullptr;
            if (CALL(psp_member_iter_new(&m, db, pick_id(in, s.alliances))) == 0) {
                psp_alliance_member am{};
                while (CALL(psp_member_iter_next(&am, m)) == 0) {}
            }
            psp_member_iter_free(m);
            break;
        }
        default: {  // statistics rebuild, and a zone update
            CALL(psp_statistics_rebuild(db));
            psp_zone z = PSP_ZONE_INIT;
            const int64_t id = pick_id(in, s.zones);
            if (CALL(psp_zone_get(&z, db, id)) != 0) z.id = id;
            std::string name = z.name ? z.name : "";
            z.name = name.c_str();
            z.type = pick_enum(in, PSP_ZONE_TYPE_COUNT);
            auto a = pick_actor(in, s);
            CALL(psp_zone_update(db, a.get(), &z));
            break;
        }
    }
    if (s.strings.size() > 64) s.strings.clear();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 4096) return 0;  // long programs only slow the search down
    Input in(data, size);
    State s;
    psp_open_options options = PSP_OPEN_OPTIONS_INIT;
    options.clock = fixed_clock;
    if (CALL(psp_db_open(&s.db, ":memory:", &options)) != 0 || s.db == nullptr) {
        std::fprintf(stderr, "capi_sequence: psp_db_open(\":memory:\") failed: %s\n", psp_error_last()->message);
        std::abort();
    }
    int steps = 0;
    while (!in.empty() && steps++ < 200) step(s, in);
    psp_db_close(s.db);
    psp_error_clear();
    return 0;
}
