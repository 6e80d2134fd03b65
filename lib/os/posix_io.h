// SPDX-License-Identifier: Apache-2.0
#pragma once
// The retry loops around read(2), pread(2) and write(2), written once: a signal may interrupt
// any of them (EINTR) and pread/write may do less than asked. And the jump over a file's hole.
#include <sys/types.h>

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace hitwatch::os {

// One read(2), repeated if a signal interrupts it -- unless `*stop` is set then (a signal
// handler's flag): bytes read, 0 at the end of the input, or -1 with errno set (EAGAIN for a
// non-blocking descriptor with nothing to read, EINTR when stopped). `on_signal`, if given, is
// called before the read is repeated: a signal that asks for an answer (SIGUSR1's status) is
// answered while the read waits on a quiet pipe, not once the writer's next bytes come; and a
// stop that came while it answered stops it then.
ssize_t read_some(int fd, void* buffer, std::size_t size, const volatile std::sig_atomic_t* stop = nullptr,
                  const std::function<void()>* on_signal = nullptr);
// read_some() of a descriptor that is to block (a replay's input): one that someone else made
// non-blocking is waited on as a blocking one would be, not an EAGAIN. With `stop`, the wait
// looks at `*stop` (and calls `on_signal`) every kStopLookMs, and does not begin once it is set:
// a stop signal that came just before it, between the caller's look at the flag and the wait,
// interrupts nothing.
constexpr int kStopLookMs = 100;
ssize_t read_or_wait(int fd, void* buffer, std::size_t size, const volatile std::sig_atomic_t* stop = nullptr,
                     const std::function<void()>* on_signal = nullptr);

// pread(2) until `size` bytes or the end of the file: bytes read, or -1 with errno set.
ssize_t pread_all(int fd, void* buffer, std::size_t size, std::uint64_t offset);

// Up to `size` bytes from the start of the file at `path`; empty if it cannot be read.
std::string read_head(const std::string& path, std::size_t size);

// Where data goes on at or after `offset` of a regular file (lseek SEEK_DATA), the file's
// offset moved there: past a hole the file system keeps no bytes for. `offset` itself, the
// file's offset left as it was, if data is there, the hole runs to the end (ENXIO), or the
// file system does not know holes.
std::uint64_t skip_to_data(int fd, std::uint64_t offset);

constexpr int kStoppingWaitMs = 2000;
// write(2) until every byte is written (waiting on a non-blocking descriptor as on a blocking
// one): true, or false with errno set. Once `*stop` is set (a stop signal's flag), a reader
// that takes nothing does not hold the writer up: a write that finds no room within
// kStoppingWaitMs gives up (false, errno EINTR), a blocked write that the signal interrupted
// included. A pipe that has room takes PIPE_BUF bytes without waiting, so no more is written at
// a time then.
bool write_all(int fd, const void* data, std::size_t size, const volatile std::sig_atomic_t* stop = nullptr);

// Descriptors kept free for the daemon's own files and sockets (the state file, the sinks,
// inotify), so that many logs cannot take the last of them.
constexpr int kReservedDescriptors = 16;

// Whether `fd` is one of the last kReservedDescriptors the soft limit allows: descriptors
// are numbered lowest free first, so such a number means nearly all are taken.
bool in_reserve(int fd);

}  // namespace hitwatch::os
