// SPDX-License-Identifier: Apache-2.0
#include "replay_feed.h"

#include <algorithm>

#include "core/timestamp.h"
#include "format/json_format.h"
#include "logging.h"

namespace hitwatchd {
namespace {

hitwatch::MonitorSettings replay_settings(const Options& options) {
    hitwatch::MonitorSettings s = options.monitor;
    s.skip_quiet_gaps = true;
    s.report_empty = options.all_intervals;
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
      max_line_(options.max_line) {
    logs_.push_back(make_log(source));
    log_ = logs_.front().get();
}

std::unique_ptr<ReplayFeed::Log> ReplayFeed::make_log(const std::string& name) {
    // Built in place: a line counter is not moved.
    return std::unique_ptr<Log>(new Log{LineCounter(monitor_, name, options_.max_line, LineCounter::Clock::log_time,
                                                    options_.reading_of(name), options_.max_skew,
                                                    options_.monitor.alert.window_s)});
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
    if (!monitor_.started() && invalid_lines() > 0) monitor_.advance_to(fallback);
    monitor_.flush_partial();
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
    if (outliers > 0) {
        HW_LOG(warning) << outliers << " lines dated more than --max-skew ahead of the lines around them "
                        << "were counted at the log's clock";
    }
    // A replay ends with its summary, of nothing too (an empty hourly rotation, a file of blank
    // lines, one that could not be opened): dated as its reports would be, by the input's time.
    hitwatch::RunSummary s = summary();
    if (!monitor_.started()) s.first = s.last = fallback;
    sink_.on_summary(s);
}

hitwatch::RunSummary ReplayFeed::summary() const {
    const std::uint64_t blank = sum([](const LineCounter& c) { return c.blank_lines(); });
    hitwatch::RunSummary s =
        run_summary(monitor_, lines(), blank, invalid_counts(), std::chrono::steady_clock::now() - began_);
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
