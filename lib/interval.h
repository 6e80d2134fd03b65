#pragma once
// What one reporting interval has seen: hits, bytes, invalid lines, status classes and
// per-section hits.
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hitwatch {

// Hashes std::string and std::string_view alike, so lookups by a view into the read buffer
// allocate nothing. Sections are short: eight bytes at a time with a multiply-xorshift mix
// costs a fraction of the standard library's byte-wise hash.
struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
        constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
        std::uint64_t h = s.size() * kMul;
        size_t i = 0;
        for (; i + 8 <= s.size(); i += 8) {
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            h = (h ^ word) * kMul;
            h ^= h >> 29;
        }
        std::uint64_t tail = 0;
        std::memcpy(&tail, s.data() + i, s.size() - i);
        h = (h ^ tail) * kMul;
        return static_cast<size_t>(h ^ (h >> 32));
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

    // The `n` busiest sections, by hits descending then name. The views stay valid until
    // the next reset().
    std::vector<SectionHits> top_sections(size_t n) const;
    size_t distinct_sections() const;

    // Starts the next interval. Sections seen this interval keep their map node, so a
    // steady set of sections allocates nothing from one interval to the next.
    void reset();

private:
    using SectionMap = std::unordered_map<std::string, std::uint64_t, StringHash, std::equal_to<>>;
    SectionMap::iterator insert_section(std::string_view section);

    std::uint64_t hits_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t invalid_ = 0;
    std::array<std::uint64_t, 5> status_classes_{};
    SectionMap sections_;
};

}  // namespace hitwatch
