// The served and unmet requests of a database, kept compact (Database::Impl::served, ::unmet).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "database/text_table.hpp"
#include "psp/routing.hpp"

namespace psp::detail {

// A simulated city year records millions of requests, and as ServedRequest and UnmetRequest each
// cost about 300 bytes and an allocation or two (the offer's chain, the reason's text): a year of
// them was gigabytes of memory, faulted in and zeroed page by page. Here each is a flat row of
// fixed-size fields (200 bytes served, 112 unmet). What is rare is kept beside the rows: a
// request's note, a chain other than {platform} or {receiver, platform}. Voucher notes are numbers
// in a table of them (most are one of a few sentences); reasons share one block of text.
//
// A row answers what the hot readers need (statistics, settlement, rollout demand) without being
// rebuilt; get() rebuilds the whole record, equal to the one that was added.

// The fields of a ServiceRequest, flat (its note kept aside by the log).
struct RequestFields {
    std::int64_t enterprise = 0;
    std::int64_t equipment_class = 0;
    Period window;
    std::int64_t price_ceiling = 0;   // when has_ceiling
    std::int64_t voucher = 0;
    std::int64_t received_by = 0;
    std::int64_t front_door = 0;
    std::int32_t minutes = 0;
    std::int32_t units = 0;
    std::uint8_t kind = 0;
    bool has_ceiling = false;

    static RequestFields of(const ServiceRequest&);
    ServiceRequest request() const;   // without its note
};

class ServedLog {
public:
    struct Row {
        RequestFields request;
        // The offer as booked.
        std::int64_t platform = 0;
        std::int64_t equipment = 0;
        Period slot;
        Fen gross = 0, enterprise_pays = 0, voucher_pays = 0;
        std::int64_t scheme = 0;
        double score = 0;
        std::int64_t alliance = 0;
        std::int64_t via = 0;   // the chain's first platform when the chain is {via, platform}
        std::int32_t travel_minutes = 0;
        std::int32_t referral_hops = 0;
        std::int64_t booking = 0;
        Time at = 0;
        std::uint32_t voucher_note = 0;   // in the log's table of notes; 0: none
        std::uint8_t tier = 0;
        std::uint8_t chain_form = 0;      // chain_single, chain_pair or chain_aside
        bool aside = false;               // a request's note or another chain is kept aside

        RouteTier route_tier() const { return static_cast<RouteTier>(tier); }
    };
    static_assert(sizeof(Row) == 200);
    static constexpr std::uint8_t chain_single = 0, chain_pair = 1, chain_aside = 2;

    std::size_t size() const { return rows_.size(); }
    bool empty() const { return rows_.empty(); }
    void reserve(std::size_t n) { rows_.reserve(n); }
    // Its id must be the next one (size() + 1).
    void push_back(const ServedRequest&);
    const Row& row(std::size_t index) const { return rows_[index]; }
    const Row& last_row() const { return rows_.back(); }
    ServedRequest get(std::size_t index) const;
    // Of the offer's chain (received_by, ..., platform): its first platform (0 when it is empty)
    // and its length.
    std::int64_t chain_front(std::size_t index) const;
    std::size_t chain_size(std::size_t index) const;

private:
    struct Aside {
        std::string note;
        std::vector<PlatformId> chain;   // when chain_aside
    };
    std::vector<Row> rows_;
    std::unordered_map<std::size_t, Aside> aside_;
    TextTable voucher_notes_;
};

class UnmetLog {
public:
    struct Row {
        RequestFields request;
        std::int64_t desk = 0;
        Time at = 0;
        std::uint64_t reason_at = 0;   // in the block of reasons
        std::uint32_t reason_size = 0;
        bool has_note = false;
    };
    static_assert(sizeof(Row) == 112);

    std::size_t size() const { return rows_.size(); }
    bool empty() const { return rows_.empty(); }
    void reserve(std::size_t n) { rows_.reserve(n); }
    // Its id must be the next one (size() + 1).
    void push_back(const UnmetRequest&);
    const Row& row(std::size_t index) const { return rows_[index]; }
    const Row& last_row() const { return rows_.back(); }
    UnmetRequest get(std::size_t index) const;

private:
    std::vector<Row> rows_;
    std::string reasons_;
    std::unordered_map<std::size_t, std::string> notes_;
};

}  // namespace psp::detail
