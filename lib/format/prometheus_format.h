// SPDX-License-Identifier: Apache-2.0
#pragma once
// The Prometheus text exposition format (version 0.0.4) of the daemon's counters and gauges.
#include <cstdint>
#include <string>
#include <vector>

#include "core/alert.h"
#include "core/metric_counters.h"

namespace hitwatch {

// What a running process says of itself, as the Prometheus client libraries name it.
struct ProcessMetrics {
    double cpu_seconds = 0;
    std::uint64_t resident_bytes = 0;
    std::uint64_t open_fds = 0;
    double start_time_seconds = 0;  // since the Unix epoch
};

struct LogMetrics {
    std::string path;
    std::uint64_t rotations = 0;  // since start
    std::uint64_t lag_bytes = 0;
    bool up = false;              // being read
};

struct MetricsSnapshot {
    explicit MetricsSnapshot(const MetricCounters& all) : counters(all) {}
    const MetricCounters& counters;
    std::vector<LogMetrics> logs;
    bool alert_active = false;
    std::uint64_t alert_window_hits = 0;
    double alert_limit_hits = 0;
    AlertKinds alert_kinds;  // enabled: each gets a hitwatch_alert_state series
    AlertKinds alerts_on;
    bool backfill_active = false;
    std::uint64_t state_save_failures = 0;
    std::string version;
    std::string commit;  // the git commit built from; empty outside a checkout
    bool syslog = false;  // messages are received over syslog
    std::uint64_t syslog_dropped = 0;
    ProcessMetrics process;
};

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string to_prometheus(const MetricsSnapshot& metrics);

// A label value as the format quotes it: backslash, double quote and newline escaped.
std::string prometheus_label_value(std::string_view value);

}  // namespace hitwatch
