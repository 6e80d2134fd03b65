// SPDX-License-Identifier: Apache-2.0
#pragma once
// Standard output for the live daemon when it is a pipe, a terminal or a socket, whose reader
// may stop reading (`hitwatchd | jq` under back-pressure, a terminal held with ^S): reports
// are queued, up to kMaxQueued bytes, and written as the reader takes them, so the event loop,
// the other sinks and HTTP never wait for it. Past the bound a report is dropped whole, never
// cut, with one warning while it lasts and one when writing catches up, saying how many.
//
// The descriptor's O_NONBLOCK flag belongs to its open file description, which a terminal
// shares with the shell that started the daemon: setting it there would make the shell's own
// reads fail. So a pipe or a terminal is opened anew through /proc/self/fd (a description of
// the daemon's own, non-blocking), and a socket is sent to with MSG_DONTWAIT; a regular file
// never blocks for a reader and is not queued (ReportWriter writes it directly).
// Lives in a shared_ptr; its handlers hold it and check whether it was stopped.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

namespace hitwatchd {

class QueuedOutput : public std::enable_shared_from_this<QueuedOutput> {
public:
    static constexpr std::size_t kMaxQueued = 16 << 20;

    // A queue in front of `fd` when it is a pipe, a terminal or a socket; nullptr otherwise (a
    // regular file, /dev/null) or when it cannot be opened anew.
    static std::shared_ptr<QueuedOutput> open(boost::asio::io_context& io, int fd, std::string name);
    QueuedOutput(boost::asio::io_context& io, int fd, bool socket, std::string name);

    // Queues one report, alert or summary (whole, or dropped whole).
    void append(std::string text);
    void stop();
    // A write failed for good (the reader went away: EPIPE).
    bool failed() const { return failed_; }
    std::size_t queued_bytes() const { return queued_bytes_; }

private:
    void write_front();
    void wait_writable();
    void written(std::size_t bytes);

    boost::asio::posix::stream_descriptor descriptor_;
    bool socket_;
    std::string name_;
    std::deque<std::string> queue_;
    std::size_t queued_bytes_ = 0;
    std::size_t front_written_ = 0;  // of the first text, the part already written
    std::uint64_t dropped_ = 0;      // since writing was last caught up
    bool writing_ = false, failed_ = false, stopped_ = false;
};

}  // namespace hitwatchd
