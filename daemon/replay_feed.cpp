// SPDX-License-Identifier: Apache-2.0
#include "replay_feed.h"

#include <algorithm>

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

ReplayFeed::ReplayFeed(const Options& options, hitwatch::EventSink& sink, std::string source)
    : sink_(sink),
      began_(std::chrono::steady_clock::now()),
      monitor_(replay_settings(options), sink),
      counter_(monitor_, source, options.max_line, LineCounter::Clock::log_time, options.reading_of(source),
               options.max_skew, options.monitor.alert.window_s),
      options_(options),
      max_line_(options.max_line) {}

void ReplayFeed::next_file(const std::string& name, bool said_behind) {
    lines_before_ = counter_.lines();
    counter_.set_reading(options_.reading_of(name));
    counter_.next_source(name);
    if (said_behind) counter_.behind_said();
}

void ReplayFeed::input_error(const std::string& what) {
    HW_LOG(error) << what;
    unread_.push_back(what);
}

void ReplayFeed::last_line_unterminated(std::string_view text) {
    unterminated_ = true;
    if (counter_.lines() == lines_before_ || counter_.parses(text)) return line(text);
    HW_LOG(warning) << "the last line of " << counter_.source() << " has no newline and does not parse: left out";
}

void ReplayFeed::finish(hitwatch::UnixSeconds fallback, int stop_signal) {
    stop_signal_ = stop_signal;
    counter_.finish();
    if (!monitor_.started() && counter_.invalid() > 0) monitor_.advance_to(fallback);
    monitor_.flush_partial();
    const InvalidLineLog& invalid = counter_.invalid_lines();
    HW_LOG(info) << "replayed " << counted(counter_.lines(), "line") << ": " << counted(monitor_.total_hits(), "hit")
                 << ", " << invalid.total() << " invalid" << by_reason(invalid.counts());
    if (invalid.samples_not_shown() > 0) {
        HW_LOG(info) << counted(invalid.samples_not_shown(), "invalid line")
                     << (invalid.samples_not_shown() == 1 ? " was" : " were")
                     << " not shown as samples (one a reason every "
                     << InvalidLineLog::kSamplePeriod.count() << " s)";
    }
    if (const std::uint64_t runs = counter_.behind_runs_not_shown(); runs > 0) {
        HW_LOG(warning) << counted(runs, "more run") << " of " << hitwatch::BehindRun::kLines
                        << " lines or more dated behind the clock " << (runs == 1 ? "was" : "were")
                        << " not shown: each is counted at the clock's time";
    }
    if (counter_.outliers() > 0) {
        HW_LOG(warning) << counter_.outliers() << " lines dated more than --max-skew ahead of the lines around them "
                        << "were counted at the log's clock";
    }
    if (monitor_.started()) sink_.on_summary(summary());
}

hitwatch::RunSummary ReplayFeed::summary() const {
    hitwatch::RunSummary s = run_summary(monitor_, counter_.lines(), counter_.blank_lines(), counter_.invalid_lines().counts(),
                                         std::chrono::steady_clock::now() - began_);
    s.unterminated_last_line = unterminated_;
    s.stopped_by_signal = stop_signal_;
    s.unread = unread_;
    return s;
}

std::string ReplayFeed::diagnosis(const std::string& source) const {
    const InvalidCounts& counts = counter_.invalid_lines().counts();
    // Compressed input is told by its first line; the rest of it is noise.
    const auto compressed = static_cast<std::size_t>(hitwatch::ParseError::compressed);
    const std::size_t most = counts[compressed] > 0
                                 ? compressed
                                 : static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    return "no line of " + source + " is an access log line in the format " + counter_.format_name() + " (" +
           std::to_string(counter_.invalid()) + " invalid): " + counter_.invalid_lines().reason_text(most) + " (" +
           counted(counts[most], "line") + ")";
}

}  // namespace hitwatchd
