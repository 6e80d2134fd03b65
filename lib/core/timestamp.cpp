// SPDX-License-Identifier: Apache-2.0
#include "core/timestamp.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string>
#include <utility>

namespace hitwatch {
namespace {

// Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int y, unsigned m) {
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Reads exactly n ASCII digits at p; -1 if any is not a digit.
int digits(const char* p, int n) {
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const unsigned c = static_cast<unsigned char>(p[i]) - '0';
        if (c > 9) return -1;
        v = v * 10 + static_cast<int>(c);
    }
    return v;
}

// Month abbreviations as Apache and nginx write them (C locale, English).
int month_number(const char* p) {
    static constexpr const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i) {
        if (p[0] == names[i][0] && p[1] == names[i][1] && p[2] == names[i][2]) return i + 1;
    }
    return 0;
}

}  // namespace

std::optional<UnixSeconds> parse_clf_time(std::string_view s) {
    // 10/Oct/2000:13:55:36 -0700
    // 0123456789012345678901234
    if (s.size() != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' ||
        s[17] != ':' || s[20] != ' ' || (s[21] != '+' && s[21] != '-')) {
        return std::nullopt;
    }
    const char* p = s.data();
    const int day = digits(p, 2), month = month_number(p + 3), year = digits(p + 7, 4);
    const int hour = digits(p + 12, 2), minute = digits(p + 15, 2), second = digits(p + 18, 2);
    const int off_h = digits(p + 22, 2), off_m = digits(p + 24, 2);
    if (day < 1 || month == 0 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
        second < 0 || second > 60 || off_h < 0 || off_h > 23 || off_m < 0 || off_m > 59) {
        return std::nullopt;
    }
    if (static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) {
        return std::nullopt;
    }
    const std::int64_t days =
        days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t offset = (off_h * 3600 + off_m * 60) * (s[21] == '-' ? -1 : 1);
    return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

namespace {

struct Civil {
    int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
    int offset = 0;  // seconds east of UTC
};

std::optional<UnixSeconds> to_unix(const Civil& c) {
    if (c.month < 1 || c.month > 12 || c.day < 1 || c.hour > 23 || c.minute > 59 || c.second > 60 ||
        static_cast<unsigned>(c.day) > days_in_month(c.year, static_cast<unsigned>(c.month))) {
        return std::nullopt;
    }
    return days_from_civil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day)) * 86400 +
           c.hour * 3600 + c.minute * 60 + c.second - c.offset;
}

// After an ISO 8601 time's seconds at p: past its fraction (".123" or ",123"), if any.
const char* after_fraction(const char* p, const char* end) {
    if (p == end || (*p != '.' && *p != ',')) return p;
    for (++p; p != end && *p >= '0' && *p <= '9';) ++p;
    return p;
}

// "+07:00", "-0700" or "Z" at p; its length, or 0.
size_t read_offset(const char* p, const char* end, int& offset) {
    if (p != end && *p == 'Z') {
        offset = 0;
        return 1;
    }
    if (end - p < 5 || (*p != '+' && *p != '-')) return 0;
    const bool colon = p[3] == ':';
    if (colon && end - p < 6) return 0;
    const int h = digits(p + 1, 2), m = digits(p + 3 + colon, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59) return 0;
    offset = (h * 3600 + m * 60) * (*p == '-' ? -1 : 1);
    return colon ? 6 : 5;
}

}  // namespace

std::optional<UnixSeconds> parse_iso8601_time(std::string_view s) {
    // 2000-10-10T13:55:36-07:00
    // 0123456789012345678
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':') {
        return std::nullopt;
    }
    const char* p = s.data();
    const char* end = p + s.size();
    Civil c{digits(p, 4), digits(p + 5, 2), digits(p + 8, 2), digits(p + 11, 2), digits(p + 14, 2), digits(p + 17, 2)};
    if (c.year < 0 || c.hour < 0 || c.minute < 0 || c.second < 0) return std::nullopt;
    const char* q = after_fraction(p + 19, end);
    const size_t n = read_offset(q, end, c.offset);
    if (n == 0 || q + n != end) return std::nullopt;
    return to_unix(c);
}

std::optional<UnixSeconds> IsoTimeMemo::parse(std::string_view s) {
    // 2000-10-10T13:55:36.123-07:00: the day, then HH:MM:SS, a fraction, the zone.
    if (s.size() < 20 || s[13] != ':' || s[16] != ':') return std::nullopt;
    const char* p = s.data();
    const char* end = p + s.size();
    const int hour = digits(p + 11, 2), minute = digits(p + 14, 2), second = digits(p + 17, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return std::nullopt;
    const UnixSeconds time_of_day = hour * 3600 + minute * 60 + second;
    const char* zone = after_fraction(p + 19, end);
    const auto zone_size = static_cast<std::size_t>(end - zone);
    if (valid_ && std::memcmp(p, day_, sizeof day_) == 0 && zone_size == zone_size_ &&
        std::memcmp(zone, zone_, zone_size) == 0) {
        return midnight_ + time_of_day;  // a day and a zone read before, so valid
    }
    const std::optional<UnixSeconds> time = parse_iso8601_time(s);
    if (time && zone_size <= sizeof zone_) {
        std::memcpy(day_, p, sizeof day_);
        std::memcpy(zone_, zone, zone_size);
        zone_size_ = zone_size;
        midnight_ = *time - time_of_day;
        valid_ = true;
    }
    return time;
}

std::optional<PatternTime> parse_pattern_time(std::string_view pattern, std::string_view text) {
    Civil c;
    std::int64_t epoch = -1;
    bool zoned = false;  // %z or %s: not the server's local time
    const char* p = text.data();
    const char* end = p + text.size();
    // n digits exactly (or up to n for %e, which pads with a space).
    const auto number = [&](int n, int& out) {
        if (end - p < n) return false;
        out = digits(p, n);
        p += n;
        return out >= 0;
    };
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '%' || i + 1 == pattern.size()) {
            if (p == end || *p != pattern[i]) return std::nullopt;
            ++p;
            zoned = zoned || pattern[i] == 'Z';  // written as text: UTC ("%Y-%m-%dT%H:%M:%SZ")
            continue;
        }
        bool ok = true;
        switch (pattern[++i]) {
            case 'd': ok = number(2, c.day); break;
            case 'e':
                if (p != end && *p == ' ') ++p, ok = number(1, c.day);
                else ok = number(2, c.day);
                break;
            case 'm': ok = number(2, c.month); break;
            case 'b':
                ok = end - p >= 3 && (c.month = month_number(p)) != 0;
                if (ok) p += 3;
                break;
            case 'Y': ok = number(4, c.year); break;
            case 'y': ok = number(2, c.year), c.year += 2000; break;
            case 'H': ok = number(2, c.hour); break;
            case 'M': ok = number(2, c.minute); break;
            case 'S': ok = number(2, c.second); break;
            case 'T':
                ok = number(2, c.hour) && p != end && *p++ == ':' && number(2, c.minute) && p != end && *p++ == ':' &&
                     number(2, c.second);
                break;
            case 'F':
                ok = number(4, c.year) && p != end && *p++ == '-' && number(2, c.month) && p != end && *p++ == '-' &&
                     number(2, c.day);
                break;
            case 'z': {
                zoned = true;
                const size_t n = read_offset(p, end, c.offset);
                ok = n != 0;
                p += n;
                break;
            }
            case 's': {
                zoned = true;
                epoch = 0;
                const char* start = p;
                while (p != end && *p >= '0' && *p <= '9' && p - start < 12) epoch = epoch * 10 + (*p++ - '0');
                ok = p != start;
                break;
            }
            case 'f': {  // a fraction of a second (Apache's msec_frac, usec_frac): digits, not read
                const char* start = p;
                while (p != end && *p >= '0' && *p <= '9') ++p;
                ok = p != start;
                break;
            }
            case '%': ok = p != end && *p++ == '%'; break;
            default: return std::nullopt;
        }
        if (!ok || p > end) return std::nullopt;
    }
    const auto time = epoch >= 0 ? std::optional<UnixSeconds>(epoch) : to_unix(c);
    if (!time) return std::nullopt;
    return PatternTime{*time, static_cast<size_t>(p - text.data()), zoned};
}

namespace {

// "2h", "1h30min", "90 min", "1 hour 30 minutes" (systemd.time(7)'s units, months and years left
// out: their length is not one): its seconds, or nullopt.
std::optional<std::int64_t> parse_span(std::string_view text) {
    if (text.empty() || text.front() == ' ' || text.back() == ' ') return std::nullopt;  // as a date's shapes
    struct Unit {
        std::string_view name;
        std::int64_t seconds;
    };
    static constexpr Unit kUnits[] = {
        {"s", 1},        {"sec", 1},       {"secs", 1},      {"second", 1},  {"seconds", 1},
        {"m", 60},       {"min", 60},      {"mins", 60},     {"minute", 60}, {"minutes", 60},
        {"h", 3600},     {"hr", 3600},     {"hrs", 3600},    {"hour", 3600}, {"hours", 3600},
        {"d", 86400},    {"day", 86400},   {"days", 86400},  {"w", 604800},  {"week", 604800},
        {"weeks", 604800},
    };
    std::int64_t total = 0;
    bool any = false;
    std::size_t i = 0;
    const auto skip_spaces = [&] {
        while (i < text.size() && text[i] == ' ') ++i;
    };
    for (skip_spaces(); i < text.size(); skip_spaces()) {
        const std::size_t digits = i;
        std::int64_t count = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - digits < 9) {
            count = count * 10 + (text[i++] - '0');
        }
        if (i == digits) return std::nullopt;
        skip_spaces();
        const std::size_t letters = i;
        while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
        const std::string_view name = text.substr(letters, i - letters);
        const Unit* unit =
            std::find_if(std::begin(kUnits), std::end(kUnits), [&](const Unit& u) { return u.name == name; });
        if (unit == std::end(kUnits)) return std::nullopt;
        total += count * unit->seconds;
        any = true;
    }
    return any ? std::optional(total) : std::nullopt;
}

// A day named by a word, and a time of day on the local clock.
struct DayWord {
    int days;                 // from today: -1 yesterday, 1 tomorrow
    UnixSeconds time_of_day;  // seconds after midnight
};

// "today", "yesterday" or "tomorrow", with a time of day ("yesterday 02:30", "today 14:00:30")
// or not (midnight); nullopt if it is none of those.
std::optional<DayWord> parse_day_word(std::string_view text) {
    static constexpr std::pair<std::string_view, int> kDays[] = {{"yesterday", -1}, {"today", 0}, {"tomorrow", 1}};
    for (const auto& [word, days] : kDays) {
        if (text.substr(0, word.size()) != word) continue;
        const std::string_view rest = text.substr(word.size());
        if (rest.empty()) return DayWord{days, 0};
        // On the Unix epoch's day: its seconds are the time of day.
        const std::string with_day = "1970-01-01" + std::string(rest);
        for (const std::string_view shape : {"%F %H:%M", "%F %T"}) {
            const std::optional<PatternTime> t = parse_pattern_time(shape, with_day);
            if (t && t->length == with_day.size()) return DayWord{days, t->time};
        }
        return std::nullopt;
    }
    return std::nullopt;
}

// Relative to `now` (UTC): "now", "-2h", "+30min", "90min ago", or a day word (parse_day_word)
// in the machine's zone. nullopt if it is none of those.
std::optional<UnixSeconds> parse_relative_time(std::string_view text, LocalToUtc local_to_utc, UnixSeconds now) {
    if (text == "now") return now;
    constexpr std::string_view kAgo = " ago";
    if (text.size() > kAgo.size() && text.substr(text.size() - kAgo.size()) == kAgo) {
        const auto span = parse_span(text.substr(0, text.size() - kAgo.size()));
        return span ? std::optional(now - *span) : std::nullopt;
    }
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        const auto span = parse_span(text.substr(1));
        if (!span) return std::nullopt;
        return text.front() == '-' ? now - *span : now + *span;
    }
    const std::optional<DayWord> day = parse_day_word(text);
    if (!day) return std::nullopt;
    // The local clock's reading now: the zone's offset at about now, then at that reading.
    const UnixSeconds near = now + (now - local_to_utc(now));
    const UnixSeconds local_now = now + (near - local_to_utc(near));
    return local_to_utc(align_down(local_now, 86400) + day->days * 86400 + day->time_of_day);
}

}  // namespace

std::optional<UnixSeconds> parse_given_time(std::string_view text, LocalToUtc local_to_utc, UnixSeconds now) {
    if (const auto relative = parse_relative_time(text, local_to_utc, now)) return relative;
    // Each shape whole, with its zone or without; the date alone is midnight. A time copied from
    // a log (ISO 8601 with a fraction, or Apache's) reads too.
    static constexpr std::string_view kShapes[] = {
        "@%s",        "%F",          "%FT%H:%M",     "%F %H:%M",       "%FT%H:%M%z",     "%F %H:%M%z",
        "%FT%T",      "%F %T",       "%FT%T%z",      "%F %T%z",        "%FT%T.%f",       "%F %T.%f",
        "%FT%T.%f%z", "%F %T.%f%z",  "%d/%b/%Y:%T %z",
    };
    if (!text.empty() && text.front() == '-') return std::nullopt;  // %s reads no sign
    for (const std::string_view shape : kShapes) {
        const std::optional<PatternTime> t = parse_pattern_time(shape, text);
        if (!t || t->length != text.size()) continue;
        return t->zoned ? t->time : local_to_utc(t->time);
    }
    return std::nullopt;
}

std::string format_iso8601(UnixSeconds t) {
    const std::int64_t days = align_down(t, 86400) / 86400;
    const std::int64_t secs = t - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    char buf[40];
    if (y < 0 || y > 9999) [[unlikely]] {
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, static_cast<int>(secs / 3600),
                      static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
        return buf;
    }
    // Digit by digit: a sparse log's replay writes two times a report, a report a line or two,
    // and snprintf was a tenth of it.
    const auto two_digits = [&](std::size_t at, unsigned n) {
        buf[at] = static_cast<char>('0' + n / 10);
        buf[at + 1] = static_cast<char>('0' + n % 10);
    };
    const auto year = static_cast<unsigned>(y);
    two_digits(0, year / 100);
    two_digits(2, year % 100);
    buf[4] = '-';
    two_digits(5, m);
    buf[7] = '-';
    two_digits(8, d);
    buf[10] = 'T';
    two_digits(11, static_cast<unsigned>(secs / 3600));
    buf[13] = ':';
    two_digits(14, static_cast<unsigned>(secs / 60 % 60));
    buf[16] = ':';
    two_digits(17, static_cast<unsigned>(secs % 60));
    buf[19] = 'Z';
    return std::string(buf, 20);
}

}  // namespace hitwatch
