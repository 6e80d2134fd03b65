// SPDX-License-Identifier: Apache-2.0
#include "format/text_format.h"

#include <cstdio>

namespace hitwatch {
namespace {

std::string human_bytes(std::uint64_t bytes) {
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    size_t unit = 0;
    while (v >= 1024 && unit + 1 < std::size(units)) {
        v /= 1024;
        ++unit;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", v, units[unit]);
    return buf;
}

}  // namespace

std::string to_text(const Report& report) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s  hits %7llu  bytes %10s  invalid %4llu ",
                  format_iso8601(report.interval_start).c_str(),
                  static_cast<unsigned long long>(report.hits), human_bytes(report.bytes).c_str(),
                  static_cast<unsigned long long>(report.invalid));
    std::string out = buf;
    for (size_t i = 0; i < report.status_classes.size(); ++i) {
        if (report.status_classes[i] == 0) continue;
        std::snprintf(buf, sizeof buf, " %zuxx %llu", i + 1,
                      static_cast<unsigned long long>(report.status_classes[i]));
        out += buf;
    }
    std::snprintf(buf, sizeof buf, "  total %llu%s\n", static_cast<unsigned long long>(report.total_hits),
                  report.partial ? "  (partial)" : report.backfill ? "  (backfill: read late, counted by log time)" : "");
    out += buf;
    if (!report.sections.empty()) {
        out += "                     ";
        for (const auto& s : report.sections) {
            out += ' ';
            out += s.section;  // safe for a terminal: section names are (core/section.h)
            out += ' ';
            out += std::to_string(s.hits);
            out += ' ';
        }
        if (report.sections_truncated) out += "(sections truncated: hits are lower bounds) ";
        out.back() = '\n';
    }
    return out;
}

std::string to_text(const RunSummary& s) {
    char buf[256];
    std::string out = "== summary ==\n";
    std::snprintf(buf, sizeof buf, "  from %s to %s\n", format_iso8601(s.first).c_str(), format_iso8601(s.last).c_str());
    out += buf;
    if (s.stopped_by_signal != 0) {
        out += "  stopped by signal " + std::to_string(s.stopped_by_signal) + " before the end of the input\n";
    }
    for (const auto& unread : s.unread) out += "  " + unread + "\n";
    if (s.window) {
        out += "  window";
        if (s.window->since) out += " from " + format_iso8601(*s.window->since);
        if (s.window->until) out += " before " + format_iso8601(*s.window->until);
        out += " (" + std::to_string(s.window->outside) + " lines read outside it, not reported)\n";
    }
    std::snprintf(buf, sizeof buf, "  lines %llu  hits %llu  bytes %s  invalid %llu  (%.0f lines/s)\n",
                  static_cast<unsigned long long>(s.lines), static_cast<unsigned long long>(s.hits),
                  human_bytes(s.bytes).c_str(), static_cast<unsigned long long>(s.invalid), s.lines_per_s);
    out += buf;
    out += "  status";
    for (size_t i = 0; i < s.status_classes.size(); ++i) {
        if (s.status_classes[i] == 0) continue;
        std::snprintf(buf, sizeof buf, "  %zuxx %llu", i + 1, static_cast<unsigned long long>(s.status_classes[i]));
        out += buf;
    }
    std::snprintf(buf, sizeof buf, "\n  alerts %llu  (%lld s on)", static_cast<unsigned long long>(s.alerts),
                  static_cast<long long>(s.alert_seconds));
    out += buf;
    for (const AlertKind kind : kAllAlertKinds) {
        const auto k = static_cast<size_t>(kind);
        if (s.alerts_by_kind[k] == 0) continue;
        std::snprintf(buf, sizeof buf, "  %s %llu", std::string(name_of(kind)).c_str(),
                      static_cast<unsigned long long>(s.alerts_by_kind[k]));
        out += buf;
    }
    out += '\n';
    for (const auto& [reason, count] : s.invalid_reasons) {
        out += "  invalid " + reason + " " + std::to_string(count) + "\n";
    }
    out += s.sections_truncated ? "  sections (lower bounds: more distinct sections than --max-sections)\n" : "  sections\n";
    for (const auto& section : s.sections) {
        std::snprintf(buf, sizeof buf, "  %12llu  ", static_cast<unsigned long long>(section.hits));
        out += buf;
        out += section.section;  // safe for a terminal (core/section.h)
        out += '\n';
    }
    return out;
}

std::string to_text(const AlertEvent& event) {
    return (event.high ? "!!! " : "=== ") + alert_message(event) + "\n";
}

}  // namespace hitwatch
