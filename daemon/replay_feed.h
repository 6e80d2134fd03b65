// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a replay's lines go into, in the order of the log: the line counter and the monitor,
// with the replay clock (the highest log time so far). One thread feeds it, whether the lines
// were parsed on that thread or by the workers of a parallel replay. Logs written side by side
// (merged_replay.h) have a line counter each -- their own format, line numbers and invalid
// lines -- on the one monitor.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/options.h"
#include "core/line_parser.h"
#include "core/monitor.h"
#include "core/report.h"
#include "follow/line_counter.h"
#include "replay_input.h"

namespace hitwatchd {

// A parser that reads lines as a feed's log does (another thread's, or one that looks ahead):
// the same format and rule, and `auto` decided by the same first bytes.
hitwatch::LineParser parser_for(const Reading& reading, std::string_view head);

// How long before --since the alert rules learn from the lines, in --alert-horizons (a day at
// the default). The adaptive rules take in a change of level within one horizon and are past
// a first start's prior after it, but learn how far the traffic strays by small steps. On the
// real series (the Twitter volumes of AAPL, AMZN and FB as access logs rotated daily; a day
// every third from 2015-03-05, 24 of them with alerts), the window's alerts were the whole
// replay's, at the same seconds, on 16 of those days with 3 horizons, 22 with 24, 18 with 48
// and 20 with 72: which file the rules start in matters as much as how long they learn.
constexpr std::int64_t kHorizonsLearned = 24;
// When they begin to learn, with --since: lines dated before may be left unread.
std::optional<hitwatch::UnixSeconds> learning_from(const Options& options);
// "86400 s (24 --alert-horizon) before --since, when the alert rules begin to learn": what lines
// dated more than that before are, when a message says they were not read.
std::string learning_span_text(const Options& options);

class ReplayFeed {
public:
    ReplayFeed(const Options& options, hitwatch::EventSink& sink, std::string source);

    const hitwatch::Monitor& monitor() const { return monitor_; }
    // How the lines are read now: format and section rule (the next file's may differ).
    const Reading& reading() const { return log_->counter.reading(); }
    bool format_decided() const { return log_->counter.format_decided(); }
    // Whether one line's parse depends on the lines before it (container pieces): then they
    // are parsed in order, on one thread.
    bool lines_parse_alone() const { return log_->counter.lines_parse_alone(); }
    std::size_t max_line() const { return max_line_; }
    std::int64_t max_skew() const { return options_.max_skew; }
    // Starts the replay clock at `time`, if no line has yet: logs merged side by side start
    // at their first line, which may not be the first counted (merged_replay.cpp).
    void start_clock(hitwatch::UnixSeconds time) {
        if (!monitor_.started()) monitor_.advance_to(time);
    }
    // --since and --until, if given.
    const std::optional<hitwatch::TimeWindow>& window() const { return window_; }
    // The clock has reached --until: what follows is not read.
    bool past_window() const { return window_ && window_->past(); }
    // Where it did: "line 9120 of access.log.1".
    std::string where_past_window() const;

    // Another log, written side by side with those before it, beginning with the file `name`:
    // its number for select(). The feed begins with log 0, the one it was made with.
    std::size_t add_log(const std::string& name);
    // The calls from now on are about that log's lines.
    void select(std::size_t log) { log_ = logs_[log].get(); }

    // Line numbers count in the file a line is in.
    [[gnu::always_inline]] void line(std::string_view text) { log_->counter.count(text, line_number()); }
    // A line parsed already (by a worker, with a parser reading as this one does; or by parse()).
    [[gnu::always_inline]] void parsed_line(std::string_view text, const hitwatch::ParseResult& parsed) {
        log_->counter.count_parsed(text, line_number(), parsed);
    }
    // Lines counted at once (LineCounter::count_together): false if they must be one by one.
    bool lines_together(const LinesTogether& together) { return log_->counter.count_together(together); }
    // Parses a line as the selected log's lines are read, without counting it: a line of a
    // container's pieces must be counted (parsed_line) before its log's next line is parsed.
    void parse(std::string_view text, hitwatch::ParseResult& parsed) { log_->counter.parse(text, parsed); }
    void overlong() { log_->counter.count_overlong(line_number()); }
    // Lines from now on are the next file's: its format is detected on its own. `said_behind`:
    // that it begins behind the lines read so far was said already (logs side by side).
    void next_file(const std::string& name, bool said_behind = false);
    // The input ended in a line with no newline: a file still being written ends in half a
    // line, which is left out unless it parses (as a line written whole does). Input that is
    // all one line (no newline at all: a compressed file) is counted, so that it is said what
    // it looks like. `cut`: the input was truncated while it was read, which input_ended()
    // says; its cut line is left out with no word of its own.
    void last_line_unterminated(std::string_view text, bool cut = false);
    // An input that could not be opened, or read to its end: said now, and in the summary.
    void input_error(const std::string& what);
    // An input read to where it ended: what of it was not read is said (say_what_was_not_read),
    // and lines lost to a truncation while it was read are in the summary's unread too.
    void input_ended(const ReplayInput& input);
    // A file of the replay, opened (ReplayInput::open); `one_of_several` is named as it is
    // read. nullptr if it cannot be, which input_error() says.
    std::unique_ptr<ReplayInput> open(const std::string& path, bool one_of_several);
    // The first file read of a log, opened: with --since, its reading begins where the alert
    // rules begin to learn (dated_start.h), which is said, and its line numbers count from there.
    void begin_where_learning_begins(ReplayInput& input);
    // Lines dated from `time` on were not read (before --since): a window no line falls in says
    // when the log begins, not only when the lines read do.
    void not_read_from(hitwatch::UnixSeconds time) {
        not_read_from_ = std::min(not_read_from_.value_or(time), time);
    }
    // The first bytes read: what `auto` chooses the format by. With `error_logs_left_out`, a
    // file whose every line looked at is an error log's is said to be one (follow/line_counter.h).
    void first_bytes(std::string_view head, bool error_logs_left_out = false) {
        log_->counter.detect_format(head, error_logs_left_out);
    }
    // The file first_bytes() was given is an error log, not read.
    bool not_an_access_log() const { return log_->counter.not_an_access_log(); }
    // The files left out as error logs (logs side by side), by their paths as given.
    void left_out(const std::string& path) { left_out_.push_back(path); }
    const std::vector<std::string>& left_out() const { return left_out_; }

    // SIGUSR1 and SIGHUP, as their handler sets `signal` (cleared once answered): the live
    // daemon's status and reload, which killed a replay (pkill -USR1 hitwatchd), all it had
    // read lost. The thread that counts answers them between reads: SIGUSR1 with how far the
    // replay is and its summary so far, SIGHUP with that a replay has nothing to reload.
    // `write_held` writes out the reports held for a file first, so that the file has every
    // interval the summary so far counts (it lagged by up to 64 KiB of reports).
    void answer_signals_in(volatile std::sig_atomic_t* signal, std::function<void()> write_held = {}) {
        signal_ = signal;
        write_held_ = std::move(write_held);
    }
    // Again while one came as it answered: back in a read of a quiet pipe, it would wait.
    void answer_signals() {
        while (signal_ != nullptr && *signal_ != 0) [[unlikely]] answer_signal();
    }

    // The end of the input, or of what was read of it before `stop_signal` (0: none). `fallback`
    // starts the clock when no line had a time, so the invalid lines are still reported.
    void finish(hitwatch::UnixSeconds fallback, int stop_signal = 0);
    // The whole replay in one object, after its last report.
    hitwatch::RunSummary summary() const;

    // Nothing in the input was an access log line: what the lines look like instead. (With
    // --since or --until, a valid line outside it was one.)
    bool nothing_matched() const {
        return monitor_.total_hits() == 0 && invalid_lines() > 0 && !(window_ && window_->read_from_to());
    }
    std::string diagnosis(const std::string& source) const;

private:
    // One log's lines: its files one after another.
    struct Log {
        LineCounter counter;
        std::uint64_t lines_before = 0;  // in its files before this one
    };
    void answer_signal();
    std::uint64_t line_number() const { return log_->counter.lines() - log_->lines_before + 1; }
    std::unique_ptr<Log> make_log(const std::string& name);
    // Sums over the logs: of a figure of each one's line counter, and those of every kind.
    template <class Figure>
    std::uint64_t sum(Figure of) const;
    std::uint64_t lines() const;
    std::uint64_t invalid_lines() const;
    std::uint64_t outside_window() const;
    // --since/--until given and nothing counted: what was read instead, said.
    void say_window_empty() const;
    InvalidCounts invalid_counts() const;

    hitwatch::EventSink& sink_;
    std::chrono::steady_clock::time_point began_;
    hitwatch::Monitor monitor_;
    const Options& options_;
    std::size_t max_line_;
    std::vector<std::unique_ptr<Log>> logs_;
    Log* log_;  // the one selected
    bool unterminated_ = false;
    int stop_signal_ = 0;
    std::vector<std::string> unread_;
    volatile std::sig_atomic_t* signal_ = nullptr;  // see answer_signals_in()
    std::function<void()> write_held_;
    std::vector<std::string> left_out_;
    std::optional<hitwatch::TimeWindow> window_;
    std::optional<hitwatch::UnixSeconds> not_read_from_;
};

// --since and --until as the window reports them: rounded out to whole intervals.
std::optional<hitwatch::UnixSeconds> window_since(const Options& options);
std::optional<hitwatch::UnixSeconds> window_until(const Options& options);
// The window of --since and --until, if either is given.
std::optional<hitwatch::TimeWindow> window_of(const Options& options);

}  // namespace hitwatchd
