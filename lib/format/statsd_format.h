// SPDX-License-Identifier: Apache-2.0
#pragma once
// A report as statsd metrics: safe names, batched into datagrams of a bounded size.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.h"

namespace hitwatch {

struct StatsdSettings {
    std::string prefix = "hitwatch";
    size_t max_packet = 1432;  // bytes per datagram: the safe size on the internet
    bool tags = false;         // DogStatsD form: hitwatch.section.hits:12|c|#section:/api
};

// A section as one statsd name component: no leading '/', "/" alone is "root", '.' (the
// hierarchy separator) and anything outside [A-Za-z0-9_-] become '_', at most 64 bytes.
// So a hostile path can never put ':', '|', '#', '@' or a newline into a packet.
std::string metric_name(std::string_view section);

// A section as a DogStatsD tag value: '/' and '.' kept, anything outside [A-Za-z0-9_./-]
// becomes '_', at most 64 bytes.
std::string tag_value(std::string_view section);

// One number of a report, as statsd and Graphite both see it.
struct Metric {
    std::string name;  // hierarchical: "hitwatch.section.api"
    double value = 0;       // whole for counts; milliseconds to the microsecond for latencies
    bool gauge = false;     // else a counter (hits in the interval)
    std::string tag_name;   // DogStatsD form, when it has one: "hitwatch.section.hits"
    std::string tag;        // "section:/api"
};

std::vector<Metric> report_metrics(const Report& report, const std::string& prefix);

// One metric a line ("name:value|type[|#tags]").
std::vector<std::string> statsd_lines(const Report& report, const StatsdSettings& settings);

// One metric a line in Graphite's plaintext protocol ("name value timestamp").
std::vector<std::string> graphite_lines(const Report& report, const std::string& prefix);

// Joins lines with '\n' into datagrams of at most max_packet bytes each (a single line
// longer than that goes alone).
std::vector<std::string> pack_datagrams(const std::vector<std::string>& lines, size_t max_packet);

}  // namespace hitwatch
