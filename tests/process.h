// SPDX-License-Identifier: Apache-2.0
#pragma once
// Runs a program as a test would from a shell: arguments, stdin from a file, output captured.
#include <chrono>
#include <iosfwd>
#include <string>
#include <thread>
#include <vector>

namespace test {

// The hitwatchd under test: the one built here, or the one $HITWATCHD_UNDER_TEST names (to
// see a new test fail on an older build).
std::string hitwatchd();

struct Finished {
    int exit_code = -1;  // 128 + signal if it was killed
    std::string out;
    std::string err;
    long peak_rss_kib = -1;  // its peak resident memory (ru_maxrss)
};

Finished run(const std::vector<std::string>& argv, const std::string& stdin_path = "/dev/null");

// How to start a program besides its arguments.
struct Spawn {
    std::string stdin_path = "/dev/null";
    std::string cwd;               // empty: the test's
    std::vector<std::string> env;  // "NAME=value", added to (or replacing) the test's environment
};

// A program left running in the background, its output going to files.
class Background {
public:
    Background(const std::vector<std::string>& argv, const std::string& out_path, const std::string& err_path,
               const std::string& stdin_path = "/dev/null");
    Background(const std::vector<std::string>& argv, const std::string& out_path, const std::string& err_path,
               const Spawn& how);
    ~Background();  // kills it if it still runs
    void signal(int sig);
    int wait();  // exit code, or 128 + signal
    // Its peak resident memory in KiB once wait() reaped it, else -1.
    long peak_rss_kib() const { return peak_rss_kib_; }
    bool running() const { return pid_ > 0; }
    // Still running (not exited or killed), without waiting.
    bool alive();
    int pid() const { return pid_; }

private:
    int pid_ = -1;
    int exit_code_ = -1;  // once reaped
    long peak_rss_kib_ = -1;
};

// A fresh directory under $TMPDIR, removed with its contents when the object goes.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// Waits until `condition` holds, looking every 50 ms, for at most `limit`; its last value.
template <class Condition>
bool wait_for(Condition condition, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return condition();
}

// A loopback TCP port nobody listens on right now (and, in practice, a free UDP port).
int free_port();
// Whether something accepts TCP connections on the loopback port.
bool listening(int port);
// Whether a UDP socket is bound to the port on 127.0.0.1 or on every address (/proc/net/udp).
// A server may say it is up before its bind is done (statsd binds on a later tick): what is
// sent to the port before then is refused, and lost.
bool udp_bound(int port);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& data);

// A file read when a failed check's message is printed. A BOOST_TEST message's operands are
// evaluated before its condition (GCC 12), so read_file() or err() there showed what a
// process had said before the check waited, not what it said by the time the wait gave up.
struct FileWhenPrinted {
    std::string path;
};
std::ostream& operator<<(std::ostream& out, const FileWhenPrinted& file);

}  // namespace test
