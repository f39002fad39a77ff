// Texts that repeat, each kept once (the voucher notes of a ledger's prices).
#pragma once

#include <cstdint>
#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace psp::detail {

// A voucher's note is one of a few sentences ("yearly cap of ¥3,000.00 reached"), written on
// hundreds of thousands of a simulated year's prices: each cost a string of its own. Here a note
// is a number; 0 is the empty text.
class TextTable {
public:
    std::uint32_t intern(std::string_view text) {
        if (text.empty()) return 0;
        if (const auto it = index_.find(text); it != index_.end()) return it->second;
        texts_.emplace_back(text);
        const auto id = static_cast<std::uint32_t>(texts_.size());
        try {
            index_.emplace(texts_.back(), id);
        } catch (...) {
            texts_.pop_back();
            throw;
        }
        return id;
    }
    const std::string& text(std::uint32_t id) const { return id == 0 ? empty_ : texts_.at(id - 1); }

private:
    struct Hash {   // looks a string_view up without making a string of it
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index_;
    std::deque<std::string> texts_;   // text(id) is texts_[id - 1]; a deque keeps references stable
    std::string empty_;
};

}  // namespace psp::detail
