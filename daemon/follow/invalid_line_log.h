// SPDX-License-Identifier: Apache-2.0
#pragma once
// Counts invalid lines by reason and logs a sample of each reason at most once every 10 s,
// saying where and why, so a flood of bad lines neither floods the daemon's own log nor hides
// a second kind of problem behind the first.
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/parser.h"
#include "rate_limiter.h"

namespace hitwatchd {

// Every reason a line is invalid: the parser's, and "longer than --max-line".
constexpr std::size_t kOverlong = hitwatch::kOverlongReason;
constexpr std::size_t kInvalidReasons = kOverlong + 1;

// Lines per reason, indexed by ParseError (kOverlong for over-long lines).
using InvalidCounts = hitwatch::ReasonCounts;
using hitwatch::reason_name;                         // "bad_status", ..., "overlong"
std::string reason_text(std::size_t reason, std::size_t max_line);
// The reasons with lines, by name, in the order of their numbers.
std::vector<std::pair<std::string, std::uint64_t>> reasons(const InvalidCounts& counts);
// `more`'s counts added to `sum`, reason by reason.
inline void add_to(InvalidCounts& sum, const InvalidCounts& more) {
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += more[i];
}

class InvalidLineLog {
public:
    static constexpr auto kSamplePeriod = std::chrono::seconds(10);
    static constexpr std::size_t kExcerptBytes = 200;  // of a line quoted as a sample

    InvalidLineLog(std::string source, std::size_t max_line) : source_(std::move(source)), max_line_(max_line) {}

    // line_number: in its file, 0 when not known. expected_time: the reason of a bad time in
    // the terms of the line's format (LineParser::expected_time()).
    void note(std::uint64_t line_number, hitwatch::ParseError error, std::string_view text, std::string_view expected_time);
    void note_overlong(std::uint64_t line_number);
    // Lines from now on are another file's (a replay of several).
    void set_source(std::string source) { source_ = std::move(source); }
    // What a reason says, a bad time as the log's format last described it.
    std::string reason_text(std::size_t reason) const;

    const InvalidCounts& counts() const { return counts_; }
    std::uint64_t total() const;
    // Invalid lines not shown as samples.
    std::uint64_t samples_not_shown() const { return not_shown_; }

private:
    void log(std::size_t reason, std::uint64_t line_number, std::string_view text);

    std::string source_;
    std::size_t max_line_;
    std::string expected_time_;  // see note()
    InvalidCounts counts_{};
    std::array<RateLimiter<CoarseSteadyClock>, kInvalidReasons> limiters_ = make_limiters();
    std::array<std::uint64_t, kInvalidReasons> held_back_{};  // since the last sample of each reason
    std::uint64_t not_shown_ = 0;

    static std::array<RateLimiter<CoarseSteadyClock>, kInvalidReasons> make_limiters();
};

}  // namespace hitwatchd
