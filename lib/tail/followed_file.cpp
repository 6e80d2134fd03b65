#include "tail/followed_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hitwatch {

std::unique_ptr<FollowedFile> FollowedFile::open(const std::string& path, size_t max_line, std::string& error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        error = std::strerror(errno);
        return nullptr;
    }
    return std::unique_ptr<FollowedFile>(new FollowedFile(fd, path, max_line));
}

FollowedFile::FollowedFile(int fd, std::string path, size_t max_line)
    : fd_(fd), path_(std::move(path)), max_line_(max_line), lines_(std::make_unique<LineAssembler>(max_line)) {}

FollowedFile::~FollowedFile() { ::close(fd_); }

void FollowedFile::seek(std::uint64_t offset) {
    const off_t at = ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET);
    position_ = base_ = at < 0 ? 0 : static_cast<std::uint64_t>(at);
    lines_ = std::make_unique<LineAssembler>(max_line_);
}

ssize_t FollowedFile::read_into(char* data, size_t size) {
    for (;;) {
        const ssize_t n = ::read(fd_, data, size);
        if (n >= 0) {
            position_ += static_cast<std::uint64_t>(n);
            return n;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return 0;
        error_ = std::strerror(errno);
        return -1;
    }
}

std::uint64_t FollowedFile::size() const {
    struct stat st {};
    return ::fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

FileIdentity FollowedFile::identity() const { return identify(fd_).value_or(FileIdentity{}); }

}  // namespace hitwatch
