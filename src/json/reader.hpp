// A strict reader of one JSON object: typed accessors that name the JSON path of a bad value,
// and a final check that no unknown key was given (a typo must not be silently ignored).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "psp/error.hpp"
#include "psp/model.hpp"

namespace psp::json {

using nlohmann::json;

[[noreturn]] inline void bad(const std::string& path, const std::string& message) {
    throw Error(ErrorCode::invalid, (path.empty() ? std::string("/") : path) + ": " + message);
}

inline const char* type_name(const json& j) { return j.type_name(); }

// Re-throws a model's Error (e.g. from validate()) with the JSON path of the value in front.
[[noreturn]] inline void rethrow_at(const std::string& path, const Error& e) {
    std::string message = path.empty() ? std::string("/") : path;
    message.append(": ").append(e.what());
    throw Error(e.code(), message);
}

// Runs the model's validate() on a value read at `path`, with the path in front of its message.
template <class T>
void validate_at(const std::string& path, const T& value) {
    try {
        validate(value);
    } catch (const Error& e) {
        rethrow_at(path, e);
    }
}

// Parses a whole document; malformed text is ErrorCode::invalid at path "/".
inline json parse_document(std::string_view text) {
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        throw Error(ErrorCode::invalid, std::string("/: malformed JSON: ") + e.what());
    } catch (const json::exception& e) {   // e.g. a number beyond a double: "1e400"
        throw Error(ErrorCode::invalid, std::string("/: unreadable JSON: ") + e.what());
    }
}

// One JSON object being read: typed accessors that name the path of a bad value, and a final
// check that no unknown key was given (a typo must not be silently ignored).
class ObjectReader {
public:
    ObjectReader(const json& j, std::string path) : j_(j), path_(std::move(path)) {
        if (!j_.is_object()) bad(path_, std::string("expected an object, got ") + type_name(j_));
    }

    std::int64_t integer(const char* key) { return integer_or(key, std::nullopt); }
    std::int64_t integer_or(const char* key, std::optional<std::int64_t> fallback) {
        const json* v = find(key);
        if (!v) {
            if (fallback) return *fallback;
            bad(at(key), "missing");
        }
        if (!v->is_number_integer()) bad(at(key), std::string("expected an integer, got ") + type_name(*v));
        if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
            bad(at(key), "integer out of range (above 2^63-1)");
        }
        return v->get<std::int64_t>();
    }
    int small_integer_or(const char* key, std::optional<int> fallback) {
        const auto v = integer_or(key, fallback);
        if (v < INT32_MIN || v > INT32_MAX) bad(at(key), "integer out of range");
        return static_cast<int>(v);
    }
    double number_or(const char* key, double fallback) {
        const json* v = find(key);
        if (!v) return fallback;
        if (!v->is_number()) bad(at(key), std::string("expected a number, got ") + type_name(*v));
        return v->get<double>();
    }
    bool boolean_or(const char* key, bool fallback) {
        const json* v = find(key);
        if (!v) return fallback;
        if (!v->is_boolean()) bad(at(key), std::string("expected true or false, got ") + type_name(*v));
        return v->get<bool>();
    }
    std::string text(const char* key) { return text_or(key, std::nullopt); }
    std::string text_or(const char* key, std::optional<std::string> fallback) {
        const json* v = find(key);
        if (!v) {
            if (fallback) return *fallback;
            bad(at(key), "missing");
        }
        if (!v->is_string()) bad(at(key), std::string("expected a string, got ") + type_name(*v));
        return v->get<std::string>();
    }
    template <class Enum>
    Enum enumeration(const char* key, std::optional<Enum> fallback = std::nullopt) {
        const json* v = find(key);
        if (!v) {
            if (fallback) return *fallback;
            bad(at(key), "missing");
        }
        return parse_enum_at<Enum>(*v, at(key));
    }
    template <class IdT>
    IdT id(const char* key) {
        const auto v = integer(key);
        if (v <= 0) bad(at(key), "ids are positive integers, got " + std::to_string(v));
        return IdT(v);
    }
    const json* find(const char* key) {
        seen_.insert(key);
        auto it = j_.find(key);
        return it == j_.end() ? nullptr : &*it;
    }
    std::string at(const std::string& key) const { return path_ + "/" + key; }

    void finish() const {
        for (const auto& [key, value] : j_.items()) {
            if (!seen_.contains(key)) bad(at(key), "unknown key");
        }
    }

    template <class Enum>
    static Enum parse_enum_at(const json& v, const std::string& path) {
        if (!v.is_string()) bad(path, std::string("expected a name, got ") + type_name(v));
        auto e = parse_enum<Enum>(v.get<std::string>());
        if (!e) bad(path, "unknown value '" + v.get<std::string>() + "'");
        return *e;
    }

private:
    const json& j_;
    std::string path_;
    std::set<std::string> seen_;
};

}  // namespace psp::json
