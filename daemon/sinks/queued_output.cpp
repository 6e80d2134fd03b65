// SPDX-License-Identifier: Apache-2.0
#include "sinks/queued_output.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "logging.h"

namespace hitwatchd {

std::shared_ptr<QueuedOutput> QueuedOutput::open(boost::asio::io_context& io, int fd, std::string name) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return nullptr;
    const bool socket = S_ISSOCK(st.st_mode);
    if (!socket && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) return nullptr;
    if (S_ISCHR(st.st_mode) && !::isatty(fd)) return nullptr;  // /dev/null and kin never block
    // A description of our own (see the header); a socket's is used as it is, by a copy.
    const int own = socket ? ::fcntl(fd, F_DUPFD_CLOEXEC, 3)
                           : ::open(("/proc/self/fd/" + std::to_string(fd)).c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (own < 0) return nullptr;
    return std::make_shared<QueuedOutput>(io, own, socket, std::move(name));
}

QueuedOutput::QueuedOutput(boost::asio::io_context& io, int fd, bool socket, std::string name)
    : descriptor_(io, fd), socket_(socket), name_(std::move(name)) {}

void QueuedOutput::stop() {
    stopped_ = true;
    boost::system::error_code ignored;
    descriptor_.cancel(ignored);
}

void QueuedOutput::append(std::string text) {
    if (failed_ || stopped_) return;
    if (queued_bytes_ + text.size() > kMaxQueued) {
        if (dropped_++ == 0) {
            HW_LOG(warning) << name_ << " is not being read: " << (queued_bytes_ >> 20) << " MiB of reports wait for it; "
                            << "later ones are dropped whole until it catches up (the loop, the other outputs and "
                            << "the state file go on)";
        }
        return;
    }
    queued_bytes_ += text.size();
    queue_.push_back(std::move(text));
    if (!writing_) write_front();
}

void QueuedOutput::write_front() {
    // As much as it takes now, without waiting; the rest once it can take more.
    while (!queue_.empty() && !failed_) {
        const std::string& text = queue_.front();
        const char* data = text.data() + front_written_;
        const std::size_t size = text.size() - front_written_;
        const ssize_t n = socket_ ? ::send(descriptor_.native_handle(), data, size, MSG_DONTWAIT | MSG_NOSIGNAL)
                                  : ::write(descriptor_.native_handle(), data, size);
        if (n >= 0) {
            written(static_cast<std::size_t>(n));
            continue;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return wait_writable();
        failed_ = true;
        HW_LOG(error) << "cannot write reports to " << name_ << ": " << std::strerror(errno)
                      << "; the other outputs and the state file go on";
        queue_.clear();
        queued_bytes_ = 0;
    }
    writing_ = false;
    if (dropped_ > 0 && queue_.empty()) {
        HW_LOG(info) << name_ << " is read again; " << dropped_ << " report(s) or alert(s) were dropped while it was not";
        dropped_ = 0;
    }
}

void QueuedOutput::written(std::size_t bytes) {
    front_written_ += bytes;
    if (front_written_ < queue_.front().size()) return;
    queued_bytes_ -= queue_.front().size();
    queue_.pop_front();
    front_written_ = 0;
}

void QueuedOutput::wait_writable() {
    writing_ = true;
    descriptor_.async_wait(boost::asio::posix::descriptor_base::wait_write,
                           [self = shared_from_this()](boost::system::error_code ec) {
                               if (self->stopped_ || ec) return;
                               self->write_front();
                           });
}

}  // namespace hitwatchd
