#pragma once
// The busiest names of a stream in bounded memory: Space-Saving (Metwally, Agrawal and El
// Abbadi, 2005) over k counters. A name without a counter takes the one with the smallest
// count c, starting at c + 1 with an error of c. For a stream of N hits it guarantees, for
// every name held, count - error <= true count <= count, and that every name with more than
// N / k hits is held.
//
// The counters sit in buckets of equal count, the buckets in a list by count (the
// "Stream-Summary" of the paper), so adding a hit and replacing the least counted name are
// both O(1): a scanner sending millions of one-off paths costs a constant per line.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

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
    // The index views the counters' names: a copy would view another's. Moves keep them.
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
        std::uint64_t error = 0;
        std::uint32_t bucket = kNone;
        std::uint32_t prev = kNone, next = kNone;  // within its bucket
    };
    struct Bucket {
        std::uint64_t count = 0;
        std::uint32_t first = kNone;               // its counters
        std::uint32_t prev = kNone, next = kNone;  // the buckets by count
    };

    std::uint32_t new_bucket(std::uint64_t count, std::uint32_t after);
    void attach(std::uint32_t counter, std::uint32_t bucket);
    void detach(std::uint32_t counter);
    void increment(std::uint32_t counter);

    std::size_t capacity_;
    std::vector<Counter> counters_;  // reserved once: the names' addresses never move
    std::vector<Bucket> buckets_;
    std::vector<std::uint32_t> free_buckets_;
    std::uint32_t smallest_ = kNone;  // the bucket of the smallest count
    // Keys view the counters' names.
    boost::unordered_flat_map<std::string_view, std::uint32_t, StringHash, StringEqual> index_;
};

}  // namespace hitwatch
