// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE queued_output
// Standard output that stops being read: reports queue up to their bound, then are dropped
// whole; the descriptor the daemon was given keeps its flags (a shell shares them).
#include "sinks/queued_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <string>

using namespace hitwatchd;

namespace {

struct Pipe {
    int read_end = -1, write_end = -1;
    Pipe() {
        int fds[2];
        BOOST_TEST_REQUIRE(::pipe(fds) == 0);
        read_end = fds[0];
        write_end = fds[1];
        ::fcntl(read_end, F_SETFL, O_NONBLOCK);
    }
    ~Pipe() {
        ::close(read_end);
        ::close(write_end);
    }
    // Everything there is to read now.
    std::size_t drain() {
        std::size_t total = 0;
        char buffer[65536];
        for (ssize_t n; (n = ::read(read_end, buffer, sizeof buffer)) > 0;) total += static_cast<std::size_t>(n);
        return total;
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_reader_that_stops_reading_gets_what_fits_in_the_queue_and_no_part_of_the_rest) {
    boost::asio::io_context io;
    Pipe pipe;
    const auto out = QueuedOutput::open(io, pipe.write_end, "standard output");
    BOOST_TEST_REQUIRE(out != nullptr);
    // The descriptor the daemon was given (shared with a shell, for a terminal) is left
    // blocking: the queue writes through a description of its own.
    BOOST_TEST((::fcntl(pipe.write_end, F_GETFL) & O_NONBLOCK) == 0);
    const std::string report(1 << 20, 'r');
    for (int i = 0; i < 20; ++i) out->append(report);  // 20 MiB for a reader that reads nothing
    io.poll();
    BOOST_TEST(out->queued_bytes() <= QueuedOutput::kMaxQueued);
    std::size_t read = 0;
    for (int round = 0; round < 10000 && (out->queued_bytes() > 0 || read == 0); ++round) {
        read += pipe.drain();
        io.poll();
    }
    read += pipe.drain();
    // Whole reports only: what the pipe took at first and what the queue held, no half.
    BOOST_TEST(read % report.size() == 0u);
    BOOST_TEST(read / report.size() < 20u);
    BOOST_TEST(read / report.size() >= 16u);
    BOOST_TEST(!out->failed());
    out->append("after\n");  // writing goes on once it is read again
    io.poll();
    BOOST_TEST(pipe.drain() == 6u);
    out->stop();
}

BOOST_AUTO_TEST_CASE(a_regular_file_is_not_queued) {
    boost::asio::io_context io;
    char name[] = "/tmp/hitwatch-queued-XXXXXX";
    const int fd = ::mkstemp(name);
    BOOST_TEST(QueuedOutput::open(io, fd, "a file") == nullptr);
    ::close(fd);
    ::unlink(name);
    const int null = ::open("/dev/null", O_WRONLY);
    BOOST_TEST(QueuedOutput::open(io, null, "/dev/null") == nullptr);
    ::close(null);
}

BOOST_AUTO_TEST_CASE(a_reader_gone_is_an_error_once_and_nothing_more_is_written) {
    std::signal(SIGPIPE, SIG_IGN);  // as hitwatchd does: EPIPE, not a signal
    boost::asio::io_context io;
    Pipe pipe;
    const auto out = QueuedOutput::open(io, pipe.write_end, "standard output");
    BOOST_TEST_REQUIRE(out != nullptr);
    ::close(pipe.read_end);
    pipe.read_end = ::open("/dev/null", O_RDONLY);  // the destructor's close
    out->append("report\n");
    io.poll();
    BOOST_TEST(out->failed());
    BOOST_TEST(out->queued_bytes() == 0u);
}
