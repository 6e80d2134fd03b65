// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE live_faults
// The real hitwatchd under faults around the core: reload storms while sinks resolve and
// connect, wall-clock steps, a daemon that lags behind a copytruncate, FIFOs, a closed
// stdout, too few file descriptors, many idle logs, a Graphite that is down across a reload.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "http_client.h"
#include "live_daemon.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test::Daemon;
using test::DaemonOptions;
using test::generate;

namespace {

// A TCP listener on a loopback port: connections complete (the kernel accepts them into the
// backlog) whether or not accept() is called.
class Listener {
public:
    explicit Listener(int port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        const int on = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        BOOST_TEST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        BOOST_TEST_REQUIRE(::listen(fd_, 512) == 0);
    }
    ~Listener() { ::close(fd_); }

    // What the first connection sends within `limit`, until `enough` says so.
    template <class Enough>
    std::string receive(std::chrono::milliseconds limit, Enough enough) {
        const auto until = std::chrono::steady_clock::now() + limit;
        timeval timeout{static_cast<time_t>(limit.count() / 1000), static_cast<suseconds_t>(limit.count() % 1000 * 1000)};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        const int conn = ::accept(fd_, nullptr, nullptr);
        if (conn < 0) return "";
        timeval short_wait{0, 200000};
        ::setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &short_wait, sizeof short_wait);
        std::string data;
        char buf[65536];
        while (!enough(data) && std::chrono::steady_clock::now() < until) {
            const ssize_t n = ::recv(conn, buf, sizeof buf, 0);
            if (n == 0) break;
            if (n > 0) data.append(buf, static_cast<size_t>(n));
        }
        ::close(conn);
        return data;
    }

private:
    int fd_;
};

std::int64_t count_of(const std::string& text, const std::string& what) {
    std::int64_t n = 0;
    for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
    return n;
}

// A figure of /proc/PID/status, in KiB.
long memory_kib(int pid, const std::string& field) {
    const std::string status = test::read_file("/proc/" + std::to_string(pid) + "/status");
    const size_t at = status.find(field);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    return std::stol(status.substr(at + field.size()));
}

bool sanitized() {
#ifdef HITWATCH_SANITIZED
    return true;
#else
    return false;
#endif
}

// The environment that steps hitwatchd's wall clock (libfaketime, the offset read from
// `offset_file` at every call) and leaves its monotonic clock alone.
test::Spawn with_fake_wall_clock(const std::string& offset_file) {
    test::write_file(offset_file, "+0\n");
    test::Spawn how;
    how.env = {"LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1", "FAKETIME_TIMESTAMP_FILE=" + offset_file,
               "FAKETIME_NO_CACHE=1", "FAKETIME_DONT_FAKE_MONOTONIC=1",
               // The sanitizer runtime wants to be first; libfaketime must be, to see the clock calls.
               "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1"};
    return how;
}

// `d` counts 1000 lines of `log`; then, while it is frozen (SIGSTOP), `behind` more lines
// are written, logrotate rotates it with `directives`, and `after` more are written. The
// bytes of the `behind` lines.
std::int64_t rotate_while_frozen(Daemon& d, const test::TempDir& dir, const std::string& log, int behind,
                                 const std::string& directives, int after) {
    generate(log, 1000);
    BOOST_TEST_REQUIRE(d.settle_at(1000) == 1000);
    const auto read = fs::file_size(log);
    d.signal(SIGSTOP);
    generate(log, behind, 2);
    const auto written_behind = static_cast<std::int64_t>(fs::file_size(log) - read);
    test::logrotate(dir, log, directives);
    generate(log, after, 3);
    d.signal(SIGCONT);
    return written_behind;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_reload_storm_while_sinks_resolve_and_connect_touches_no_freed_sink) {
    // Defect: sinks were destroyed on reload while a completion of theirs was queued or a
    // resolve was running; the handler then used the freed sink (heap-use-after-free under
    // ASan). Reloads alternate two sets of addresses, so every reload remakes the sinks
    // while the last ones are resolving and connecting.
    test::TempDir dir;
    const std::string log = dir.file("access.log"), config = dir.file("hitwatch.conf");
    test::write_file(log, "");
    const int g1 = test::free_port(), g2 = test::free_port();
    Listener graphite1(g1), graphite2(g2);
    const auto sinks = [&](int i) {
        return i % 2 == 0 ? "[statsd]\naddress = localhost:" + std::to_string(test::free_port()) +
                                "\n[graphite]\naddress = 127.0.0.1:" + std::to_string(g1) + "\n"
                          : "[statsd]\naddress = 127.0.0.1:" + std::to_string(test::free_port()) +
                                "\n[graphite]\naddress = localhost:" + std::to_string(g2) + "\n";
    };
    test::write_config(config, {log}, 1000, sinks(0));
    Daemon d(dir, {}, {"--config", config});
    for (int i = 1; i <= 200; ++i) {
        test::write_config(config, {log}, 1000, sinks(i));
        d.signal(SIGHUP);
        std::this_thread::sleep_for(std::chrono::milliseconds(i % 7));
        if (i % 20 == 0) generate(log, 10, i);
    }
    BOOST_TEST(d.says("reload: done"));
    BOOST_TEST(d.settle_at(100, 20s) == 100);
    BOOST_TEST(d.alive());
    BOOST_TEST(d.stop() == 0);
    BOOST_TEST(d.err().find("AddressSanitizer") == std::string::npos, d.err().substr(0, 3000));
    BOOST_TEST(d.err().find("runtime error") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_forward_step_of_the_wall_clock_is_one_discontinuity_not_a_walk_through_the_gap) {
    // Defect: a 30-day step walked the monitor a second at a time (259,202 empty reports)
    // while SIGTERM went unanswered.
    test::TempDir dir;
    const std::string log = dir.file("access.log"), offset = dir.file("offset");
    test::write_file(log, "");
    DaemonOptions how;
    how.spawn = with_fake_wall_clock(offset);
    Daemon d(dir, {log}, how);
    generate(log, 50);
    BOOST_TEST(d.settle_at(50) == 50);
    const auto before = d.seen().reports;
    test::write_file(offset, "+30d\n");
    BOOST_TEST(d.says("the wall clock jumped forward by 2592000 s"), d.said());
    generate(log, 20, 2);
    BOOST_TEST(d.settle_at(70) == 70);  // counting goes on
    BOOST_TEST(d.seen().reports - before < 15);
    const auto asked = std::chrono::steady_clock::now();
    BOOST_TEST(d.stop() == 0);
    BOOST_TEST((std::chrono::steady_clock::now() - asked) < 3s);
    BOOST_TEST(count_of(d.err(), "the wall clock jumped") == 1);
    // Before: the lines after the step were said to be 2592000 s behind, and read as a
    // backlog.
    BOOST_TEST(d.err().find("s behind") == std::string::npos, d.said());
}

BOOST_AUTO_TEST_CASE(a_backward_step_of_the_wall_clock_does_not_stop_the_reports) {
    // Defect: no reports, alerts or checkpoints until the clock caught up again.
    test::TempDir dir;
    const std::string log = dir.file("access.log"), offset = dir.file("offset");
    test::write_file(log, "");
    DaemonOptions how;
    how.spawn = with_fake_wall_clock(offset);
    Daemon d(dir, {log}, how);
    generate(log, 30);
    BOOST_TEST(d.settle_at(30) == 30);
    test::write_file(offset, "-1h\n");
    BOOST_TEST(d.says("the wall clock jumped back by 3600 s"), d.said());
    const auto reports = d.seen().reports;
    generate(log, 20, 2);
    BOOST_TEST(d.settle_at(50) == 50);
    BOOST_TEST(d.seen().reports >= reports + 2);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_log_cut_short_in_place_is_read_on_from_its_new_end) {
    // Defect: `truncate -s` to a size other than 0 read the log again from its start, so the
    // lines it kept were counted twice (about 500 here).
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    Daemon d(dir, {log});
    generate(log, 1000);
    BOOST_TEST(d.settle_at(1000) == 1000);
    fs::resize_file(log, fs::file_size(log) / 2);
    BOOST_TEST(d.says(log + " was cut short in place"), d.said());
    generate(log, 200, 2);
    BOOST_TEST(d.settle_at(1200) == 1200);
    BOOST_TEST(d.seen().truncations == 1);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(copytruncate_while_the_daemon_lags_drains_the_copy) {
    // Defect: lines written and truncated away while the daemon was behind were lost
    // silently. SIGSTOP makes it fall behind; the file is truncated and written again past
    // the old offset, which only its head shows.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    Daemon d(dir, {log});
    rotate_while_frozen(d, dir, log, 3000, "copytruncate\n    nocompress", 1000);
    BOOST_TEST(d.settle_at(5000) == 5000);
    BOOST_TEST(d.seen().truncations == 1);
    BOOST_TEST(d.seen().lost_bytes == 0);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(copytruncate_and_compress_while_the_daemon_lags_says_what_the_copy_held) {
    // With `compress` and no delaycompress the copy is compressed at once. A gzip copy tells
    // its length: the 300 lines behind are counted lost, exactly. zstd's is not measured on
    // the loop (it takes inflating the whole file): that much is said.
    for (const std::string compressor : {"gzip", "zstd"}) {
        BOOST_TEST_CONTEXT(compressor) {
            test::TempDir dir;
            const std::string log = dir.file("access.log");
            test::write_file(log, "");
            Daemon d(dir, {log});
            const std::string zstd = "\n    compresscmd /usr/bin/zstd\n    compressext .zst";
            const std::string copy = dir.file(compressor == "gzip" ? "access.log.1.gz" : "access.log.1.zst");
            const std::int64_t behind = rotate_while_frozen(
                d, dir, log, 300, "copytruncate\n    compress" + (compressor == "gzip" ? std::string() : zstd), 50);
            BOOST_TEST(d.settle_at(1050) == 1050);
            if (compressor == "gzip") {
                BOOST_TEST(d.says(log + " was truncated with " + std::to_string(behind) +
                                  " bytes of it not read yet, and its copy " + copy +
                                  " is compressed already: they "
                                  "are lost"),
                           d.said());
                BOOST_TEST(d.seen().lost_bytes == behind);
            } else {
                BOOST_TEST(d.says(log + " was truncated, and its copy " + copy +
                                  " is compressed already (its length "
                                  "is not measured while following): lines written to it after its "
                                  "last read, if "
                                  "any, are lost"),
                           d.said());
            }
            BOOST_TEST(d.seen().truncations == 1);
            BOOST_TEST(d.stop() == 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(copytruncate_into_another_directory_says_what_may_be_lost) {
    // logrotate's olddir puts the copy out of the log's directory, where the daemon does not
    // look. Defect: the 300 lines written after its last read went with the copy, unsaid: "was
    // truncated; reading it again from its start" and nothing more.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    fs::create_directories(dir.file("old"));
    test::write_file(log, "");
    Daemon d(dir, {log});
    rotate_while_frozen(d, dir, log, 300, "olddir " + dir.file("old") + "\n    copytruncate\n    nocompress", 50);
    BOOST_TEST(d.settle_at(1050) == 1050);
    BOOST_TEST(d.says("was truncated; reading it again from its start (no copy of it was found "
                      "beside it: lines "
                      "written to it after its last read, if any, are lost; logrotate's olddir "
                      "puts a copytruncate "
                      "copy in another directory, looked in only when --olddir names it)"),
               d.said());
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(copytruncate_into_an_olddir_named_by_a_reload_drains_the_copy_there) {
    // The same rotation once a reload has added `olddir = old` (relative to the log's
    // directory, as logrotate's is): the 300 lines behind are read from old/access.log.1.
    test::TempDir dir;
    const std::string log = dir.file("access.log"), config = dir.file("hitwatch.conf");
    fs::create_directories(dir.file("old"));
    test::write_file(log, "");
    const auto write_config = [&](const std::string& olddir) {
        test::write_file(config + ".new",
                         "interval = 1\noutput = json\nlog = " + log + "\n" + olddir + "[syslog]\ndisabled = true\n");
        fs::rename(config + ".new", config);
    };
    write_config("");
    Daemon d(dir, {}, {"--config", config});
    write_config("olddir = old\n");
    d.signal(SIGHUP);
    BOOST_TEST_REQUIRE(d.says("reload: done"), d.said());
    rotate_while_frozen(d, dir, log, 300, "olddir old\n    copytruncate\n    nocompress", 50);
    BOOST_TEST(d.settle_at(1350) == 1350);
    BOOST_TEST(d.says("was truncated (copytruncate); reading the rest of it from " +
                      dir.file("old/access.log.1")),
               d.said());
    BOOST_TEST(d.seen().truncations == 1);
    BOOST_TEST(d.seen().lost_bytes == 0);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(the_hole_a_writer_that_does_not_append_leaves_after_copytruncate_is_no_line) {
    // Defect: a writer without O_APPEND (a program's stdout redirected with '>') goes on at its
    // old offset after copytruncate empties the log, so the file reads as NUL bytes up to there.
    // They were taken for the start of the writer's next line: that line was lost ("longer than
    // --max-line"), and `auto`, deciding by the file's head, found no format in the NULs and
    // read this JSON log as combined: 0 of 100 lines counted, 100 invalid.
    test::TempDir dir;
    const std::string log = dir.file("app.log");
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);  // as `app > app.log`
    BOOST_TEST_REQUIRE(fd >= 0);
    const auto write_lines = [&](int n) {
        const std::time_t now = std::time(nullptr);
        std::tm utc{};
        gmtime_r(&now, &utc);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
        for (int i = 0; i < n; ++i) {
            const std::string line = R"({"time": ")" + std::string(stamp) +
                                     R"(", "remote_addr": "10.0.0.1", "request": "GET /api/)" + std::to_string(i) +
                                     R"( HTTP/1.1", "status": 200, "body_bytes_sent": 512})" + "\n";
            BOOST_TEST_REQUIRE(::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
        }
    };
    write_lines(1000);  // before the daemon starts: it follows from the end, its format not seen yet
    Daemon d(dir, {log});
    test::logrotate(dir, log, "copytruncate\n    nocompress");
    write_lines(100);  // past a 120 KB hole
    BOOST_TEST(d.settle_at(100) == 100);
    test::logrotate(dir, log, "copytruncate\n    nocompress");
    write_lines(100);
    BOOST_TEST(d.settle_at(200) == 200);
    BOOST_TEST(d.seen().invalid == 0);
    // The first copytruncate turned the head from lines into NULs. The second leaves NULs there
    // and the writer's lines past where the daemon read: it is seen only if the daemon looks in
    // the moment the log is empty (a busy machine's CI once did not), and nothing is lost unseen.
    BOOST_TEST(d.seen().truncations >= 1);
    BOOST_TEST(d.seen().truncations <= 2);
    BOOST_TEST(d.err().find("no known format") == std::string::npos, d.said());
    ::close(fd);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_hole_the_file_system_knows_is_skipped_not_read) {
    // Defect: a writer that seeks past the end leaves a hole the file system keeps no data for.
    // It was read as NUL bytes: behind a 1 GiB hole the next line took 7 s and 5 s of CPU to
    // be counted, and the page cache filled with a gigabyte of zeros. Its end is asked for
    // (SEEK_DATA) instead. What the daemon read (/proc/PID/io rchar) says which it did.
    test::TempDir dir;
    const std::string log = dir.file("app.log");
    test::write_file(log, "");
    Daemon d(dir, {log});
    generate(log, 10);
    BOOST_TEST(d.settle_at(10) == 10);
    fs::resize_file(log, 0);  // copytruncate's truncate
    generate(dir.file("one.log"), 1, 2);
    const std::string line = test::read_file(dir.file("one.log"));
    const int fd = ::open(log.c_str(), O_WRONLY | O_CLOEXEC);
    BOOST_TEST_REQUIRE(fd >= 0);
    BOOST_TEST_REQUIRE(::pwrite(fd, line.data(), line.size(), off_t{1} << 30) == static_cast<ssize_t>(line.size()));
    ::close(fd);
    BOOST_TEST(d.settle_at(11) == 11);
    const std::string io = test::read_file("/proc/" + std::to_string(d.pid()) + "/io");
    const std::size_t at = io.find("rchar: ");
    BOOST_TEST_REQUIRE(at != std::string::npos);
    BOOST_TEST(std::stoll(io.substr(at + 7)) < (std::int64_t{64} << 20), io);
    BOOST_TEST(d.seen().invalid == 0);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_fifo_is_read_as_a_stream_and_keeps_its_partial_lines) {
    // Defect: half-lines were dropped (12 of 20 counted, 8 invalid), "truncated" warnings,
    // and a zero identity saved.
    test::TempDir dir;
    const std::string fifo = dir.file("access.fifo");
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    Daemon d(dir, {fifo});
    const int writer = ::open(fifo.c_str(), O_WRONLY);
    BOOST_TEST_REQUIRE(writer >= 0);
    const std::string line = "10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] \"GET /fifo HTTP/1.1\" 200 5 \"-\" \"ua\"\n";
    for (int i = 0; i < 20; ++i) {
        const size_t half = 7 + static_cast<size_t>(i) * 3;
        BOOST_TEST_REQUIRE(::write(writer, line.data(), half) == static_cast<ssize_t>(half));
        std::this_thread::sleep_for(60ms);  // the daemon reads the first part alone
        BOOST_TEST_REQUIRE(::write(writer, line.data() + half, line.size() - half) ==
                           static_cast<ssize_t>(line.size() - half));
    }
    ::close(writer);
    BOOST_TEST(d.settle_at(20) == 20);
    BOOST_TEST(d.seen().invalid == 0);
    BOOST_TEST(d.err().find("truncated") == std::string::npos, d.said());
    BOOST_TEST(d.stop() == 0);
    BOOST_TEST(test::read_file(dir.file("state.json")).find("\"path\":\"" + fifo + "\",\"files\":[]") != std::string::npos,
               test::read_file(dir.file("state.json")));
}

BOOST_AUTO_TEST_CASE(a_closed_stdout_is_one_error_and_counting_and_checkpoints_go_on) {
    // Defect: SIGPIPE killed the daemon silently (exit 141, no final report, no checkpoint).
    test::TempDir dir;
    const std::string log = dir.file("access.log"), pipe = dir.file("stdout.fifo");
    test::write_file(log, "");
    BOOST_TEST_REQUIRE(::mkfifo(pipe.c_str(), 0644) == 0);
    const int reader = ::open(pipe.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    BOOST_TEST_REQUIRE(reader >= 0);
    DaemonOptions how;
    how.out = pipe;
    Daemon d(dir, {log}, how);
    std::this_thread::sleep_for(1500ms);
    ::close(reader);  // whoever read stdout is gone
    generate(log, 100);
    BOOST_TEST(d.says("cannot write reports to standard output"), d.said());
    std::this_thread::sleep_for(2s);  // more reports, and checkpoints
    BOOST_TEST(d.alive());
    const auto size = std::to_string(fs::file_size(log));
    BOOST_TEST(test::wait_for([&] { return test::read_file(dir.file("state.json")).find("\"offset\":" + size) != std::string::npos; }, 5s));
    BOOST_TEST(d.stop() == 1);  // an I/O error, said once
    BOOST_TEST(count_of(d.err(), "cannot write reports") == 1);
}

// Started with its standard descriptors closed (an init script's >&-), the daemon must not
// let the next files it opens take their numbers: reports would go into whatever got fd 1
// (Asio's epoll descriptor, or a log, or the state file), messages into fd 2's.
BOOST_AUTO_TEST_CASE(closed_standard_descriptors_are_kept_on_dev_null) {
    test::TempDir dir;
    const std::string log = dir.file("access.log"), reports = dir.file("reports.json");
    test::write_file(log, "");
    DaemonOptions how;
    how.prefix = {"/bin/sh", "-c", "exec \"$@\" <&- >&- 2>&-", "sh"};
    how.extra = {"--report-file", reports};
    how.wait_until_following = false;
    Daemon d(dir, {log}, how);
    const auto target = [&](int fd) {
        std::error_code ec;
        return fs::read_symlink("/proc/" + std::to_string(d.pid()) + "/fd/" + std::to_string(fd), ec).string();
    };
    BOOST_TEST_REQUIRE(test::wait_for([&] { return fs::exists(dir.file("state.json.lock")); }, 10s));
    for (const int fd : {0, 1, 2}) BOOST_TEST(target(fd) == "/dev/null", "fd " << fd);
    generate(log, 100);
    BOOST_TEST(test::wait_for([&] { return test::seen_in(reports).hits == 100; }, 10s));
    BOOST_TEST(test::read_file(dir.file("state.json.lock")) == std::to_string(d.pid()) + "\n");
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(two_hundred_logs_open_under_a_soft_limit_of_128_descriptors) {
    // Defect: with ulimit -n 128 and 200 logs, 81 were never opened and the state file
    // never saved, silently. The soft limit is raised to the hard one.
    test::TempDir dir;
    std::vector<std::string> logs;
    for (int i = 0; i < 200; ++i) {
        logs.push_back(dir.file("site" + std::to_string(i) + ".log"));
        test::write_file(logs.back(), "");
    }
    DaemonOptions how;
    how.prefix = {"/usr/bin/prlimit", "--nofile=128:4096", "--"};
    Daemon d(dir, logs, how);
    BOOST_TEST(d.err().find("following 200 log(s); reports") != std::string::npos, d.said());
    for (const auto& log : logs) generate(log, 1);
    BOOST_TEST(d.settle_at(200) == 200);
    BOOST_TEST(d.stop() == 0);
    BOOST_TEST(test::read_file(dir.file("state.json")).find(logs.back()) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_log_that_cannot_be_opened_for_want_of_descriptors_is_named_with_the_reason) {
    test::TempDir dir;
    std::vector<std::string> logs;
    for (int i = 0; i < 100; ++i) {
        logs.push_back(dir.file("site" + std::to_string(i) + ".log"));
        test::write_file(logs.back(), "");
    }
    DaemonOptions how;
    how.prefix = {"/usr/bin/prlimit", "--nofile=48:48", "--"};
    Daemon d(dir, logs, how);
    BOOST_TEST(
        d.err().find("cannot open " + logs.back() + ": Too many open files") != std::string::npos,
        d.said());
    BOOST_TEST(d.err().find("unreadable") != std::string::npos, d.said());
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(two_hundred_idle_logs_cost_little_memory) {
    // Defect: about 1.1 MB per followed log (224 MB resident for 200).
    test::TempDir dir;
    std::vector<std::string> logs;
    for (int i = 0; i < 200; ++i) {
        logs.push_back(dir.file("site" + std::to_string(i) + ".log"));
        test::write_file(logs.back(), "");
    }
    Daemon d(dir, logs);
    for (const auto& log : logs) generate(log, 20);
    BOOST_TEST(d.settle_at(4000) == 4000);
    std::this_thread::sleep_for(2s);  // idle: buffers given back
    const long rss_kib = memory_kib(d.pid(), "VmRSS:");
    BOOST_TEST_MESSAGE("resident with 200 idle logs: " << rss_kib << " KiB");
    if (!sanitized()) BOOST_TEST(rss_kib < 32 * 1024);  // shadow memory makes a sanitized build bigger
    BOOST_TEST(d.stop() == 0);
    // Restarted from its state file, it never needs more at its peak either (reading the
    // state file once allocated its 64 MiB limit).
    Daemon again(dir, logs);
    for (const auto& log : logs) generate(log, 1, 2);
    BOOST_TEST(again.settle_at(4200) == 4200);  // the reports of both runs
    const long peak_kib = memory_kib(again.pid(), "VmHWM:");
    BOOST_TEST_MESSAGE("peak after a restart: " << peak_kib << " KiB");
    if (!sanitized()) BOOST_TEST(peak_kib < 32 * 1024);
    BOOST_TEST(again.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_reload_keeps_the_graphite_queue_of_an_unchanged_address) {
    // Defect: every SIGHUP dropped the queue ("24 metric lines not sent") while Graphite was
    // down.
    test::TempDir dir;
    const std::string log = dir.file("access.log"), config = dir.file("hitwatch.conf");
    test::write_file(log, "");
    const int port = test::free_port();
    test::write_config(config, {log}, 1000, "[graphite]\naddress = 127.0.0.1:" + std::to_string(port) + "\n");
    Daemon d(dir, {}, {"--config", config});
    generate(log, 10);
    BOOST_TEST(d.settle_at(10) == 10);  // reports queued for a Graphite that is down
    const auto before_reload = std::chrono::system_clock::now();
    d.signal(SIGHUP);
    BOOST_TEST(d.says("reload: done"));
    BOOST_TEST(d.err().find("not sent") == std::string::npos, d.said());
    Listener graphite(port);
    const std::string received =
        graphite.receive(40s, [](const std::string& data) { return data.find("hitwatch.hits 10 ") != std::string::npos; });
    BOOST_TEST(received.find("hitwatch.hits 10 ") != std::string::npos, received.substr(0, 2000));
    // Reports made before the reload arrived after it.
    const auto reload = std::chrono::duration_cast<std::chrono::seconds>(before_reload.time_since_epoch()).count();
    std::int64_t earliest = INT64_MAX;
    std::istringstream lines(received);
    for (std::string name, value, stamp; lines >> name >> value >> stamp;) {
        if (name == "hitwatch.hits") earliest = std::min<std::int64_t>(earliest, std::stoll(stamp));
    }
    BOOST_TEST(earliest <= reload, received.substr(0, 2000));
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(sigusr1_logs_a_status_line_and_does_not_kill) {
    // Defect: SIGUSR1's default action killed the daemon.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    Daemon d(dir, {log});
    generate(log, 7);
    BOOST_TEST(d.settle_at(7) == 7);
    d.signal(SIGUSR1);
    BOOST_TEST(d.says("status: following 1 log(s); 7 hits since start"), d.said());
    // And the summary since start, as a replay ends with it.
    BOOST_TEST(d.says("summary since start: {\"type\":\"summary\""), d.said());
    BOOST_TEST(d.err().find("\"lines\":7,\"hits\":7,") != std::string::npos, d.said());
    BOOST_TEST(d.alive());
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(sigusr1s_summary_adds_up_with_an_interval_not_reported_yet) {
    // Before: "lines":3626767,"hits":3626267,"invalid":0 -- lines included the interval not
    // reported yet, and nothing said so.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    // An interval of a day: intervals are aligned to the epoch, and at 60 s a run across a
    // minute's end had its lines reported already.
    Daemon d(dir, {log}, {"--interval", "86400", "--alert-window", "86400"});
    generate(log, 7);
    { std::ofstream(log, std::ios::app) << "\nnot a log line\nnor this\n"; }
    std::string summary;
    for (int tries = 0; tries < 50 && summary.empty(); ++tries) {
        d.signal(SIGUSR1);
        std::this_thread::sleep_for(100ms);
        const std::string err = d.err();
        const size_t at = err.rfind("summary since start: ");
        if (at != std::string::npos && err.find("\"lines\":10,", at) != std::string::npos) {
            summary = err.substr(at + 21, err.find('\n', at) - at - 21);
        }
    }
    BOOST_TEST_REQUIRE(!summary.empty(), d.err().substr(0, 3000));
    const auto s = boost::json::parse(summary).as_object();
    BOOST_TEST(s.at("lines").to_number<int>() == 10);
    BOOST_TEST(s.at("blank").to_number<int>() == 1);
    BOOST_TEST(s.at("pending").to_number<int>() == 9, summary);  // 7 hits and 2 invalid lines, not reported yet
    BOOST_TEST(s.at("lines").to_number<int>() == s.at("hits").to_number<int>() + s.at("invalid").to_number<int>() +
                                                     s.at("blank").to_number<int>() + s.at("pending").to_number<int>());
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_graphite_server_that_stops_reading_is_given_up_at_the_write_deadline) {
    // Before: a server that accepted and never read left the write pending for ever: the
    // queue's dropped-lines warning never printed, and nothing said Graphite was stuck. Here
    // the server listens and never accepts (the kernel takes the connection and buffers what
    // it can), and every report holds thousands of sections.
    test::TempDir dir;
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    const int small = 4096;
    ::setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_TEST_REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t length = sizeof addr;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &length);
    BOOST_TEST_REQUIRE(::listen(listener, 8) == 0);
    const std::string port = std::to_string(ntohs(addr.sin_port));
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    Daemon d(dir, {log}, {"--graphite", "127.0.0.1:" + port, "--top", "10000"});
    for (int i = 0; i < 15; ++i) {
        BOOST_TEST_REQUIRE(test::run({GENLOG, "--out", log + ".more", "--lines", "5000", "--unique-sections", "--seed",
                                      std::to_string(i + 1), "--start", std::to_string(std::time(nullptr))})
                               .exit_code == 0);
        std::ofstream(log, std::ios::app) << test::read_file(log + ".more");
        std::this_thread::sleep_for(1s);
        if (d.err().find("timeout") != std::string::npos || d.err().find("timed out") != std::string::npos) break;
    }
    BOOST_TEST(d.says("graphite: lost the connection to 127.0.0.1:" + port, 20s), d.said());
    BOOST_TEST(d.says("metric lines while disconnected", 20s), d.said());
    BOOST_TEST(d.alive());
    BOOST_TEST(d.stop() == 0);
    ::close(listener);
}

BOOST_AUTO_TEST_CASE(a_stalled_standard_output_holds_up_neither_the_logs_nor_http) {
    // Before: with standard output a pipe whose reader stopped (hitwatchd | jq under
    // back-pressure) the daemon sat in a blocking write(2): /status timed out, no log was
    // read, no checkpoint was saved.
    test::TempDir dir;
    const std::string fifo = dir.file("stdout.fifo"), log = dir.file("access.log");
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // a reader that reads nothing
    BOOST_TEST_REQUIRE(reader >= 0);
    test::write_file(log, "");
    const int port = test::free_port();
    DaemonOptions how;
    how.out = fifo;
    how.extra = {"--http", "127.0.0.1:" + std::to_string(port), "--top", "10000"};
    Daemon d(dir, {log}, how);
    // Reports of thousands of sections a second fill the pipe's 64 KiB at once.
    for (int i = 0; i < 5; ++i) {
        BOOST_TEST_REQUIRE(test::run({GENLOG, "--out", log + ".more", "--lines", "4000", "--unique-sections", "--seed",
                                      std::to_string(i + 1), "--start", std::to_string(std::time(nullptr))})
                               .exit_code == 0);
        std::ofstream(log, std::ios::app) << test::read_file(log + ".more");
        std::this_thread::sleep_for(1s);
    }
    // Every line read, and /status answering at once, while nothing reads the reports.
    for (int probe = 0; probe < 6; ++probe) {
        const auto asked = std::chrono::steady_clock::now();
        const auto status = test::http_get(port, "/status");
        BOOST_TEST_REQUIRE(status.status == 200, d.said());
        BOOST_TEST((std::chrono::steady_clock::now() - asked) < 1s);
        if (probe == 5) BOOST_TEST(status.body.find("\"offset\":" + std::to_string(fs::file_size(log))) != std::string::npos);
        std::this_thread::sleep_for(300ms);
    }
    BOOST_TEST(d.alive());
    ::close(reader);
    const int code = d.stop();
    BOOST_TEST((code == 0 || code == 1));  // the reader left: a failed output says 1
}
