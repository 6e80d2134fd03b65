// SPDX-License-Identifier: Apache-2.0
#include "tail/log_tail.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <tuple>

#include "os/paths.h"
#include "os/posix_io.h"
#include "tail/compressed_copy.h"
#include "tail/resume.h"

namespace hitwatch {
namespace {

// More rotated-out files than this still draining: the oldest is finished at once.
constexpr std::size_t kMaxDraining = 4;

// The file a path names, through any symlinks; the path itself if that cannot be told.
std::string resolved(const std::string& path) {
    char buf[PATH_MAX];
    return ::realpath(path.c_str(), buf) ? std::string(buf) : path;
}

// An open file as a candidate for the saved files.
Candidate describe(int fd, const std::string& path, const std::vector<SavedFile>& saved, bool is_log_path) {
    Candidate c;
    c.path = path;
    c.is_log_path = is_log_path;
    struct stat st {};
    if (::fstat(fd, &st) != 0) return c;
    c.device = static_cast<std::uint64_t>(st.st_dev);
    c.inode = static_cast<std::uint64_t>(st.st_ino);
    c.size = static_cast<std::uint64_t>(st.st_size);
    for (const SavedFile& file : saved) c.head_matches.push_back(!file.unread && head_matches(fd, file.identity));
    return c;
}

// The names its rotated files have (access.log.1, access.log-20261125, and with logrotate's
// `extension .log` access-20261125.log, access.1.log: names that begin with its name, or with
// its name up to its last dot), beside the log (beside its target when the path is a
// symlink, as Kubernetes container logs are) and in its olddirs.
std::vector<std::string> sibling_paths(const std::string& path, const std::vector<std::string>& olddirs) {
    const std::string target = resolved(path);
    const std::string dir = directory_of(target), base = file_name_of(target);
    const std::size_t dot = base.rfind('.');
    const std::string stem = dot != std::string::npos && dot > 0 ? base.substr(0, dot) : base;
    std::vector<std::string> dirs{dir};
    for (const std::string& olddir : olddirs) {
        std::string where = resolved(olddir_of(dir, olddir));
        if (std::find(dirs.begin(), dirs.end(), where) == dirs.end()) dirs.push_back(std::move(where));
    }
    std::vector<std::string> out;
    for (const std::string& d : dirs) {
        DIR* listing = ::opendir(d.c_str());
        if (!listing) continue;
        while (const dirent* e = ::readdir(listing)) {
            const std::string name = e->d_name;
            if ((name != base || d != dir) && name.rfind(stem, 0) == 0) out.push_back(d + "/" + name);
        }
        ::closedir(listing);
    }
    return out;
}

// The regular files of those names that can be opened, told apart by their identity. A
// compressed copy is measured, not read (a zstd one by inflating up to `inflate_at_most`).
std::vector<Candidate> siblings(const std::string& path, const std::vector<std::string>& olddirs,
                                const std::vector<SavedFile>& saved, std::uint64_t inflate_at_most) {
    std::vector<FileIdentity> identities;
    for (const SavedFile& file : saved) identities.push_back(file.identity);
    std::vector<Candidate> out;
    for (const std::string& sibling : sibling_paths(path, olddirs)) {
        const int fd = ::open(sibling.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0) continue;
        struct stat st {};
        if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            const auto copy =
                named_as_compressed(sibling) ? inspect_compressed(sibling, identities, inflate_at_most) : std::nullopt;
            if (copy) {
                Candidate c{sibling, static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                            copy->size.value_or(0), false, true, copy->head_matches, copy->size.has_value()};
                for (size_t i = 0; i < saved.size(); ++i) c.head_matches[i] = c.head_matches[i] && !saved[i].unread;
                out.push_back(std::move(c));
            } else {
                out.push_back(describe(fd, sibling, saved, false));
            }
        }
        ::close(fd);
    }
    return out;
}

// Opens a candidate found by plan_resume or locate, if it is still that file.
std::unique_ptr<FollowedFile> open_candidate(const Candidate& c, std::size_t max_line) {
    int error = 0;
    auto file = FollowedFile::open(c.path, max_line, error);
    if (!file || file->identity().device != c.device || file->identity().inode != c.inode) return nullptr;
    return file;
}

// The copy beside the log or in its olddirs of a file that was read from it (logrotate
// copytruncate's), found by its head and as long as what was read of it.
std::optional<Candidate> copy_of(const std::string& path, const std::vector<std::string>& olddirs,
                                 const SavedFile& file) {
    std::vector<Candidate> candidates = siblings(path, olddirs, {file}, 0);  // not while the loop waits
    const auto k = locate(file, 0, candidates, std::vector<bool>(candidates.size(), false));
    if (!k) return std::nullopt;
    return std::move(candidates[*k]);
}

std::string describe_mode(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "not a log file";
    if (S_ISDIR(st.st_mode)) return "a directory";
    if (S_ISCHR(st.st_mode)) return "a character device";
    if (S_ISBLK(st.st_mode)) return "a block device";
    if (S_ISSOCK(st.st_mode)) return "a socket";
    return "not a regular file";
}

}  // namespace

std::string_view name_of(LogTail::State state) {
    switch (state) {
        case LogTail::State::reading: return "reading";
        case LogTail::State::waiting: return "waiting";
        case LogTail::State::unreadable: return "unreadable";
        case LogTail::State::not_a_log: return "not_a_log";
    }
    return "?";
}

void LogTail::start(const SavedLog* saved, bool from_start, Clock::time_point now, TailListener& listener,
                    BackupListings* listings) {
    BackupListings own;
    for (const Candidate& backup : (listings ? *listings : own).of(path_)) {
        backups_known_.emplace_back(backup.device, backup.inode);
    }
    if (saved) {
        resume_ = *saved;
        opening_ = Opening::resume;
    } else {
        opening_ = from_start ? Opening::at_start : Opening::at_end;
    }
    if (observe_path() == PathState::not_a_log) return not_a_log(now, listener);
    try_open(now, listener);
}

void LogTail::not_a_log(Clock::time_point now, TailListener& listener) {
    retry_after_ = now + kNotALogRetry;
    if (opening_ == Opening::at_end) opening_ = Opening::at_start;  // a file there later is all new
    error_ = describe_mode(path_) + ", not a log file";
    note_state(State::not_a_log, TailListener::Level::error, path_ + " is " + error_ + "; looking again every 30 s",
               listener);
}

namespace {

// The name beside the log `path` or in its olddirs of the regular file `file` (by device and
// inode), and its size: a rotated file is renamed, not rewritten.
std::optional<std::pair<std::string, std::uint64_t>> find_beside(const std::string& path,
                                                                 const std::vector<std::string>& olddirs,
                                                                 const FileIdentity& file) {
    for (const std::string& name : sibling_paths(path, olddirs)) {
        struct stat st {};
        if (::stat(name.c_str(), &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_dev) == file.device &&
            static_cast<std::uint64_t>(st.st_ino) == file.inode) {
            return std::make_pair(name, static_cast<std::uint64_t>(st.st_size));
        }
    }
    return std::nullopt;
}

}  // namespace

void LogTail::unreadable_rotated(TailListener& listener) {
    ++rotations_;
    Unread unread{*unreadable_, path_};
    unreadable_.reset();
    if (const auto found = find_beside(path_, olddirs_, unread.at.identity)) {
        std::tie(unread.where, unread.at.size) = *found;
    }
    unread_rotated_.push_back(unread);
    next_unread_look_ = {};  // at the next pump
    listener.on_notice(TailListener::Level::warning,
                       path_ + " was rotated " + (unread.where != path_ ? "to " + unread.where + " " : std::string()) +
                           "before it could be read: it is read once it can be, while it is " +
                           where_looked("the log"));
    while (unread_rotated_.size() > kMaxDraining) {
        const Unread& oldest = unread_rotated_.front();
        const std::uint64_t size = oldest.at.size.value_or(oldest.at.offset);
        const std::uint64_t lost = size > oldest.at.offset ? size - oldest.at.offset : 0;
        lost_bytes_ += lost;
        listener.on_notice(TailListener::Level::warning,
                           oldest.where + " (rotated from " + path_ + ") was never readable, and " +
                               std::to_string(kMaxDraining) + " newer rotated files are not either: its " +
                               std::to_string(lost) + " bytes are lost");
        unread_rotated_.pop_front();
    }
}

bool LogTail::look_for_unread(Clock::time_point now, TailListener& listener) {
    if (unread_rotated_.empty() || now < next_unread_look_) return false;
    next_unread_look_ = now + std::chrono::seconds(1);
    bool opened = false;
    for (auto it = unread_rotated_.begin(); it != unread_rotated_.end();) {
        Unread& unread = *it;
        const auto found = find_beside(path_, olddirs_, unread.at.identity);
        if (!found) {
            const std::uint64_t size = unread.at.size.value_or(unread.at.offset);
            const std::uint64_t lost = size > unread.at.offset ? size - unread.at.offset : 0;
            lost_bytes_ += lost;
            listener.on_notice(TailListener::Level::warning,
                               unread.where + " (rotated from " + path_ + ") was never readable and is no longer " +
                                   where_looked("it") + " (deleted or compressed): its " + std::to_string(lost) +
                                   " bytes not read are lost");
            it = unread_rotated_.erase(it);
            continue;
        }
        std::tie(unread.where, unread.at.size) = *found;
        int error = 0;
        auto file = FollowedFile::open(unread.where, max_line_, error);
        if (!file || file->identity().device != unread.at.identity.device ||
            file->identity().inode != unread.at.identity.inode) {
            ++it;
            continue;
        }
        if (unread.at.offset == 0) {
            file->start_at_start();
        } else {
            file->start_at(unread.at);  // after the last whole line before its offset
        }
        listener.on_notice(TailListener::Level::info, unread.where + " (rotated from " + path_ +
                                                          " before it could be read) can be read now; reading it from "
                                                          "offset " + std::to_string(file->position()));
        listener.on_late_file();
        drain_later(std::move(file), now, listener);
        opened = true;
        it = unread_rotated_.erase(it);
    }
    return opened;
}

std::string LogTail::where_looked(const std::string& it) const {
    std::string where = "beside " + it;
    const std::string dir = directory_of(resolved(path_));
    for (std::size_t i = 0; i < olddirs_.size(); ++i) {
        where += (i == 0 ? " or in " : i + 1 == olddirs_.size() ? " or " : ", ") + olddir_of(dir, olddirs_[i]);
    }
    return where;
}

std::string LogTail::moved_out_of_sight() const {
    return olddirs_.empty() ? "moved to another directory, as logrotate's olddir does: --olddir names it"
                            : "moved to a directory --olddir does not name";
}

void LogTail::note_state(State state, TailListener::Level level, const std::string& message, TailListener& listener) {
    const bool changed = state != state_ || !noted_once_;
    noted_once_ = true;
    state_ = state;
    if (state == State::reading) error_.clear();
    if (changed && !message.empty()) listener.on_notice(level, message);
}

bool LogTail::try_open(Clock::time_point now, TailListener& listener) {
    int error = 0;
    auto file = FollowedFile::open(path_, max_line_, error);
    if (!file) {
        open_failed(error, now, listener);
        return false;
    }
    if (file->kind() == FollowedFile::Kind::other) {
        not_a_log(now, listener);
        return false;
    }
    const State before = state_;
    const bool was_noted = noted_once_;
    std::string how;
    if (file->is_stream()) {
        file->start_at_start();
        how = "reading it as a stream (FIFO)";
        resume_.reset();
    } else if (opening_ == Opening::resume) {
        resume(std::move(file), now, listener);
        opening_ = Opening::at_start;
        if (!current_) return false;
    } else if (unreadable_ && unreadable_->identity.device == file->identity().device &&
               unreadable_->identity.inode == file->identity().inode && unreadable_->offset > 0) {
        // Unreadable at the first start: what was written since then counts.
        file->start_at_end(unreadable_->offset);
        how = "reading it from where it ended when first seen";
    } else if (opening_ == Opening::at_end && !unreadable_) {
        file->start_at_end();
    } else {
        // Another file than the one that could not be read: that one was rotated out.
        if (unreadable_ && (unreadable_->identity.device != file->identity().device ||
                            unreadable_->identity.inode != file->identity().inode)) {
            unreadable_rotated(listener);
        }
        file->start_at_start();
        how = "reading it from its start";
    }
    if (was_noted && before == State::waiting) take_backups(now, listener);
    if (file) current_ = std::move(file);
    opening_ = Opening::at_start;
    unreadable_.reset();
    std::string message;
    if (was_noted && before == State::waiting) message = path_ + " appeared; " + how;
    if (was_noted && before == State::unreadable) message = path_ + " can be read now; " + how;
    if (was_noted && before == State::not_a_log) message = path_ + " is a log file now; " + how;
    note_state(State::reading, TailListener::Level::info, how.empty() ? "" : message, listener);
    return true;
}

void LogTail::open_failed(int error, Clock::time_point now, TailListener& listener) {
    error_ = std::strerror(error);
    if (error == ENOENT || error == ENOTDIR) {
        if (unreadable_) unreadable_rotated(listener);  // renamed away, or deleted
        if (opening_ == Opening::at_end) opening_ = Opening::at_start;  // created later: all of it is new
        if (opening_ == Opening::resume) {
            resume(nullptr, now, listener);  // what rotated away while stopped is still drained
            opening_ = Opening::at_start;
        }
        note_state(State::waiting, TailListener::Level::warning,
                   "cannot open " + path_ + ": " + error_ + "; waiting for it", listener);
        return;
    }
    // Which file cannot be read (a resumed log keeps its saved place instead).
    if (struct stat st {}; opening_ != Opening::resume && ::stat(path_.c_str(), &st) == 0) {
        const auto device = static_cast<std::uint64_t>(st.st_dev), inode = static_cast<std::uint64_t>(st.st_ino);
        const auto size = static_cast<std::uint64_t>(st.st_size);
        if (unreadable_ && (unreadable_->identity.device != device || unreadable_->identity.inode != inode)) {
            unreadable_rotated(listener);  // the path names the next file already
        }
        if (!unreadable_) {
            SavedFile seen;
            seen.identity.device = device;
            seen.identity.inode = inode;
            // At the first start, from its end as it is now; any later file, from its start.
            seen.offset = opening_ == Opening::at_end ? size : 0;
            seen.unread = true;
            unreadable_ = seen;
            opening_ = Opening::at_start;
        }
        unreadable_->size = size;
    }
    const bool permissions = error == EACCES || error == EPERM;
    const std::string hint = error == EMFILE || error == ENFILE
                                 ? " (" + std::to_string(os::kReservedDescriptors) +
                                       " are kept for the daemon itself: raise the open file limit, LimitNOFILE= in the unit)"
                                 : "";
    note_state(State::unreadable, permissions ? TailListener::Level::warning : TailListener::Level::error,
               "cannot open " + path_ + ": " + error_ + hint + "; keeping its place and trying again", listener);
}

void LogTail::resume(std::unique_ptr<FollowedFile> at_path, Clock::time_point now, TailListener& listener) {
    SavedLog saved = std::move(*resume_);
    resume_.reset();
    // A file rotated out before it could be read is looked for as such: read once it can be
    // while beside the log, else lost (the path's own unreadable file is resumed as it was).
    std::vector<SavedFile> files;
    for (SavedFile& file : saved.files) {
        const bool at_path_now = at_path && file.identity.device == at_path->identity().device &&
                                 file.identity.inode == at_path->identity().inode;
        if (file.unread && !at_path_now) {
            unread_rotated_.push_back({file, path_});
            next_unread_look_ = {};
        } else {
            files.push_back(std::move(file));
        }
    }
    saved.files = std::move(files);
    std::vector<Candidate> candidates = siblings(path_, olddirs_, saved.files, kInflatedAtMost);
    if (at_path) candidates.push_back(describe(at_path->fd(), path_, saved.files, true));
    const ResumePlan plan = plan_resume(saved.files, candidates);
    for (const auto& d : plan.drains) {
        const SavedFile from = resume_point(saved.files[d.saved], candidates[d.candidate]);
        auto file = open_candidate(candidates[d.candidate], max_line_);
        if (!file) {
            listener.on_notice(TailListener::Level::warning, "cannot open " + candidates[d.candidate].path +
                                                                 " to finish reading it: its unread lines are lost");
            continue;
        }
        file->start_at(from);
        listener.on_notice(TailListener::Level::info, "draining " + file->path() + " (rotated from " + path_ +
                                                          ") from offset " + std::to_string(from.offset));
        drain_later(std::move(file), now, listener);
    }
    if (plan.lost_bytes > 0) {
        lost_bytes_ += plan.lost_bytes;
        listener.on_notice(TailListener::Level::warning,
                           path_ + ": " + std::to_string(plan.lost_bytes) +
                               " bytes written before the restart were not read and cannot be (the rotated file was "
                               "compressed, deleted, or " + moved_out_of_sight() + "): they are lost");
    } else if (plan.lost_files > 0) {
        listener.on_notice(TailListener::Level::warning,
                           path_ + ": a file read before the restart is not found " + where_looked("it") +
                               " (deleted, compressed by other than gzip, xz or zstd, or " + moved_out_of_sight() +
                               "): any of it not read yet is lost");
    }
    for (const std::size_t k : plan.unmeasured) {
        listener.on_notice(TailListener::Level::warning,
                           path_ + ": a file read before the restart was compressed to " + candidates[k].path +
                               ", whose length is not told (damaged, cut short, or a zstd file of more than 4 "
                               "GiB, which takes too long to inflate at a start): any of it not read yet is lost");
    }
    if (plan.cut_bytes > 0) {
        lost_bytes_ += plan.cut_bytes;
        listener.on_notice(TailListener::Level::warning,
                           path_ + ": " + std::to_string(plan.cut_bytes) +
                               " bytes written before the restart were not read, and the file no longer has them (it "
                               "was cut short): they are lost");
    }
    switch (plan.current) {
        case ResumePlan::Current::resume: {
            const SavedFile& saved_at = saved.files[plan.current_saved];
            const SavedFile from = resume_point(saved_at, candidates.back());  // the path's, described last
            at_path->start_at(from);
            if (from.offset < saved_at.offset) {
                listener.on_notice(TailListener::Level::warning,
                                   path_ + " is shorter than when it was last read (" + std::to_string(from.offset) +
                                       " bytes, read up to " + std::to_string(saved_at.offset) +
                                       "): it was cut short, as a crash that loses its last writes does. What is left "
                                       "of it was read already, so reading goes on from its end; lines written after "
                                       "the cut and before this start cannot be told from the old ones and are not "
                                       "counted");
            } else {
                listener.on_notice(TailListener::Level::info,
                                   "resuming " + path_ + " at offset " + std::to_string(from.offset));
            }
            current_ = std::move(at_path);
            break;
        }
        case ResumePlan::Current::from_start:
            at_path->start_at_start();
            listener.on_notice(TailListener::Level::info,
                               saved.files.empty() ? path_ + " appeared while stopped; reading it from its start"
                                                   : path_ + " is a new file since the last run; reading it from its start");
            current_ = std::move(at_path);
            break;
        case ResumePlan::Current::wait: break;
    }
}

TailFacts LogTail::observe() {
    TailFacts f;
    if (current_) {
        f.has_current = true;
        f.is_stream = current_->is_stream();
        f.largest_size = current_->largest_size();  // before size() takes in the size now
        f.size = current_->size();
        f.position = current_->position();
        f.links = current_->links();
        // Its first bytes are read again only when it changed: an idle log costs no read.
        const bool changed = f.size != f.largest_size || f.position < f.size;
        f.head_changed = changed && !current_->head_unchanged();
        // Shrunk with its head intact: a cut, unless logrotate's copy is beside it.
        if ((f.size < f.position || f.size < f.largest_size) && !f.head_changed) {
            f.copy_beside = copy_of(path_, olddirs_, current_->save()).has_value();
        }
        f.read_to_end = f.is_stream ? stream_at_end_ : f.position >= f.size;
    }
    f.path = observe_path();  // a stat: what the path names is looked at while reading too
    return f;
}

PathState LogTail::observe_path() const {
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) return errno == ENOENT || errno == ENOTDIR ? PathState::absent : PathState::unknown;
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) return PathState::not_a_log;
    if (current_ && static_cast<std::uint64_t>(st.st_dev) == current_->identity().device &&
        static_cast<std::uint64_t>(st.st_ino) == current_->identity().inode) {
        return PathState::open_file;
    }
    return PathState::another_file;
}

bool LogTail::pump(std::size_t budget, Clock::time_point now, TailListener& listener) {
    // A rotated file readable at last: the listener hears of it before its lines come.
    if (look_for_unread(now, listener)) return false;
    if (state_ == State::not_a_log && now < retry_after_) return true;
    stream_at_end_ = false;
    const std::size_t full_budget = budget;
    hold_what_the_path_names(now, listener);
    if (!drain(budget, now, listener)) return false;
    for (int step = 0; step < 16; ++step) {
        const TailFacts facts = observe();
        switch (decide(facts)) {
            case TailStep::wait:
                if (facts.path == PathState::not_a_log) not_a_log(now, listener);
                return true;
            case TailStep::open_path:
                if (now < retry_after_ || !try_open(now, listener)) return true;
                break;
            case TailStep::keep_reading:
                if (facts.read_to_end) {
                    if (budget == full_budget) current_->release_buffer();  // nothing new: idle
                    return true;
                }
                if (!read(*current_, budget, listener)) return false;
                if (current_->is_stream()) stream_at_end_ = true;
                break;
            case TailStep::rewind_truncated:
                rewind_truncated(now, listener);
                if (!drain(budget, now, listener)) return false;  // the copy's lines are the older ones
                break;
            case TailStep::cut_short:
                cut_short(facts.size, listener);
                break;
            case TailStep::open_new_after_rename:
                rotated_in_another(now, listener);
                if (!drain(budget, now, listener)) return false;
                break;
            case TailStep::drain_moved:
                ++rotations_;
                retire_current(now, listener);
                note_state(State::waiting, TailListener::Level::info, path_ + " was rotated; waiting for the new file",
                           listener);
                return true;
            case TailStep::finish_deleted:
                retire_current(now, listener);
                note_state(State::waiting, TailListener::Level::warning,
                           path_ + " was deleted; waiting for it to come back", listener);
                return true;
        }
    }
    return false;  // more to do: come back
}

void LogTail::rewind_truncated(Clock::time_point now, TailListener& listener) {
    ++truncations_;
    const SavedFile before = current_->save();  // the head it had, and how far its lines were read
    const std::uint64_t known = current_->largest_size();
    const std::optional<Candidate> copy = copy_of(path_, olddirs_, before);
    auto drained = copy && !copy->compressed ? open_candidate(*copy, max_line_) : nullptr;
    if (copy && copy->compressed && copy->size_known && copy->size <= before.offset) {
        listener.on_notice(TailListener::Level::info, path_ + " was truncated (copytruncate); its copy " + copy->path +
                                                          " is compressed already, and holds nothing not read yet");
    } else if (copy && copy->compressed && copy->size_known) {
        lost_bytes_ += copy->size - before.offset;
        listener.on_notice(TailListener::Level::warning,
                           path_ + " was truncated with " + std::to_string(copy->size - before.offset) +
                               " bytes of it not read yet, and its copy " + copy->path +
                               " is compressed already: they are lost");
    } else if (copy && copy->compressed) {
        // A zstd copy is not inflated to its end here, on the loop (a read of the whole
        // file), and a damaged one cannot be: what was seen of the file is the least it lost.
        const std::uint64_t lost = known > before.offset ? known - before.offset : 0;
        lost_bytes_ += lost;
        listener.on_notice(TailListener::Level::warning,
                           path_ + " was truncated, and its copy " + copy->path +
                               " is compressed already (its length is not measured while following): " +
                               (lost > 0 ? "at least " + std::to_string(lost) + " bytes of it not read yet are lost"
                                         : "lines written to it after its last read, if any, are lost"));
    } else if (drained) {
        drained->start_at(before);
        listener.on_notice(TailListener::Level::info, path_ + " was truncated (copytruncate); reading the rest of it from " +
                                                          drained->path() + " from offset " + std::to_string(before.offset));
        drain_later(std::move(drained), now, listener);
    } else if (known > before.offset) {
        lost_bytes_ += known - before.offset;
        listener.on_notice(TailListener::Level::warning,
                           path_ + " was truncated with " + std::to_string(known - before.offset) +
                               " bytes of it not read yet, and no copy of it was found " + where_looked("it") +
                               ": they are lost");
    } else {
        listener.on_notice(TailListener::Level::warning,
                           path_ + " was truncated; reading it again from its start (no copy of it was found " +
                               where_looked("it") + ": lines written to it after its last read, if any, are lost" +
                               (olddirs_.empty() ? "; logrotate's olddir puts a copytruncate copy in another "
                                                   "directory, looked in only when --olddir names it"
                                                 : "") +
                               ")");
    }
    current_->restart_truncated();
}

void LogTail::cut_short(std::uint64_t size, TailListener& listener) {
    ++truncations_;
    const SavedFile before = current_->save();  // its size: the largest seen
    const std::uint64_t lost = before.cut_away(size);
    lost_bytes_ += lost;
    const SavedFile at = before.cut_to(size);
    listener.on_notice(TailListener::Level::warning,
                       path_ + " was cut short in place to " + std::to_string(size) +
                           " bytes, its first bytes as they were and no copy of it beside it: what is left of it was "
                           "read already, so reading goes on from offset " + std::to_string(at.offset) +
                           (lost > 0 ? "; " + std::to_string(lost) + " bytes of it not read yet are gone" : ""));
    current_->continue_after_cut(at);
}

void LogTail::hold_what_the_path_names(Clock::time_point now, TailListener& listener) {
    // Rotated files can take many pumps to read; the file the path names meanwhile is opened
    // first, so two rotations close together cannot take it away unseen.
    if (draining_.empty()) return;
    switch (decide(observe())) {
        case TailStep::open_new_after_rename: rotated_in_another(now, listener); break;
        case TailStep::open_path:
            if (now >= retry_after_) try_open(now, listener);
            break;
        default: break;  // the rest waits for the rotated files to be read
    }
}

void LogTail::rotated_in_another(Clock::time_point now, TailListener& listener) {
    ++rotations_;
    listener.on_notice(TailListener::Level::info, path_ + " was rotated; reading the new file from its start");
    retire_current(now, listener);
    take_backups(now, listener);
    try_open(now, listener);  // now, not after the old one is read: it may be rotated away by then
}

void LogTail::take_backups(Clock::time_point now, TailListener& listener) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> known;
    for (const Candidate& backup : logrotate_backups(path_)) {
        const std::pair id{backup.device, backup.inode};
        known.push_back(id);
        if (std::find(backups_known_.begin(), backups_known_.end(), id) != backups_known_.end() ||
            reads(backup.device, backup.inode)) {
            continue;
        }
        auto file = open_candidate(backup, max_line_);
        if (!file) continue;
        file->start_at_start();
        listener.on_notice(TailListener::Level::info,
                           backup.path + " was at " + path_ + " when logrotate created a new file there (a writer "
                                         "opened the log by its name during the rotation); reading it from its start");
        drain_later(std::move(file), now, listener);
    }
    backups_known_ = std::move(known);
}

void LogTail::retire_current(Clock::time_point now, TailListener& listener) {
    if (current_) drain_later(std::move(current_), now, listener);
}

void LogTail::drain_later(std::unique_ptr<FollowedFile> file, Clock::time_point now, TailListener&) {
    draining_.push_back({std::move(file), now + kRotateWait});
    // Past the cap the oldest are no longer waited for: each goes once read to its end, in
    // the same bounded reads as the rest (never one long read that holds the loop up).
    for (std::size_t i = 0; i + kMaxDraining < draining_.size(); ++i) draining_[i].until = now;
}

bool LogTail::drain(std::size_t& budget, Clock::time_point now, TailListener& listener) {
    for (auto it = draining_.begin(); it != draining_.end();) {
        if (!read(*it->file, budget, listener)) return false;
        if (now >= it->until) {
            it = draining_.erase(it);
        } else {
            it->file->release_buffer();
            ++it;
        }
    }
    return true;
}

bool LogTail::read(FollowedFile& file, std::size_t& budget, TailListener& listener) {
    const std::uint64_t before = file.position();
    const bool at_end = file.read_some(
        budget, [&] { listener.on_read(); },
        [&](std::string_view line, std::uint64_t number) { listener.on_line(line, number); },
        [&](std::uint64_t number) { listener.on_overlong(number); });
    const std::uint64_t spent = file.position() - before;
    budget -= std::min<std::uint64_t>(budget, spent);
    if (const std::string error = file.take_error(); !error.empty()) {
        listener.on_notice(TailListener::Level::warning, "cannot read " + file.path() + ": " + error);
        return true;  // tried again on the next event or tick
    }
    return at_end;
}

template <class Test>
const FollowedFile* LogTail::open_file_where(Test is_it) const {
    if (current_ && is_it(*current_)) return current_.get();
    for (const Draining& d : draining_) {
        if (is_it(*d.file)) return d.file.get();
    }
    return nullptr;
}

bool LogTail::reads(std::uint64_t device, std::uint64_t inode) const {
    return open_file_where([&](const FollowedFile& file) {
               return file.identity().device == device && file.identity().inode == inode;
           }) != nullptr;
}

std::optional<std::uint64_t> LogTail::read_of_file_starting(std::string_view head) const {
    std::string start(head.size(), '\0');
    const FollowedFile* found = open_file_where([&](const FollowedFile& file) {
        if (file.is_stream()) return false;
        // By the head it had when last looked at: it may be truncated already, unseen yet.
        const FileIdentity& known = file.identity();
        if (known.head_length > 0 && head.size() >= known.head_length) {
            return hash_head(head.data(), known.head_length) == known.head_hash;
        }
        return os::pread_all(file.fd(), start.data(), start.size(), 0) == static_cast<ssize_t>(start.size()) &&
               start == head;
    });
    if (!found) return std::nullopt;
    return found->committed();
}

SavedLog LogTail::save() const {
    if (resume_) {
        SavedLog kept = *resume_;  // never opened since the start: the saved place stands
        kept.path = path_;
        return kept;
    }
    SavedLog log{path_, {}, std::nullopt};
    for (const auto& d : draining_) {
        if (!d.file->is_stream()) log.files.push_back(d.file->save());
    }
    for (const auto& unread : unread_rotated_) log.files.push_back(unread.at);
    if (current_ && !current_->is_stream()) log.files.push_back(current_->save());
    if (!current_ && unreadable_) log.files.push_back(*unreadable_);
    return log;
}

std::vector<std::string> LogTail::directories() const {
    std::vector<std::string> dirs{directory_of(path_)};
    const std::string target = directory_of(resolved(path_));
    if (target != dirs.front()) dirs.push_back(target);
    return dirs;
}

std::vector<std::string> LogTail::file_names() const {
    std::vector<std::string> names{file_name_of(path_)};
    const std::string target = file_name_of(resolved(path_));
    if (target != names.front()) names.push_back(target);
    return names;
}

std::uint64_t LogTail::lag_bytes() {
    std::uint64_t lag = 0;
    const auto add = [&lag](FollowedFile& f) {
        const std::uint64_t size = f.size();
        lag += size > f.position() ? size - f.position() : 0;
    };
    for (auto& d : draining_) add(*d.file);
    if (current_) add(*current_);
    return lag;
}

std::size_t LogTail::buffer_bytes() const {
    std::size_t bytes = current_ ? current_->buffer_capacity() : 0;
    for (const auto& d : draining_) bytes += d.file->buffer_capacity();
    return bytes;
}

}  // namespace hitwatch
