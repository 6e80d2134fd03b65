// SPDX-License-Identifier: Apache-2.0
#pragma once
// The busiest names of a stream in bounded memory: Space-Saving (Metwally, Agrawal and El
// Abbadi, 2005) over k counters. A name without a counter takes the one with the smallest
// count c, starting at c + 1 with an error of c. For a stream of N hits it guarantees, for
// every name held, count - error <= true count <= count, and that every name with more than
// N / k hits is held.
//
// The counters sit in buckets of equal count, the buckets in a list by count (the
// "Stream-Summary" of the paper), so adding a hit and replacing the least counted name are
// both O(1): a scanner sending millions of one-off paths costs a constant per line. Names are
// found through an open-addressing index of counter numbers that keeps each name's hash in
// its counter: one hash a line, probes that compare hashes before bytes, and deletion by
// backward shift (no tombstones to slow the probes of a table that churns).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/string_hash.h"

namespace hitwatch {

class HeavyHitters {
public:
    struct Item {
        std::string_view name;  // valid until the next add() or clear()
        std::uint64_t count;    // an upper bound of its hits
        std::uint64_t error;    // count - error is a lower bound
    };

    // At most `capacity` names are held (capacity >= 1).
    explicit HeavyHitters(std::size_t capacity);
    // items() views the counters' names.
    HeavyHitters(const HeavyHitters&) = delete;
    HeavyHitters& operator=(const HeavyHitters&) = delete;
    HeavyHitters(HeavyHitters&&) = default;
    HeavyHitters& operator=(HeavyHitters&&) = default;

    // Starts anew from exact counts (errors 0), at most capacity of them.
    void assign(const std::vector<std::pair<std::string_view, std::uint64_t>>& exact);
    // One hit of `name`.
    void add(std::string_view name);
    void clear();

    std::vector<Item> items() const;
    std::size_t size() const { return counters_.size(); }
    std::size_t capacity() const { return capacity_; }

private:
    static constexpr std::uint32_t kNone = UINT32_MAX;

    struct Counter {
        std::string name;
        std::uint64_t hash = 0;
        std::uint64_t error = 0;
        std::uint32_t bucket = kNone;
        std::uint32_t prev = kNone, next = kNone;  // within its bucket
    };
    struct Bucket {
        std::uint64_t count = 0;
        std::uint32_t first = kNone;               // its counters
        std::uint32_t prev = kNone, next = kNone;  // the buckets by count
    };

    // The slot of `name` (hash `h`), or the empty slot where it would go.
    std::pair<std::size_t, bool> find_slot(std::string_view name, std::uint64_t h) const;
    std::size_t empty_slot(std::uint64_t h) const;
    void erase_counter_slot(std::uint32_t counter);
    std::uint32_t push_counter(std::string_view name, std::uint64_t h);
    std::uint32_t new_bucket(std::uint64_t count, std::uint32_t after);
    void attach(std::uint32_t counter, std::uint32_t bucket);
    void detach(std::uint32_t counter);
    void increment(std::uint32_t counter);

    std::size_t capacity_;
    std::vector<Counter> counters_;  // reserved once: the names' addresses never move
    std::vector<Bucket> buckets_;
    std::vector<std::uint32_t> free_buckets_;
    std::uint32_t smallest_ = kNone;  // the bucket of the smallest count
    // Counter number + 1 per slot (0: empty); a power of two, at least twice the capacity,
    // allocated on first use.
    std::vector<std::uint32_t> slots_;
    std::size_t mask_ = 0;
    unsigned shift_ = 64;
    // A name's first slot: the hash's high bits, the ones StringHash mixes best.
    std::size_t home(std::uint64_t h) const { return static_cast<std::size_t>(h >> shift_); }
};

}  // namespace hitwatch
