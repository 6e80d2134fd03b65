// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a replay's lines go into, in the order of the log: the line counter and the monitor,
// with the replay clock (the highest log time so far). One thread feeds it, whether the lines
// were parsed on that thread or by the workers of a parallel replay.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/options.h"
#include "core/monitor.h"
#include "core/report.h"
#include "follow/line_counter.h"

namespace hitwatchd {

class ReplayFeed {
public:
    ReplayFeed(const Options& options, hitwatch::EventSink& sink, std::string source);

    const hitwatch::Monitor& monitor() const { return monitor_; }
    // How the lines are read now: format and section rule (the next file's may differ).
    const Reading& reading() const { return counter_.reading(); }
    bool format_decided() const { return counter_.format_decided(); }
    // Whether one line's parse depends on the lines before it (container pieces): then they
    // are parsed in order, on one thread.
    bool lines_parse_alone() const { return counter_.lines_parse_alone(); }
    std::size_t max_line() const { return max_line_; }

    // Line numbers count in the file a line is in.
    [[gnu::always_inline]] void line(std::string_view text) { counter_.count(text, line_number()); }
    // A line parsed already (by a worker, with a parser reading as this one does).
    [[gnu::always_inline]] void parsed_line(std::string_view text, const hitwatch::ParseResult& parsed) {
        counter_.count_parsed(text, line_number(), parsed);
    }
    void overlong() { counter_.count_overlong(line_number()); }
    // Lines from now on are the next file's: its format is detected on its own. `said_behind`:
    // that it begins behind the lines read so far was said already (logs side by side).
    void next_file(const std::string& name, bool said_behind = false);
    // The input ended in a line with no newline: a file still being written ends in half a
    // line, which is left out unless it parses (as a line written whole does). Input that is
    // all one line (no newline at all: a compressed file) is counted, so that it is said what
    // it looks like.
    void last_line_unterminated(std::string_view text);
    // An input that could not be opened, or read to its end: said now, and in the summary.
    void input_error(const std::string& what);
    // The first bytes read: what `auto` chooses the format by.
    void first_bytes(std::string_view head) { counter_.detect_format(head); }

    // The end of the input, or of what was read of it before `stop_signal` (0: none). `fallback`
    // starts the clock when no line had a time, so the invalid lines are still reported.
    void finish(hitwatch::UnixSeconds fallback, int stop_signal = 0);
    // The whole replay in one object, after its last report.
    hitwatch::RunSummary summary() const;

    // Nothing in the input was an access log line: what the lines look like instead.
    bool nothing_matched() const { return monitor_.total_hits() == 0 && counter_.invalid() > 0; }
    std::string diagnosis(const std::string& source) const;

private:
    std::uint64_t line_number() const { return counter_.lines() - lines_before_ + 1; }

    hitwatch::EventSink& sink_;
    std::chrono::steady_clock::time_point began_;
    hitwatch::Monitor monitor_;
    LineCounter counter_;
    const Options& options_;
    std::size_t max_line_;
    std::uint64_t lines_before_ = 0;  // in the files before this one
    bool unterminated_ = false;
    int stop_signal_ = 0;
    std::vector<std::string> unread_;
};

}  // namespace hitwatchd
