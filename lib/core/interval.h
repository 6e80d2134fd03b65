#pragma once
// What one reporting interval has seen: hits, bytes, invalid lines, status classes and
// per-section hits.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "core/swar.h"

namespace hitwatch {

// Hashes std::string and std::string_view alike, so lookups by a view into the read buffer
// allocate nothing. Sections are short: eight bytes at a time with a multiply-xorshift mix
// costs a fraction of the standard library's byte-wise hash. The tail is read with loads
// that may overlap, never copied to a small buffer first: a wide load of bytes just stored
// narrowly stalls the CPU.
struct StringHash {
    using is_transparent = void;
    using is_avalanching = void;  // the final multiply-xorshift mixes every bit
    size_t operator()(std::string_view s) const {
        constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
        const char* p = s.data();
        const size_t n = s.size();
        std::uint64_t h = n * kMul;
        std::uint64_t tail = 0;
        if (n >= 8) {
            for (size_t i = 0; i + 8 < n; i += 8) {
                h = (h ^ swar::load<std::uint64_t>(p + i)) * kMul;
                h ^= h >> 29;
            }
            tail = swar::load<std::uint64_t>(p + n - 8);
        } else if (n >= 4) {
            tail = std::uint64_t{swar::load<std::uint32_t>(p)} << 32 | swar::load<std::uint32_t>(p + n - 4);
        } else if (n > 0) {
            tail = std::uint64_t{static_cast<unsigned char>(p[0])} << 16 |
                   std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 | static_cast<unsigned char>(p[n - 1]);
        }
        h = (h ^ tail) * kMul;
        return static_cast<size_t>(h ^ (h >> 32));
    }
};

// Compares std::string and std::string_view alike; short ones without a call to memcmp.
struct StringEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const {
        if (a.size() != b.size()) return false;
        return a.size() <= 16 ? swar::same_short_bytes(a.data(), b.data(), a.size()) : a == b;
    }
};

struct SectionHits {
    std::string_view section;
    std::uint64_t hits;
};

class IntervalCounts {
public:
    // Past this many distinct sections (this interval's and the last's), new ones are counted under
    // kOtherSection, so a flood of random paths cannot grow memory without bound.
    static constexpr size_t kMaxSections = 10000;
    static constexpr std::string_view kOtherSection = "(other)";

    void add_hit(std::string_view section, int status, std::uint64_t bytes) {
        ++hits_;
        bytes_ += bytes;
        ++status_classes_[static_cast<size_t>(status / 100 - 1)];
        auto it = sections_.find(section);
        if (it == sections_.end()) it = insert_section(section);
        ++it->second;
    }
    void add_invalid() { ++invalid_; }

    std::uint64_t hits() const { return hits_; }
    std::uint64_t bytes() const { return bytes_; }
    std::uint64_t invalid() const { return invalid_; }
    bool empty() const { return hits_ == 0 && invalid_ == 0; }
    // Hits with status 1xx..5xx, index 0..4.
    const std::array<std::uint64_t, 5>& status_classes() const { return status_classes_; }

    // The `n` busiest sections, by hits descending then name. The views point into the map's
    // keys, which live in the table itself: any add_hit() of a new section may rehash and
    // move them (a short name's bytes with them), so use the views before counting more.
    std::vector<SectionHits> top_sections(size_t n) const;
    size_t distinct_sections() const;

    // Starts the next interval. Sections seen this interval keep their map node, so a
    // steady set of sections allocates nothing from one interval to the next.
    void reset();

private:
    using SectionMap = boost::unordered_flat_map<std::string, std::uint64_t, StringHash, StringEqual>;
    SectionMap::iterator insert_section(std::string_view section);

    std::uint64_t hits_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t invalid_ = 0;
    std::array<std::uint64_t, 5> status_classes_{};
    SectionMap sections_;
};

}  // namespace hitwatch
