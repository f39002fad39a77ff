// Error text shared by the evaluation sources: every message names the indicator and the platform.
#pragma once

#include <cstdio>
#include <string>

#include "psp/error.hpp"

namespace psp::evaluation {

[[noreturn]] inline void invalid(const std::string& message) { throw Error(ErrorCode::invalid, message); }

inline std::string quoted(const std::string& name) {
    std::string out = "'";
    out.append(name).append("'");
    return out;
}

inline std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

}  // namespace psp::evaluation
