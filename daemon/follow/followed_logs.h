// SPDX-License-Identifier: Apache-2.0
#pragma once
// The logs a live daemon follows: for each, its tail and the counter its lines go through,
// and what it counted this interval. Started from the state file, changed by reloads.
//
// A line counts when it is read, but never before it can have been written: each log knows
// when it was last read to its end, and a log further behind than one interval (a restart,
// a stall, --from-start) catches up: its lines go to a backfill, by when they were written,
// handed to the monitor in parts, each once it holds as much as a fixed memory budget allows
// (Backfill::full) and the last once the log reaches its end; then it counts live again.
// Before each part is handed on, the state file is saved with the log where that part ends
// (save_progress), so a crash resumes the catch-up there: it loses nothing and counts
// nothing twice, and a crash in the middle of a long backlog does not start it again.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/monitor.h"
#include "follow/line_counter.h"
#include "views.h"
#include "config/log_matches.h"
#include "core/report.h"
#include "format/prometheus_format.h"
#include "state/checkpoint.h"
#include "tail/log_tail.h"

namespace hitwatchd {

class FollowedLogs {
public:
    using Clock = hitwatch::LogTail::Clock;

    struct CatchUp {
        std::int64_t interval_s = 10;        // further behind than this: catch up
        std::int64_t window_s = 120;         // the alert window, which the backlog fills
        std::size_t max_sections = 10000;    // per backfill interval
        std::int64_t max_backfill_s = 3600;  // older lines: one backfill report together
    };

    FollowedLogs(hitwatch::Monitor& monitor, CatchUp catch_up);
    ~FollowedLogs();

    // Follows `logs`, as they are in `saved` (resumed), else from their end (from_start: from
    // their start). A reload calls it again with its list: new paths start (a log followed
    // earlier in this run resumes where it was left, whatever `saved` says), paths no longer
    // listed stop and are kept in the checkpoint should they come back (their hits of this
    // interval reported as the log's, "stopped" unless it is back).
    // `reading_of` says how each path is read; a log followed already takes a new one.
    using ReadingOf = std::function<Reading(const std::string& path)>;
    void follow(const std::vector<LogPath>& logs, const ReadingOf& reading_of, const hitwatch::Checkpoint& saved,
                bool from_start, std::size_t max_line, Clock::time_point now, hitwatch::UnixSeconds wall_now);
    // Between reloads, the globs' matches as they are now: a new match was created since the
    // last look, and is read from its start, its lines live; a match gone is read to its end
    // (rotated-out files too), then dropped, from the checkpoint too. True if the logs changed.
    bool rematch(const std::vector<LogPath>& logs, const ReadingOf& reading_of, std::size_t max_line,
                 Clock::time_point now, hitwatch::UnixSeconds wall_now);
    void set_catch_up(CatchUp catch_up) { catch_up_ = catch_up; }
    // Where else rotated files are looked for (--olddir): every log's, those started later too.
    void set_olddirs(const std::vector<std::string>& olddirs);

    // Logs further behind than an interval start catching up; how many readable ones are.
    std::size_t catch_up_if_behind(hitwatch::UnixSeconds wall_now);
    // The wall clock stepped: a log not read for a while by the new time was not behind.
    void clock_stepped(hitwatch::UnixSeconds wall_now);
    // Reads about `budget` bytes in all, a share from each log; true if all there was was read.
    // The wall clock is read as the pass begins and again after each read of a log: lines
    // read after a stall in the middle of the pass (SIGSTOP, a paused VM) are a backlog too.
    using WallClock = std::function<hitwatch::UnixSeconds()>;
    bool pump(std::size_t budget, Clock::time_point now, const WallClock& wall_clock);

    // Where every log is, followed or stopped in this run, for the state file.
    std::vector<hitwatch::SavedLog> positions() const;
    // This interval's figures, per log and in all; starts the next interval's.
    hitwatch::LiveFigures take_figures();
    // The directories and file names whose changes concern the logs.
    std::vector<std::string> directories() const;
    std::vector<std::string> file_names() const;

    // Warns of each log not read for `after` (missing, unreadable), again every `repeat`
    // while it lasts; the number of logs not reading now.
    std::size_t check_health(Clock::time_point now, Clock::duration after, Clock::duration repeat);

    std::size_t size() const { return logs_.size(); }
    std::size_t count(hitwatch::LogTail::State state) const;
    std::uint64_t lag_bytes() const;
    // How each log stands now (the status page, the metrics, the reports' figures).
    std::vector<LogView> views() const;
    // Some log is counting a backlog by when it was written.
    bool catching_up() const;
    // Lines of logs followed from now on also count into `metrics` (before follow()).
    void set_metrics(hitwatch::MetricCounters* metrics) { metrics_ = metrics; }
    // Saves the state file with one log's place changed, before a part of its backlog is
    // handed on (that log as it is then, the others as last saved).
    using SaveProgress = std::function<void(const hitwatch::SavedLog& log)>;
    void set_save_progress(SaveProgress save) { save_progress_ = std::move(save); }
    // How much a log that catches up reads in one pass at most: what one pass adds to its
    // backlog before the budget is looked at again.
    static constexpr std::size_t kCatchUpShare = 1 << 20;
    // Lines read by the logs followed now, and their invalid ones by reason.
    std::uint64_t lines() const;
    std::uint64_t blank_lines() const;
    InvalidCounts invalid_counts() const;

private:
    struct Log;
    // Glob matches that are not new logs: a followed log's rotated-out file (a.log renamed
    // a-20261127.log, a hard link that moved on) or a copy of one (copytruncate), by path:
    // device and inode, known as such while the name holds that file; and matches looked at
    // again before they are followed, while they grow as a copy of a followed file does.
    struct NotNew {
        std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> rotations;
        struct Size {
            std::uint64_t bytes;
            std::chrono::steady_clock::time_point since;  // first seen at this size
        };
        std::map<std::string, Size> growing;
    };
    struct Stopped {
        hitwatch::SavedLog log;
        hitwatch::UnixSeconds at;  // when it stopped being followed
    };
    // Starts the log's catch-up if it is further behind than an interval.
    void catch_up_if_behind(Log& log, hitwatch::UnixSeconds wall_now);
    void end_catch_up(Log& log, hitwatch::UnixSeconds wall_now);
    // Hands the backlog read so far on to the monitor, the state file saved first.
    void hand_on(Log& log, bool last);
    // Starts following a path not followed now.
    std::unique_ptr<Log> start(const LogPath& path, const Reading& reading, std::size_t max_line);
    void add_figures(Log& log, bool gone, hitwatch::LiveFigures& live);
    static LogView view(Log& log);
    // Whether `path`, a glob's match not followed, is not a new log (see NotNew), or a symlink
    // to one of `logs` that points nowhere, in the gap of a rotation; noted in `now`. When it
    // `appeared` while running, an empty match, or one that begins as a file of `logs` and
    // grows, is looked at again later (a copy being made: the log's tail takes it once the
    // log is truncated), and a whole copy is not new either.
    bool not_new(const std::string& path, const std::vector<std::unique_ptr<Log>>& logs, bool appeared,
                 Clock::time_point at, NotNew& now) const;

    hitwatch::Monitor& monitor_;
    CatchUp catch_up_;
    std::vector<std::unique_ptr<Log>> logs_;
    std::vector<Stopped> stopped_;             // followed earlier in this run, stopped by a reload
    std::map<std::string, std::uint64_t> stopped_hits_;  // of logs stopped this interval
    std::vector<std::unique_ptr<Log>> gone_;   // dropped this interval: in its report still
    std::set<std::string> followed_this_run_;  // paths followed at some time in this run
    NotNew not_new_;
    bool following_ = false;                   // follow() was called: later calls are reloads
    std::size_t first_ = 0;                    // the log a pass begins with, one further each pass
    hitwatch::MetricCounters* metrics_ = nullptr;
    std::vector<std::string> olddirs_;
    SaveProgress save_progress_;
};

}  // namespace hitwatchd
