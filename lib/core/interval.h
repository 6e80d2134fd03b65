// SPDX-License-Identifier: Apache-2.0
#pragma once
// What one reporting interval has seen: hits, bytes, invalid lines, status classes and
// per-section hits.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "core/heavy_hitters.h"
#include "core/latency.h"
#include "core/parser.h"
#include "core/string_hash.h"

namespace hitwatch {

struct SectionHits {
    std::string_view section;
    std::uint64_t hits;       // exact; once the interval's sections are truncated, a lower bound
    std::uint64_t error = 0;  // truncated: the true count lies in [hits, hits + error]
    std::optional<LatencySummary> latency = std::nullopt;  // when its lines had response times
};

// Hits counted together (IntervalCounts::add_together): those of each section among them, of
// each status code, and the response times of those that had one.
struct SectionTally {
    std::string_view section;
    std::uint64_t hits;
};
struct CodeTally {
    int status;  // 100 to 999
    std::uint64_t hits;
};
struct TimedHit {
    std::uint32_t section;  // its tally's index among the sections
    std::int64_t duration_us;
};
struct HitsTogether {
    std::uint64_t hits = 0;
    std::uint64_t bytes = 0;
    std::span<const SectionTally> sections;
    std::span<const CodeTally> codes;
    std::span<const TimedHit> timed;
};

// Status classes by their first digit: 1xx .. 9xx (EZproxy writes 906).
constexpr size_t kStatusClasses = 9;
// Exact status codes: 100 .. 999.
constexpr size_t kStatusCodes = 900;
using StatusCodes = std::array<std::uint64_t, kStatusCodes>;

// Where the codes with hits end: just past the last one, found as their counts add up to `hits`
// (all of them). A sparse log has a report a line or two, and walking all 900 codes to write,
// sum, merge and clear them was a third of its replay.
inline size_t codes_end(const StatusCodes& codes, std::uint64_t hits) {
    size_t end = 0;
    for (std::uint64_t seen = 0; seen < hits && end < codes.size(); ++end) seen += codes[end];
    return end;
}

class IntervalCounts {
public:
    static constexpr size_t kDefaultMaxSections = 10000;
    // What is left of the total once the listed sections are taken out, when truncated.
    static constexpr std::string_view kOtherSection = "(other)";

    // An interval counts up to `max_sections` distinct sections exactly; past that, its
    // sections go into a heavy-hitter summary of that many counters, so a flood of random
    // paths can neither grow memory without bound nor hide a busy section.
    explicit IntervalCounts(size_t max_sections = kDefaultMaxSections);

    // `duration_us`: the response time, or -1 when the line has none.
    void add_hit(std::string_view section, int status, std::uint64_t bytes, std::int64_t duration_us = -1) {
        ++hits_;
        bytes_ = saturating_add(bytes_, bytes);
        ++codes_[static_cast<size_t>(status - 100)];  // the classes are summed from the codes
        if (duration_us >= 0) [[unlikely]] latency_.add(duration_us);
        if (!truncated_) {
            const auto it = sections_.find(section);
            if (it != sections_.end() && it->second.hits > 0) {
                ++it->second.hits;  // the usual case: a section seen already this interval
                if (duration_us >= 0) [[unlikely]] add_latency(it->second, duration_us);
                return;
            }
        }
        count_new(section, duration_us);
    }
    void add_invalid() { ++invalid_; }
    // Whether `sections` more distinct sections fit this interval's exact counts: then hits
    // counted together (add_together) count as they would one at a time.
    bool room_for(size_t sections) const { return !truncated_ && distinct_ + sections <= max_sections_; }
    // Hits counted together: room_for(together.sections.size()).
    void add_together(const HitsTogether& together);
    // Adds another interval's counts (lines read late, counted by when they were written).
    // Sections it held as bounds (truncated) add as their lower bounds, and make these bounds.
    void merge(const IntervalCounts& other);

    std::uint64_t hits() const { return hits_; }
    std::uint64_t bytes() const { return bytes_; }
    std::uint64_t invalid() const { return invalid_; }
    bool empty() const { return hits_ == 0 && invalid_ == 0; }
    // Hits with status 1xx..9xx, index 0..8.
    std::array<std::uint64_t, kStatusClasses> status_classes() const;
    // Hits with status 100..999, index 0..899.
    const StatusCodes& codes() const { return codes_; }
    // The response times of all its hits that had one (empty if none had).
    const LatencyHistogram& latency() const { return latency_; }
    // More distinct sections than max_sections this interval: counts are bounds from here on.
    bool truncated() const { return truncated_; }

    // The `n` busiest sections, by hits descending then name; when truncated, by their lower
    // bound, followed by kOtherSection with the rest of the total (so the list adds up to
    // hits()). The views point into the counts' keys: use them before counting more.
    std::vector<SectionHits> top_sections(size_t n) const;
    size_t distinct_sections() const;

    // Starts the next interval, the limit applying to it alone. Sections seen this interval
    // keep their map node, so a steady set of sections allocates nothing from one interval to
    // the next.
    void reset();
    // A new limit, from the next interval on.
    void set_max_sections(size_t max_sections);

private:
    struct SectionCount {
        std::uint64_t hits = 0;
        // Its response times, once a line of it had one (kept, cleared, from one interval to
        // the next, as the entry is).
        std::unique_ptr<LatencyHistogram> latency;
    };
    using SectionMap = boost::unordered_flat_map<std::string, SectionCount, StringHash, StringEqual>;
    // A section not counted yet this interval (or odd bytes, or truncated): named, counted.
    void count_new(std::string_view section, std::int64_t duration_us);
    static void add_latency(SectionCount& section, std::int64_t duration_us);
    // The entry of the section named `name` among the exact counts (not truncated), made if it
    // has none this interval; nullptr if that would be one past max_sections, which truncates.
    SectionCount* named_entry(std::string_view name);
    // A section's entry among the exact counts, made if it has none this interval: room_for(1).
    SectionCount& exact_entry(std::string_view section);
    // `hits` more of a section already named (as reports name it).
    void add_named(std::string_view name, std::uint64_t hits);
    // Every section with hits, unsorted; lower bounds when truncated.
    std::vector<SectionHits> held_sections() const;
    void truncate();
    // The name a section is counted under: itself, or its encoded form in name_.
    std::string_view name_of(std::string_view section);

    size_t max_sections_;
    std::uint64_t hits_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t invalid_ = 0;
    StatusCodes codes_{};
    LatencyHistogram latency_{LatencyHistogram::Precision::overall};
    SectionMap sections_;       // exact counts; 0 hits for a section of the last interval not seen yet
    size_t distinct_ = 0;       // sections with hits this interval
    bool truncated_ = false;
    HeavyHitters summary_;      // used once truncated
    std::string name_;          // the name of a section with odd bytes, being counted
    std::vector<SectionCount*> together_;  // add_together()'s entries, by tally
    size_t next_max_sections_;
};

}  // namespace hitwatch
