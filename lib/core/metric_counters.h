// SPDX-License-Identifier: Apache-2.0
#pragma once
// Counters since start, for Prometheus (format/prometheus_format.h): every line counts as it
// is read, so a scrape between reports sees it. Requests and response times are counted per
// section, but only a bounded set of sections gets series of its own: a section is given one
// once a report lists it (among the busiest of an interval), until the cap is reached;
// every other line counts in the section "(other)". A section given a series takes with it
// the requests "(other)" counted for it since the report before (the interval that listed it),
// so its counter equals what the reports say; "(other)" gives them up only as it grows again,
// so it never goes down (a Prometheus counter that does is read as a restart). A series once given lives until the
// daemon stops, so a client that sends a million random paths cannot make a million series
// (the known failure of log exporters with path labels), and every counter only grows.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "core/interval.h"
#include "core/parser.h"
#include "core/string_hash.h"

namespace hitwatch {

// The buckets of the Prometheus client libraries (DefBuckets), in seconds.
constexpr std::array<double, 11> kDurationBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

struct DurationCounts {
    std::array<std::uint64_t, kDurationBuckets.size() + 1> buckets{};  // each bucket's own; the last: above 10 s
    std::uint64_t count = 0;
    std::int64_t sum_us = 0;
    void add(std::int64_t micros);
};

struct SectionSeries {
    std::uint64_t requests = 0;
    DurationCounts durations;
};

class MetricCounters {
public:
    static constexpr std::string_view kOther = "(other)";
    static constexpr std::size_t kDefaultMaxSections = 200;

    explicit MetricCounters(std::size_t max_sections = kDefaultMaxSections) : max_sections_(max_sections) {}

    void count_hit(const LogLine& line) {
        ++requests_;
        bytes_ = saturating_add(bytes_, line.bytes);
        ++codes_[static_cast<std::size_t>(line.status - 100)];
        const std::string_view name = name_of(line.section);
        SectionSeries& series = series_of(name);
        ++series.requests;
        if (&series == &other_) [[unlikely]] note_unlisted(name);
        if (line.duration_us >= 0) {
            series.durations.add(line.duration_us);
            has_durations_ = true;
        }
    }
    void count_invalid(ParseError reason) { ++invalid_[static_cast<std::size_t>(reason)]; }
    // A parsed line: a hit, an invalid line, or (blank) nothing.
    void count(const ParseResult& parsed) {
        if (parsed.ok()) {
            for (std::uint32_t i = 0; i < parsed.repeats; ++i) count_hit(parsed.line);
        } else if (parsed.error != ParseError::blank) {
            count_invalid(parsed.error);
        }
    }
    void count_overlong() { ++invalid_[kOverlongReason]; }

    // A report's sections: those without a series get one, while fewer than the cap exist.
    // (Their lines up to now stay in "(other)", where scrapes saw them.)
    void list(const std::vector<SectionHits>& sections);

    std::uint64_t requests() const { return requests_; }
    std::uint64_t bytes() const { return bytes_; }
    const StatusCodes& codes() const { return codes_; }
    const ReasonCounts& invalid() const { return invalid_; }
    bool has_durations() const { return has_durations_; }
    // Every series, by section name, "(other)" last.
    std::vector<std::pair<std::string_view, const SectionSeries*>> sections() const;

private:
    // A section as reports name it (odd bytes as %XX): the line's own bytes, or name_.
    std::string_view name_of(std::string_view section);
    SectionSeries& series_of(std::string_view name);
    // One more request "(other)" counted for `name` since the last report, for as many names
    // as a bounded table holds.
    void note_unlisted(std::string_view name);

    std::size_t max_sections_;
    boost::unordered_flat_map<std::string, SectionSeries, StringHash, StringEqual> series_;
    SectionSeries other_;  // every request counted there
    // Since the last report: requests "(other)" counted, by section (at most 4 x the cap).
    boost::unordered_flat_map<std::string, std::uint64_t, StringHash, StringEqual> unlisted_;
    std::uint64_t carried_ = 0;  // requests "(other)" counted that went on to a section's series
    mutable SectionSeries other_shown_;  // other_ less carried_, never less than it was
    std::uint64_t requests_ = 0;
    std::uint64_t bytes_ = 0;
    StatusCodes codes_{};
    ReasonCounts invalid_{};
    bool has_durations_ = false;
    std::string name_;  // the name of a section with odd bytes
};

}  // namespace hitwatch
