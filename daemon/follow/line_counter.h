// SPDX-License-Identifier: Apache-2.0
#pragma once
// Counts one source's lines into the monitor: parses each, records it, and logs a sample of
// the invalid ones with their line number and reason. Replay and live mode share it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/backfill.h"
#include "core/monitor.h"
#include "core/replay_clock.h"
#include "core/time_window.h"
#include "core/line_parser.h"
#include "follow/invalid_line_log.h"
#include "config/options.h"

namespace hitwatchd {


// The monitor's summary of the run, with what the shell knows of its input: `lines` read in
// `elapsed` (wall clock), the invalid ones by reason.
// `lines` read, `blank` of them blank: the rest are hits, invalid, or pending (in an interval not
// reported yet), so the summary's figures add up.
hitwatch::RunSummary run_summary(const hitwatch::Monitor& monitor, std::uint64_t lines, std::uint64_t blank,
                                 const InvalidCounts& invalid, std::chrono::steady_clock::duration elapsed);

// Valid lines counted together (LineCounter::count_together), as a parallel replay's worker
// summed them, a hit each (none stands for more than one request or was read in another preset
// than the log's), dated from `earliest` to `latest`.
struct LinesTogether {
    hitwatch::HitsTogether hits;
    hitwatch::UnixSeconds earliest = 0;
    hitwatch::UnixSeconds latest = 0;
};

class LineCounter {
public:
    // log_time: a line moves the monitor's clock to its own timestamp first (replay), an
    // outlier more than max_skew ahead only once the next line confirms it
    // (core/replay_clock.h); arrival: the caller keeps the clock at the time lines are read
    // (live).
    enum class Clock { log_time, arrival };

    // The reading's format is checked already (by the options). log_time: a run of lines dated
    // more than `behind_s` before the clock is said to be (core/replay_clock.h).
    LineCounter(hitwatch::Monitor& monitor, std::string source, size_t max_line, Clock clock,
                const Reading& reading = {}, std::int64_t max_skew = 3600, std::int64_t behind_s = 120);

    // `auto`: chooses the format from `head`, the first bytes of the log, and says which (a
    // warning with a sample line if none matches). An explicit format stays. With
    // `error_logs_left_out` (a glob's match), a log whose every line looked at is an error
    // log's is said to be one, once, and not_an_access_log() holds: its lines are not counted.
    void detect_format(std::string_view head, bool error_logs_left_out = false);
    // Lines from now on are another file's, of the same log (a replay of several): its
    // format is detected anew (for `auto`), its lines named by it. Counts go on.
    void next_source(std::string source);
    // The lines that come next are said already to be dated behind the clock: a run of them
    // is not said again.
    void behind_said() { behind_.said(); }
    bool format_decided() const { return parser_.decided(); }
    // Whether detect_format() has not yet been given the log's first lines with a format
    // decided by them or given: a syslog+ format learns from them which program is the server.
    bool needs_head() const { return !head_seen_; }
    // Whether each line parses on its own, whatever came before it: not so for a container
    // runtime's lines, which may come in pieces, nor while `auto` waits for a line to decide.
    bool lines_parse_alone() const { return parser_.decided() && !parser_.joins_lines(); }
    bool not_an_access_log() const { return not_an_access_log_; }
    // A reload named another format or section rule: lines from now on are read by it.
    void set_reading(const Reading& reading);
    const Reading& reading() const { return reading_; }
    // The format lines are read in: the one configured, or the preset `auto` chose.
    const std::string& format_name() const { return parser_.format_name(); }

    // The hits the line was: 0, 1, or more for a line that stands for several
    // (ParseResult::repeats); one waiting for the next line counts. `line_number` is its number
    // in its file (0: not known). Inline: it runs for every line.
    [[gnu::always_inline]] std::uint32_t count(std::string_view text, std::uint64_t line_number) {
        parser_.parse(text, parsed_);
        return count_parsed(text, line_number, parsed_);
    }
    // The same for a line parsed already, by a parser reading as this one does (a parallel
    // replay's worker): what follows the parse is the same, so is what is counted.
    [[gnu::always_inline]] std::uint32_t count_parsed(std::string_view text, std::uint64_t line_number,
                                                      const hitwatch::ParseResult& parsed) {
        if (window_ && !in_window(parsed)) [[unlikely]] return 0;
        ++lines_;
        if (before_window_) [[unlikely]] note_before_window(parsed);
        if (parsed.ok()) {
            if (parsed.read_as != 0) [[unlikely]] say_read_as(line_number, parsed);
            if (clock_ == Clock::log_time) {
                // Most lines share the clock's second: only a line that would move it is looked at.
                if (parsed.line.time > monitor_.now() || !monitor_.started() || waiting_) {
                    if (!move_clock(parsed, line_number)) return parsed.repeats;  // waits for the next line
                }
                if (behind_.add(line_number, parsed.line.time, monitor_.now(), behind_s_)) [[unlikely]] say_behind();
            }
        } else if (parsed.error != hitwatch::ParseError::blank) {
            invalid_log_.note(line_number, parsed.error, text, parser_.expected_time());
        } else {
            ++blank_;
        }
        monitor_.record(parsed);
        return parsed.ok() ? parsed.repeats : 0;
    }
    // Counts `together` at once if that counts them as one by one would: none moves the clock
    // (or is counted while a line waits to), none is dated more than behind_s before it, there is
    // no window, and their sections fit the interval's exact counts. False, with nothing
    // counted, if not: the caller counts them one by one.
    bool count_together(const LinesTogether& together) {
        const hitwatch::UnixSeconds now = monitor_.now();
        if (window_ != nullptr || clock_ != Clock::log_time || waiting_ || together.latest > now ||
            together.earliest < now - behind_s_ || !monitor_.can_record_together(together.hits.sections.size())) {
            return false;
        }
        behind_.add(0, together.earliest, now, behind_s_);  // a line not behind ends a run of those that are
        lines_ += together.hits.hits;
        monitor_.record_together(together.hits);
        return true;
    }
    // count() of a line that stands for `repeats` requests (a relay's "message repeated").
    std::uint32_t count_repeated(std::string_view text, std::uint64_t line_number, std::uint32_t repeats) {
        parser_.parse(text, parsed_);
        parsed_.repeats = repeats;
        return count_parsed(text, line_number, parsed_);
    }
    void count_overlong(std::uint64_t line_number);
    // Replay (--since, --until): lines are judged by `window` from now on (one window for every
    // log of a replay, as they have one clock). Those before it are counted for the rules to
    // learn from (the monitor reports none of it) and are before_window() too; those outside it
    // are lines() and outside_window() only; those past it are not even that: reading stops.
    void set_window(hitwatch::TimeWindow* window) { window_ = window; }
    std::uint64_t outside_window() const { return outside_; }
    // The lines counted before the window, blank or invalid by reason.
    struct Tally {
        std::uint64_t lines = 0, blank = 0;
        InvalidCounts invalid{};
    };
    const Tally& before_window() const { return before_; }
    // Whether a line parses as a hit or a blank, without counting it.
    bool parses(std::string_view text);
    // A line parsed as this log's lines are, to be counted next by count_parsed().
    void parse(std::string_view text, hitwatch::ParseResult& parsed) { parser_.parse(text, parsed); }

    // A line read late (a backlog): into `backfill` at the time it was written, as near as can
    // be told: its own time, but no earlier than `not_before` (when its log was last read to its
    // end, so the line was written after it) and no later than `now`. True if it was a hit.
    bool count_late(std::string_view text, std::uint64_t line_number, hitwatch::Backfill& backfill,
                    hitwatch::UnixSeconds not_before, hitwatch::UnixSeconds now);
    void count_overlong_late(std::uint64_t line_number, hitwatch::Backfill& backfill);
    // The end of the input: a line still waiting is counted.
    void finish();

    std::uint64_t lines() const { return lines_; }
    std::uint64_t blank_lines() const { return blank_; }
    std::uint64_t invalid() const { return invalid_log_.total(); }
    std::uint64_t outliers() const { return outliers_; }
    // Runs of lines behind the clock past the first kBehindRunsShown, which are said one by one.
    static constexpr std::uint64_t kBehindRunsShown = 3;
    std::uint64_t behind_runs_not_shown() const {
        return behind_runs_ > kBehindRunsShown ? behind_runs_ - kBehindRunsShown : 0;
    }
    const InvalidLineLog& invalid_lines() const { return invalid_log_; }
    const std::string& source() const { return source_; }
    // The last line counted (count() or count_late()), parsed.
    const hitwatch::ParseResult& last_parsed() const { return parsed_; }

private:
    // A line held back: its parse, not its text, which for a container's line that came in
    // pieces is only the last piece (and reading it again would change the parser's pieces).
    // The parse's views are copied and pointed at again when it is counted.
    struct Waiting {
        hitwatch::ParseResult parsed;
        std::string host, section, vhost;
        std::uint64_t line_number;
        hitwatch::UnixSeconds time() const { return parsed.line.time; }
    };
    // Whether a line is counted: if not, it is one outside the window, or past it.
    bool in_window(const hitwatch::ParseResult& parsed);
    bool in_window(hitwatch::TimeWindow::Verdict verdict);
    void note_before_window(const hitwatch::ParseResult& parsed);
    // The line after a waiting one is dated `next` (nullopt: the input ended).
    void settle(std::optional<hitwatch::UnixSeconds> next);
    // Moves the replay clock to a line's `time`; false if the line must wait for the next.
    bool move_clock(const hitwatch::ParseResult& parsed, std::uint64_t line_number);
    // A run of lines far behind the clock: where it begins, and what it means.
    void say_behind();
    // What `auto` found in a log's first lines, said (an error log: not counted).
    void say_detected(const hitwatch::Detection& found, bool error_logs_left_out);
    // A JSON log with no bytes field where it is looked for, by its first lines: said once for
    // the log.
    void say_no_bytes(std::string_view head);
    // The first line of the log in another preset than the one `auto` chose (ParseResult::read_as).
    [[gnu::cold]] void say_read_as(std::uint64_t line_number, const hitwatch::ParseResult& parsed);

    hitwatch::Monitor& monitor_;
    Reading reading_;  // as configured
    hitwatch::LineParser parser_;
    // One result for every line: a fresh one for each costs more than the parse of its fields.
    hitwatch::ParseResult parsed_;
    std::string source_;
    InvalidLineLog invalid_log_;
    Clock clock_;
    std::int64_t max_skew_;
    std::int64_t behind_s_;
    std::uint8_t read_as_said_ = 0;  // bit n: say_read_as() said preset n + 1 for this log
    hitwatch::BehindRun behind_;
    std::optional<Waiting> waiting_;
    hitwatch::TimeWindow* window_ = nullptr;
    bool before_window_ = false;  // the line being counted is
    Tally before_;
    std::uint64_t outside_ = 0;
    std::uint64_t lines_ = 0;
    std::uint64_t blank_ = 0;
    std::uint64_t outliers_ = 0;
    std::uint64_t behind_runs_ = 0;
    RateLimiter<> outlier_log_{std::chrono::seconds(10)};
    bool not_an_access_log_ = false;
    bool head_seen_ = false;
    bool no_bytes_said_ = false;
};

}  // namespace hitwatchd
