// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the HTTP face serves, from the live daemon's parts as they are at the request:
// /metrics (Prometheus text) and /status (JSON).
#include <chrono>
#include <deque>
#include <optional>
#include <string>

#include <vector>

#include "config/options.h"
#include "core/metric_counters.h"
#include "core/monitor.h"
#include "views.h"

namespace hitwatchd {

struct PageSources {
    const Options& options;
    std::vector<LogView> logs;  // each followed log as it stands
    bool catching_up = false;   // some log counts a backlog by when it was written
    StateView state;            // the state file
    const hitwatch::Monitor& monitor;
    const hitwatch::MetricCounters& metrics;
    const std::deque<hitwatch::AlertEvent>& alerts;  // the last ones, oldest first
    std::chrono::system_clock::time_point started;
    std::chrono::steady_clock::time_point began;
    std::uint64_t syslog_dropped = 0;  // messages of a tag no log names
};

// The alert objects /status keeps.
constexpr std::size_t kStatusAlerts = 20;

std::string metrics_page(const PageSources& sources);
std::string status_page(const PageSources& sources);

}  // namespace hitwatchd
