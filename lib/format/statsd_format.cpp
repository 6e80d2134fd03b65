#include "format/statsd_format.h"

namespace hitwatch {
namespace {

constexpr size_t kMaxNameBytes = 64;

bool plain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
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
    std::vector<Metric> m = {{p + ".hits", report.hits, false, "", ""},
                             {p + ".bytes", report.bytes, false, "", ""},
                             {p + ".invalid", report.invalid, false, "", ""}};
    for (size_t i = 0; i < report.status_classes.size(); ++i) {
        // 1xx..5xx always (dashboards sum them); 6xx..9xx, non-standard, only when seen.
        if (i >= 5 && report.status_classes[i] == 0) continue;
        const std::string status_class = std::to_string(i + 1) + "xx";
        m.push_back({p + ".status." + status_class, report.status_classes[i], false, p + ".status",
                     "status:" + status_class});
    }
    for (const auto& s : report.sections) {
        m.push_back({p + ".section." + metric_name(s.section), s.hits, false, p + ".section.hits",
                     "section:" + tag_value(s.section)});
    }
    // A backfill report is history; the gauges (the window, the alert, lag, health) tell how
    // things stand now, which would be false at its time (Graphite) and is in the next report.
    if (report.backfill) return m;
    m.push_back({p + ".alert.window_hits", report.alert_window_hits, true, "", ""});
    m.push_back({p + ".alert.high", report.alert_high ? 1u : 0u, true, "", ""});
    m.push_back({p + ".lag_bytes", report.live ? report.live->lag_bytes : 0, true, "", ""});
    m.push_back({p + ".logs.unhealthy", report.live ? report.live->unhealthy : 0, true, "", ""});
    return m;
}

std::vector<std::string> statsd_lines(const Report& report, const StatsdSettings& settings) {
    std::vector<std::string> lines;
    for (const Metric& m : report_metrics(report, settings.prefix)) {
        const bool tagged = settings.tags && !m.tag.empty();
        std::string line = (tagged ? m.tag_name : m.name) + ":" + std::to_string(m.value) + (m.gauge ? "|g" : "|c");
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
        line += std::to_string(m.value);
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
