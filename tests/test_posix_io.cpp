// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE posix_io
// The read loop a replay waits in on a pipe: what a stop signal that came just before the wait
// does to it.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <mutex>
#include <thread>

#include "os/posix_io.h"

namespace {

struct Pipe {
    int fds[2] = {-1, -1};
    Pipe() { BOOST_REQUIRE(::pipe(fds) == 0); }
    ~Pipe() {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    int read_end() const { return fds[0]; }
    int write_end() const { return fds[1]; }
};

// Writes a byte into the pipe unless the read it guards returns within 3 s: a read that would
// wait for good ends with that byte, and fails the test, rather than hanging it.
class Unblocker {
public:
    explicit Unblocker(const Pipe& pipe)
        : thread_([this, fd = pipe.write_end()] {
              std::unique_lock<std::mutex> lock(mutex_);
              if (!returned_cv_.wait_for(lock, std::chrono::seconds(3), [this] { return returned_; })) {
                  const char byte = 'x';
                  BOOST_TEST_REQUIRE(::write(fd, &byte, 1) == 1);
              }
          }) {}
    ~Unblocker() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            returned_ = true;
        }
        returned_cv_.notify_one();
        thread_.join();
    }
    Unblocker(const Unblocker&) = delete;
    Unblocker& operator=(const Unblocker&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable returned_cv_;
    bool returned_ = false;
    std::thread thread_;  // last: it uses the members above
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_stop_that_came_before_the_read_ends_it_on_a_quiet_pipe) {
    // The replay looked at its flag, the signal came, then it read: nothing interrupts that read.
    Pipe pipe;
    volatile std::sig_atomic_t stop = SIGTERM;
    char buffer[16];
    ssize_t n = 0;
    int error = 0;
    {
        Unblocker unblocker(pipe);
        n = hitwatch::os::read_or_wait(pipe.read_end(), buffer, sizeof buffer, &stop);
        error = errno;
    }
    BOOST_TEST(n == -1, "the read waited for the writer and got " << n << " byte(s)");
    BOOST_TEST(error == EINTR);
}

BOOST_AUTO_TEST_CASE(a_signal_to_answer_is_answered_while_a_quiet_pipe_is_read) {
    // SIGUSR1 came just before the read: its answer (on_signal) is not held until the writer
    // writes. Here the answer stops the read, so that the test need not wait for a writer.
    Pipe pipe;
    volatile std::sig_atomic_t stop = 0;
    int answered = 0;
    const std::function<void()> answer = [&] {
        ++answered;
        stop = SIGTERM;
    };
    char buffer[16];
    ssize_t n = 0;
    {
        Unblocker unblocker(pipe);
        n = hitwatch::os::read_or_wait(pipe.read_end(), buffer, sizeof buffer, &stop, &answer);
    }
    BOOST_TEST(answered == 1);
    BOOST_TEST(n == -1, "the read waited for the writer and got " << n << " byte(s)");
}

BOOST_AUTO_TEST_CASE(bytes_in_the_pipe_and_its_end_are_read_as_before) {
    Pipe pipe;
    BOOST_TEST_REQUIRE(::write(pipe.write_end(), "abc", 3) == 3);
    volatile std::sig_atomic_t stop = 0;
    char buffer[16];
    BOOST_TEST(hitwatch::os::read_or_wait(pipe.read_end(), buffer, sizeof buffer, &stop) == 3);
    ::close(pipe.fds[1]);
    pipe.fds[1] = -1;
    BOOST_TEST(hitwatch::os::read_or_wait(pipe.read_end(), buffer, sizeof buffer, &stop) == 0);  // the end
}
