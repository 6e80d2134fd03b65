#pragma once
// A hand-written scanner for the Apache/nginx Common and Combined Log Formats.
#include <cstdint>
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
};

const char* describe(ParseError error);
// A short stable name for a reason ("bad_status"), as counts and metrics label it.
const char* name_of(ParseError error);

// The section of a request that names no path: "-" (a connection that sent nothing), "",
// "OPTIONS *", "CONNECT host:443", or bytes that are no request at all. Such a line is a hit.
constexpr std::string_view kNoSection = "(none)";

// One request. The views point into the parsed line and live as long as it does.
struct LogLine {
    std::string_view host;
    UnixSeconds time = 0;
    std::string_view section;
    int status = 0;
    std::uint64_t bytes = 0;
    bool combined = false;  // carries "referer" "user-agent"
};

struct ParseResult {
    ParseError error = ParseError::none;
    LogLine line;
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

// Reads one source's lines; what it remembers between lines is its own, not hidden state.
class LogParser {
public:
    // `text` is one line without its newline; a trailing CR is tolerated.
    // Never throws and never reads outside `text`, whatever bytes it holds.
    ParseResult parse(std::string_view text);

private:
    DateMemo memo_;
};

// One line on its own, with a parser that remembers nothing (for tests and tools).
ParseResult parse_line(std::string_view text);

}  // namespace hitwatch
