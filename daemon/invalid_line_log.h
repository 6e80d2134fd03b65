#pragma once
// Logs a sample of invalid lines, at most one a second, saying where and why.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/parser.h"
#include "rate_limiter.h"

namespace hitwatchd {

class InvalidLineLog {
public:
    explicit InvalidLineLog(std::string source) : source_(std::move(source)) {}

    // line_number: in its file, 0 when not known.
    void note(std::uint64_t line_number, hitwatch::ParseError error, std::string_view text);
    void note_overlong(std::uint64_t line_number, size_t max_line);

private:
    void log(std::uint64_t line_number, std::string_view why, std::string_view text);

    std::string source_;
    RateLimiter<> limiter_{std::chrono::seconds(1)};
};

// At most `limit` bytes of `text`, with control and non-ASCII bytes as \xNN, so a sample of
// binary garbage prints as one readable line.
std::string printable_excerpt(std::string_view text, size_t limit = 200);

}  // namespace hitwatchd
