#pragma once
// The logs a live daemon follows: for each, its tail and the counter its lines go through,
// and what it counted this interval. Started from the state file, changed by reloads.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/monitor.h"
#include "core/report.h"
#include "state/checkpoint.h"
#include "tail/log_tail.h"

namespace hitwatchd {

class FollowedLogs {
public:
    using Clock = hitwatch::LogTail::Clock;

    explicit FollowedLogs(hitwatch::Monitor& monitor);
    ~FollowedLogs();

    // Follows `paths`, as they are in `saved` (resumed), else from their end (from_start: from
    // their start). A reload calls it again with its list: new paths start (a log followed
    // earlier in this run resumes where it was left), paths no longer listed stop and are
    // kept in the checkpoint should they come back.
    void follow(const std::vector<std::string>& paths, const hitwatch::Checkpoint& saved, bool from_start,
                std::size_t max_line, Clock::time_point now);

    // Reads a bounded amount from every log; true if all there was was read.
    bool pump(std::size_t budget, Clock::time_point now);

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

private:
    struct Log;
    hitwatch::Monitor& monitor_;
    std::vector<std::unique_ptr<Log>> logs_;
    std::vector<hitwatch::SavedLog> stopped_;  // followed earlier in this run
    bool following_ = false;                   // follow() was called: later calls are reloads
};

}  // namespace hitwatchd
