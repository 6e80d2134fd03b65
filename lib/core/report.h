// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the monitor emits: a report per interval and an alert per rule state change.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/alert.h"
#include "core/interval.h"
#include "core/run_summary.h"
#include "core/timestamp.h"

namespace hitwatch {

// What the live daemon adds: per-log figures and how its reading is going.
struct LogFigures {
    std::string path;
    std::uint64_t hits = 0;
    std::uint64_t lag_bytes = 0;   // written but not read yet
    std::uint64_t lost_bytes = 0;  // this interval: written, never read, and gone (see docs/operations.md)
    std::string state;             // "reading", "waiting" (no file yet), "unreadable" or "gone" (a glob's match, read to its end)
    std::string error;             // why it is not reading
};

struct LiveFigures {
    std::uint64_t lag_bytes = 0;
    std::uint64_t lost_bytes = 0;   // in this interval
    std::uint64_t rotations = 0;    // in this interval
    std::uint64_t truncations = 0;  // in this interval
    std::uint64_t unhealthy = 0;    // logs not reading now
    bool checkpointed = true;       // the state file was saved for this report (else a crash would count its lines again)
    std::vector<LogFigures> logs;
};

struct Report {
    UnixSeconds interval_start = 0;
    UnixSeconds interval_end = 0;
    bool partial = false;   // the last interval, cut short by the end of input or a stop
    bool backfill = false;  // history: lines read late, counted by when they were written
    std::uint64_t hits = 0;
    std::uint64_t bytes = 0;
    std::uint64_t invalid = 0;
    std::vector<SectionHits> sections;            // busiest first, at most `top` (then "(other)" if truncated)
    bool sections_truncated = false;              // more distinct sections than --max-sections
    std::array<std::uint64_t, kStatusClasses> status_classes{};  // 1xx..9xx
    StatusCodes codes{};                          // 100..999
    std::optional<LatencySummary> latency;        // when the interval's lines had response times
    std::uint64_t total_hits = 0;                 // since start
    std::uint64_t alert_window_hits = 0;          // the alert rule's window at interval_end
    bool alert_high = false;                      // the traffic alert
    AlertKinds alert_kinds;                       // the kinds that alert (--alert-kinds)
    AlertKinds alerts_on;                         // those on at interval_end (traffic: high; drop: low)
    std::optional<LiveFigures> live;              // absent in replay
};

class EventSink {
public:
    virtual ~EventSink() = default;
    // The report's section views are valid only during the call.
    virtual void on_report(const Report& report) = 0;
    virtual void on_alert(const AlertEvent& event) = 0;
    // The run's summary: at the end of a replay. Most sinks have no use for it.
    virtual void on_summary(const RunSummary&) {}
};

}  // namespace hitwatch
