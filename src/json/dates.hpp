// Pieces shared by the JSON of the rollout modules (projects, certification, plans): calendar dates
// as "YYYY-MM-DD" (absent optionals as null), enums by name, and optional arrays read element by
// element with their JSON path, so every bad value is reported where it stands.
#pragma once

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "json/reader.hpp"

namespace psp::json {

inline std::string iso(boost::gregorian::date d) { return boost::gregorian::to_iso_extended_string(d); }

inline json date_or_null(const std::optional<boost::gregorian::date>& d) { return d ? json(iso(*d)) : json(nullptr); }

// "YYYY-MM-DD" and a real calendar day; anything else is invalid at `path`.
inline boost::gregorian::date parse_date(const json& v, const std::string& path) {
    if (!v.is_string()) bad(path, std::string("expected a date \"YYYY-MM-DD\", got ") + v.type_name());
    const auto s = v.get<std::string>();
    // Exactly this shape: Boost's own parser also takes "2025-Feb-03" and "20250203", which a
    // hand-edited file should not.
    const bool shaped = s.size() == 10 && s[4] == '-' && s[7] == '-' &&
                        std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || std::isdigit(static_cast<unsigned char>(c)); });
    if (!shaped) bad(path, "expected a date \"YYYY-MM-DD\", got '" + s + "'");
    try {
        return {static_cast<unsigned short>(std::stoi(s.substr(0, 4))), static_cast<unsigned short>(std::stoi(s.substr(5, 2))),
                static_cast<unsigned short>(std::stoi(s.substr(8, 2)))};
    } catch (const std::exception&) {
        // Boost's messages ("Day of month is not valid for year") do not say which date.
        bad(path, "no such date \"" + s + "\"");
    }
}

inline boost::gregorian::date date_at(ObjectReader& r, const char* key) {
    const json* v = r.find(key);
    if (!v) bad(r.at(key), "missing");
    return parse_date(*v, r.at(key));
}

inline std::optional<boost::gregorian::date> optional_date(ObjectReader& r, const char* key) {
    const json* v = r.find(key);
    if (!v || v->is_null()) return std::nullopt;
    return parse_date(*v, r.at(key));
}

// An enum by its to_string name, for enums with `count` values 0..count-1.
template <class Enum>
Enum enum_at(ObjectReader& r, const char* key, int count, std::optional<Enum> fallback = std::nullopt) {
    const json* v = r.find(key);
    if (!v) {
        if (fallback) return *fallback;
        bad(r.at(key), "missing");
    }
    if (!v->is_string()) bad(r.at(key), std::string("expected a name, got ") + v->type_name());
    const auto name = v->get<std::string>();
    for (int i = 0; i < count; ++i) {
        if (name == to_string(static_cast<Enum>(i))) return static_cast<Enum>(i);
    }
    bad(r.at(key), "unknown value '" + name + "'");
}

// Calls f(element, path) for each element of an optional array.
template <class F>
void each(ObjectReader& r, const char* key, F f) {
    const json* v = r.find(key);
    if (!v) return;
    if (!v->is_array()) bad(r.at(key), std::string("expected an array, got ") + v->type_name());
    for (std::size_t i = 0; i < v->size(); ++i) f((*v)[i], r.at(key) + "/" + std::to_string(i));
}

}  // namespace psp::json
