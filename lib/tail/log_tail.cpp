#include "tail/log_tail.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include "os/paths.h"

namespace hitwatch {
namespace {

// The path itself, then its rotated siblings (access.log.1, access.log-20261125, ...).
std::vector<std::string> candidates_for(const std::string& path) {
    std::vector<std::string> out{path};
    const std::string dir = directory_of(path), base = file_name_of(path);
    if (DIR* d = ::opendir(dir.c_str())) {
        while (const dirent* e = ::readdir(d)) {
            const std::string name = e->d_name;
            if (name != base && name.rfind(base, 0) == 0) out.push_back(dir + "/" + name);
        }
        ::closedir(d);
    }
    return out;
}

// Opens the file `saved` describes, wherever rotation has put it.
std::unique_ptr<FollowedFile> find_by_identity(const std::string& path, const SavedFile& saved, size_t max_line) {
    for (const auto& candidate : candidates_for(path)) {
        struct stat st {};
        if (::stat(candidate.c_str(), &st) != 0 || static_cast<std::uint64_t>(st.st_ino) != saved.identity.inode) {
            continue;
        }
        std::string error;
        auto file = FollowedFile::open(candidate, max_line, error);
        if (file && matches(saved.identity, file->fd())) return file;
    }
    return nullptr;
}

// The offset just past the last complete line: "start at the end" without a half line.
std::uint64_t end_of_last_line(const FollowedFile& file) {
    const std::uint64_t size = file.size();
    char buf[4096];
    for (std::uint64_t end = size; end > 0;) {
        const std::uint64_t start = end > sizeof buf ? end - sizeof buf : 0;
        const ssize_t n = ::pread(file.fd(), buf, end - start, static_cast<off_t>(start));
        if (n <= 0) break;
        for (ssize_t i = n - 1; i >= 0; --i) {
            if (buf[i] == '\n') return start + static_cast<std::uint64_t>(i) + 1;
        }
        end = start;
    }
    return 0;
}

}  // namespace

void LogTail::start(const SavedLog* saved, bool from_start, TailListener& listener) {
    if (saved && !saved->files.empty()) {
        const SavedFile& last = saved->files.back();
        auto file = find_by_identity(path_, last, max_line_);
        if (file && file->path() == path_) {
            file->seek(last.offset);
            current_ = std::move(file);
            listener.on_notice(false, "resuming " + path_ + " at offset " + std::to_string(last.offset));
        } else if (file) {
            file->seek(last.offset);
            listener.on_notice(false, "draining " + file->path() + " (rotated from " + path_ + ") from offset " +
                                          std::to_string(last.offset));
            previous_ = std::move(file);
            previous_until_ = Clock::now() + kRotateWait;
            current_ = open_path(listener);
        } else {
            listener.on_notice(true, "the file of " + path_ + " in the state file is gone; reading " + path_ +
                                         " from its start");
            current_ = open_path(listener);
        }
        if (saved->files.size() > 1 && !previous_) {
            // The daemon stopped while a rotated-out file was still draining.
            if (auto older = find_by_identity(path_, saved->files.front(), max_line_)) {
                older->seek(saved->files.front().offset);
                previous_ = std::move(older);
                previous_until_ = Clock::now() + kRotateWait;
            }
        }
        return;
    }
    current_ = open_path(listener);
    if (current_ && !from_start) current_->seek(end_of_last_line(*current_));
}

std::unique_ptr<FollowedFile> LogTail::open_path(TailListener& listener) {
    std::string error;
    auto file = FollowedFile::open(path_, max_line_, error);
    if (file) {
        if (missing_noted_) listener.on_notice(false, path_ + " appeared; reading it from its start");
        missing_noted_ = false;
    } else if (!missing_noted_) {
        listener.on_notice(true, "cannot open " + path_ + ": " + error + "; waiting for it");
        missing_noted_ = true;
    }
    return file;
}

bool LogTail::read(FollowedFile& file, size_t budget, TailListener& listener) {
    const bool at_end = file.read_some(
        budget, [&](std::string_view line) { listener.on_line(line); }, [&] { listener.on_overlong(); });
    if (!file.error().empty()) {
        listener.on_notice(true, "cannot read " + file.path() + ": " + file.error());
        return true;  // try again on the next event or tick
    }
    return at_end;
}

bool LogTail::pump(size_t budget, Clock::time_point now, TailListener& listener) {
    if (previous_) {
        if (!read(*previous_, budget, listener)) return false;
        if (now >= previous_until_) previous_.reset();
    }
    if (!current_) {
        current_ = open_path(listener);
        if (!current_) return true;
    }
    if (current_->truncated()) {
        ++truncations_;
        listener.on_notice(true, path_ + " was truncated; reading it again from its start");
        current_->rewind();
    }
    if (!read(*current_, budget, listener)) return false;
    return follow_path(now, listener);
}

bool LogTail::follow_path(Clock::time_point now, TailListener& listener) {
    struct stat by_path {}, by_fd {};
    if (::fstat(current_->fd(), &by_fd) != 0) return true;
    if (::stat(path_.c_str(), &by_path) != 0) {
        if (errno != ENOENT) return true;
        if (by_fd.st_nlink > 0) {
            ++rotations_;  // moved away, its replacement not created yet
            listener.on_notice(false, path_ + " was rotated; waiting for the new file");
        } else {
            listener.on_notice(true, path_ + " was deleted; waiting for it to come back");
        }
        missing_noted_ = true;
        retire_current(now, listener);
        return true;
    }
    if (by_path.st_dev == by_fd.st_dev && by_path.st_ino == by_fd.st_ino) return true;
    ++rotations_;
    listener.on_notice(false, path_ + " was rotated; reading the new file from its start");
    retire_current(now, listener);
    current_ = open_path(listener);
    return false;  // read the new file on the next pass
}

void LogTail::retire_current(Clock::time_point now, TailListener& listener) {
    if (previous_) {
        // A second rotation within kRotateWait: finish the older file now.
        read(*previous_, SIZE_MAX, listener);
    }
    previous_ = std::move(current_);
    previous_until_ = now + kRotateWait;
}

SavedLog LogTail::save() const {
    SavedLog log{path_, {}};
    for (const FollowedFile* f : {previous_.get(), current_.get()}) {
        if (f) log.files.push_back({f->identity(), f->committed()});
    }
    return log;
}

std::uint64_t LogTail::lag_bytes() const {
    std::uint64_t lag = 0;
    for (const FollowedFile* f : {previous_.get(), current_.get()}) {
        if (f) {
            const std::uint64_t size = f->size();
            lag += size > f->position() ? size - f->position() : 0;
        }
    }
    return lag;
}

}  // namespace hitwatch
