#pragma once
// Follows one log path through appends, rotation (rename + create), copytruncate and
// deletion: the rotated-out file is drained before and while the new one is read, a
// truncated file is read again from 0, a deleted one is finished and its path waited for.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "state/checkpoint.h"
#include "tail/followed_file.h"

namespace hitwatch {

// Where a tail's lines and news go.
class TailListener {
public:
    virtual ~TailListener() = default;
    virtual void on_line(std::string_view line) = 0;
    virtual void on_overlong() = 0;
    // Something an operator should know: rotation, truncation, a missing file.
    virtual void on_notice(bool warning, const std::string& message) = 0;
};

class LogTail {
public:
    using Clock = std::chrono::steady_clock;
    // How long a rotated-out file is still read, for writers that finish a request into it.
    static constexpr Clock::duration kRotateWait = std::chrono::seconds(5);

    LogTail(std::string path, size_t max_line) : path_(std::move(path)), max_line_(max_line) {}

    // Opens the log: where `saved` says (finding a rotated file by identity), else at its
    // end, or at its start with from_start. A missing log is waited for.
    void start(const SavedLog* saved, bool from_start, TailListener& listener);

    // Reads what is new, about `budget` bytes at most; true if it read all there was.
    bool pump(size_t budget, Clock::time_point now, TailListener& listener);

    SavedLog save() const;
    const std::string& path() const { return path_; }
    std::uint64_t lag_bytes() const;
    std::uint64_t take_rotations() { return std::exchange(rotations_, 0); }
    std::uint64_t take_truncations() { return std::exchange(truncations_, 0); }

private:
    std::unique_ptr<FollowedFile> open_path(TailListener& listener);
    bool read(FollowedFile& file, size_t budget, TailListener& listener);
    // At the end of the current file: has the path moved on to another file or gone?
    bool follow_path(Clock::time_point now, TailListener& listener);
    void retire_current(Clock::time_point now, TailListener& listener);

    std::string path_;
    size_t max_line_;
    std::unique_ptr<FollowedFile> current_;
    std::unique_ptr<FollowedFile> previous_;  // rotated out, still drained until previous_until_
    Clock::time_point previous_until_{};
    bool missing_noted_ = false;
    std::uint64_t rotations_ = 0;
    std::uint64_t truncations_ = 0;
};

}  // namespace hitwatch
