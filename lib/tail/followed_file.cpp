// SPDX-License-Identifier: Apache-2.0
#include "tail/followed_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "os/posix_io.h"

namespace hitwatch {
namespace {

// A stream's reads: what a pipe buffer holds, more or less.
constexpr std::size_t kStreamRead = 64 * 1024;

FollowedFile::Kind kind_of(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return FollowedFile::Kind::other;
    if (S_ISREG(st.st_mode)) return FollowedFile::Kind::regular;
    if (S_ISFIFO(st.st_mode)) return FollowedFile::Kind::stream;
    return FollowedFile::Kind::other;
}

// The offset just past the last '\n' at or before `end`: "start at the end" without a half line.
std::uint64_t end_of_last_line(int fd, std::uint64_t end) {
    char buf[4096];
    while (end > 0) {
        const std::uint64_t start = end > sizeof buf ? end - sizeof buf : 0;
        const ssize_t n = os::pread_all(fd, buf, end - start, start);
        if (n <= 0) break;
        for (ssize_t i = n - 1; i >= 0; --i) {
            if (buf[i] == '\n') return start + static_cast<std::uint64_t>(i) + 1;
        }
        end = start;
    }
    return 0;
}

}  // namespace

std::unique_ptr<FollowedFile> FollowedFile::open(const std::string& path, std::size_t max_line, int& error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        error = errno;
        return nullptr;
    }
    if (os::in_reserve(fd)) {  // the last descriptors are the daemon's own
        ::close(fd);
        error = EMFILE;
        return nullptr;
    }
    return std::unique_ptr<FollowedFile>(new FollowedFile(fd, path, max_line, kind_of(fd)));
}

FollowedFile::FollowedFile(int fd, std::string path, std::size_t max_line, Kind kind)
    : fd_(fd), path_(std::move(path)), max_line_(max_line), kind_(kind), lines_(max_line) {
    if (kind_ == Kind::regular) {
        identity_ = identify(fd_).value_or(FileIdentity{});
    } else if (struct stat st {}; ::fstat(fd_, &st) == 0) {
        identity_.device = static_cast<std::uint64_t>(st.st_dev);  // a stream has no head, but is a file
        identity_.inode = static_cast<std::uint64_t>(st.st_ino);
    }
}

FollowedFile::~FollowedFile() { ::close(fd_); }

void FollowedFile::seek(std::uint64_t offset) {
    lines_ = LineAssembler(max_line_);
    lines_read_ = 0;
    if (kind_ != Kind::regular) return;
    const off_t at = ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET);
    position_ = base_ = at < 0 ? 0 : static_cast<std::uint64_t>(at);
}

void FollowedFile::start_at(const SavedFile& saved) {
    if (saved.unread) return start_at_end(saved.offset);
    seek(saved.offset + saved.overlong_read);
    base_ = saved.offset;
    if (saved.overlong_read > 0) {
        lines_.continue_overlong_line(saved.overlong_read);
        lines_read_ = 1;  // that line was counted (and numbered) before the restart
    }
    lines_before_ = saved.lines_before;
}

void FollowedFile::start_at_start() {
    seek(0);
    lines_before_ = 0;
}

void FollowedFile::restart_truncated() {
    identity_ = identify(fd_).value_or(identity_);
    largest_size_ = 0;
    start_at_start();
}

void FollowedFile::continue_after_cut(const SavedFile& at) {
    identity_ = identify(fd_).value_or(identity_);
    largest_size_ = at.size.value_or(0);
    start_at(at);
}

void FollowedFile::start_at_end(std::uint64_t limit) {
    seek(kind_ == Kind::regular ? end_of_last_line(fd_, std::min(limit, size())) : 0);
    lines_before_.reset();
}

long FollowedFile::read_into(char* data, std::size_t size) {
    const ssize_t n = os::read_some(fd_, data, size);
    if (n >= 0) {
        position_ += static_cast<std::uint64_t>(n);
        return n;
    }
    if (errno == EAGAIN) return 0;  // a stream with nothing to read now
    error_ = std::strerror(errno);
    return -1;
}

void FollowedFile::skip_to_data() {
    if (kind_ != Kind::regular) return;
    const std::uint64_t data = os::skip_to_data(fd_, position_);
    lines_.skip(data - position_);
    position_ = data;
}

std::size_t FollowedFile::read_size() const {
    if (kind_ != Kind::regular) return kStreamRead;
    return largest_size_ > position_ ? static_cast<std::size_t>(std::min<std::uint64_t>(largest_size_ - position_, SIZE_MAX))
                                     : 0;
}

std::uint64_t FollowedFile::size() {
    if (kind_ != Kind::regular) return 0;
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return largest_size_;
    const auto now = static_cast<std::uint64_t>(st.st_size);
    largest_size_ = std::max(largest_size_, now);
    return now;
}

std::uint64_t FollowedFile::links() const {
    struct stat st {};
    return ::fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_nlink) : 1;
}

bool FollowedFile::head_unchanged() {
    if (kind_ != Kind::regular) return true;
    if (!head_matches(fd_, identity_)) return false;
    if (identity_.head_length < FileIdentity::kHeadBytes) {
        // The head seen so far is intact: take in what the file has grown since.
        if (const auto now = identify(fd_)) identity_ = *now;
    }
    return true;
}

SavedFile FollowedFile::save() const {
    SavedFile saved;
    saved.identity = identity_;
    saved.offset = committed();
    saved.size = largest_size();
    saved.overlong_read = lines_.overlong_read();
    // An over-long line being skipped was numbered when it was found, but lies after `offset`.
    if (lines_before_) saved.lines_before = *lines_before_ + lines_read_ - (saved.overlong_read > 0 ? 1 : 0);
    return saved;
}

}  // namespace hitwatch
