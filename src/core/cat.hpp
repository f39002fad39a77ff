// String building by append, for messages and reports (private): cat("project ", id, ": ", what).
// GCC 12 at -O3 warns falsely (-Wrestrict) on chains of std::string operator+; appending does not.
#pragma once

#include <concepts>
#include <string>
#include <string_view>

namespace psp::detail {

inline void put(std::string& s, std::string_view v) { s.append(v); }
inline void put(std::string& s, char c) { s.push_back(c); }
template <std::integral I>
    requires(!std::same_as<I, char> && !std::same_as<I, bool>)
void put(std::string& s, I v) {
    s.append(std::to_string(v));
}
template <class... Parts>
std::string cat(const Parts&... parts) {
    std::string s;
    (put(s, parts), ...);
    return s;
}

}  // namespace psp::detail
