// SPDX-License-Identifier: Apache-2.0
#pragma once
// A hand-written scanner for the Apache/nginx Common and Combined Log Formats.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/timestamp.h"

namespace hitwatch {

// Why a line is not a hit. `blank` lines are skipped rather than counted invalid.
enum class ParseError : std::uint8_t {
    none,
    blank,
    bad_host,
    bad_ident_or_user,
    bad_time,
    bad_request,
    bad_status,
    bad_bytes,
    bad_referer,
    bad_user_agent,
    // Named for what the line is, rather than for the first field found wrong:
    compressed,         // gzip, bzip2, xz or zstd bytes
    error_log,          // an Apache or nginx error log line
    fields_before_time, // a well-formed [time], but not after HOST IDENT USER (vhost_combined, X-Forwarded-For)
    bad_field,          // a field of a configured format, or the text between fields, not as the format says
    bad_duration,       // a response time that is not a number
    // Lines that do not match the configured format but match a preset:
    looks_like_combined,
    looks_like_vhost_combined,
    bad_json,           // a JSON log line that is not one JSON object
    looks_like_json,
    other_program,      // in a syslog file, a message of a program whose lines are not the access log's
    looks_like_alb,     // (after the others: reasons keep their numbers)
    looks_like_haproxy,
    looks_like_envoy,
    looks_like_istio,
    no_response,        // status 0, 000 or -1: the server sent no response (Envoy, nginx, HAProxy)
    tcp_connection,     // Envoy's line for a TCP connection: "- - -" for the request, status 0
};
constexpr ParseError kLastParseError = ParseError::tcp_connection;

const char* describe(ParseError error);
// A short stable name for a reason ("bad_status"), as counts and metrics label it.
const char* name_of(ParseError error);

// Invalid lines by reason: the parser's reasons by number, then lines longer than the limit.
constexpr std::size_t kOverlongReason = static_cast<std::size_t>(kLastParseError) + 1;
using ReasonCounts = std::array<std::uint64_t, kOverlongReason + 1>;
// "bad_status", ..., "overlong".
const char* reason_name(std::size_t reason);

// The compressor whose data `head` begins as: "gzip", "bzip2", "xz" or "zstd"; nullptr if none.
const char* compressed_by(std::string_view head);
// Whether `head`, too short to tell, is the beginning of a compressor's magic bytes: more of
// the input is needed before compressed_by() can say.
bool may_begin_compressed(std::string_view head);

// An Apache or nginx error log's line: "[Wed Oct 11 14:32:52.123 2000] [core:error] ..." or
// "2026/11/26 10:00:00 [error] ...".
bool looks_like_error_log(std::string_view text);

// A status written for a request that got no response: Envoy's 0 (the client went away first),
// nginx's 000, HAProxy's -1 (the client aborted, or the server timed out).
inline bool no_response_status(std::string_view status) { return status == "0" || status == "000" || status == "-1"; }

// The section of a request that names no path: "-" (a connection that sent nothing), "",
// "OPTIONS *", "CONNECT host:443", or bytes that are no request at all. Such a line is a hit.
constexpr std::string_view kNoSection = "(none)";

// The largest byte count and response time a line may have: what a double holds exactly
// (2^53: 9 PB, 285 years in microseconds). Past them a line is invalid (bad_bytes,
// bad_duration), so no absurd or hostile number can overflow a sum or a conversion.
constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 53;
constexpr std::int64_t kMaxDurationMicros = std::int64_t{1} << 53;
// Sums of them stop here (what the JSON carries as a whole number) rather than wrap.
constexpr std::uint64_t kMaxSum = INT64_MAX;
// a + b, at most kMaxSum, for a and b at most kMaxSum each (so the sum cannot wrap first).
inline std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) { return std::min(a + b, kMaxSum); }

// One request. The views point into the parsed line and live as long as it does.
struct LogLine {
    std::string_view host;
    UnixSeconds time = 0;
    std::string_view section;
    int status = 0;
    std::uint64_t bytes = 0;
    bool combined = false;  // carries "referer" "user-agent"
    std::string_view vhost;          // the virtual host, when the format has one (%v, $host)
    std::int64_t duration_us = -1;   // the response time, when the format has one; -1: none
};

struct ParseResult {
    ParseError error = ParseError::none;
    LogLine line;
    // `auto`: 1 + the index in detectable_presets() of the preset that read a line the one
    // chosen for the log does not (its format changed); 0: the chosen one read it.
    std::uint8_t read_as = 0;
    // The requests the line stands for: more than 1 for syslog's "message repeated N times:
    // [LINE]" (rsyslog's $RepeatedMsgReduction, on by default in Ubuntu), whose LINE came N
    // times more. Only a wrapper's parse sets it; every other line keeps the 1 it starts with.
    std::uint32_t repeats = 1;
    bool ok() const { return error == ParseError::none; }
};

// The date and offset of the last timestamp read ("10/Oct/2000:" and " -0700"): they change
// once a day at most, so only the time of day is read for most lines.
struct DateMemo {
    char date[12] = {};
    char offset[6] = {};
    UnixSeconds midnight = 0;
    bool valid = false;
};

// The line without what is not part of it: a byte-order mark before it, a CR and blanks after
// it.
inline std::string_view trim_line(std::string_view text) {
    // A byte-order mark before the first line of a file that an editor or a converter wrote.
    if (text.size() >= 3 && text[0] == '\xEF' && text[1] == '\xBB' && text[2] == '\xBF') text.remove_prefix(3);
    // A CR (CRLF files) and blanks after the last field.
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// A quote at q is escaped by an odd number of backslashes before it (none before `start`).
inline bool escaped_quote(const char* q, const char* start) {
    size_t backslashes = 0;
    while (q - backslashes > start && q[-1 - static_cast<long>(backslashes)] == '\\') ++backslashes;
    return backslashes % 2 == 1;
}

// After an opening quote, with the field starting at `start`: the quote that closes it, or
// nullptr. Quotes escaped by backslashes do not.
inline const char* closing_quote(const char* start, const char* end) {
    for (const char* from = start;;) {
        const void* found = std::memchr(from, '"', static_cast<size_t>(end - from));
        if (found == nullptr) return nullptr;
        const char* q = static_cast<const char*>(found);
        if (!escaped_quote(q, start)) return q;
        from = q + 1;
    }
}

// The section of a request line "GET /path HTTP/1.1" into line.section; false if the request
// names no path.
bool read_request_section(std::string_view request, LogLine& line);

// The section of a request target alone ("/path?q", "http://host/path") into line.section;
// false if it names no path ("*", "-").
bool read_target_section(std::string_view target, LogLine& line);

namespace quick {
// The quick path for the usual combined line (core/quick_scan.h), in the widest vector code
// this CPU runs (chosen before main, or by leave_out_avx512_quick_scan()).
using Combined = bool (*)(std::string_view, LogLine&, DateMemo&);
extern Combined widest_combined;
}  // namespace quick

// Reads one source's lines; what it remembers between lines is its own, not hidden state.
class LogParser {
public:
    // `text` is one line without its newline; a trailing CR is tolerated.
    // Never throws and never reads outside `text`, whatever bytes it holds.
    ParseResult parse(std::string_view text);
    // The same into `r`, which may hold the previous line's result: what a line has is written,
    // the rest reset (its other fields are unspecified when it is not ok). A caller that keeps
    // one result for all its lines pays neither a copy nor a fresh object for each. Inline, so
    // that the usual line costs one call (to the quick path).
    void parse(std::string_view text, ParseResult& r) {
        r.line.time = 0;
        r.line.combined = false;
        r.line.vhost = {};
        r.line.duration_us = -1;
        if (quick::widest_combined(text, r.line, memo_)) {
            r.error = ParseError::none;
            return;
        }
        parse_in_full(text, r);
    }

private:
    void parse_in_full(std::string_view text, ParseResult& r);

    DateMemo memo_;
};

// One line on its own, with a parser that remembers nothing (for tests and tools).
ParseResult parse_line(std::string_view text);
// The same by the full scanner alone, without the quick path for the usual combined line
// (core/quick_scan.h): for the tests that hold the two to the same answer.
ParseResult parse_line_in_full(std::string_view text);

}  // namespace hitwatch
