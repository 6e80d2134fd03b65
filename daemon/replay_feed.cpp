// SPDX-License-Identifier: Apache-2.0
#include "replay_feed.h"

#include <algorithm>

#include "core/timestamp.h"
#include "dated_start.h"
#include "format/json_format.h"
#include "logging.h"

namespace hitwatchd {
namespace {

hitwatch::MonitorSettings replay_settings(const Options& options) {
    hitwatch::MonitorSettings s = options.monitor;
    s.skip_quiet_gaps = true;
    s.report_empty = options.all_intervals;
    if (const auto since = window_since(options)) s.report_from = *since;
    if (const auto until = window_until(options)) s.report_until = *until;
    return s;
}

std::string by_reason(const InvalidCounts& counts) {
    std::string text;
    for (const auto& [reason, lines] : reasons(counts)) {
        text += (text.empty() ? " (" : ", ") + reason + " " + std::to_string(lines);
    }
    return text.empty() ? text : text + ")";
}

}  // namespace

std::optional<hitwatch::UnixSeconds> window_since(const Options& options) {
    if (!options.since) return std::nullopt;
    return hitwatch::align_down(*options.since, options.monitor.alert.interval_s);
}

std::optional<hitwatch::UnixSeconds> window_until(const Options& options) {
    if (!options.until) return std::nullopt;
    return -hitwatch::align_down(-*options.until, options.monitor.alert.interval_s);
}

namespace {

// How long before --since the alert rules learn, in seconds.
std::int64_t learning_span_s(const Options& options) { return kHorizonsLearned * options.monitor.alert.horizon_s; }

}  // namespace

std::optional<hitwatch::UnixSeconds> learning_from(const Options& options) {
    const std::optional<hitwatch::UnixSeconds> since = window_since(options);
    if (!since) return std::nullopt;
    return *since - learning_span_s(options);
}

std::string learning_span_text(const Options& options) {
    return std::to_string(learning_span_s(options)) + " s (" +
           std::to_string(kHorizonsLearned) + " --alert-horizon) before --since, when the alert rules begin to learn";
}

std::optional<hitwatch::TimeWindow> window_of(const Options& options) {
    if (!options.since && !options.until) return std::nullopt;
    return hitwatch::TimeWindow(window_since(options), window_until(options), options.max_skew);
}

hitwatch::LineParser parser_for(const Reading& reading, std::string_view head) {
    hitwatch::LineParser parser(format_of(reading), reading.sections);
    parser.detect(head);
    return parser;
}

ReplayFeed::ReplayFeed(const Options& options, hitwatch::EventSink& sink, std::string source)
    : sink_(sink),
      began_(std::chrono::steady_clock::now()),
      monitor_(replay_settings(options), sink),
      options_(options),
      max_line_(options.max_line),
      window_(window_of(options)) {
    logs_.push_back(make_log(source));
    log_ = logs_.front().get();
}

std::unique_ptr<ReplayFeed::Log> ReplayFeed::make_log(const std::string& name) {
    // Built in place: a line counter is not moved.
    auto log = std::unique_ptr<Log>(new Log{LineCounter(monitor_, name, options_.max_line, LineCounter::Clock::log_time,
                                                        options_.reading_of(name), options_.max_skew,
                                                        options_.monitor.alert.window_s)});
    if (window_) log->counter.set_window(&*window_);
    return log;
}

std::size_t ReplayFeed::add_log(const std::string& name) {
    logs_.push_back(make_log(name));
    return logs_.size() - 1;
}

void ReplayFeed::next_file(const std::string& name, bool said_behind) {
    LineCounter& counter = log_->counter;
    log_->lines_before = counter.lines();
    counter.set_reading(options_.reading_of(name));
    counter.next_source(name);
    if (said_behind) counter.behind_said();
}

template <class Figure>
std::uint64_t ReplayFeed::sum(Figure of) const {
    std::uint64_t sum = 0;
    for (const auto& log : logs_) sum += of(log->counter);
    return sum;
}

std::uint64_t ReplayFeed::lines() const {
    return sum([](const LineCounter& c) { return c.lines(); });
}

std::uint64_t ReplayFeed::outside_window() const {
    return sum([](const LineCounter& c) { return c.outside_window(); });
}

std::string ReplayFeed::where_past_window() const {
    return "line " + std::to_string(line_number()) + " of " + log_->counter.source();
}

void ReplayFeed::say_window_empty() const {
    const auto read = window_->read_from_to();
    if (!read) return;  // no line had a time: nothing_matched() says what they are
    std::string window;
    if (const auto since = window_since(options_)) window = "from " + hitwatch::format_iso8601(*since);
    if (const auto until = window_until(options_)) {
        window += (window.empty() ? "before " : " before ") + hitwatch::format_iso8601(*until);
    }
    std::string unread;
    if (not_read_from_ && *not_read_from_ < read->first) {
        unread = " (the lines before them, not read, from " + hitwatch::format_iso8601(*not_read_from_) + ")";
    }
    HW_LOG(warning) << "no line read is dated " << window << " (--since, --until): the lines read are dated from "
                    << hitwatch::format_iso8601(read->first) << " to " << hitwatch::format_iso8601(read->second)
                    << unread;
}

std::uint64_t ReplayFeed::invalid_lines() const {
    return sum([](const LineCounter& c) { return c.invalid(); });
}

InvalidCounts ReplayFeed::invalid_counts() const {
    InvalidCounts sum{};
    for (const auto& log : logs_) add_to(sum, log->counter.invalid_lines().counts());
    return sum;
}

void ReplayFeed::input_error(const std::string& what) {
    HW_LOG(error) << what;
    unread_.push_back(what);
}

void ReplayFeed::answer_signal() {
    const int signal = *signal_;
    *signal_ = 0;
    if (signal == SIGHUP) {
        HW_LOG(info) << "SIGHUP: a replay has no configuration to reload, and goes on (SIGTERM or SIGINT stops it)";
        return;
    }
    if (write_held_) write_held_();
    const std::string what = logs_.size() > 1 ? counted(logs_.size(), "log") + " side by side" : log_->counter.source();
    HW_LOG(info) << "status: replaying " << what << "; " << counted(lines(), "line") << " read, "
                 << counted(monitor_.total_hits(), "hit")
                 << (monitor_.started() ? "; the log's time " + hitwatch::format_iso8601(monitor_.now()) : "");
    HW_LOG(info) << "summary so far: " << hitwatch::to_json(summary());
}

void ReplayFeed::input_ended(const ReplayInput& input) {
    if (const std::string truncated = say_what_was_not_read(input); !truncated.empty()) unread_.push_back(truncated);
}

std::unique_ptr<ReplayInput> ReplayFeed::open(const std::string& path, bool one_of_several) {
    std::string error;
    auto input = ReplayInput::open(path, error);
    if (!input) {
        input_error("cannot open " + path + ": " + error);
        return input;
    }
    input->on_signal([this] { answer_signals(); });
    if (one_of_several) {
        const char* by = input->compressed_by();
        HW_LOG(info) << "replaying " << input->name() << (by ? std::string(" (") + by + ")" : std::string());
    }
    return input;
}

void ReplayFeed::begin_where_learning_begins(ReplayInput& input) {
    const std::optional<hitwatch::UnixSeconds> learns_from = learning_from(options_);
    if (!learns_from) return;
    const std::optional<DatedStart> start =
        dated_start(input, options_.reading_of(input.name()), *window_, *learns_from);
    if (!start) return;
    if (const auto& disorder = start->disorder) {
        HW_LOG(info) << input.name() << ": read from its start, as its lines are not in time order (at byte "
                     << disorder->ahead_at << " they are dated " << hitwatch::format_iso8601(disorder->ahead_dated)
                     << ", at byte " << disorder->at << " " << hitwatch::format_iso8601(disorder->dated)
                     << ", more than --max-skew before: logs joined with cat?), so where the alert rules begin "
                     << "to learn cannot be told by the times of lines across it";
        return;
    }
    input.begin_at(start->at);
    if (start->file_begins) not_read_from(*start->file_begins);
    // "invalid line 12 of access.log after its first 5063201 bytes": tail -c +5063202 access.log | sed -n 12p
    log_->counter.next_source(input.name() + " after its first " + std::to_string(start->at) + " bytes");
    HW_LOG(info) << input.name() << ": reading begins at byte " << start->at << " of " << input.size().value_or(0)
                 << ", at a line dated " << hitwatch::format_iso8601(start->dated)
                 << ": the lines before it are dated more than " << learning_span_text(options_)
                 << " (told by the times of lines across the file, which are written in order within --max-skew); "
                 << "its line numbers count from there";
}

void ReplayFeed::last_line_unterminated(std::string_view text, bool cut) {
    unterminated_ = true;
    LineCounter& counter = log_->counter;
    if (counter.lines() == log_->lines_before || counter.parses(text)) return line(text);
    if (cut) return;
    HW_LOG(warning) << "the last line of " << counter.source() << " has no newline and does not parse: left out";
}

void ReplayFeed::finish(hitwatch::UnixSeconds fallback, int stop_signal) {
    stop_signal_ = stop_signal;
    for (auto& log : logs_) log->counter.finish();
    // The clock reached --until: the intervals before it are whole, as the whole log's replay has them.
    if (past_window() && monitor_.started()) monitor_.advance_to(*window_->until());
    if (!monitor_.started() && invalid_lines() > 0) monitor_.advance_to(fallback);
    monitor_.flush_partial();
    // Nothing is counted from here on: the summary is the one the sink is given at the end.
    hitwatch::RunSummary s = summary();
    const std::uint64_t not_shown = sum([](const LineCounter& c) { return c.invalid_lines().samples_not_shown(); });
    const std::uint64_t runs = sum([](const LineCounter& c) { return c.behind_runs_not_shown(); });
    const std::uint64_t outliers = sum([](const LineCounter& c) { return c.outliers(); });
    HW_LOG(info) << "replayed " << counted(lines(), "line") << ": " << counted(monitor_.total_hits(), "hit") << ", "
                 << invalid_lines() << " invalid" << by_reason(invalid_counts());
    if (not_shown > 0) {
        HW_LOG(info) << counted(not_shown, "invalid line") << (not_shown == 1 ? " was" : " were")
                     << " not shown as samples (one a reason every " << InvalidLineLog::kSamplePeriod.count()
                     << " s)";
    }
    if (runs > 0) {
        HW_LOG(warning) << counted(runs, "more run") << " of " << hitwatch::BehindRun::kLines
                        << " lines or more dated behind the clock " << (runs == 1 ? "was" : "were")
                        << " not shown: each is counted at the clock's time";
    }
    if (window_) {
        if (s.window->outside > 0) {
            HW_LOG(info) << counted(s.window->outside, "line") << " read outside --since/--until "
                         << (s.window->outside == 1 ? "was" : "were")
                         << " not reported (those before it were counted for the alert rules to learn from)";
        }
        if (s.lines == 0) say_window_empty();
    }
    if (outliers > 0) {
        HW_LOG(warning) << outliers << " lines dated more than --max-skew ahead of the lines around them "
                        << "were counted at the log's clock";
    }
    // A replay ends with its summary, of nothing too (an empty hourly rotation, a file of blank
    // lines, one that could not be opened): dated as its reports would be, by the input's time.
    if (!monitor_.started()) s.first = s.last = fallback;
    sink_.on_summary(s);
}

hitwatch::RunSummary ReplayFeed::summary() const {
    // With --since, the lines before it are counted for the rules, and reported as outside it.
    LineCounter::Tally before;
    for (const auto& log : logs_) {
        const LineCounter::Tally& tally = log->counter.before_window();
        before.lines += tally.lines;
        before.blank += tally.blank;
        add_to(before.invalid, tally.invalid);
    }
    InvalidCounts invalid = invalid_counts();
    for (std::size_t i = 0; i < invalid.size(); ++i) invalid[i] -= before.invalid[i];
    const std::uint64_t blank = sum([](const LineCounter& c) { return c.blank_lines(); }) - before.blank;
    const std::uint64_t outside = outside_window() + before.lines;
    hitwatch::RunSummary s =
        run_summary(monitor_, lines() - outside, blank, invalid, std::chrono::steady_clock::now() - began_);
    if (window_) s.window = hitwatch::RunSummary::Window{window_since(options_), window_until(options_), outside};
    s.unterminated_last_line = unterminated_;
    s.stopped_by_signal = stop_signal_;
    s.unread = unread_;
    return s;
}

std::string ReplayFeed::diagnosis(const std::string& source) const {
    const InvalidCounts counts = invalid_counts();
    // Compressed input is told by its first line; the rest of it is noise.
    const auto compressed = static_cast<std::size_t>(hitwatch::ParseError::compressed);
    const std::size_t most = counts[compressed] > 0
                                 ? compressed
                                 : static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    const LineCounter& first = logs_.front()->counter;
    return "no line of " + source + " is an access log line in the format " + first.format_name() + " (" +
           std::to_string(invalid_lines()) + " invalid): " + first.invalid_lines().reason_text(most) + " (" +
           counted(counts[most], "line") + ")";
}

}  // namespace hitwatchd
