#pragma once
// Counts one source's lines into the monitor: parses each, records it, and logs a sample of
// the invalid ones with their line number. Replay and live mode share it.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/monitor.h"
#include "core/parser.h"
#include "invalid_line_log.h"

namespace hitwatchd {

class LineCounter {
public:
    // log_time: a line moves the monitor's clock to its own timestamp first (replay);
    // arrival: the caller keeps the clock at the time lines are read (live).
    enum class Clock { log_time, arrival };

    LineCounter(hitwatch::Monitor& monitor, std::string source, size_t max_line, Clock clock)
        : monitor_(monitor), invalid_log_(std::move(source)), max_line_(max_line), clock_(clock) {}

    // True if the line was a hit. `line_number` is its number in its file (0: not known).
    bool count(std::string_view text, std::uint64_t line_number) {
        ++lines_;
        const hitwatch::ParseResult parsed = parser_.parse(text);
        if (parsed.ok()) {
            if (clock_ == Clock::log_time) monitor_.advance_to(parsed.line.time);
        } else if (parsed.error != hitwatch::ParseError::blank) {
            invalid_log_.note(line_number, parsed.error, text);
            ++invalid_;
        }
        monitor_.record(parsed);
        return parsed.ok();
    }

    void count_overlong(std::uint64_t line_number) {
        ++lines_;
        invalid_log_.note_overlong(line_number, max_line_);
        monitor_.record_invalid();
        ++invalid_;
    }

    std::uint64_t lines() const { return lines_; }
    std::uint64_t invalid() const { return invalid_; }

private:
    hitwatch::Monitor& monitor_;
    hitwatch::LogParser parser_;
    InvalidLineLog invalid_log_;
    size_t max_line_;
    Clock clock_;
    std::uint64_t lines_ = 0;
    std::uint64_t invalid_ = 0;
};

}  // namespace hitwatchd
