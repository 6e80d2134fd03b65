// SPDX-License-Identifier: Apache-2.0
#include "core/field_parser.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>

#include "core/duration_text.h"
#include "core/line_fields.h"
#include "core/section.h"
#include "core/swar.h"

namespace hitwatch {
namespace {

unsigned digit(char c) { return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0'; }

// Digits, 18 at most (they fit in 64 bits); false if there are none or anything else. (Read
// in one word instead, short numbers cost more instructions and no less time.)
bool whole_number(std::string_view s, std::uint64_t& value) {
    if (s.empty() || s.size() > 18) return false;
    value = 0;
    for (char c : s) {
        if (digit(c) > 9) return false;
        value = value * 10 + digit(c);
    }
    return true;
}

// "12.345678" in millionths; the first number of a list ("0.012, 0.040" for two upstreams).
bool decimal_micros(std::string_view s, std::int64_t& micros) {
    size_t i = 0;
    std::int64_t whole = 0;
    for (; i < s.size() && digit(s[i]) <= 9 && i < 12; ++i) whole = whole * 10 + digit(s[i]);
    if (i == 0) return false;
    std::int64_t fraction = 0, scale = 1000000;
    if (i < s.size() && s[i] == '.') {
        for (++i; i < s.size() && digit(s[i]) <= 9; ++i) {
            if (scale > 1) scale /= 10, fraction += digit(s[i]) * scale;
        }
    }
    if (i < s.size() && s[i] != ',' && s[i] != ' ') return false;
    micros = whole * 1000000 + fraction;
    return true;
}

// A duration with its unit ("12ms", as Traefik writes one): whatever the field's own unit.
bool duration_with_unit(std::string_view s, LogLine& line) {
    const std::optional<std::int64_t> micros = micros_of_duration_text(s);
    if (micros) line.duration_us = *micros;
    return micros.has_value();
}

bool read_duration(Field f, std::string_view s, LogLine& line) {
    // None: "-" for a request that never reached an upstream; "-1" where AWS's load balancers
    // and HAProxy write a time they never took (no target answered, the client left).
    if (s == "-" || s == "-1") return true;
    if (f == Field::duration_s) {
        if (decimal_micros(s, line.duration_us)) return line.duration_us <= kMaxDurationMicros;
        return duration_with_unit(s, line);
    }
    std::uint64_t value = 0;
    if (!whole_number(s, value)) return duration_with_unit(s, line);
    const std::uint64_t scale = f == Field::duration_ms ? 1000 : 1;
    if (value > static_cast<std::uint64_t>(kMaxDurationMicros) / scale) return false;  // no product past it
    line.duration_us = static_cast<std::int64_t>(value * scale);
    return true;
}

bool read_epoch(Field f, std::string_view s, UnixSeconds& time) {
    std::uint64_t value = 0;
    if (f == Field::time_epoch) {
        std::int64_t micros = 0;
        if (!decimal_micros(s, micros)) return false;
        time = micros / 1000000;
        return true;
    }
    if (!whole_number(s, value)) return false;
    time = static_cast<UnixSeconds>(f == Field::time_epoch_ms ? value / 1000 : value / 1000000);
    return true;
}

// Whether the text at p starts with `literal`: most are a byte or three, compared as words.
bool starts_with(const char* p, const char* end, const std::string& literal) {
    const size_t n = literal.size();
    if (static_cast<size_t>(end - p) < n) return false;
    return n <= 16 ? swar::same_short_bytes(p, literal.data(), n) : std::memcmp(p, literal.data(), n) == 0;
}

// Where a list field that starts at p ends, its first item ending at `found` (a space or `end`),
// after at most `limit` items (0: no limit); `items` says how many it took.
const char* list_end(const char* p, const char* found, const char* end, size_t limit, size_t& items) {
    for (items = 1;; ++items) {
        if (found == end || items == limit) return found;
        if (found > p && found[-1] == ',') {  // "a, b"
        } else if (end - found >= 3 && found[1] == ':' && found[2] == ' ') {  // "a : b"
            found += 2;
        } else {
            return found;
        }
        found = swar::find_char(found + 1, end, ' ');
    }
}

}  // namespace

FieldParser::Op FieldParser::op_of(const HotStep& step) {
    using Span = FormatStep::Span;
    if (step.before_tail) return Op::other;
    const auto is = [&](Span span, Field field) { return step.span == span && step.field == field; };
    if (is(Span::to_stop, Field::skip)) return Op::skip_word;
    if (is(Span::quoted, Field::skip)) return Op::skip_quoted;
    if (is(Span::fixed_clf, Field::time_clf)) return Op::clf_time;
    if (is(Span::quoted, Field::request)) return Op::quoted_request;
    if (is(Span::to_stop, Field::status)) return Op::status_word;
    if (is(Span::to_stop, Field::bytes)) return Op::bytes_word;
    return Op::other;
}

FieldParser::FieldParser(LogFormat format) : format_(std::move(format)) {
    const auto has = [&](Field f) {
        return std::any_of(format_.steps.begin(), format_.steps.end(), [f](const FormatStep& s) { return s.has_field && s.field == f; });
    };
    section_from_request_ = !has(Field::target);
    has_status_ = has(Field::status);
    for (const FormatStep& step : format_.steps) {
        HotStep& hot = step.has_field ? hot_.emplace_back() : text_;
        hot.source = &step;
        hot.literal_size = static_cast<std::uint32_t>(step.literal.size());
        hot.literal_in_word = step.literal.size() <= 8;
        if (hot.literal_in_word) {
            char bytes[8] = {}, mask[8] = {};
            std::memcpy(bytes, step.literal.data(), step.literal.size());
            std::memset(mask, 0xFF, step.literal.size());
            hot.literal_word = swar::load<std::uint64_t>(bytes);
            hot.literal_mask = swar::load<std::uint64_t>(mask);
        }
        hot.before_tail = step.before_tail;
        hot.span = step.span;
        hot.field = step.field;
        hot.stop = step.stop;
        hot.error = step.error;
    }
    // A quoted field skipped just before the last field, which ends the line with a number
    // or a field not read ("%{User-Agent}i" %D): from the line's end, the last field starts
    // after the last byte of its literal, and the quoted one ends where that literal begins,
    // unless the last field has that byte in it (then it is looked through after all).
    const size_t n = hot_.size();
    if (n >= 2 && text_.literal_size == 0 && !hot_[n - 1].source->literal.empty() && hot_[n - 1].source->literal[0] == '"') {
        HotStep& quoted = hot_[n - 2];
        const Field last = hot_[n - 1].field;
        const bool number = last == Field::skip || last == Field::status || last == Field::bytes || last == Field::duration_us ||
                            last == Field::duration_ms || last == Field::duration_s || last == Field::time_epoch ||
                            last == Field::time_epoch_ms || last == Field::time_epoch_us;
        if (number && quoted.span == FormatStep::Span::quoted && quoted.field == Field::skip) {
            quoted.before_tail = true;
            last_field_literal_ = hot_[n - 1].source->literal;
        }
    }
    // Once every step's before_tail is known: each step's case, and whether its literal needs
    // comparing. A one-byte literal after an unquoted field is the byte that ended it.
    for (size_t i = 0; i <= hot_.size(); ++i) {
        HotStep& hot = i < hot_.size() ? hot_[i] : text_;
        const bool after_word = i > 0 && hot_[i - 1].span == FormatStep::Span::to_stop && !hot_[i - 1].before_tail;
        hot.literal_known = hot.literal_size == 0 || (hot.literal_size == 1 && after_word);
        hot.op = op_of(hot);
    }
}

[[gnu::always_inline]] inline bool FieldParser::literal_matches(const HotStep& step, const char* p, const char* end) {
    if (step.literal_known) return true;
    if (step.literal_in_word && end - p >= 8) return ((swar::load<std::uint64_t>(p) ^ step.literal_word) & step.literal_mask) == 0;
    return starts_with(p, end, step.source->literal);
}

const char* FieldParser::end_from_line_end(const char* p, const char* end) const {
    // The text that follows the field: the format's last text, at the line's end; or the last
    // field's literal, which ends at the last of its last byte (found in the line's last
    // eight bytes with one word, as a short last field has it).
    const std::string& next = last_field_literal_.empty() ? format_.steps.back().literal : last_field_literal_;
    const char* at = end - next.size();
    if (!last_field_literal_.empty()) {
        const char* last_byte = nullptr;
        if (end - p >= 8) {
            const std::uint64_t found = swar::bytes_equal(swar::load_word(end - 8), next.back());
            if (found != 0) last_byte = end - 1 - (std::countl_zero(found) >> 3);
        }
        if (last_byte == nullptr) {
            const size_t in_rest = std::string_view(p, static_cast<size_t>(end - p)).rfind(next.back());
            if (in_rest == std::string_view::npos) return nullptr;
            last_byte = p + in_rest;
        }
        at = last_byte + 1 - next.size();
    }
    if (at < p || !starts_with(at, end, next)) return nullptr;
    // A quote that closes the field must not be an escaped one.
    return next[0] == '"' && escaped_quote(at, p) ? nullptr : at;
}

void FieldParser::parse_with_shorter_lists(std::string_view text, ParseResult& r) {
    LogLine line;
    for (const size_t limit : {longest_list_ - 1, size_t{1}}) {
        list_items_limit_ = limit;
        if (scan(text, line) == ParseError::none) {
            r.error = ParseError::none;
            r.line = line;
            break;
        }
    }
    list_items_limit_ = 0;
}

ParseResult FieldParser::parse(std::string_view text) {
    ParseResult r;
    parse(text, r);
    return r;
}

// Flattened: every helper in reach is inlined (GCC otherwise stops at the byte search).
[[gnu::flatten]] ParseError FieldParser::scan(std::string_view text, LogLine& line) {
    using Span = FormatStep::Span;
    // What a format may not have, reset (see LogParser::parse), field by field: a line-sized
    // `line = {}` compiles to `rep stos`, slow to start for 88 bytes.
    line.host = {};
    line.section = {};
    line.vhost = {};
    line.time = 0;
    line.status = 0;
    line.bytes = 0;
    line.combined = false;
    line.duration_us = -1;
    text = trim_line(text);
    if (text.empty()) return ParseError::blank;
    const char* p = text.data();
    const char* const end = p + text.size();
    for (const HotStep& step : hot_) {
        if (!literal_matches(step, p, end)) [[unlikely]] return step.error;
        p += step.literal_size;
        ParseError error = ParseError::none;
        switch (step.op) {
            case Op::skip_word: error = take(Span::to_stop, Field::skip, step, p, end, line); break;
            case Op::skip_quoted: error = take(Span::quoted, Field::skip, step, p, end, line); break;
            case Op::clf_time: error = take(Span::fixed_clf, Field::time_clf, step, p, end, line); break;
            case Op::quoted_request: error = take(Span::quoted, Field::request, step, p, end, line); break;
            case Op::status_word: error = take(Span::to_stop, Field::status, step, p, end, line); break;
            case Op::bytes_word: error = take(Span::to_stop, Field::bytes, step, p, end, line); break;
            case Op::other: {
                const char* const field_end = step.before_tail ? end_from_line_end(p, end) : nullptr;
                if (field_end != nullptr) {
                    error = take(Span::to_end, step.field, step, p, field_end, line);
                } else {
                    error = take(step.span, step.field, step, p, end, line);
                }
                break;
            }
        }
        if (error != ParseError::none) [[unlikely]] return error;
    }
    if (!literal_matches(text_, p, end)) return text_.error;
    p += text_.literal_size;
    // Fields appended after the format's last (as a later log_format adds them) are not ours.
    if (p != end && *p != ' ') return ParseError::bad_field;
    if (!has_status_) return ParseError::bad_status;
    if (line.status == 0) [[unlikely]] return ParseError::no_response;  // (a status read is 100 or more)
    if (line.section.empty()) line.section = kNoSection;
    return ParseError::none;
}

FieldParser::Mismatch FieldParser::mismatch(std::string_view text) {
    const char* const line_start = text.data();
    text = trim_line(text);
    const char* p = text.data();
    const char* const end = p + text.size();
    const auto at = [&](const char* where, std::string expected) {
        return Mismatch{static_cast<size_t>(where - line_start) + 1, std::move(expected)};
    };
    const auto literal = [](const HotStep& step) { return "the text \"" + step.source->literal + "\""; };
    LogLine line;
    for (const HotStep& step : hot_) {
        if (!literal_matches(step, p, end)) return at(p, literal(step));
        p += step.literal_size;
        const char* const field_start = p;
        const char* const field_end = step.before_tail ? end_from_line_end(p, end) : nullptr;
        const ParseError error = field_end != nullptr ? take(FormatStep::Span::to_end, step.field, step, p, field_end, line)
                                                      : take(step.span, step.field, step, p, end, line);
        if (error != ParseError::none) return at(field_start, step.source->name);
    }
    if (!literal_matches(text_, p, end)) return at(p, literal(text_));
    p += text_.literal_size;
    if (p != end && *p != ' ') return at(p, "the end of the line");
    if (!has_status_) return at(end, "a status (the format has none)");
    return {};
}

[[gnu::always_inline]] inline ParseError FieldParser::take(FormatStep::Span span, Field field, const HotStep& step, const char*& p,
                                                           const char* end, LogLine& line) {
    // Where the field ends.
    const char* stop = nullptr;
    switch (span) {
        case FormatStep::Span::fixed_clf: stop = end - p >= 26 ? p + 26 : nullptr; break;
        case FormatStep::Span::quoted: stop = closing_quote(p, end); break;
        case FormatStep::Span::to_end: stop = end; break;
        case FormatStep::Span::to_stop: {
            // A lone "-" (no user, no referer, no bytes) without a search.
            if (end - p >= 2 && p[0] == '-' && p[1] == step.stop) {
                stop = p + 1;
                break;
            }
            const char* found = swar::find_char(p, end, step.stop);
            stop = found == end ? nullptr : found;
            break;
        }
        case FormatStep::Span::list: {
            size_t items = 0;
            const char* found = list_end(p, swar::find_char(p, end, ' '), end, list_items_limit_, items);
            longest_list_ = std::max(longest_list_, items);
            stop = found == end ? nullptr : found;
            break;
        }
        case FormatStep::Span::then_captures: {
            // HAProxy's captured request headers, then its response headers: " {...}" each.
            const char* found = swar::find_char(p, end, ' ');
            for (int block = 0; block < 2 && end - found >= 2 && found[1] == '{'; ++block) {
                const char* const close = swar::find_char(found + 2, end, '}');
                if (close == end) break;  // the request's literal does not match: bad_request
                found = close + 1;
            }
            stop = found == end ? nullptr : found;
            break;
        }
        case FormatStep::Span::to_path: {
            // The path's '/', or a space first: no path logged (nginx's "http://- " for a
            // request it could not read), which the target reads as none.
            const char* found = swar::find_char(p, end, '/');
            found = swar::find_char(p, found, ' ');
            stop = found == end ? nullptr : found;
            break;
        }
        case FormatStep::Span::pattern: {
            const auto t = parse_pattern_time(step.source->pattern, {p, static_cast<size_t>(end - p)});
            if (!t) return ParseError::bad_time;
            const bool utc = t->zoned || step.source->utc || format_.local_to_utc == nullptr;
            line.time = utc ? t->time : local_.to_utc(format_.local_to_utc, t->time);
            p += t->length;
            return ParseError::none;
        }
    }
    if (stop == nullptr) return step.error;
    const std::string_view value(p, static_cast<size_t>(stop - p));
    p = stop;
    switch (field) {
        case Field::skip: break;
        case Field::time_clf:
            if (!clf_time(value, line.time, memo_)) return ParseError::bad_time;
            break;
        case Field::time_iso8601: {
            const auto t = parse_iso8601_time(value);
            if (!t) return ParseError::bad_time;
            line.time = *t;
            break;
        }
        case Field::time_epoch: case Field::time_epoch_ms: case Field::time_epoch_us:
            if (!read_epoch(field, value, line.time)) return ParseError::bad_time;
            break;
        case Field::request:
            if (section_from_request_ && !request_section(value, line)) line.section = kNoSection;
            // A load balancer or proxy logs the absolute URL: its host names the site where the
            // format has no host field of its own (--section-by host). The usual path's section
            // begins right after the method's space: no URL to look at.
            if (line.vhost.empty() && line.section.data() > value.data() &&
                line.section.data() < value.data() + value.size() && line.section.data()[-1] != ' ') {
                line.vhost = host_of_absolute_request(value);
            }
            break;
        case Field::target:
            if (!read_target_section(value, line)) line.section = kNoSection;
            break;
        case Field::status:
            if (value.size() != 3 || digit(value[0]) > 9 || digit(value[1]) > 9 || digit(value[2]) > 9 || value[0] == '0') {
                // Status 0: said once the rest of the line is read, so that it is a line of the format.
                if (no_response_status(value)) break;
                return ParseError::bad_status;
            }
            line.status = static_cast<int>(digit(value[0]) * 100 + digit(value[1]) * 10 + digit(value[2]));
            break;
        case Field::bytes:
            if (value != "-" && (!whole_number(value, line.bytes) || line.bytes > kMaxBytes)) return ParseError::bad_bytes;
            break;
        case Field::duration_us: case Field::duration_ms: case Field::duration_s:
            if (!read_duration(field, value, line)) return ParseError::bad_duration;
            break;
        case Field::vhost: line.vhost = value; break;
        case Field::time_pattern: case Field::sent_bytes: case Field::upstream_duration: break;  // read above; compiled away
    }
    return ParseError::none;
}

}  // namespace hitwatch
