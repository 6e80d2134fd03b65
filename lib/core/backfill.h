// SPDX-License-Identifier: Apache-2.0
#pragma once
// Lines read late -- a log's backlog after a restart or a stall, or a log read from its
// start -- counted by when they were written (as near as can be told) rather than when they
// were read: per interval, to be reported as history ("backfill": true), and per second, to
// fill the alert window's past seconds. So a backlog never looks like a burst.
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "core/interval.h"
#include "core/parser.h"
#include "core/timestamp.h"

namespace hitwatch {

class Backfill {
public:
    struct Interval {
        UnixSeconds start;
        UnixSeconds end;
        const IntervalCounts* counts;
    };

    // Lines written before `history_from` (older than --max-backfill) are counted together in
    // one interval, not interval by interval; hits per second are kept from `seconds_from` on
    // (what an alert window can still hold).
    Backfill(std::int64_t interval_s, size_t max_sections, UnixSeconds history_from, UnixSeconds seconds_from);

    // A line counted at `at` (a hit, an invalid line; a blank one is nothing). An invalid
    // line, which has no time of its own, counts where the last line with one did.
    void record(const ParseResult& parsed, UnixSeconds at);
    // A line over the length limit.
    void record_invalid();

    bool empty() const { return hits_ == 0 && invalid_ == 0; }
    std::uint64_t hits() const { return hits_; }
    // What it holds past a budget of sections, counted over its intervals (one that kept its
    // response times costs a kilobyte), or of intervals (each some 16 KiB): time to hand it
    // on and start an empty one, so a backlog of any length and any number of sections is
    // counted in a fixed budget of memory.
    static constexpr std::size_t kMaxHeldSections = 16384;
    static constexpr std::size_t kMaxHeldIntervals = 360;
    bool full() const { return sections_ > kMaxHeldSections || by_interval_.size() > kMaxHeldIntervals; }
    // An empty backfill with the same settings: the next part of the same backlog.
    Backfill next_part() const { return Backfill(interval_s_, max_sections_, history_from_, seconds_from_); }
    // Oldest first: the interval of all that is older than history_from, if any, then each
    // interval with lines.
    std::vector<Interval> intervals() const;
    // Hits per second, for the seconds from seconds_from on.
    const std::map<UnixSeconds, std::uint64_t>& seconds() const { return seconds_; }

private:
    IntervalCounts& counts_at(UnixSeconds at);

    std::int64_t interval_s_;
    size_t max_sections_;
    UnixSeconds history_from_;
    UnixSeconds seconds_from_;
    std::map<UnixSeconds, IntervalCounts> by_interval_;  // by interval start
    IntervalCounts older_;
    UnixSeconds older_first_ = 0, older_last_ = 0;
    std::map<UnixSeconds, std::uint64_t> seconds_;
    UnixSeconds last_at_ = 0;
    std::uint64_t hits_ = 0, invalid_ = 0;
    std::size_t sections_ = 0;  // distinct sections, summed over its intervals
};

}  // namespace hitwatch
