// SPDX-License-Identifier: Apache-2.0
#pragma once
// Fields both line scanners read (core/parser.cpp's and core/field_parser.cpp's), here so that
// each inlines them: a call each for every line costs more than the reading.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/parser.h"
#include "core/section.h"
#include "core/swar.h"
#include "core/timestamp.h"

namespace hitwatch {

// "HH:MM:SS" as seconds since midnight, or -1: the eight bytes read as one word.
[[gnu::always_inline]] inline int time_of_day(const char* p) {
    constexpr std::uint64_t kColonBytes = 0x0000FF0000FF0000ull;  // bytes 2 and 5
    const std::uint64_t word = swar::load_word(p);
    if ((word & kColonBytes) != (kColonBytes & swar::kOnes * ':')) return -1;
    const std::uint64_t digits = (word & ~kColonBytes) | (kColonBytes & swar::kOnes * '0');
    if (swar::digit_bytes(digits) != swar::kHighs) return -1;
    const std::uint64_t d = digits - swar::kOnes * '0';
    const auto at = [d](int i) { return static_cast<int>((d >> (8 * i)) & 0xFF); };
    const int hour = at(0) * 10 + at(1), minute = at(3) * 10 + at(4), second = at(6) * 10 + at(7);
    if (hour > 23 || minute > 59 || second > 60) return -1;
    return hour * 3600 + minute * 60 + second;
}

// The date and the offset change once a day at most, so they are remembered and only the
// time of day is read for each line (also for out-of-order lines, which a whole-timestamp
// memo would miss).
[[gnu::always_inline]] inline bool clf_time(std::string_view text, UnixSeconds& time, DateMemo& memo) {
    if (text.size() != 26) return false;
    const char* p = text.data();
    const int seconds = time_of_day(p + 12);
    if (memo.valid && seconds >= 0 && swar::same_bytes<12>(p, memo.date) && swar::same_bytes<6>(p + 20, memo.offset)) {
        time = memo.midnight + seconds;
        return true;
    }
    const auto value = parse_clf_time(text);
    if (!value) return false;
    if (seconds >= 0) {
        std::memcpy(memo.date, p, sizeof memo.date);
        std::memcpy(memo.offset, p + 20, sizeof memo.offset);
        memo.midnight = *value - seconds;
        memo.valid = true;
    }
    time = *value;
    return true;
}

// "GET /path HTTP/1.1" -> the section of "/path"; a bare "GET /path" (HTTP/0.9) is fine too.
// False if there is no target with a section. Servers merge repeated slashes, and so does
// this: "GET //favicon.ico" asks for /favicon.ico.
[[gnu::always_inline]] inline bool request_section(std::string_view request, LogLine& line) {
    const char* end = request.data() + request.size();
    const char* method_end = swar::find_char(request.data(), end, ' ');
    if (method_end == request.data() || method_end == end) return false;
    const char* target = method_end + 1;
    if (target != end && *target == '/') {
        // The common origin-form path: its section without a second look.
        while (target + 1 != end && target[1] == '/') ++target;
        line.section = {target, static_cast<size_t>(segment_end(target + 1, end) - target)};
        return true;
    }
    const auto section = section_of({target, static_cast<size_t>(swar::find_char(target, end, ' ') - target)});
    if (section) line.section = *section;
    return section.has_value();
}

}  // namespace hitwatch
