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
    no_target,
    bad_status,
    bad_bytes,
    bad_referer,
    bad_user_agent,
};

const char* describe(ParseError error);

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
