// SPDX-License-Identifier: Apache-2.0
#include "format/syslog_format.h"

#include <cstdio>
#include <ctime>

namespace hitwatch {

namespace {

constexpr std::string_view kNames[] = {"kern", "user", "mail", "daemon", "auth", "syslog",
                                       "lpr",  "news", "uucp", "cron",   "authpriv", "ftp"};
constexpr std::string_view kLocal[] = {"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"};

}  // namespace

std::string_view syslog_facility_name(int facility) {
    if (facility >= 0 && facility < static_cast<int>(std::size(kNames))) return kNames[facility];
    if (facility >= 16 && facility < 24) return kLocal[facility - 16];
    return "";
}

std::optional<int> syslog_facility(std::string_view name) {
    const auto& names = kNames;
    for (int i = 0; i < static_cast<int>(std::size(names)); ++i) {
        if (name == names[i]) return i;
    }
    if (name.size() == 6 && name.substr(0, 5) == "local" && name[5] >= '0' && name[5] <= '7') {
        return 16 + (name[5] - '0');
    }
    return std::nullopt;
}

std::string format_syslog(const SyslogMessage& m, SyslogFormat format) {
    const int pri = m.facility * 8 + m.severity;
    const std::string host = m.host.empty() ? "-" : m.host;
    char head[160];
    if (format == SyslogFormat::rfc5424) {
        std::snprintf(head, sizeof head, "<%d>1 %s %s %s %d - - ", pri, format_iso8601(m.time).c_str(), host.c_str(),
                      m.app.c_str(), m.pid);
    } else {
        const std::time_t t = static_cast<std::time_t>(m.time);
        std::tm tm{};
        localtime_r(&t, &tm);  // RFC 3164 has no zone: collectors read it as local time
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%b %e %H:%M:%S", &tm);
        // The local-socket form glibc's syslog() writes: no HOSTNAME, the collector adds it.
        std::snprintf(head, sizeof head, "<%d>%s %s[%d]: ", pri, stamp, m.app.c_str(), m.pid);
    }
    return head + m.text;
}

}  // namespace hitwatch
