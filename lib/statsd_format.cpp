#include "statsd_format.h"

namespace hitwatch {
namespace {

constexpr size_t kMaxNameBytes = 64;

bool plain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

std::string counter(const std::string& name, std::uint64_t value) { return name + ":" + std::to_string(value) + "|c"; }
std::string gauge(const std::string& name, std::uint64_t value) { return name + ":" + std::to_string(value) + "|g"; }

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

std::vector<std::string> statsd_lines(const Report& report, const StatsdSettings& settings) {
    const std::string& p = settings.prefix;
    std::vector<std::string> lines = {counter(p + ".hits", report.hits), counter(p + ".bytes", report.bytes),
                                      counter(p + ".invalid", report.invalid)};
    for (size_t i = 0; i < report.status_classes.size(); ++i) {
        const std::string status_class = std::to_string(i + 1) + "xx";
        lines.push_back(settings.tags ? counter(p + ".status", report.status_classes[i]) + "|#status:" + status_class
                                      : counter(p + ".status." + status_class, report.status_classes[i]));
    }
    for (const auto& s : report.sections) {
        lines.push_back(settings.tags ? counter(p + ".section.hits", s.hits) + "|#section:" + tag_value(s.section)
                                      : counter(p + ".section." + metric_name(s.section), s.hits));
    }
    lines.push_back(gauge(p + ".alert.window_hits", report.alert_window_hits));
    lines.push_back(gauge(p + ".alert.high", report.alert_high ? 1 : 0));
    lines.push_back(gauge(p + ".lag_bytes", report.live ? report.live->lag_bytes : 0));
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
