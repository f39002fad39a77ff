// psp::Error and the error codes shared with the C ABI (capi/include/psp/psp.h uses the same values).
#pragma once

#include <stdexcept>
#include <string>

namespace psp {

// Values are part of the stable C ABI: never renumber, only append.
enum class ErrorCode : int {
    ok = 0,
    not_found = -1,     // an id or name that does not exist
    exists = -2,        // a name or id already taken
    invalid = -3,       // an argument or spec that breaks a rule of the model
    refused = -4,       // a rule refuses the change (e.g. others depend on the entity)
    permission = -5,    // the actor may not make this change
    busy = -6,          // the database is locked by another writer
    io = -7,            // file or database I/O failed
    no_memory = -8,     // out of memory
    iter_over = -9,     // an iterator has no more rows (C ABI only)
    format = -10,       // not a psp database, or a schema newer than this library
};

// Short stable name of a code ("not_found", ...).
const char* to_string(ErrorCode code) noexcept;

// Misuse and failures: unknown ids, invalid specs, I/O. Expected outcomes are values, not Errors.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message)
        : std::runtime_error(message), code_(code) {}
    ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

}  // namespace psp
