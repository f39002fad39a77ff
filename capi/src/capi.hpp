// Shared machinery of the C ABI wrappers: the exception guard, the refcounted database handle,
// argument checks (NULL, struct version, enum range, UTF-8) and snapshot iterators.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "psp/database.hpp"
#include "psp/error.hpp"
#include "psp/psp.h"

// The handle behind psp_db: refcounted so iterators keep it alive; calls on it are serialised.
struct psp_db {
    explicit psp_db(psp::Database d) : db(std::move(d)) {}
    std::atomic<long> refs{1};
    std::mutex mu;
    psp::Database db;
};

namespace psp::capi {

static_assert(PSP_ENOTFOUND == static_cast<int>(ErrorCode::not_found));
static_assert(PSP_EEXISTS == static_cast<int>(ErrorCode::exists));
static_assert(PSP_EINVALID == static_cast<int>(ErrorCode::invalid));
static_assert(PSP_EREFUSED == static_cast<int>(ErrorCode::refused));
static_assert(PSP_EPERM == static_cast<int>(ErrorCode::permission));
static_assert(PSP_EBUSY == static_cast<int>(ErrorCode::busy));
static_assert(PSP_EIO == static_cast<int>(ErrorCode::io));
static_assert(PSP_ENOMEM == static_cast<int>(ErrorCode::no_memory));
static_assert(PSP_ITEROVER == static_cast<int>(ErrorCode::iter_over));
static_assert(PSP_EFORMAT == static_cast<int>(ErrorCode::format));

// Records the failure for psp_error_last() on this thread and returns code. Never throws.
int fail(int code, const char* function, const char* message) noexcept;

[[noreturn]] inline void invalid(const std::string& message) { throw Error(ErrorCode::invalid, message); }

// The one exception boundary: every extern "C" body that can fail runs through it.
template <class F>
int guard(const char* function, F&& body) noexcept {
    try {
        return body();
    } catch (const Error& e) {
        return fail(static_cast<int>(e.code()), function, e.what());
    } catch (const std::bad_alloc&) {
        return fail(PSP_ENOMEM, function, "out of memory");
    } catch (const std::logic_error& e) {  // invalid_argument, out_of_range, Boost date errors...
        return fail(PSP_EINVALID, function, e.what());
    } catch (const std::exception& e) {    // SQLite, file system and other run-time failures
        return fail(PSP_EIO, function, e.what());
    } catch (...) {
        return fail(PSP_EIO, function, "unknown failure");
    }
}

template <class T>
T& require(T* p, const char* name) {
    if (p == nullptr) invalid(std::string(name) + " is NULL");
    return *p;
}

// A required string argument: not NULL, valid UTF-8.
std::string_view require_str(const char* s, const char* name);
// An optional string argument: NULL reads as "".
std::string_view optional_str(const char* s, const char* name);

// A versioned struct: not NULL and of a version this library knows (1..current).
template <class T>
T& require_struct(T* p, unsigned current, const char* name) {
    auto& s = require(p, name);
    if (s.version < 1 || s.version > current) {
        invalid(std::string(name) + ": unsupported struct version " + std::to_string(s.version) +
                " (this library knows 1.." + std::to_string(current) + "; use the _INIT macro)");
    }
    return s;
}

template <class Enum>
Enum require_enum(int value, int count, const char* name) {
    if (value < 0 || value >= count) {
        invalid(std::string(name) + ": " + std::to_string(value) + " is out of range (0.." +
                std::to_string(count - 1) + ")");
    }
    return static_cast<Enum>(value);
}

// `what` names the argument in messages: "actor" for changes, "reader" for the _as reads.
Actor actor_from_c(const psp_actor* actor, const char* what = "actor");
inline Actor reader_from_c(const psp_actor* reader) { return actor_from_c(reader, "reader"); }

// The database of a handle, checked for NULL.
inline psp_db& handle(psp_db* db) { return require(db, "db"); }

inline void retain(psp_db* db) noexcept { db->refs.fetch_add(1, std::memory_order_relaxed); }
inline void release(psp_db* db) noexcept {
    if (db != nullptr && db->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete db;
}

// A copy of s in malloc'd memory, for the caller to psp_free.
char* dup_string(const std::string& s);

// Every call that answers text for the caller to psp_free: *out cleared first, `answer` run on the
// database under the handle's lock (it checks its own arguments and returns the text), the text
// copied out only on success.
// A period argument: not NULL, not empty or reversed.
inline psp::Period period_from_c(const psp_period* period) {
    const auto& p = require(period, "period");
    const psp::Period w{p.start, p.end};
    if (w.empty()) invalid("period: [" + std::to_string(p.start) + ", " + std::to_string(p.end) + ") is empty or reversed");
    return w;
}

template <class F>
int text_out(const char* function, char** out, psp_db* db, F&& answer) {
    if (out != nullptr) *out = nullptr;
    return guard(function, [&] {
        require(out, "out");
        auto& h = handle(db);
        std::string text;
        {
            std::lock_guard lock(h.mu);
            text = answer(h.db);
        }
        *out = dup_string(text);
        return 0;
    });
}

// Where the borrowed pointers of a filled struct point: owned by an iterator or, for _get, by
// the calling thread.
struct Scratch {
    std::vector<psp_alliance_member> members;
    std::vector<std::int64_t> ids;
};

// A snapshot iterator: the rows are copied at creation; the database is kept alive.
template <class Row>
struct Iter {
    Iter(psp_db* d, std::vector<Row> r) : db(d), rows(std::move(r)) { retain(db); }
    Iter(const Iter&) = delete;
    Iter& operator=(const Iter&) = delete;
    ~Iter() { release(db); }

    psp_db* db;
    std::vector<Row> rows;
    std::size_t pos = 0;
    Scratch scratch;
};

// Creates an iterator over what query(database) answers, under the handle's lock.
template <class It, class Query>
int iter_new(const char* function, It** out, psp_db* db, Query&& query) {
    if (out != nullptr) *out = nullptr;
    return guard(function, [&] {
        require(out, "out");
        auto& h = handle(db);
        auto rows = [&] {
            std::lock_guard lock(h.mu);
            return query(h.db);
        }();
        *out = new It(&h, std::move(rows));
        return 0;
    });
}

// Fills *out with the next row through to_c(row, *out, scratch), or returns PSP_ITEROVER.
template <class It, class Out, class ToC>
int iter_next(const char* function, Out* out, It* it, unsigned version, ToC&& to_c) {
    return guard(function, [&] {
        auto& o = require_struct(out, version, "out");
        auto& i = require(it, "it");
        if (i.pos >= i.rows.size()) return PSP_ITEROVER;
        to_c(i.rows[i.pos++], o, i.scratch);
        return 0;
    });
}

// Sets a versioned struct to its defaults (its _INIT macro) and stamps the version asked for.
template <class T>
int init_struct(const char* function, T* p, unsigned version, unsigned current, const char* name,
                const T& defaults) {
    return guard(function, [&] {
        require(p, name);
        if (version < 1 || version > current) {
            invalid(std::string("version: unsupported struct version ") + std::to_string(version) +
                    " (this library knows 1.." + std::to_string(current) + ")");
        }
        *p = defaults;
        p->version = version;
        return 0;
    });
}

// The same for a struct that grew: sizes[v - 1] is the size of version v, and only that many
// bytes are written (a caller built against an older psp.h passes a smaller struct).
template <class T, std::size_t N>
int init_struct(const char* function, T* p, unsigned version, unsigned current, const char* name,
                const T& defaults, const std::size_t (&sizes)[N]) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_standard_layout_v<T>);
    return guard(function, [&] {
        require(p, name);
        if (version < 1 || version > current || version > N) {
            invalid(std::string("version: unsupported struct version ") + std::to_string(version) +
                    " (this library knows 1.." + std::to_string(current) + ")");
        }
        T stamped = defaults;
        stamped.version = version;
        std::memcpy(static_cast<void*>(p), &stamped, sizes[version - 1]);
        return 0;
    });
}

}  // namespace psp::capi
