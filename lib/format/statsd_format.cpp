// SPDX-License-Identifier: Apache-2.0
#include "format/statsd_format.h"

#include <cmath>
#include <cstdio>

namespace hitwatch {
namespace {

constexpr size_t kMaxNameBytes = 64;

bool plain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}


// Whole numbers as integers, others to the microsecond ("12.5", "0.004").
std::string value_text(double v) {
    if (std::trunc(v) == v && std::fabs(v) < 9e15) return std::to_string(static_cast<std::int64_t>(v));
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", v);
    std::string s = text;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

void add_latency(std::vector<Metric>& m, const std::string& name, const std::string& tag_name, const std::string& tag,
                 const LatencySummary& l, bool all) {
    const std::pair<const char*, double> values[] = {{"p50", l.p50_ms}, {"p90", l.p90_ms}, {"p99", l.p99_ms}, {"max", l.max_ms}};
    for (const auto& [which, ms] : values) {
        if (!all && std::string_view(which) != "p99") continue;
        m.push_back({name + "." + which, ms, true, tag.empty() ? "" : tag_name + "." + which, tag});
    }
}

}  // namespace

std::string metric_name(std::string_view section) {
    if (!section.empty() && section.front() == '/') section.remove_prefix(1);
    if (section.empty()) return "root";
    std::string out;
    for (char c : section.substr(0, kMaxNameBytes)) out += plain(c) ? c : '_';
    return out;
}

std::string tag_value(std::string_view section) {
    std::string out;
    for (char c : section.substr(0, kMaxNameBytes)) out += plain(c) || c == '/' || c == '.' ? c : '_';
    return out;
}

std::vector<Metric> report_metrics(const Report& report, const std::string& p) {
    // A count or a gauge of whole numbers (exact in a double up to 2^53).
    const auto whole = [](std::string name, std::uint64_t value, bool gauge = false, std::string tag_name = "",
                          std::string tag = "") {
        return Metric{std::move(name), static_cast<double>(value), gauge, std::move(tag_name), std::move(tag)};
    };
    std::vector<Metric> m = {whole(p + ".hits", report.hits), whole(p + ".bytes", report.bytes),
                             whole(p + ".invalid", report.invalid)};
    for (size_t i = 0; i < report.status_classes.size(); ++i) {
        // 1xx..5xx always (dashboards sum them); 6xx..9xx, non-standard, only when seen.
        if (i >= 5 && report.status_classes[i] == 0) continue;
        const std::string status_class = std::to_string(i + 1) + "xx";
        m.push_back(whole(p + ".status." + status_class, report.status_classes[i], false, p + ".status",
                          "status:" + status_class));
    }
    // Exact codes under a name of their own, so that sums over status.* stay right.
    for (size_t i = 0; i < report.codes.size(); ++i) {
        if (report.codes[i] == 0) continue;
        const std::string code = std::to_string(100 + i);
        m.push_back(whole(p + ".code." + code, report.codes[i], false, p + ".code", "code:" + code));
    }
    for (const auto& s : report.sections) {
        m.push_back(whole(p + ".section." + metric_name(s.section), s.hits, false, p + ".section.hits",
                          "section:" + tag_value(s.section)));
    }
    // A backfill report is history; the gauges (the window, the alert, lag, health) tell how
    // things stand now, which would be false at its time (Graphite) and is in the next report.
    if (report.backfill) return m;
    if (report.latency) add_latency(m, p + ".latency", "", "", *report.latency, true);
    for (const auto& s : report.sections) {
        if (s.latency) {
            add_latency(m, p + ".section." + metric_name(s.section) + ".latency", p + ".section.latency",
                        "section:" + tag_value(s.section), *s.latency, false);
        }
    }
    m.push_back(whole(p + ".alert.window_hits", report.alert_window_hits, true));
    m.push_back(whole(p + ".alert.high", report.alert_high ? 1u : 0u, true));
    for (const AlertKind kind : kAllAlertKinds) {
        if (!report.alert_kinds.has(kind)) continue;
        const std::string name(name_of(kind));
        m.push_back(whole(p + ".alert." + name, report.alerts_on.has(kind) ? 1u : 0u, true, p + ".alert", "kind:" + name));
    }
    m.push_back(whole(p + ".lag_bytes", report.live ? report.live->lag_bytes : 0, true));
    m.push_back(whole(p + ".logs.unhealthy", report.live ? report.live->unhealthy : 0, true));
    return m;
}

std::vector<std::string> statsd_lines(const Report& report, const StatsdSettings& settings) {
    std::vector<std::string> lines;
    for (const Metric& m : report_metrics(report, settings.prefix)) {
        const bool tagged = settings.tags && !m.tag.empty();
        std::string line = (tagged ? m.tag_name : m.name) + ":" + value_text(m.value) + (m.gauge ? "|g" : "|c");
        if (tagged) line += "|#" + m.tag;
        lines.push_back(std::move(line));
    }
    return lines;
}

std::vector<std::string> graphite_lines(const Report& report, const std::string& prefix) {
    std::vector<std::string> lines;
    const std::string when = std::to_string(report.interval_end);
    for (const Metric& m : report_metrics(report, prefix)) {
        // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on `"x" + std::string`.
        std::string line = m.name;
        line += ' ';
        line += value_text(m.value);
        line += ' ';
        line += when;
        lines.push_back(std::move(line));
    }
    return lines;
}

std::vector<std::string> pack_datagrams(const std::vector<std::string>& lines, size_t max_packet) {
    std::vector<std::string> packets;
    std::string packet;
    for (const auto& line : lines) {
        if (!packet.empty() && packet.size() + 1 + line.size() > max_packet) {
            packets.push_back(std::move(packet));
            packet.clear();
        }
        if (!packet.empty()) packet += '\n';
        packet += line;
    }
    if (!packet.empty()) packets.push_back(std::move(packet));
    return packets;
}

}  // namespace hitwatch
