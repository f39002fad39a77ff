// Name tables for the model's enums: one array per enum, indexed by its value.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace psp::detail {

template <class Enum, std::size_t N>
std::optional<Enum> find_name(const std::array<const char*, N>& names, std::string_view name) {
    for (std::size_t i = 0; i < N; ++i) {
        if (name == names[i]) return static_cast<Enum>(i);
    }
    return std::nullopt;
}

template <std::size_t N>
const char* name_at(const std::array<const char*, N>& names, int value) {
    return value >= 0 && static_cast<std::size_t>(value) < N ? names[static_cast<std::size_t>(value)] : "?";
}

}  // namespace psp::detail
