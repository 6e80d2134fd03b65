// SPDX-License-Identifier: Apache-2.0
#pragma once
// Alerts as syslog messages (RFC 5424, or RFC 3164 for old collectors).
#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.h"

namespace hitwatch {

enum class SyslogFormat { rfc5424, rfc3164 };

// "daemon" -> 3, "local0" -> 16 ...; nullopt for an unknown name.
std::optional<int> syslog_facility(std::string_view name);
// 3 -> "daemon", 16 -> "local0"; "" for a number that is no facility.
std::string_view syslog_facility_name(int facility);

constexpr int kSeverityWarning = 4;
constexpr int kSeverityNotice = 5;

struct SyslogMessage {
    int facility = 3;
    int severity = kSeverityNotice;
    UnixSeconds time = 0;
    std::string host;
    std::string app = "hitwatchd";
    int pid = 0;
    std::string text;
};

// "<28>1 2026-11-25T10:00:00Z web1 hitwatchd 1234 - - text" or, as glibc writes to
// /dev/log, "<28>Nov 25 10:00:00 hitwatchd[1234]: text".
std::string format_syslog(const SyslogMessage& message, SyslogFormat format);

}  // namespace hitwatch
