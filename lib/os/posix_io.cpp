// SPDX-License-Identifier: Apache-2.0
#include "os/posix_io.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

namespace hitwatch::os {
namespace {

// Waits until `fd` is ready for `events`, as a blocking read or write would: for a descriptor
// someone else made non-blocking (O_NONBLOCK belongs to the open file description, which a
// terminal shares with every program run in it; one that sets it and does not clear it, as
// Node.js can, leaves reads and writes failing with EAGAIN for the programs after it). False
// with errno EINTR if a signal came.
bool wait_for(int fd, short events) {
    pollfd ready{fd, events, 0};
    return ::poll(&ready, 1, -1) >= 0;
}

// Whether `fd` can be written to within `ms` (or has failed, which the write then says):
// false with errno EINTR if not, or if a signal came meanwhile.
bool room_within(int fd, int ms) {
    pollfd ready{fd, POLLOUT, 0};
    const int n = ::poll(&ready, 1, ms);
    if (n == 0) errno = EINTR;
    return n > 0;
}

bool would_block() { return errno == EAGAIN || errno == EWOULDBLOCK; }

// Waits until a read of `fd` would not block (or would fail, which the read then says), in
// slices of kStopLookMs: a signal that comes after the caller looked at `*stop` and before the
// wait began interrupts no call, and a quiet pipe would hold its stop (or SIGUSR1's answer,
// `on_signal`) until the writer's next bytes. False with errno EINTR once `*stop` is set.
bool readable_unless_stopped(int fd, const volatile std::sig_atomic_t* stop, const std::function<void()>* on_signal) {
    pollfd ready{fd, POLLIN, 0};
    for (;;) {
        if (*stop) {
            errno = EINTR;
            return false;
        }
        const int n = ::poll(&ready, 1, kStopLookMs);
        if (n > 0 || (n < 0 && errno != EINTR)) return true;
        if (on_signal != nullptr && *on_signal) (*on_signal)();
    }
}

// read_some(), and read_or_wait() if `wait`.
ssize_t read_once(int fd, void* buffer, std::size_t size, const volatile std::sig_atomic_t* stop,
                  const std::function<void()>* on_signal, bool wait) {
    for (;;) {
        if (wait && stop != nullptr && !readable_unless_stopped(fd, stop, on_signal)) return -1;
        const ssize_t n = ::read(fd, buffer, size);
        if (wait && n < 0 && would_block() && wait_for(fd, POLLIN)) continue;
        if (n >= 0 || errno != EINTR || (stop && *stop)) return n;
        if (on_signal != nullptr && *on_signal) (*on_signal)();
        // A stop that came while it answered (its log line can wait long on a slow standard
        // error) would not interrupt the next read: a quiet pipe held it until more came.
        if (stop && *stop) {
            errno = EINTR;
            return -1;
        }
    }
}

}  // namespace

ssize_t read_some(int fd, void* buffer, std::size_t size, const volatile std::sig_atomic_t* stop,
                  const std::function<void()>* on_signal) {
    return read_once(fd, buffer, size, stop, on_signal, false);
}

ssize_t read_or_wait(int fd, void* buffer, std::size_t size, const volatile std::sig_atomic_t* stop,
                     const std::function<void()>* on_signal) {
    return read_once(fd, buffer, size, stop, on_signal, true);
}

std::uint64_t skip_to_data(int fd, std::uint64_t offset) {
    const off_t data = ::lseek(fd, static_cast<off_t>(offset), SEEK_DATA);
    return data > static_cast<off_t>(offset) ? static_cast<std::uint64_t>(data) : offset;
}

ssize_t pread_all(int fd, void* buffer, std::size_t size, std::uint64_t offset) {
    auto* bytes = static_cast<char*>(buffer);
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::pread(fd, bytes + got, size - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    return static_cast<ssize_t>(got);
}

std::string read_head(const std::string& path, std::size_t size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return {};
    std::string head(size, '\0');
    const ssize_t n = pread_all(fd, head.data(), size, 0);
    ::close(fd);
    head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return head;
}

bool write_all(int fd, const void* data, std::size_t size, const volatile std::sig_atomic_t* stop) {
    const auto* bytes = static_cast<const char*>(data);
    std::size_t done = 0;
    while (done < size) {
        const bool stopping = stop != nullptr && *stop != 0;
        if (stopping && !room_within(fd, kStoppingWaitMs)) return false;
        const std::size_t piece = stopping ? std::min<std::size_t>(size - done, PIPE_BUF) : size - done;
        const ssize_t n = ::write(fd, bytes + done, piece);
        if (n < 0 && would_block()) {
            (void)wait_for(fd, POLLOUT);  // then write again, a signal in the wait or not
            continue;
        }
        if (n < 0 && errno == EINTR) continue;  // a stop that came meanwhile waits kStoppingWaitMs at most
        if (n < 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool in_reserve(int fd) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return false;
    return static_cast<rlim_t>(fd) + kReservedDescriptors >= limit.rlim_cur;
}

}  // namespace hitwatch::os
