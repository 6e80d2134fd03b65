// SPDX-License-Identifier: Apache-2.0
#pragma once
// Log timestamps: the CLF "[dd/Mon/yyyy:HH:MM:SS +zzzz]" in, UTC ISO 8601 out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hitwatch {

using UnixSeconds = std::int64_t;

// Start of the interval of `length` seconds (counted from the Unix epoch) that holds t.
inline UnixSeconds align_down(UnixSeconds t, std::int64_t length) {
    UnixSeconds r = t % length;
    return r < 0 ? t - r - length : t - r;
}

// Parses the text between the brackets, applying the offset; nullopt if it is not exactly
// that shape or names an impossible date.
std::optional<UnixSeconds> parse_clf_time(std::string_view text);

// "2000-10-10T13:55:36-07:00" ($time_iso8601); also "Z" or "+0000" for the offset, a fraction
// of a second (ignored), and a space for the T. nullopt if it is not that shape.
std::optional<UnixSeconds> parse_iso8601_time(std::string_view text);

// The same, remembering the day and the zone of the last time it read ("2025-11-20T" and "Z" or
// "+00:00"): while they stay the same, only the time of day is read. For a wrapper's time,
// which every line of a container's or syslog's log starts with.
class IsoTimeMemo {
public:
    std::optional<UnixSeconds> parse(std::string_view text);

private:
    char day_[11] = {};
    char zone_[6] = {};
    std::size_t zone_size_ = 0;
    UnixSeconds midnight_ = 0;  // of day_, in zone_
    bool valid_ = false;
};

// A time written by a strftime pattern (Apache's %{...}t): %d %m %b %Y %y %H %M %S %z %T %F %e %s
// and %%; literal text as is. The time and how many bytes of `text` it took; nullopt if `text`
// does not start with such a time or the pattern uses another conversion.
struct PatternTime {
    UnixSeconds time;
    size_t length;
    bool zoned;  // it had %z or %s; else `time` is the clock reading as if it were UTC
};

// What a local clock reading (written as if it were UTC) is in UTC: the machine's zone, which
// the shell supplies (the core reads no zone database).
using LocalToUtc = UnixSeconds (*)(UnixSeconds local);

// LocalToUtc, asked once per quarter hour of local time (zones change offset only on those).
class LocalTimeMemo {
public:
    UnixSeconds to_utc(LocalToUtc convert, UnixSeconds local) {
        const UnixSeconds quarter = align_down(local, 900);
        if (quarter != quarter_) quarter_ = quarter, offset_ = convert(quarter) - quarter;
        return local + offset_;
    }

private:
    UnixSeconds quarter_ = -1, offset_ = 0;
};

// The time at the start of `text` as the strftime `pattern` writes it (%d %e %m %b %Y %y %H %M
// %S %T %F %z %s %%), and %f: the digits of a fraction of a second, not read.
std::optional<PatternTime> parse_pattern_time(std::string_view pattern, std::string_view text);

// A time as a person gives it on a command line (--since, --until): "2026-12-06", "2026-12-06
// 02:30", "2026-12-06T02:30:15", each with a zone ("Z", "+01:00", "+0100") or in the machine's,
// which `local_to_utc` converts from; one copied from a log (ISO 8601 with a fraction of a
// second, or Apache's "06/Dec/2026:02:30:15 +0100"); "@1765000000", Unix seconds; or, as
// journalctl reads them (systemd.time(7)), relative to `now`: "now", "-2h", "-1h30min", "+15min",
// "90min ago", and "today", "yesterday", "tomorrow" (midnight in the machine's zone, or with a
// time of day: "yesterday 02:30"). nullopt if it is none of those, or names an impossible date.
std::optional<UnixSeconds> parse_given_time(std::string_view text, LocalToUtc local_to_utc, UnixSeconds now);

// "2026-11-20T10:00:00Z"
std::string format_iso8601(UnixSeconds t);

}  // namespace hitwatch
