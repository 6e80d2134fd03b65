// SPDX-License-Identifier: Apache-2.0
#include "replay.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <optional>

#include "core/monitor.h"
#include "follow/line_counter.h"
#include "logging.h"
#include "os/posix_io.h"
#include "replay_input.h"
#include "sinks/html_report.h"
#include "state/checkpoint.h"
#include "tail/line_assembler.h"

namespace hitwatchd {
namespace {

// Set by SIGTERM or SIGINT: the replay stops reading, reports what it has, and exits.
volatile std::sig_atomic_t g_stop_signal = 0;

void on_stop_signal(int signal) { g_stop_signal = signal; }

// Without SA_RESTART, so a read from a pipe that has nothing to say returns at once.
void catch_stop_signals() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    for (const int signal : {SIGTERM, SIGINT}) ::sigaction(signal, &action, nullptr);
}

// Feeds lines to the monitor with the replay clock: the highest log time seen so far.
class ReplayFeed {
public:
    const hitwatch::Monitor& monitor() const { return monitor_; }

    ReplayFeed(const Options& options, hitwatch::EventSink& sink, std::string source)
        : sink_(sink),
          began_(std::chrono::steady_clock::now()),
          monitor_(settings(options), sink),
          counter_(monitor_, source, options.max_line, LineCounter::Clock::log_time, options.reading_of(source),
                   options.max_skew),
          options_(options),
          max_line_(options.max_line) {}

    // Line numbers count in the file a line is in.
    [[gnu::always_inline]] void line(std::string_view text) { counter_.count(text, counter_.lines() - lines_before_ + 1); }
    // Lines from now on are the next file's: its format is detected on its own.
    void next_file(const std::string& name) {
        lines_before_ = counter_.lines();
        counter_.set_reading(options_.reading_of(name));
        counter_.next_source(name);
    }
    std::size_t max_line() const { return max_line_; }
    // The input ended in a line with no newline: a file still being written ends in half a
    // line, which is left out unless it parses (as a line written whole does). Input that is
    // all one line (no newline at all: a compressed file) is counted, so that it is said what
    // it looks like.
    void last_line_unterminated(std::string_view text) {
        unterminated_ = true;
        if (counter_.lines() == lines_before_ || counter_.parses(text)) return line(text);
        HW_LOG(warning) << "the last line of " << counter_.source() << " has no newline and does not parse: left out";
    }
    // The first bytes read: what `auto` chooses the format by.
    void first_bytes(std::string_view head) { counter_.detect_format(head); }
    void overlong() { counter_.count_overlong(counter_.lines() - lines_before_ + 1); }

    // The end of the input. `fallback` starts the clock when no line had a time, so the
    // invalid lines are still reported.
    void finish(hitwatch::UnixSeconds fallback) {
        counter_.finish();
        if (!monitor_.started() && counter_.invalid() > 0) monitor_.advance_to(fallback);
        monitor_.flush_partial();
        const InvalidLineLog& invalid = counter_.invalid_lines();
        HW_LOG(info) << "replayed " << counter_.lines() << " lines: " << monitor_.total_hits() << " hits, "
                     << invalid.total() << " invalid" << by_reason(invalid.counts());
        if (invalid.samples_not_shown() > 0) {
            HW_LOG(info) << invalid.samples_not_shown() << " invalid lines were not shown as samples (one a reason every "
                         << InvalidLineLog::kSamplePeriod.count() << " s)";
        }
        if (counter_.outliers() > 0) {
            HW_LOG(warning) << counter_.outliers() << " lines dated more than --max-skew ahead of the lines around them "
                            << "were counted at the log's clock";
        }
        if (monitor_.started()) sink_.on_summary(summary());
    }

    // The whole replay in one object, after its last report.
    hitwatch::RunSummary summary() const {
        hitwatch::RunSummary s = run_summary(monitor_, counter_.lines(), counter_.blank_lines(), counter_.invalid_lines().counts(),
                                             std::chrono::steady_clock::now() - began_);
        s.unterminated_last_line = unterminated_;
        return s;
    }

    // Nothing in the input was an access log line: what the lines look like instead.
    bool nothing_matched() const { return monitor_.total_hits() == 0 && counter_.invalid() > 0; }
    std::string diagnosis(const std::string& source) const {
        const InvalidCounts& counts = counter_.invalid_lines().counts();
        // Compressed input is told by its first line; the rest of it is noise.
        const auto compressed = static_cast<std::size_t>(hitwatch::ParseError::compressed);
        const std::size_t most = counts[compressed] > 0
                                     ? compressed
                                     : static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
        return "no line of " + source + " is an access log line in the format " + counter_.format_name() + " (" +
               std::to_string(counter_.invalid()) + " invalid): " + counter_.invalid_lines().reason_text(most) + " (" +
               std::to_string(counts[most]) + " lines)";
    }

private:
    static hitwatch::MonitorSettings settings(const Options& options) {
        hitwatch::MonitorSettings s = options.monitor;
        s.skip_quiet_gaps = true;
        s.report_empty = options.all_intervals;
        return s;
    }

    static std::string by_reason(const InvalidCounts& counts) {
        std::string text;
        for (const auto& [reason, lines] : reasons(counts)) {
            text += (text.empty() ? " (" : ", ") + reason + " " + std::to_string(lines);
        }
        return text.empty() ? text : text + ")";
    }

    hitwatch::EventSink& sink_;
    std::chrono::steady_clock::time_point began_;
    hitwatch::Monitor monitor_;
    LineCounter counter_;
    const Options& options_;
    std::size_t max_line_;
    std::uint64_t lines_before_ = 0;  // in the files before this one
    bool unterminated_ = false;
};

// Reads one input to its end (or a stop signal) into the feed: 0, or 1 on a read error.
int replay_one(ReplayInput& input, ReplayFeed& feed) {
    hitwatch::LineAssembler lines(feed.max_line());
    const auto on_line = [&](std::string_view text) { feed.line(text); };
    const auto on_overlong = [&] { feed.overlong(); };
    int status = 0;
    bool started = false;
    while (g_stop_signal == 0) {
        const auto space = lines.free_space();
        const ssize_t n = input.read(space.data(), space.size(), &g_stop_signal);
        if (n < 0 && errno == EINTR) break;  // a stop signal
        if (n < 0) {
            HW_LOG(error) << "cannot read " << input.name() << ": " << input.error();
            status = 1;
            break;
        }
        if (n == 0) break;
        if (!started) feed.first_bytes({space.data(), static_cast<size_t>(n)}), started = true;
        lines.commit(static_cast<size_t>(n), on_line, on_overlong);
    }
    if (g_stop_signal == 0 && !lines.pending().empty()) feed.last_line_unterminated(lines.pending());
    lines.drop_pending();
    return status;
}

}  // namespace

int run_replay(const Options& options, hitwatch::EventSink& sink) {
    const std::vector<std::string> files = oldest_first(options.replay_files, options);
    std::string source;  // how the whole replay is named: its file, or its files
    for (const auto& file : files) source += (source.empty() ? "" : ", ") + (file == "-" ? "standard input" : file);
    catch_stop_signals();
    std::optional<HtmlReport> html;
    if (!options.report_html.empty()) html.emplace(sink, options.report_html);
    ReplayFeed feed(options, html ? static_cast<hitwatch::EventSink&>(*html) : sink,
                    files.front() == "-" ? "standard input" : files.front());
    if (html) html->set_monitor(&feed.monitor());
    hitwatch::UnixSeconds fallback = 0;  // with no time in the input, reports are dated by the last file
    int status = 0;
    for (std::size_t i = 0; i < files.size() && g_stop_signal == 0 && status == 0; ++i) {
        std::string error;
        const auto input = ReplayInput::open(files[i], error);
        if (!input) {
            HW_LOG(error) << "cannot open " << files[i] << ": " << error;
            status = 1;
            break;
        }
        if (files.size() > 1) HW_LOG(info) << "replaying " << input->name() << (input->gzip() ? " (gzip)" : "");
        if (i > 0) feed.next_file(input->name());
        fallback = input->mtime();
        status = replay_one(*input, feed);
    }
    feed.finish(fallback);
    if (html) {
        if (std::string error; !hitwatch::write_file_atomically(options.report_html, html->page(), error)) {
            HW_LOG(error) << "--report-html: " << error;
            status = 1;
        } else {
            HW_LOG(info) << "wrote the report " << options.report_html;
        }
    }
    if (g_stop_signal != 0) {
        HW_LOG(warning) << "signal " << g_stop_signal << ": replay stopped before the end of " << source;
        return 128 + g_stop_signal;
    }
    if (status == 0 && feed.nothing_matched()) {
        HW_LOG(error) << feed.diagnosis(source);
        return 3;
    }
    return status;
}

}  // namespace hitwatchd
