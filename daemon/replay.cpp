// SPDX-License-Identifier: Apache-2.0
#include "replay.h"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <optional>
#include <utility>

#include "chunk_pipeline.h"
#include "config/log_matches.h"
#include "core/timestamp.h"
#include "logging.h"
#include "merged_replay.h"
#include "os/posix_io.h"
#include "parallel_replay.h"
#include "replay_feed.h"
#include "replay_input.h"
#include "sinks/html_report.h"
#include "state/checkpoint.h"
#include "tail/line_assembler.h"

namespace hitwatchd {
namespace {

// Set by SIGTERM or SIGINT: the replay stops reading, reports what it has, and exits.
volatile std::sig_atomic_t g_stop_signal = 0;

void on_stop_signal(int signal) { g_stop_signal = signal; }

// g_stop_signal's value once nothing takes the reports any more: SIGPIPE, which is ignored, so
// never comes as a signal.
constexpr int kUnread = SIGPIPE;

// Passes reports and alerts on, and stops the replay once nothing takes them any more
// (`hitwatchd --replay month.log | head`): read to its end, a month of logs is minutes of work
// for no one. On the counting thread, as the stop signal's handler would set it.
class StopWhenUnread : public hitwatch::EventSink {
public:
    StopWhenUnread(hitwatch::EventSink& next, std::function<bool()> unread) : next_(next), unread_(std::move(unread)) {}
    void on_report(const hitwatch::Report& report) override {
        next_.on_report(report);
        stop_if_unread();
    }
    void on_alert(const hitwatch::AlertEvent& event) override {
        next_.on_alert(event);
        stop_if_unread();
    }
    void on_summary(const hitwatch::RunSummary& summary) override { next_.on_summary(summary); }

private:
    void stop_if_unread() {
        if (g_stop_signal == 0 && unread_()) g_stop_signal = kUnread;
    }
    hitwatch::EventSink& next_;
    std::function<bool()> unread_;
};

// Set by SIGUSR1 or SIGHUP, answered by the feed as it goes (ReplayFeed::answer_signals).
volatile std::sig_atomic_t g_status_signal = 0;

void on_status_signal(int signal) { g_status_signal = signal; }

// Without SA_RESTART, so a read from a pipe that has nothing to say returns at once.
void catch_signals() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    for (const int signal : {SIGTERM, SIGINT}) ::sigaction(signal, &action, nullptr);
    action.sa_handler = on_status_signal;
    for (const int signal : {SIGUSR1, SIGHUP}) ::sigaction(signal, &action, nullptr);
}

// Reads one input to its end (or a stop signal) into the feed: 0, or 1 on a read error.
int replay_one(ReplayInput& input, ReplayFeed& feed) {
    hitwatch::LineAssembler lines(feed.max_line(), kReplayReadBytes);
    const auto on_line = [&](std::string_view text) { feed.line(text); };
    const auto on_overlong = [&] { feed.overlong(); };
    int status = 0;
    bool started = false;
    while (g_stop_signal == 0 && !feed.past_window()) {
        const auto space = lines.free_space();
        const ssize_t n = input.read(space.data(), space.size(), &g_stop_signal);
        if (n < 0 && errno == EINTR) break;  // a stop signal
        if (n < 0) {
            feed.input_error("cannot read " + input.name() + ": " + input.error());
            status = 1;
            break;
        }
        if (n == 0) break;
        if (!started) feed.first_bytes({space.data(), static_cast<size_t>(n)}), started = true;
        lines.commit(static_cast<size_t>(n), on_line, on_overlong);
        feed.answer_signals();
        if (lines.in_hole()) [[unlikely]] lines.skip(input.skip_hole());
    }
    if (g_stop_signal == 0 && !feed.past_window() && !lines.pending().empty()) {
        feed.last_line_unterminated(lines.pending(), input.truncated_while_read().has_value());
    }
    lines.drop_pending();
    return status;
}

// Files of one log's name (merged_replay.h) are its rotations, read one after another. Logs
// written side by side under that one name (copied from two servers into one directory as
// access.log and access.log.1) overlap instead: the later one's lines, older than the replay's
// clock, would count at the clock's time, all in its last interval, and nothing would say so.
// A file whose first 100 lines are all more than an alert window older than the lines read
// already is said to; true if it was.
bool warn_if_side_by_side(const ReplayFile& file, const hitwatch::Monitor& monitor, std::int64_t window_s) {
    if (!file.head_latest || !monitor.started() || *file.head_latest + window_s >= monitor.now()) return false;
    HW_LOG(warning) << file.path << " begins at " << hitwatch::format_iso8601(*file.first_time) << ", "
                    << monitor.now() - *file.first_time << " s before the lines read so far ("
                    << hitwatch::format_iso8601(monitor.now())
                    << "): files of one log's name are read as its rotations, one after another, so its "
                       "lines count at the later time. Name logs written side by side apart (web1.log, web2.log): "
                       "they are merged in time order.";
    return true;
}

// The files of a replay, each once: paths that name one file (current.log a symlink to
// access.log, a hard link, a path given twice) would count each of its lines twice.
std::vector<std::string> files_once(const std::vector<std::string>& paths) {
    std::vector<SameFile> same;
    std::vector<std::string> kept = once_per_file(paths, &same);
    for (const auto& s : same) HW_LOG(info) << read_once_text(s);
    return kept;
}

// Whether the page can be written where --report-html says, asked before the replay: a
// directory that is not there, or a directory where the page goes, should not take a month
// of logs' replay to be found out.
bool report_html_writable(const std::string& path) {
    if (std::error_code ec; std::filesystem::is_directory(path, ec)) {
        HW_LOG(error) << "--report-html " << path << ": is a directory (name the page's file)";
        return false;
    }
    const std::string dir = std::filesystem::path(path).parent_path().string();
    const std::string where = dir.empty() ? "." : dir;
    if (::access(where.c_str(), W_OK | X_OK) == 0) return true;
    HW_LOG(error) << "--report-html " << path << ": cannot write in " << where << ": " << std::strerror(errno);
    return false;
}

// An output that is one of the replayed files would replace it (the page) or grow it (the
// report file): a slip of the keyboard from losing the log. True, and said, if one is.
bool writes_over_an_input(const char* option, const std::string& path, const std::vector<std::string>& inputs) {
    for (const auto& input : inputs) {
        if (std::error_code ec; input != "-" && std::filesystem::equivalent(path, input, ec)) {
            HW_LOG(error) << option << " " << path << ": is " << input << ", which this replay reads: name another file";
            return true;
        }
    }
    return false;
}

// A file's buffers (its chunks of 256 KiB, their records, its head) are freed when it is read
// and made anew for the next. glibc gave them back to the kernel (mmap, or a heap trimmed) and
// they were faulted in again: a month of rotations of 2,000 lines took 39 k page faults on one
// thread and 95 k on two, 20 % and 38 % of its time. Freed memory is kept for the next file
// instead, up to what the replay held at once, and no more than 64 MiB of it.
void keep_freed_buffers() {
    ::mallopt(M_MMAP_THRESHOLD, 4 << 20);
    ::mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

// One log's files, oldest first, one after another on `threads` threads. A file that cannot
// be opened or read to its end (a truncated archive among the rotated logs) is said, and
// makes it 1: the files after it are still read.
int replay_in_turn(const std::vector<ReplayFile>& files, ReplayFeed& feed, unsigned threads, std::int64_t window_s,
                   hitwatch::UnixSeconds& fallback) {
    int status = 0;
    std::optional<ParsePool> pool;  // started for the first file read on several threads
    bool first = true;
    for (std::size_t i = 0; i < files.size() && g_stop_signal == 0 && !feed.past_window(); ++i) {
        const auto input = feed.open(files[i].path, files.size() > 1);
        if (!input) {
            status = 1;
            continue;
        }
        if (i > 0) feed.next_file(input->name(), warn_if_side_by_side(files[i], feed.monitor(), window_s));
        if (std::exchange(first, false)) feed.begin_where_learning_begins(*input);
        fallback = input->mtime();
        const bool parallel = threads > 1 && !input->small();
        if (parallel && !pool) pool.emplace(threads);
        if ((parallel ? replay_parallel(*input, feed, *pool, &g_stop_signal) : replay_one(*input, feed)) != 0) {
            status = 1;
        }
        feed.input_ended(*input);
        if (feed.past_window()) {
            const std::size_t after = files.size() - i - 1;
            HW_LOG(info) << "reading stopped at " << feed.where_past_window()
                         << ", where the log's clock reached --until: the rest of it"
                         << (after > 0 ? " and the " + counted(after, "file") + " after it are" : std::string(" is"))
                         << " not read";
        }
    }
    return status;
}

// How a replay's input is named: its files, or "standard input".
std::string name_of(const ReplayFile& file) { return file.path == "-" ? "standard input" : file.path; }

std::string names_of(const std::vector<ReplayFile>& files) {
    std::string names;
    for (const auto& file : files) names += (names.empty() ? "" : ", ") + name_of(file);
    return names;
}

// The files, or a month of them as the first two, the last and how many: what the
// --report-html page says it shows, or which files were not read.
std::string in_brief(const std::vector<ReplayFile>& files) {
    if (files.size() <= 4) return names_of(files);
    return name_of(files[0]) + ", " + name_of(files[1]) + " … " + name_of(files.back()) + " (" +
           std::to_string(files.size()) + " files)";
}

// "web1/access.log, web2/access.log": the logs by their first files.
std::string log_names(const std::vector<std::vector<ReplayFile>>& logs) {
    std::string names;
    for (const auto& log : logs) names += (names.empty() ? "" : ", ") + log.front().path;
    return names;
}

// Rotated files whose every line is dated more than kHorizonsLearned before --since, told by
// the next file of their log (TimeWindow::ends_before), are left out of `logs` unread and said
// to be, into `skipped` too: last night's incident out of a month of logs is a day's files read.
void skip_before_window(std::vector<std::vector<ReplayFile>>& logs, ReplayFeed& feed, const Options& options,
                        std::vector<ReplayFile>& skipped) {
    const std::optional<hitwatch::UnixSeconds> learns_from = learning_from(options);
    if (!learns_from) return;
    for (auto& log : logs) {
        std::vector<ReplayFile> kept;
        for (std::size_t i = 0; i < log.size(); ++i) {
            const std::optional<hitwatch::UnixSeconds> next =
                i + 1 < log.size() ? log[i + 1].head_latest : std::nullopt;
            const bool before = next && feed.window()->ends_before(*next, *learns_from);
            (before ? skipped : kept).push_back(log[i]);
            if (before && log[i].first_time) feed.not_read_from(*log[i].first_time);
        }
        log = std::move(kept);
    }
    if (skipped.empty()) return;
    HW_LOG(info) << counted(skipped.size(), "file") << " not read, every line dated more than "
                 << learning_span_text(options) << " (the file after " << (skipped.size() == 1 ? "it" : "each")
                 << " begins --max-skew or more before then): " << in_brief(skipped);
}

bool among(const std::vector<ReplayFile>& files, const std::string& path) {
    return std::any_of(files.begin(), files.end(), [&](const ReplayFile& file) { return file.path == path; });
}

}  // namespace

const volatile std::sig_atomic_t* replay_stop_signal() { return &g_stop_signal; }

int run_replay(const Options& options, hitwatch::EventSink& sink, ReplayOutputs outputs) {
    keep_freed_buffers();
    const std::vector<ReplayFile> files = oldest_first(files_once(options.replay_files), options);
    const std::string source = names_of(files);  // how the whole replay is named
    if (!options.report_html.empty() && (writes_over_an_input("--report-html", options.report_html, options.replay_files) ||
                                         !report_html_writable(options.report_html))) {
        return 1;
    }
    if (!options.report_file.empty() && writes_over_an_input("--report-file", options.report_file, options.replay_files)) {
        return 1;
    }
    for (const auto& left_out : options.replay_left_out) HW_LOG(info) << left_out;
    catch_signals();
    std::optional<HtmlReport> html;
    if (!options.report_html.empty()) html.emplace(sink, options.report_html);
    std::optional<StopWhenUnread> stop_when_unread;  // the page takes them all, read or not
    if (!html && outputs.unread) stop_when_unread.emplace(sink, std::move(outputs.unread));
    hitwatch::EventSink& first = html ? static_cast<hitwatch::EventSink&>(*html)
                                 : stop_when_unread ? static_cast<hitwatch::EventSink&>(*stop_when_unread) : sink;
    ReplayFeed feed(options, first, name_of(files.front()));
    if (html) html->set_monitor(&feed.monitor());
    feed.answer_signals_in(&g_status_signal, std::move(outputs.write_held));
    // With no time in the input, reports are dated by the last file opened; by now if none was.
    hitwatch::UnixSeconds fallback = now_seconds();
    int status = 0;
    const unsigned threads = options.replay_threads > 0 ? options.replay_threads : available_cores();
    std::vector<std::vector<ReplayFile>> logs = logs_of(files);
    std::vector<ReplayFile> skipped;
    skip_before_window(logs, feed, options, skipped);
    if (logs.size() > 1) {
        HW_LOG(info) << logs.size() << " logs written side by side (" << log_names(logs)
                     << "): their lines are merged in time order";
        status = replay_merged(logs, feed, threads, &g_stop_signal, fallback);
    } else {
        status = replay_in_turn(logs.front(), feed, threads, options.monitor.alert.window_s, fallback);
    }
    feed.finish(fallback, g_stop_signal);
    if (html) {
        // The files read: an error log among them, left out, or a file before --since is not
        // what the page shows.
        std::vector<ReplayFile> read;
        std::copy_if(files.begin(), files.end(), std::back_inserter(read), [&](const ReplayFile& file) {
            return std::find(feed.left_out().begin(), feed.left_out().end(), file.path) == feed.left_out().end() &&
                   !among(skipped, file.path);
        });
        html->set_source(in_brief(read));
        if (std::string error; !hitwatch::write_file_atomically(options.report_html, html->page(), error)) {
            HW_LOG(error) << "--report-html: " << error;
            status = 1;
        } else {
            HW_LOG(info) << "wrote the report " << options.report_html;
        }
    }
    if (g_stop_signal == kUnread) {
        HW_LOG(error) << "standard output's reader went away and nothing else takes the reports: replay stopped "
                         "before the end of " << source;
        return 1;
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
