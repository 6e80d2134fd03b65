// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a whole run counted (a replay from start to end, a live daemon since it started): every
// interval's counts added up, so its sections are the run's busiest and not the sum of each
// interval's top few; and how often and how long each kind of alert was on.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/alert.h"
#include "core/interval.h"
#include "core/timestamp.h"

namespace hitwatch {

struct RunSummary {
    UnixSeconds first = 0;  // the log time of the run's first and last second
    UnixSeconds last = 0;
    std::uint64_t hits = 0;
    std::uint64_t bytes = 0;
    std::uint64_t invalid = 0;
    std::array<std::uint64_t, kStatusClasses> status_classes{};
    StatusCodes codes{};
    std::vector<SectionHits> sections;  // the run's busiest; views valid while its RunTotals lives
    bool sections_truncated = false;    // more distinct sections than --max-sections: bounds
    std::optional<std::string> most_popular_section;  // the original tool's field
    std::uint64_t alerts = 0;           // times an alert went high (or low), every kind
    std::int64_t alert_seconds = 0;     // time alerts were on (until `last` for one still going), every kind
    std::array<std::uint64_t, kAlertKinds> alerts_by_kind{};
    std::array<std::int64_t, kAlertKinds> alert_seconds_by_kind{};
    // What the daemon knows of its input, not the monitor:
    std::uint64_t lines = 0;  // = hits + invalid + blank + pending
    std::uint64_t blank = 0;    // empty lines: neither a hit nor invalid
    std::uint64_t pending = 0;  // read, in an interval not reported yet (live), or held for the next line
    std::vector<std::pair<std::string, std::uint64_t>> invalid_reasons;
    double lines_per_s = 0;  // read and counted per second of wall-clock time
    bool unterminated_last_line = false;  // replay: the input ended in a line with no newline
    int stopped_by_signal = 0;  // replay: the signal that stopped it before the end of its input
    std::vector<std::string> unread;  // replay: inputs it could not open or read to the end, and why
    // replay with --since or --until: the intervals reported are those from `since` up to
    // `until`; the lines read and not reported (those before were for the alert rules to learn
    // from) are `outside`, not in `lines`
    struct Window {
        std::optional<UnixSeconds> since, until;
        std::uint64_t outside = 0;
    };
    std::optional<Window> window;
};

class RunTotals {
public:
    // Alerts count if they go high from `from` up to `until`; one high at `from` is on from then.
    explicit RunTotals(size_t max_sections, UnixSeconds from = std::numeric_limits<UnixSeconds>::min(),
                       UnixSeconds until = std::numeric_limits<UnixSeconds>::max())
        : totals_(max_sections), from_(from), until_(until) {}

    // An interval's counts, as it is reported.
    void add(const IntervalCounts& counts) { totals_.merge(counts); }
    void add(const AlertEvent& event);
    RunSummary summary(size_t top, UnixSeconds first, UnixSeconds last) const;

private:
    IntervalCounts totals_;
    std::array<std::uint64_t, kAlertKinds> alerts_{};
    std::array<std::int64_t, kAlertKinds> alert_seconds_{};
    std::array<std::optional<UnixSeconds>, kAlertKinds> since_{};
    UnixSeconds from_, until_;
};

}  // namespace hitwatch
