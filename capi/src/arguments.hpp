// Arguments of the JSON calls of the C ABI (projects, certification, plans): "YYYY-MM-DD" dates,
// JSON text, and the argument's name put in front of the message of a model's Error(invalid).
#pragma once

#include <algorithm>
#include <cctype>
#include <exception>
#include <string>

#include <boost/date_time/gregorian/gregorian.hpp>
#include <nlohmann/json.hpp>

#include "capi.hpp"

namespace psp::capi {

// A "YYYY-MM-DD" argument; anything else is invalid naming the argument.
inline boost::gregorian::date date_arg(const char* s, const char* name) {
    const auto text = std::string(require_str(s, name));
    const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                        std::all_of(text.begin(), text.end(), [](char c) {
                            return c == '-' || std::isdigit(static_cast<unsigned char>(c));
                        }) &&
                        std::count(text.begin(), text.end(), '-') == 2;
    if (!shaped) invalid(std::string(name) + ": expected a date \"YYYY-MM-DD\", got '" + text + "'");
    try {
        return {static_cast<unsigned short>(std::stoi(text.substr(0, 4))),
                static_cast<unsigned short>(std::stoi(text.substr(5, 2))),
                static_cast<unsigned short>(std::stoi(text.substr(8, 2)))};
    } catch (const std::exception&) {
        invalid(std::string(name) + ": '" + text + "' is not a calendar date");
    }
}

// A JSON argument: not NULL, UTF-8, well-formed.
inline nlohmann::json json_arg(const char* s, const char* name) {
    const auto text = require_str(s, name);
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& e) {
        invalid(std::string(name) + ": malformed JSON: " + e.what());
    } catch (const nlohmann::json::exception& e) {   // e.g. a number beyond a double: 1e400
        invalid(std::string(name) + ": unreadable JSON: " + e.what());
    }
}

// Runs f, prefixing the message of an Error(invalid) it throws with the argument's name: a JSON
// path ("/milestones/0/due: ...") becomes "name/milestones/0/due: ...", any other message
// "name: message".
template <class F>
auto at_argument(const char* name, F&& f) {
    try {
        return f();
    } catch (const psp::Error& e) {
        if (e.code() != psp::ErrorCode::invalid) throw;
        const std::string message = e.what();
        if (message.rfind("/: ", 0) == 0) throw psp::Error(e.code(), std::string(name) + message.substr(1));
        if (message.rfind('/', 0) == 0) throw psp::Error(e.code(), name + message);
        throw psp::Error(e.code(), std::string(name) + ": " + message);
    }
}

}  // namespace psp::capi
