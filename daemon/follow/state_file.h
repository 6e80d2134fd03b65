// SPDX-License-Identifier: Apache-2.0
#pragma once
// The state file of a live daemon: loaded once at the start, and written only right after a
// report (save_after_report is called from exactly one place, the report handler), so the
// offsets it holds are always those of lines already in an emitted report: a restart, even
// after kill -9, neither loses nor counts twice a line.
#include <cstdint>
#include <string>

#include "rate_limiter.h"
#include "state/checkpoint.h"
#include "views.h"

namespace hitwatchd {

class StateFile {
public:
    // Larger than this is not a state file of ours: moved aside as corrupt.
    static constexpr std::size_t kMaxBytes = 64 << 20;

    explicit StateFile(std::string path) : path_(std::move(path)) {}
    ~StateFile();
    StateFile(const StateFile&) = delete;
    StateFile& operator=(const StateFile&) = delete;

    // Takes PATH.lock for this process (flock, so it goes with the process, kill -9 too) and
    // writes its pid there: two daemons on one state file would each resume from the other's
    // offsets. False, with an error naming the other daemon's pid, if one holds it. A lock
    // that cannot be taken for another reason (a read-only directory) is a warning only.
    bool lock(std::string& error);

    // What was saved, or nothing: a file that is not a checkpoint is moved to PATH.corrupt
    // with a warning; a bad entry is dropped with a warning and the rest kept.
    hitwatch::Checkpoint load();

    // Writes `checkpoint`. A failure is a warning (at most once a minute while saves fail,
    // saying what a crash would then cost) and monitoring goes on; false if it failed. The
    // first save that works again after failures says so.
    bool save_after_report(const hitwatch::Checkpoint& checkpoint);

    const std::string& path() const { return path_; }
    StateView view() const { return {path_, failures_ == 0, failures_total_}; }

private:
    std::string path_;
    int lock_fd_ = -1;
    std::uint64_t failures_ = 0;        // saves failed since the last that worked
    std::uint64_t failures_total_ = 0;  // since start
    hitwatch::UnixSeconds saved_until_ = 0;  // the reported_until of the last save that worked
    RateLimiter<> errors_{std::chrono::seconds(60)};
};

}  // namespace hitwatchd
