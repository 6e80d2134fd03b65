// SPDX-License-Identifier: Apache-2.0
#pragma once
// Follows one log path through appends, rotation (rename + create), copytruncate, a cut
// (truncate -s, a crash that lost the last writes), deletion, symlinks that point
// elsewhere, and restarts. What to do is decided by two pure functions (tail/rotation.h
// while running, tail/resume.h after a restart); this class gathers the facts they need
// (stat, fstat, the first bytes of files) and carries their steps out.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tail/followed_file.h"
#include "tail/logrotate_backup.h"
#include "tail/rotation.h"
#include "tail/saved_log.h"

namespace hitwatch {

// Where a tail's lines and news go.
class TailListener {
public:
    enum class Level { info, warning, error };
    virtual ~TailListener() = default;
    // line_number: in its file, 0 when not known (a file first met at its end).
    virtual void on_line(std::string_view line, std::uint64_t line_number) = 0;
    // Bytes were just read, and their lines come next: they were all written by now.
    virtual void on_read() {}
    virtual void on_overlong(std::uint64_t line_number) = 0;
    // Something an operator should know: rotation, truncation, a missing file, lost bytes.
    virtual void on_notice(Level level, const std::string& message) = 0;
    // A rotated file that could not be read is read now, late: its lines, next, were written
    // a while ago.
    virtual void on_late_file() {}
};

class LogTail {
public:
    using Clock = std::chrono::steady_clock;
    // How long a rotated-out file is still read, for writers that finish a request into it.
    static constexpr Clock::duration kRotateWait = std::chrono::seconds(5);
    // How often a path that names something that is not a log is looked at again.
    static constexpr Clock::duration kNotALogRetry = std::chrono::seconds(30);

    // How the log is read now.
    enum class State {
        reading,     // a file is open
        waiting,     // the path names nothing yet
        unreadable,  // the path names a file that cannot be opened (permissions, descriptors)
        not_a_log,   // the path names a directory or a device
    };

    LogTail(std::string path, std::size_t max_line) : path_(std::move(path)), max_line_(max_line) {}

    // Begins following: where `saved` says (finding rotated and copied files by identity),
    // else at the end of the file (at its start with from_start). A missing log is waited for
    // and read from its start; an unreadable one keeps its saved place until it is readable.
    // `listings`: shared by logs started together, so that their directories are listed once.
    void start(const SavedLog* saved, bool from_start, Clock::time_point now, TailListener& listener,
               BackupListings* listings = nullptr);

    // Reads what is new, about `budget` bytes at most; true if it read all there was.
    bool pump(std::size_t budget, Clock::time_point now, TailListener& listener);

    SavedLog save() const;
    // It has this file open: the one it reads, or one rotated out that it finishes.
    bool reads(std::uint64_t device, std::uint64_t inode) const;
    // Bytes read of a file it has open whose first bytes are `head` (or were, when it last
    // looked: a copytruncate copy is seen before the truncation may be); nullopt if none is.
    std::optional<std::uint64_t> read_of_file_starting(std::string_view head) const;
    const std::string& path() const { return path_; }
    // The directories whose changes concern this log: the path's, and its target's when the
    // path is a symlink (rotation happens beside the target).
    std::vector<std::string> directories() const;
    // The file names whose changes concern this log, in those directories.
    std::vector<std::string> file_names() const;
    std::uint64_t lag_bytes();
    State state() const { return state_; }
    // Nothing is open or left to read: the path names nothing, and rotated-out files are done.
    bool idle() const { return state_ == State::waiting && !current_ && draining_.empty() && unread_rotated_.empty(); }
    const std::string& error() const { return error_; }
    std::uint64_t take_rotations() { return std::exchange(rotations_, 0); }
    std::uint64_t rotations() const { return rotations_; }  // not taken yet
    std::uint64_t take_truncations() { return std::exchange(truncations_, 0); }
    std::uint64_t take_lost_bytes() { return std::exchange(lost_bytes_, 0); }
    // Bytes held in read buffers (for the memory tests).
    std::size_t buffer_bytes() const;
    // Where else its rotated files are looked for (logrotate's olddir: relative to the log's
    // directory unless absolute), as well as beside it.
    void set_olddirs(std::vector<std::string> olddirs) { olddirs_ = std::move(olddirs); }

private:
    // How a file that appears at the path is read.
    enum class Opening { at_end, at_start, resume };

    TailFacts observe();
    PathState observe_path() const;
    bool try_open(Clock::time_point now, TailListener& listener);
    void open_failed(int error, Clock::time_point now, TailListener& listener);
    void resume(std::unique_ptr<FollowedFile> at_path, Clock::time_point now, TailListener& listener);
    void rewind_truncated(Clock::time_point now, TailListener& listener);
    void cut_short(std::uint64_t size, TailListener& listener);
    // The first open file (the one it reads, then those it finishes) that passes `is_it`.
    template <class Test>
    const FollowedFile* open_file_where(Test is_it) const;
    void hold_what_the_path_names(Clock::time_point now, TailListener& listener);
    void rotated_in_another(Clock::time_point now, TailListener& listener);
    // Files logrotate moved from the path to its backup name that were never read (see
    // logrotate_backup.h): read from their start, as rotated files are finished.
    void take_backups(Clock::time_point now, TailListener& listener);
    void retire_current(Clock::time_point now, TailListener& listener);
    void drain_later(std::unique_ptr<FollowedFile> file, Clock::time_point now, TailListener& listener);
    bool drain(std::size_t& budget, Clock::time_point now, TailListener& listener);
    bool read(FollowedFile& file, std::size_t& budget, TailListener& listener);
    // The path names a directory or a device: an error, looked at again in 30 s.
    void not_a_log(Clock::time_point now, TailListener& listener);
    // The unreadable file was rotated out: looked for beside the log from now on.
    void unreadable_rotated(TailListener& listener);
    // Rotated unreadable files that can be read now go to draining_ (true if one did); those
    // no longer beside the log are lost.
    bool look_for_unread(Clock::time_point now, TailListener& listener);
    void note_state(State state, TailListener::Level level, const std::string& message, TailListener& listener);
    // For messages: where rotated files are looked for ("beside it", "beside it or in DIR", with
    // `it` naming the log), and how one goes out of sight ("moved to another directory ...").
    std::string where_looked(const std::string& it) const;
    std::string moved_out_of_sight() const;

    std::string path_;
    std::size_t max_line_;
    std::vector<std::string> olddirs_;
    std::unique_ptr<FollowedFile> current_;
    struct Draining {
        std::unique_ptr<FollowedFile> file;
        Clock::time_point until;  // read until then, then dropped once at its end
    };
    std::deque<Draining> draining_;  // rotated-out files, oldest first
    // logrotate's backups of the log beside it when last looked (at the start: not read).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> backups_known_;  // device, inode
    Opening opening_ = Opening::at_end;
    std::optional<SavedLog> resume_;  // saved place, kept until the path can be opened
    // The file the path names that cannot be opened, and where its reading starts once it can
    // be: its size when first seen at the first start (what was written after the start
    // counts, the history does not), else its start; across restarts too (an `unread` file).
    std::optional<SavedFile> unreadable_;
    // Files rotated out while unreadable (logrotate `create 0600 root` for a daemon running as
    // another user): read once they can be while beside the log, else their bytes are lost,
    // and said so. Looked for once a second, oldest first.
    struct Unread {
        SavedFile at;       // identity (device, inode), offset, size when last seen
        std::string where;  // its name when last seen
    };
    std::deque<Unread> unread_rotated_;
    Clock::time_point next_unread_look_{};
    State state_ = State::waiting;
    bool noted_once_ = false;      // a state was noted: later changes are news
    bool stream_at_end_ = false;   // a FIFO read to its end in this pump
    std::string error_;
    Clock::time_point retry_after_{};
    std::uint64_t rotations_ = 0;
    std::uint64_t truncations_ = 0;
    std::uint64_t lost_bytes_ = 0;
};

std::string_view name_of(LogTail::State state);

}  // namespace hitwatch
