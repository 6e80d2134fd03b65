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

std::string to_text(const AlertEvent& event) {
    return (event.high ? "!!! " : "=== ") + alert_message(event) + "\n";
}

}  // namespace hitwatch
