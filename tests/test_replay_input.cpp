// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE replay_input
// The real hitwatchd --replay on hostile and odd input: every figure it prints must be true
// and every line it prints valid, whatever arrives in a log.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "process.h"
#include "report_lines.h"

using namespace std::chrono_literals;
using test::add_up;
using test::json_lines;
using test::n;
using test::of_type;
using test::run;

namespace {

// A combined log line at `time` ("10:00:00" on 20 Nov 2025) for `target`.
std::string line(const std::string& target, const std::string& time = "10:00:00", const std::string& status = "200") {
    return "10.0.0.1 - - [20/Nov/2025:" + time + " +0000] \"GET " + target + " HTTP/1.1\" " + status +
           " 5 \"-\" \"ua\"\n";
}

test::Finished replay(const test::TempDir& dir, const std::string& text, std::vector<std::string> extra = {}) {
    test::write_file(dir.file("access.log"), text);
    std::vector<std::string> argv = {test::hitwatchd(), "--replay", dir.file("access.log"), "--output", "json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run(argv);
}

// The same as the text view (replay() asks for JSON, and --output twice is a usage error).
test::Finished replay_as_text(const test::TempDir& dir, const std::string& text) {
    test::write_file(dir.file("access.log"), text);
    return run({test::hitwatchd(), "--replay", dir.file("access.log"), "--output", "text"});
}

// A replay's output up to its summary: the reports and alerts, which the same lines give
// alike however they were read (the summary has the speed of the run).
std::string reports(const std::string& out) { return out.substr(0, out.find("{\"type\":\"summary\"")); }

std::int64_t count_of(const std::string& text, const std::string& what) {
    std::int64_t found = 0;
    for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++found;
    return found;
}

// Three days of a request a second: 25,920 intervals, 8 MB of reports.
std::string three_days_of_a_request_a_second() {
    std::string log;
    for (int s = 0; s < 3 * 86400; ++s) {
        char text[128];
        std::snprintf(text, sizeof text, "10.0.0.1 - - [%02d/Nov/2025:%02d:%02d:%02d +0000] "
                      "\"GET /%c HTTP/1.1\" 200 5\n", 20 + s / 86400, s / 3600 % 24, s / 60 % 60, s % 60, 'a' + s % 7);
        log += text;
    }
    return log;
}

// A replay's standard error that the test can make slow: a pipe a page big (a FIFO, opened by the
// replay on its own), filled when the test wants the replay's next word to wait.
struct SlowStderr {
    std::string path;
    int fd = -1;  // the test's end, read-write (never blocks), not blocking

    explicit SlowStderr(const test::TempDir& dir) : path(dir.file("err.fifo")) {
        BOOST_TEST_REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
        fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        BOOST_TEST_REQUIRE(fd >= 0);
        BOOST_TEST_REQUIRE(::fcntl(fd, F_SETPIPE_SZ, 4096) >= 0);
    }
    ~SlowStderr() { ::close(fd); }
    void fill() {
        while (::write(fd, ".", 1) == 1) {
        }
    }
    // What is in it (the filler left out).
    std::string drain() {
        std::string said;
        char buffer[4096];
        for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) said.append(buffer, static_cast<std::size_t>(n));
        said.erase(0, said.find_first_not_of('.'));
        return said;
    }
};

// hitwatchd with `argv`, its descriptor `fd` (standard input or output) one end of a pipe that
// is non-blocking, as a terminal is that a program (Node.js) left so; the others /dev/null or
// `out` and `err`. The test holds the pipe's other end (blocking) in `ours`.
struct OnNonBlockingPipe {
    pid_t pid = -1;
    int ours = -1;

    OnNonBlockingPipe(std::vector<std::string> argv, int fd, const std::string& out, const std::string& err) {
        int ends[2];
        BOOST_TEST_REQUIRE(::pipe2(ends, O_CLOEXEC) == 0);
        const int theirs = fd == STDIN_FILENO ? ends[0] : ends[1];
        ours = fd == STDIN_FILENO ? ends[1] : ends[0];
        BOOST_TEST_REQUIRE(::fcntl(theirs, F_SETFL, ::fcntl(theirs, F_GETFL) | O_NONBLOCK) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, theirs, fd);
        if (fd != STDIN_FILENO) posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        if (fd != STDOUT_FILENO) {
            posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT, 0644);
        }
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT, 0644);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        BOOST_TEST_REQUIRE(::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(theirs);
    }
    ~OnNonBlockingPipe() {
        if (ours >= 0) ::close(ours);
        if (pid > 0) ::kill(pid, SIGKILL), ::waitpid(pid, nullptr, 0);
    }
    // Once it waits on the pipe (x86-64: poll is system call 7, ppoll 271) or has ended.
    bool waits_or_ended() const {
        const std::string stat = test::read_file("/proc/" + std::to_string(pid) + "/stat");
        if (stat.empty() || stat.find(") Z ") != std::string::npos) return true;  // a zombie until waited for
        const std::string call = test::read_file("/proc/" + std::to_string(pid) + "/syscall");
        return call.rfind("7 ", 0) == 0 || call.rfind("271 ", 0) == 0;
    }
    int wait() {
        int status = 0;
        ::waitpid(std::exchange(pid, -1), &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
};

// Whether process `pid`'s first thread, the one that counts and logs, is in a write to its
// descriptor `fd` (x86-64: write is system call 1, writev 20).
bool writing_to(int pid, int fd) {
    const std::string call = test::read_file("/proc/" + std::to_string(pid) + "/syscall");
    const std::string to = " 0x" + std::to_string(fd) + " ";
    return call.rfind("1" + to, 0) == 0 || call.rfind("20" + to, 0) == 0;
}

bool writing_to_stderr(int pid) { return writing_to(pid, STDERR_FILENO); }

}  // namespace

BOOST_AUTO_TEST_CASE(a_scanner_early_in_an_interval_does_not_hide_a_busy_section) {
    // Before: 20,000 one-off paths then /hot 5,000 times in one interval reported
    // "(other) 15000" and no /hot.
    test::TempDir dir;
    std::string log;
    for (int i = 0; i < 20000; ++i) log += line("/scan" + std::to_string(i), "10:00:01", "404");
    for (int i = 0; i < 5000; ++i) log += line("/hot/x", "10:00:02");
    log += line("/after", "10:00:12");  // the next interval: exact again
    const auto r = replay(dir, log);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto reports = of_type(json_lines(r.out), "report");
    BOOST_TEST_REQUIRE(reports.size() == 2u);
    const auto& first = reports[0];
    BOOST_TEST(first.at("sections_truncated") == true);
    const auto& sections = first.at("sections").as_array();
    BOOST_TEST(sections[0].at("section") == "/hot");
    BOOST_TEST(n(sections[0].at("hits")) <= 5000);
    BOOST_TEST(n(sections[0].at("hits")) + n(sections[0].at("error")) >= 5000);
    BOOST_TEST(sections.back().at("section") == "(other)");
    std::int64_t listed = 0;
    for (const auto& s : sections) listed += n(s.at("hits"));
    BOOST_TEST(listed == n(first.at("hits")));
    BOOST_TEST(listed == 25000);
    const auto& second = reports[1];
    BOOST_TEST(!second.contains("sections_truncated"));
    BOOST_TEST(second.at("sections").as_array()[0].at("section") == "/after");
}

BOOST_AUTO_TEST_CASE(every_line_printed_is_valid_utf8_and_no_escape_reaches_a_terminal) {
    test::TempDir dir;
    const std::string log = line("/\xff\xfe/x") + line("/%FF%FE") + line("/a\x1b]0;pwned\x07") + line("/caf\xc3\xa9");
    const auto r = replay(dir, log);  // json_lines parses strictly: invalid UTF-8 fails it
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    auto t = add_up(of_type(json_lines(r.out), "report"));
    BOOST_TEST(t.sections["/%FF%FE"] == 2);  // the raw bytes and their encoding are one section
    BOOST_TEST(t.sections["/a%1B]0;pwned%07"] == 1);
    BOOST_TEST(t.sections["/caf\xc3\xa9"] == 1);
    const auto text = run({test::hitwatchd(), "--replay", dir.file("access.log"), "--output", "text"});
    BOOST_TEST(text.out.find('\x1b') == std::string::npos);
    BOOST_TEST(text.out.find('\x07') == std::string::npos);
    BOOST_TEST(text.out.find("/%FF%FE 2") != std::string::npos, text.out);
}

BOOST_AUTO_TEST_CASE(real_lines_that_were_rejected_count_now) {
    test::TempDir dir;
    const std::string log = "\xEF\xBB\xBF" + line("/bom") +                          // a byte-order mark
                            line("//favicon.ico") +                                   // merged slashes
                            line("/trailing").insert(line("/trailing").size() - 1, " \t ") +  // blanks at the end
                            line("/ezproxy", "10:00:01", "906") +                     // past 599
                            "10.0.0.1 - - [20/Nov/2025:10:00:02 +0000] \"-\" 408 -\n"  // sent nothing
                            "10.0.0.1 - - [20/Nov/2025:10:00:02 +0000] \"\" 400 0\n"
                            "10.0.0.1 - - [20/Nov/2025:10:00:02 +0000] \"OPTIONS * HTTP/1.1\" 200 0\n"
                            "10.0.0.1 - - [20/Nov/2025:10:00:02 +0000] \"CONNECT example.com:443 HTTP/1.1\" 200 0\n";
    const auto r = replay(dir, log);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    auto t = add_up(of_type(json_lines(r.out), "report"));
    BOOST_TEST(t.invalid == 0, r.err);
    BOOST_TEST(t.hits == 8);
    BOOST_TEST(t.sections["/bom"] == 1);
    BOOST_TEST(t.sections["/favicon.ico"] == 1);
    BOOST_TEST(t.sections["/trailing"] == 1);
    BOOST_TEST(t.sections["(none)"] == 4);
    BOOST_TEST(t.status["9xx"] == 1);
    BOOST_TEST(t.status["4xx"] == 2);
}

BOOST_AUTO_TEST_CASE(an_invalid_line_says_what_is_really_wrong_and_each_reason_is_sampled) {
    test::TempDir dir;
    std::string log;
    for (int i = 0; i < 50; ++i) {
        log += "www.example.com:80 10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"ua\"\n";
        log += "10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"unterminated\n";
    }
    log += line("/ok");
    // Told the log is combined (auto would find vhost_combined in its first lines).
    const auto r = replay(dir, log, {"--log-format", "combined"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find("invalid line 1 of " + dir.file("access.log") +
                          ": not in the configured log format: the line looks like vhost_combined") != std::string::npos,
               r.err);
    // One sample per reason (every 10 s at most), then how many were not shown.
    BOOST_TEST(count_of(r.err, "invalid line ") == 2, r.err);
    BOOST_TEST(r.err.find("100 invalid (bad_user_agent 50, looks_like_vhost_combined 50)") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("98 invalid lines were not shown as samples") != std::string::npos, r.err);
    // A line with one field too many that no preset takes still says so.
    const auto x = replay(dir, "proxy, 10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n" + line("/ok"),
                          {"--log-format", "combined"});
    BOOST_TEST(x.err.find("one field too many before the time") != std::string::npos, x.err);
}

// A time that does not fit is described as the log's own format writes it, not always as
// Apache's [10/Oct/2000:13:55:36 -0700].
BOOST_AUTO_TEST_CASE(a_bad_time_is_described_in_the_shape_the_format_expects) {
    test::TempDir dir;
    const auto json = replay(dir, "{\"time\":\"2025-11-20T10:00:00\",\"request\":\"GET /a HTTP/1.1\",\"status\":200}\n",
                             {"--log-format", "json"});
    BOOST_TEST(json.exit_code == 3, json.err);
    BOOST_TEST(json.err.find("invalid line 1 of " + dir.file("access.log") + ": expected a time: an ISO 8601 time with "
                             "its offset (2000-10-10T13:55:36-07:00), a [10/Oct/2000:13:55:36 -0700] time, or seconds "
                             "since the epoch") != std::string::npos,
               json.err);
    BOOST_TEST(json.err.find("no line of " + dir.file("access.log") + " is an access log line in the format json (1 "
                             "invalid): expected a time: an ISO 8601") != std::string::npos,
               json.err);
    const auto iso = replay(dir, "10.0.0.1 [20/Nov/2025:10:00:00 +0000] \"GET /a HTTP/1.1\" 200\n",
                            {"--log-format", R"($remote_addr [$time_iso8601] "$request" $status)"});
    BOOST_TEST(iso.err.find("expected a time like 2000-10-10T13:55:36-07:00") != std::string::npos, iso.err);
    const auto pattern = replay(dir, "10.0.0.1 [20/Nov/2025 10:00] \"GET /a HTTP/1.1\" 200\n",
                                {"--log-format", R"(%h [%{%Y-%m-%d %H:%M:%S}t] "%r" %>s)"});
    BOOST_TEST(pattern.err.find("expected a time as %{%Y-%m-%d %H:%M:%S}t writes it") != std::string::npos, pattern.err);
    const auto clf = replay(dir, "10.0.0.1 - - [20/Nov/2025 10:00] \"GET /a HTTP/1.1\" 200 5\n", {"--log-format", "common"});
    BOOST_TEST(clf.err.find("expected a time like [10/Oct/2000:13:55:36 -0700]") != std::string::npos, clf.err);
}

BOOST_AUTO_TEST_CASE(input_with_no_access_log_line_reports_its_invalid_count_says_what_it_looks_like_and_exits_3) {
    test::TempDir dir;
    std::string log;
    for (int i = 0; i < 20; ++i) log += line("/a");
    test::write_file(dir.file("plain.log"), log);
    // xz's magic bytes, then not what xz writes: inflated (see below), and found corrupt.
    std::string xz("\xFD" "7zXZ\0\0\x04\xE6\xD6\xB4\x46\x02\x00\x21\x01", 15);
    for (int i = 0; i < 4000; ++i) xz += static_cast<char>((i * 131 + 7) % 256 == '\n' ? 1 : (i * 131 + 7) % 256);
    test::write_file(dir.file("access.log.xz"), xz);
    const auto corrupt = run({test::hitwatchd(), "--replay", dir.file("access.log.xz"), "--output", "json"});
    BOOST_TEST(corrupt.exit_code == 1, corrupt.err);
    BOOST_TEST(corrupt.err.find("cannot read " + dir.file("access.log.xz") + ": xz: corrupt data") != std::string::npos,
               corrupt.err);
    // gzip data that does not begin the file (after a blank line: `cat` of two files, say) is
    // not inflated, and its lines are said to be compressed.
    test::write_file(dir.file("access.log.1"), log);
    BOOST_TEST_REQUIRE(run({"/bin/gzip", "-f", dir.file("access.log.1")}).exit_code == 0);
    test::write_file(dir.file("joined.log"), "\n" + test::read_file(dir.file("access.log.1.gz")) + "\n");
    const auto gz = run({test::hitwatchd(), "--replay", dir.file("joined.log"), "--output", "json"});
    BOOST_TEST(gz.exit_code == 3, gz.err);
    BOOST_TEST(gz.err.find("compressed input: pipe it through zcat") != std::string::npos, gz.err);
    const auto reports = of_type(json_lines(gz.out), "report");
    BOOST_TEST_REQUIRE(reports.size() == 1u);
    BOOST_TEST(n(reports[0].at("invalid")) >= 1);
    BOOST_TEST(n(reports[0].at("hits")) == 0);

    const std::string error_log =
        "[Wed Nov 26 10:00:00.123456 2026] [core:error] [pid 12] [client 10.0.0.1:5] AH00037: Symbolic link not allowed\n"
        "[Wed Nov 26 10:00:01.000001 2026] [ssl:warn] [pid 12] AH01909: server certificate does NOT include an ID\n";
    const auto errors = replay(dir, error_log);
    BOOST_TEST(errors.exit_code == 3);
    BOOST_TEST(errors.err.find("an error log, not an access log (2 lines)") != std::string::npos, errors.err);
    BOOST_TEST(of_type(json_lines(errors.out), "report").size() == 1u);

    const auto empty = replay(dir, "");  // nothing at all is not a wrong format
    BOOST_TEST(empty.exit_code == 0);

    const auto one = replay(dir, "garbage\n");  // said "(1 lines)" before
    BOOST_TEST(one.exit_code == 3);
    BOOST_TEST(one.err.find("expected a client host (IP address or name) (1 line)") != std::string::npos, one.err);
    BOOST_TEST(one.err.find("replayed 1 line: 0 hits, 1 invalid") != std::string::npos, one.err);
}

namespace {

// A replay of standard input from a FIFO whose writer stays open, on `threads` threads.
struct PipedReplay {
    test::TempDir dir;
    int writer = -1;
    std::unique_ptr<test::Background> replay;

    explicit PipedReplay(const std::string& threads, const std::vector<std::string>& extra = {},
                         const std::string& err = "") {
        const std::string fifo = dir.file("input.fifo");
        BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        // Opened read-write (never blocks) before the spawn, whose child opens it to read.
        writer = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
        BOOST_TEST_REQUIRE(writer >= 0);
        std::vector<std::string> argv = {test::hitwatchd(), "--replay", "-", "--output", "json", "--threads", threads};
        argv.insert(argv.end(), extra.begin(), extra.end());
        replay = std::make_unique<test::Background>(argv, dir.file("out"), err.empty() ? dir.file("err") : err, fifo);
    }
    ~PipedReplay() {
        if (writer >= 0) ::close(writer);
    }
    void write(const std::string& text) {
        BOOST_TEST_REQUIRE(::write(writer, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    }
    std::vector<boost::json::object> reports() const { return of_type(json_lines(test::read_file(dir.file("out"))), "report"); }
};

// One line every 5 s from 10:00:00 to 10:03:10.
std::string every_5_seconds() {
    std::string log;
    for (int second = 0; second <= 190; second += 5) {
        char time[16];
        std::snprintf(time, sizeof time, "10:%02d:%02d", second / 60, second % 60);
        log += line("/a", time);
    }
    return log;
}

}  // namespace

// A replay of files into a file holds its reports and writes them 64 KiB at a time (a month
// of 10 s intervals was 518,400 system calls, a write and a seek a report). Stopped in the
// middle by SIGTERM, it still writes every report it made, whole, then the summary: those of
// the whole replay, up to where it stopped.
BOOST_AUTO_TEST_CASE(reports_held_for_a_file_are_all_written_when_a_signal_stops_the_replay) {
    test::TempDir dir;
    test::write_file(dir.file("access.log"), three_days_of_a_request_a_second());
    const std::vector<std::string> argv = {test::hitwatchd(), "--replay", dir.file("access.log"), "--output", "json"};
    const auto whole = run(argv);  // into a file too: held, the last 64 KiB written at the end
    BOOST_TEST_REQUIRE(whole.exit_code == 0, whole.err);
    const auto whole_reports = of_type(json_lines(whole.out), "report");
    BOOST_TEST_REQUIRE(whole_reports.size() == 25920u);
    // On 2 threads the stop was looked at only while the counting thread waited for a part, which
    // it may never do: all 25,920 reports came, and then "stopped".
    for (const char* threads : {"1", "2"}) {
        BOOST_TEST_CONTEXT("threads " << threads) {
            std::vector<std::string> with_threads = argv;
            with_threads.insert(with_threads.end(), {"--threads", threads});
            bool stopped_midway = false;
            for (int attempt = 0; attempt < 5 && !stopped_midway; ++attempt) {
                std::filesystem::remove(dir.file("out"));
                test::Background replay(with_threads, dir.file("out"), dir.file("err"));
                // Its first 64 KiB written: a signal now lands well before the end.
                const auto until = std::chrono::steady_clock::now() + 20s;
                while (test::read_file(dir.file("out")).empty() && std::chrono::steady_clock::now() < until) {
                    std::this_thread::sleep_for(1ms);
                }
                replay.signal(SIGTERM);
                const int code = replay.wait();
                const auto lines = json_lines(test::read_file(dir.file("out")));  // every line whole
                BOOST_TEST_REQUIRE(!lines.empty());
                BOOST_TEST_REQUIRE(lines.back().at("type") == "summary");
                const auto reports = of_type(lines, "report");
                BOOST_TEST(add_up(reports).hits == n(lines.back().at("hits")));
                if (code == 0) continue;  // it ended first
                stopped_midway = true;
                BOOST_TEST(code == 128 + SIGTERM);
                BOOST_TEST(n(lines.back().at("stopped_by_signal")) == SIGTERM);
                BOOST_TEST_REQUIRE(reports.size() < whole_reports.size());
                BOOST_TEST_MESSAGE("stopped after " << reports.size() << " of " << whole_reports.size() << " reports");
                // All but the last, the interval it stopped in (partial).
                for (std::size_t i = 0; i + 1 < reports.size(); ++i) {
                    BOOST_TEST_REQUIRE(reports[i] == whole_reports[i], i);
                }
                BOOST_TEST(reports.back().at("partial") == true);
            }
            BOOST_TEST(stopped_midway);
        }
    }
}

// The write system calls a process made so far (/proc/PID/io).
long writes_made(int pid) {
    const std::string io = test::read_file("/proc/" + std::to_string(pid) + "/io");
    const auto at = io.find("syscw: ");
    return at == std::string::npos ? -1 : std::stol(io.substr(at + 7));
}

// --report-file in a replay wrote each report with a write and a seek, as standard output did
// before it was held: three days of a request a second were 25,920 writes. It is held now, and
// written 64 KiB at a time. Stopped by SIGTERM midway, the file has every report made, whole,
// then the summary; a replay into a pipe or a FIFO still writes each report at once.
BOOST_AUTO_TEST_CASE(the_report_file_of_a_replay_is_written_64_kib_at_a_time) {
    test::TempDir dir;
    test::write_file(dir.file("access.log"), three_days_of_a_request_a_second());
    const std::string file = dir.file("reports.json");
    const std::vector<std::string> argv = {test::hitwatchd(), "--replay", dir.file("access.log"), "--output", "none",
                                           "--report-file", file};
    bool stopped_midway = false;
    for (int attempt = 0; attempt < 5 && !stopped_midway; ++attempt) {
        std::filesystem::remove(file);
        test::Background replay(argv, dir.file("out"), dir.file("err"));
        const auto until = std::chrono::steady_clock::now() + 20s;
        while (test::read_file(file).empty() && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(1ms);
        }
        const long writes = writes_made(replay.pid());
        const std::string out = test::read_file(file);  // its lines whole, but a write going on
        const auto reports_out = of_type(json_lines(out.substr(0, out.rfind('\n') + 1)), "report").size();
        replay.signal(SIGTERM);
        const int code = replay.wait();
        BOOST_TEST_MESSAGE(writes << " writes for the first " << reports_out << " reports");
#ifndef HITWATCH_SANITIZED  // AddressSanitizer writes to a pipe of its own to test memory (207 a run)
        BOOST_TEST(writes < 20 + static_cast<long>(reports_out) / 20,
                   writes << " writes, " << reports_out << " reports");
#endif
        const auto lines = json_lines(test::read_file(file));  // every line whole
        BOOST_TEST_REQUIRE(!lines.empty());
        BOOST_TEST_REQUIRE(lines.back().at("type") == "summary");
        BOOST_TEST(add_up(of_type(lines, "report")).hits == n(lines.back().at("hits")));
        if (code == 0) continue;  // it ended first
        stopped_midway = true;
        BOOST_TEST(code == 128 + SIGTERM);
        BOOST_TEST(of_type(lines, "report").size() < 25920u);
    }
    BOOST_TEST(stopped_midway);
    // Into a FIFO, whose reader may want each report as it comes, they are not held, and are
    // the same.
    BOOST_TEST_REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
    const std::string day = three_days_of_a_request_a_second().substr(0, 86400 * 70);
    test::write_file(dir.file("day.log"), day.substr(0, day.rfind('\n') + 1));
    const auto into = [&](const std::string& path) {
        return std::vector<std::string>{test::hitwatchd(), "--replay", dir.file("day.log"), "--output", "none",
                                        "--report-file", path};
    };
    std::filesystem::remove(file);
    BOOST_TEST_REQUIRE(run(into(file)).exit_code == 0);
    test::Background replay(into(dir.file("fifo")), dir.file("out"), dir.file("err"));
    const std::string read = test::read_file(dir.file("fifo"));
    BOOST_TEST(replay.wait() == 0);
    const auto held = of_type(json_lines(test::read_file(file)), "report");
    BOOST_TEST(held.size() > 8000u);
    BOOST_TEST((of_type(json_lines(read), "report") == held));
}

// SIGUSR1 asks a replay for its summary so far, of the intervals reported so far; but into a
// file the reports are held, and the file lagged that summary by up to 64 KiB of reports. They
// are now written first. Caught as it says its answer (its standard error a full pipe), the
// replay's file holds every hit the summary so far counts.
BOOST_AUTO_TEST_CASE(sigusr1_writes_the_reports_held_for_a_file_before_its_summary_so_far) {
    test::TempDir dir;
    test::write_file(dir.file("access.log"), three_days_of_a_request_a_second());
    for (const char* threads : {"1", "2"}) {
        BOOST_TEST_CONTEXT("threads " << threads) {
            test::TempDir run;
            SlowStderr err(run);
            test::Background replay({test::hitwatchd(), "--replay", dir.file("access.log"), "--output", "json",
                                     "--threads", threads}, run.file("out"), err.path);
            // Its first 64 KiB written: well before its end. Then its next word to standard error waits.
            BOOST_TEST_REQUIRE(test::wait_for([&] { return !test::read_file(run.file("out")).empty(); }, 20s));
            err.fill();
            replay.signal(SIGUSR1);
            BOOST_TEST_REQUIRE(test::wait_for([&] { return writing_to_stderr(replay.pid()); }, 20s));
            const std::string held_out = test::read_file(run.file("out"));
            std::string said;
            BOOST_TEST_REQUIRE(test::wait_for([&] { return said += err.drain(), !replay.alive(); }, 20s));
            said += err.drain();
            BOOST_TEST_REQUIRE(replay.wait() == 0);
            const auto at = said.find("summary so far: ");
            BOOST_TEST_REQUIRE(at != std::string::npos, said);
            const auto so_far = boost::json::parse(said.substr(at + 16, said.find('\n', at) - at - 16)).as_object();
            const auto reports = of_type(json_lines(held_out), "report");  // every line whole
            BOOST_TEST_MESSAGE(reports.size() << " reports out when it answered");
            BOOST_TEST(reports.size() < 25920u);  // caught in the middle
            BOOST_TEST(add_up(reports).hits == n(so_far.at("hits")));
        }
    }
}

// SIGTERM while a replay answered SIGUSR1 (its log line waiting on a slow standard error: the
// journal, a paused pager) was set aside: the replay went back to reading its quiet pipe and
// stopped only when more came (`systemctl stop` of `tail -F access.log | hitwatchd --replay -`
// waited for the next request, or for SIGKILL). A SIGHUP then waited the same way. Both are
// now answered as soon as the answer is out.
BOOST_AUTO_TEST_CASE(a_sigterm_while_a_replay_answers_sigusr1_stops_it) {
    for (const char* threads : {"1", "2"}) {
        BOOST_TEST_CONTEXT("threads " << threads) {
            test::TempDir run;
            SlowStderr err(run);
            PipedReplay piped(threads, {}, err.path);
            piped.write(every_5_seconds());
            std::string said;
            BOOST_TEST_REQUIRE(test::wait_for([&] { return (said += err.drain()).find(": combined (39 of") !=
                                                           std::string::npos; }, 10s));
            err.fill();
            piped.replay->signal(SIGUSR1);
            BOOST_TEST_REQUIRE(test::wait_for([&] { return writing_to_stderr(piped.replay->pid()); }, 10s));
            piped.replay->signal(SIGHUP);
            piped.replay->signal(SIGTERM);
            // The writer stays open and quiet: only the signal can end the replay.
            const bool stopped = test::wait_for([&] { return said += err.drain(), !piped.replay->alive(); }, 10s);
            BOOST_TEST_REQUIRE(stopped, "still reading its quiet pipe: " << said);
            said += err.drain();
            BOOST_TEST(piped.replay->wait() == 128 + SIGTERM);
            BOOST_TEST(said.find("status: replaying standard input; 39 lines read") != std::string::npos, said);
            BOOST_TEST(said.find("summary so far: ") != std::string::npos, said);
            BOOST_TEST(said.find("SIGHUP: a replay has no configuration to reload") != std::string::npos, said);
            BOOST_TEST(said.find("replay stopped before the end") != std::string::npos, said);
            BOOST_TEST(add_up(piped.reports()).hits == 39);
        }
    }
}

// O_NONBLOCK belongs to an open file description, which a terminal shares with every program
// run in it: one that sets it and leaves it (Node.js can) makes reads and writes fail with
// EAGAIN for those after it ("make: write error"). A replay whose standard output was so lost
// every report its reader had no room for yet (168 of the corpus' 230 out, exit 1); one whose
// standard input was so stopped at its first wait ("cannot read standard input: Resource
// temporarily unavailable", 286 of 10,000 lines read). Both now wait as on a blocking descriptor.
BOOST_AUTO_TEST_CASE(a_replay_waits_on_a_standard_input_or_output_left_non_blocking) {
    std::signal(SIGPIPE, SIG_IGN);  // a replay that ended early closes the pipe the test writes
    test::TempDir dir;
    const std::string corpus = test::read_file(CORPUS "/apache_logs");
    const auto usual = run({test::hitwatchd(), "--replay", "-", "--output", "json"}, CORPUS "/apache_logs");
    BOOST_TEST_REQUIRE(usual.exit_code == 0, usual.err);
    const auto usual_lines = json_lines(usual.out);
    BOOST_TEST_REQUIRE(of_type(usual_lines, "report").size() == 230u);
    const auto same = [&](const std::vector<boost::json::object>& lines) {
        BOOST_TEST(lines.size() == usual_lines.size());
        if (lines.size() != usual_lines.size()) return;
        for (std::size_t i = 0; i + 1 < lines.size(); ++i) BOOST_TEST_REQUIRE(lines[i] == usual_lines[i], i);
        BOOST_TEST(n(lines.back().at("hits")) == 9999);
    };
    {
        // Its output read only once it waits for room (or has ended), then all of it.
        OnNonBlockingPipe replay({test::hitwatchd(), "--replay", CORPUS "/apache_logs", "--output", "json"},
                                 STDOUT_FILENO, "", dir.file("err1"));
        BOOST_TEST_REQUIRE(test::wait_for([&] { return replay.waits_or_ended(); }, 20s));
        std::string out;
        char buffer[65536];
        for (ssize_t got; (got = ::read(replay.ours, buffer, sizeof buffer)) > 0;) out.append(buffer, got);
        BOOST_TEST(replay.wait() == 0, test::FileWhenPrinted{dir.file("err1")});
        same(json_lines(out));
    }
    {
        // Its input one line, then, once it waits for more (or has ended), the rest.
        OnNonBlockingPipe replay({test::hitwatchd(), "--replay", "-", "--output", "json"}, STDIN_FILENO,
                                 dir.file("out2"), dir.file("err2"));
        const std::size_t first = corpus.find('\n') + 1;
        BOOST_TEST_REQUIRE(::write(replay.ours, corpus.data(), first) == static_cast<ssize_t>(first));
        BOOST_TEST_REQUIRE(test::wait_for([&] { return replay.waits_or_ended(); }, 20s));
        (void)::write(replay.ours, corpus.data() + first, corpus.size() - first);  // EPIPE if it ended
        ::close(std::exchange(replay.ours, -1));
        BOOST_TEST(replay.wait() == 0, test::FileWhenPrinted{dir.file("err2")});
        same(json_lines(test::read_file(dir.file("out2"))));
    }
}

// `hitwatchd --replay month.log | head`: head read its lines and left, and the replay went on
// to the end of the month, minutes of work for no one (here, all 259,200 lines were read).
// With nothing else taking the reports it now stops once its reader has gone, as a filter
// killed by SIGPIPE would, and says why; with a page to write, it still reads it all.
BOOST_AUTO_TEST_CASE(a_replay_stops_when_its_only_reader_goes_away) {
    test::TempDir dir;
    test::write_file(dir.file("access.log"), three_days_of_a_request_a_second());
    const std::string fifo = dir.file("out.fifo");
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    for (const bool page : {false, true}) {
        BOOST_TEST_CONTEXT((page ? "with --report-html" : "standard output alone")) {
            std::vector<std::string> argv = {test::hitwatchd(), "--replay", dir.file("access.log"), "--output", "json"};
            if (page) argv.insert(argv.end(), {"--report-html", dir.file("report.html")});
            // The reader, there before the replay opens the FIFO to write: it reads some, then goes.
            int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
            BOOST_TEST_REQUIRE(reader >= 0);
            const std::string err_file = dir.file(page ? "err.page" : "err.alone");
            test::Background replay(argv, fifo, err_file);
            char buffer[4096];
            BOOST_TEST_REQUIRE(test::wait_for([&] { return ::read(reader, buffer, sizeof buffer) > 0; }, 20s));
            ::close(reader);
            BOOST_TEST(replay.wait() == 1);  // a closed standard output, as before
            const std::string err = test::read_file(err_file);
            const auto at = err.find("info: replayed ");
            BOOST_TEST_REQUIRE(at != std::string::npos, err);
            const long read = std::stol(err.substr(at + 15));
            BOOST_TEST_MESSAGE(read << " lines read");
            const bool stopped = err.find("standard output's reader went away and nothing else takes the reports: "
                                          "replay stopped before the end of " + dir.file("access.log")) !=
                                 std::string::npos;
            if (page) {
                BOOST_TEST(read == 3 * 86400);
                BOOST_TEST(!stopped, err);
                BOOST_TEST(std::filesystem::exists(dir.file("report.html")));
            } else {
                BOOST_TEST(read < 3 * 86400);
                BOOST_TEST(stopped, err);
            }
        }
    }
}

// A replay whose standard output is not read (a pager held, a terminal stopped by ^S, a
// consumer that hangs) waits in write(2) for room. SIGTERM and SIGINT interrupted that write,
// which began again at once: the replay stopped only when its reader read again, or never
// (each case below ran on for its 10 s). Now a stop signal gives such an output up after
// os::kStoppingWaitMs: the replay says so, ends the way a stop signal ends it, and its page is
// written. A terminal stopped by ^S holds standard error too (the last cases): the replay then
// gives that up as well, or its word that it gave up standard output would hold it.
BOOST_AUTO_TEST_CASE(a_stop_signal_ends_a_replay_whose_standard_output_is_not_read) {
    test::TempDir dir;
    test::write_file(dir.file("access.log"), three_days_of_a_request_a_second());  // 8 MB of reports
    const std::string fifo = dir.file("out.fifo");
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    struct Case {
        const char* threads;
        int stop;
        bool stderr_too;
    };
    for (const Case c : {Case{"1", SIGTERM, false}, Case{"2", SIGINT, false}, Case{"1", SIGTERM, true},
                         Case{"2", SIGTERM, true}}) {
        BOOST_TEST_CONTEXT("threads " << c.threads << ", signal " << c.stop << (c.stderr_too ? ", stderr too" : "")) {
            // The reader, there before the replay opens the FIFO to write, never reads.
            const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
            BOOST_TEST_REQUIRE(reader >= 0);
            const std::string err_path = c.stderr_too ? fifo : dir.file("err");
            test::Background replay({test::hitwatchd(), "--replay", dir.file("access.log"), "--output", "json",
                                     "--threads", c.threads, "--report-html", dir.file("report.html")},
                                    fifo, err_path);
            BOOST_TEST_REQUIRE(test::wait_for([&] { return writing_to(replay.pid(), STDOUT_FILENO); }, 20s));
            replay.signal(c.stop);
            const bool stopped = test::wait_for([&] { return !replay.alive(); }, 10s);
            ::close(reader);  // (a replay still running now meets EPIPE, and ends)
            const std::string err = c.stderr_too ? std::string() : test::read_file(err_path);
            BOOST_TEST_REQUIRE(stopped, err);
            BOOST_TEST(replay.wait() == 128 + c.stop);
            const std::string page = test::read_file(dir.file("report.html"));
            BOOST_TEST(page.find("\"stopped_by_signal\":" + std::to_string(c.stop)) != std::string::npos);
            std::filesystem::remove(dir.file("report.html"));
            if (c.stderr_too) continue;
            BOOST_TEST(err.find("standard output did not take the reports after signal " + std::to_string(c.stop) +
                                " (for 2 s): nothing more is written to it") != std::string::npos, err);
            BOOST_TEST(err.find("replay stopped before the end") != std::string::npos, err);
        }
    }
}

// Told to stop while it waited on its input, a replay still had the interval in progress and
// the summary to write, to an output already full, and that write waited for good (each case
// below ran on for its 10 s). It now waits os::kStoppingWaitMs for room, then gives the output up.
BOOST_AUTO_TEST_CASE(a_replay_told_to_stop_gives_up_an_output_that_stays_full) {
    for (const char* threads : {"1", "2"}) {
        BOOST_TEST_CONTEXT("threads " << threads) {
            test::TempDir dir;
            const std::string in = dir.file("in.fifo"), out = dir.file("out.fifo");
            BOOST_TEST_REQUIRE(::mkfifo(in.c_str(), 0600) == 0);
            BOOST_TEST_REQUIRE(::mkfifo(out.c_str(), 0600) == 0);
            // The test's ends, read-write so that opening them never blocks: the input stays open
            // and quiet, and the output is filled before the replay writes a byte, and never read.
            const int writer = ::open(in.c_str(), O_RDWR | O_CLOEXEC);
            int full = ::open(out.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
            BOOST_TEST_REQUIRE((writer >= 0 && full >= 0));
            while (::write(full, ".", 1) == 1) {
            }
            test::Background replay({test::hitwatchd(), "--replay", "-", "--output", "json", "--threads", threads},
                                    out, dir.file("err"), in);
            const std::string lines = line("/a", "10:00:01") + line("/b", "10:00:02");  // one interval, not ended
            BOOST_TEST_REQUIRE(::write(writer, lines.data(), lines.size()) == static_cast<ssize_t>(lines.size()));
            BOOST_TEST_REQUIRE(test::wait_for([&] {
                return test::read_file(dir.file("err")).find(": combined (2 of") != std::string::npos;
            }, 10s));
            replay.signal(SIGTERM);
            const bool stopped = test::wait_for([&] { return !replay.alive(); }, 10s);
            ::close(full);  // (a replay still running now meets EPIPE, and ends)
            ::close(writer);
            const std::string err = test::read_file(dir.file("err"));
            BOOST_TEST_REQUIRE(stopped, err);
            BOOST_TEST(replay.wait() == 128 + SIGTERM);
            BOOST_TEST(err.find("standard output did not take the reports after signal 15") != std::string::npos, err);
            BOOST_TEST(err.find("replayed 2 lines: 2 hits") != std::string::npos, err);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_sigterm_in_the_middle_of_a_replay_flushes_the_reports_read_so_far) {
    // Before: the reports still in the stdout buffer were lost (0 of 19 printed). And the
    // summary and the --report-html page looked like those of the whole log.
    for (const char* threads : {"1", "2"}) {
        test::TempDir pages;
        PipedReplay piped(threads, {"--report-html", pages.file("report.html")});
        piped.write(every_5_seconds());
        std::this_thread::sleep_for(1s);  // read; the writer stays open, so the replay waits for more
        piped.replay->signal(SIGTERM);
        BOOST_TEST(piped.replay->wait() == 128 + SIGTERM);
        const auto reports = piped.reports();
        BOOST_TEST(reports.size() == 20u, threads);  // 19 whole intervals and the one in progress
        BOOST_TEST(add_up(reports).hits == 39, threads);
        BOOST_TEST(test::read_file(piped.dir.file("err")).find("replay stopped before the end") != std::string::npos);
        const auto summaries = of_type(json_lines(test::read_file(piped.dir.file("out"))), "summary");
        BOOST_TEST_REQUIRE(summaries.size() == 1u);
        BOOST_TEST(n(summaries[0].at("stopped_by_signal")) == SIGTERM);
        BOOST_TEST(test::read_file(pages.file("report.html")).find("\"stopped_by_signal\":15") != std::string::npos);
    }
    // A replay that reads to the end says nothing of the kind.
    test::TempDir dir;
    const auto whole = replay(dir, every_5_seconds());
    const auto summaries = of_type(json_lines(whole.out), "summary");
    BOOST_TEST_REQUIRE(summaries.size() == 1u);
    BOOST_TEST(!summaries[0].contains("stopped_by_signal"));
    const auto text = replay_as_text(dir, every_5_seconds());
    BOOST_TEST(text.out.find("== summary ==") != std::string::npos, text.out);
    BOOST_TEST(text.out.find("stopped by signal") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(lines_from_a_pipe_are_counted_while_the_writer_waits) {
    // `tail -f access.log | hitwatchd --replay -`: what came is reported without waiting for
    // more. Before, on several threads, a chunk was counted only once the next read returned,
    // so the 19 intervals finished waited for the writer's next line (0 reports).
    for (const char* threads : {"1", "2"}) {
        PipedReplay piped(threads);
        piped.write(every_5_seconds());
        BOOST_TEST(test::wait_for([&] { return piped.reports().size() == 19u; }, 5s), threads);
        piped.write(line("/b", "10:03:25"));  // ends the interval of 10:03:10
        BOOST_TEST(test::wait_for([&] { return piped.reports().size() == 20u; }, 5s), threads);
        BOOST_TEST(add_up(piped.reports()).hits == 39, threads);
        ::close(piped.writer);
        piped.writer = -1;
        BOOST_TEST(piped.replay->wait() == 0);
        BOOST_TEST(add_up(piped.reports()).hits == 40, threads);
    }
}

BOOST_AUTO_TEST_CASE(one_absurd_timestamp_does_not_pull_the_log_into_one_interval) {
    test::TempDir dir;
    std::string log;
    for (int second = 0; second < 60; ++second) {
        char time[16];
        std::snprintf(time, sizeof time, "10:00:%02d", second);
        log += line("/a", time);
        if (second == 20) log += "10.0.0.1 - - [20/Nov/2099:10:00:00 +0000] \"GET /future HTTP/1.1\" 200 5\n";
    }
    const auto r = replay(dir, log);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto reports = of_type(json_lines(r.out), "report");
    BOOST_TEST(reports.size() == 6u);  // 10:00:00 .. 10:01:00, not 2099
    BOOST_TEST(add_up(reports).hits == 61);
    BOOST_TEST(reports.back().at("interval_end") == "2025-11-20T10:01:00Z");
    BOOST_TEST(r.err.find("is dated 2099-11-20T10:00:00Z, more than 3600 s (--max-skew) ahead") != std::string::npos,
               r.err);
    // A real gap (a sparse log) is confirmed by the line after it: each line in its own interval.
    const auto sparse = replay(dir, line("/a", "10:00:00") + line("/b", "14:00:00") + line("/c", "18:00:00"));
    const auto at = of_type(json_lines(sparse.out), "report");
    BOOST_TEST_REQUIRE(at.size() == 3u);
    BOOST_TEST(at[1].at("interval_start") == "2025-11-20T14:00:00Z");
    BOOST_TEST(at[2].at("interval_start") == "2025-11-20T18:00:00Z");
    BOOST_TEST(sparse.err.find("max-skew") == std::string::npos, sparse.err);
}

BOOST_AUTO_TEST_CASE(a_sparse_log_prints_its_traffic_not_its_silence_unless_asked) {
    // Before: about 13 empty reports a hit for a hit every 140 s.
    test::TempDir dir;
    std::string log;
    for (int i = 0; i < 10; ++i) {
        const int second = i * 140;
        char time[16];
        std::snprintf(time, sizeof time, "10:%02d:%02d", second / 60, second % 60);
        log += line("/a", time);
    }
    const auto r = replay(dir, log, {"--alert-rule", "absolute", "--alert-threshold", "1"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(of_type(json_lines(r.out), "report").size() == 10u);
    const auto all = replay(dir, log, {"--alert-rule", "absolute", "--alert-threshold", "1", "--all-intervals"});
    BOOST_TEST(of_type(json_lines(all.out), "report").size() > 100u);
}

BOOST_AUTO_TEST_CASE(absurd_option_values_are_usage_errors_with_the_allowed_range) {
    // Before: --alert-window 2000000000 and --max-line 1e12 aborted (rc 134),
    // --max-line 18446744073709551615 passed and then stopped reading, --top -1 meant "all".
    test::TempDir dir;
    test::write_file(dir.file("access.log"), line("/a"));
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--alert-window", "2000000000"}, "--alert-window must be a whole number from 1 to 86400"},
        {{"--max-line", "1e12"}, "--max-line must be a whole number from 256 to 16777216"},
        {{"--max-line", "18446744073709551615"}, "--max-line must be a whole number from 256 to 16777216"},
        {{"--top", "-1"}, "--top must be a whole number from 0 to 10000"},
        {{"--max-sections", "5"}, "--max-sections must be a whole number from 10 to 1000000"},
    };
    for (const auto& [args, message] : cases) {
        std::vector<std::string> argv = {test::hitwatchd(), "--replay", dir.file("access.log")};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto r = run(argv);
        BOOST_TEST(r.exit_code == 2, args[0] << " " << args[1]);
        BOOST_TEST(r.err.find(message) != std::string::npos, r.err);
    }
    const auto checked = run({test::hitwatchd(), "--check-config", "--config", "/dev/null", "--max-line",
                              "18446744073709551615", "--replay", "-"});
    BOOST_TEST(checked.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(no_log_line_reaches_the_terminal_raw) {
    // Before: a sample of a line that matched no format was printed as read: an escape
    // sequence coloured the operator's terminal, and a .gz replayed by mistake printed binary.
    test::TempDir dir;
    const auto coloured = replay(dir, "\x1b[31mred\x1b[0m is no log line \xff\xfe caf\xc3\xa9\n");
    BOOST_TEST(coloured.err.find('\x1b') == std::string::npos, coloured.err);
    BOOST_TEST(coloured.err.find("\\x1b[31mred") != std::string::npos, coloured.err);
    BOOST_TEST(coloured.err.find("\\xff\\xfe caf\xc3\xa9") != std::string::npos, coloured.err);  // valid UTF-8 kept
    std::string gzip = "\x1f\x8b\x08\x00";
    for (int c = 0; c < 256; ++c) gzip += static_cast<char>(c);
    const auto binary = replay(dir, gzip + "\n");
    for (const char c : binary.err) {
        const auto byte = static_cast<unsigned char>(c);
        BOOST_TEST((byte == '\n' || (byte >= 0x20 && byte < 0x7f)), "byte " << int(byte) << " in: " << binary.err);
    }
}

BOOST_AUTO_TEST_CASE(a_half_written_last_line_is_left_out_and_said) {
    // Before: replaying a file being written counted its half-written last line invalid.
    test::TempDir dir;
    const std::string whole = line("/a");
    const auto half = replay(dir, whole + whole.substr(0, 40));
    BOOST_TEST_REQUIRE(half.exit_code == 0, half.err);
    const auto summary = of_type(json_lines(half.out), "summary").at(0);
    BOOST_TEST(n(summary.at("hits")) == 1);
    BOOST_TEST(n(summary.at("invalid")) == 0);
    BOOST_TEST(summary.at("unterminated_last_line") == true);
    BOOST_TEST(count_of(half.err, "the last line of " + dir.file("access.log") + " has no newline and does not parse: left out") == 1);
    // One that parses counts, as a line written whole does.
    const auto parsed = replay(dir, whole + whole.substr(0, whole.size() - 1));
    const auto s = of_type(json_lines(parsed.out), "summary").at(0);
    BOOST_TEST(n(s.at("hits")) == 2);
    BOOST_TEST(s.at("unterminated_last_line") == true);
    BOOST_TEST(parsed.err.find("no newline") == std::string::npos);
    const auto ended = replay(dir, whole);
    BOOST_TEST(of_type(json_lines(ended.out), "summary").at(0).at("unterminated_last_line") == false);
}

BOOST_AUTO_TEST_CASE(json_numbers_that_are_no_byte_counts_are_invalid_lines) {
    // Before: a replay of one good line of 10 bytes and six lines with "nan", "inf", 1e300,
    // -1 and the like as their bytes said 7 hits (6 in Release) and 0 or 9776627963145224202
    // bytes.
    test::TempDir dir;
    std::string log;
    for (const char* bytes : {"10", R"("nan")", R"("inf")", "1e300", "-1", R"("1e19")", R"("9e18")"}) {
        log += std::string(R"({"time":"2026-11-20T10:00:00Z","request":"GET /a HTTP/1.1","status":200,"body_bytes_sent":)") +
               bytes + "}\n";
    }
    const auto r = replay(dir, log);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto s = of_type(json_lines(r.out), "summary").at(0);
    BOOST_TEST(n(s.at("hits")) == 1);
    BOOST_TEST(n(s.at("bytes")) == 10);
    BOOST_TEST(n(s.at("invalid_reasons").at("bad_bytes")) == 6);
}

namespace {

// `lines` lines for `target` from `hour`:00:00 on 20 Nov 2025, one a second.
std::string lines_from(const std::string& hour, const std::string& target, int lines) {
    std::string text;
    for (int i = 0; i < lines; ++i) {
        char time[16];
        std::snprintf(time, sizeof time, "%s:%02d:%02d", hour.c_str(), i / 60, i % 60);
        text += line(target, time);
    }
    return text;
}

void gzip(const std::string& path) { BOOST_TEST_REQUIRE(run({"/bin/gzip", "-f", path}).exit_code == 0); }

}  // namespace

BOOST_AUTO_TEST_CASE(several_files_gzip_ones_too_are_one_log_read_oldest_first) {
    // logrotate's names as the shell expands access.log*: newest first, two of them gzip.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log + ".3", lines_from("10", "/three", 300));
    test::write_file(log + ".2", lines_from("11", "/two", 300));
    test::write_file(log + ".1", lines_from("12", "/one", 300));
    test::write_file(log, lines_from("13", "/now", 300));
    test::write_file(dir.file("all.log"), test::read_file(log + ".3") + test::read_file(log + ".2") +
                                              test::read_file(log + ".1") + test::read_file(log));
    gzip(log + ".3");
    gzip(log + ".2");
    const auto several = run({test::hitwatchd(), "--replay", log, log + ".1", log + ".2.gz", log + ".3.gz", "--output", "json"});
    BOOST_TEST(several.exit_code == 0, several.err);
    const auto one = run({test::hitwatchd(), "--replay", dir.file("all.log"), "--output", "json"});
    // The same reports as the files joined, oldest first (the summary's speed aside).
    BOOST_TEST(reports(several.out) == reports(one.out));
    const auto totals = add_up(of_type(json_lines(several.out), "report"));
    BOOST_TEST(totals.hits == 1200);
    BOOST_TEST(several.err.find("replaying " + log + ".3.gz (gzip)") < several.err.find("replaying " + log + ".2.gz"));
    BOOST_TEST(several.err.find("replaying " + log + ".1") < several.err.find("replaying " + log + "\n"));
    BOOST_TEST(several.err.find("before the lines read so far") == std::string::npos, several.err);
}

// A file is dated by its first 100 valid lines, read as far as they are (up to 1 MiB): a file
// read no further than it had to be (32 KiB, then more) is dated by them however far in they
// begin, and a file whose valid lines begin past the first MiB is not dated.
BOOST_AUTO_TEST_CASE(files_are_dated_by_their_first_valid_lines_however_far_in_they_begin) {
    test::TempDir dir;
    std::string invalid;
    while (invalid.size() < 200 * 1024) invalid += "not an access log line, " + std::string(70, 'x') + "\n";
    const std::string older = invalid + lines_from("10", "/old", 300);
    const std::string newer = lines_from("11", "/new", 300);
    std::string undated;  // its first valid line 1.2 MiB in
    for (int i = 0; i < 6; ++i) undated += invalid;
    undated += lines_from("09", "/late", 30);
    test::write_file(dir.file("access.log.1"), older);
    test::write_file(dir.file("access.log"), newer);
    test::write_file(dir.file("access.log.2"), undated);
    gzip(dir.file("access.log.1"));
    test::write_file(dir.file("all.log"), older + newer + undated);
    // Newest first, as the shell expands access.log*; the file with no date is read last.
    const auto several = run({test::hitwatchd(), "--replay", dir.file("access.log"), dir.file("access.log.1.gz"),
                              dir.file("access.log.2"), "--output", "json"});
    BOOST_TEST(several.exit_code == 0, several.err);
    const auto one = run({test::hitwatchd(), "--replay", dir.file("all.log"), "--output", "json"});
    BOOST_TEST(reports(several.out) == reports(one.out));
    BOOST_TEST(several.err.find("replaying " + dir.file("access.log.1.gz")) <
               several.err.find("replaying " + dir.file("access.log") + "\n"), several.err);
}

// `ssh web1 cat access.log.2.gz | hitwatchd --replay -`, or `< access.log.2.gz`: a file is
// inflated, standard input was read as text, every line of it invalid ("compressed input").
// So was a pipe named by a path, as the shell's <(ssh web1 cat access.log.2.gz) names one
// (/dev/fd/63: 875 lines, all invalid, exit 3); it is now inflated as standard input is.
BOOST_AUTO_TEST_CASE(gzip_on_standard_input_is_inflated) {
    test::TempDir dir;
    const std::string corpus = test::read_file(CORPUS "/apache_logs");
    test::write_file(dir.file("access.log"), corpus);
    const auto plain = run({test::hitwatchd(), "--replay", dir.file("access.log"), "--output", "json"});
    BOOST_TEST_REQUIRE(plain.exit_code == 0, plain.err);
    // Two members, as `cat a.gz b.gz` makes.
    const std::size_t half = corpus.find('\n', corpus.size() / 2) + 1;
    test::write_file(dir.file("one"), corpus.substr(0, half));
    test::write_file(dir.file("two"), corpus.substr(half));
    gzip(dir.file("one"));
    gzip(dir.file("two"));
    const std::string gz = test::read_file(dir.file("one.gz")) + test::read_file(dir.file("two.gz"));
    test::write_file(dir.file("access.log.gz"), gz);
    for (const char* threads : {"1", "2"}) {
        const auto redirected = run({test::hitwatchd(), "--replay", "-", "--output", "json", "--threads", threads},
                                    dir.file("access.log.gz"));
        BOOST_TEST(redirected.exit_code == 0, redirected.err);
        BOOST_TEST(reports(redirected.out) == reports(plain.out), threads << " threads, redirected");
        PipedReplay piped(threads);
        piped.write(gz);
        ::close(piped.writer);
        piped.writer = -1;
        BOOST_TEST(piped.replay->wait() == 0, test::FileWhenPrinted{piped.dir.file("err")});
        BOOST_TEST(reports(test::read_file(piped.dir.file("out"))) == reports(plain.out), threads << " threads, piped");
        const std::string substituted = "<(cat '" + dir.file("access.log.gz") + "')";
        const auto named = run({"/bin/bash", "-c", "exec '" + test::hitwatchd() + "' --replay " + substituted +
                                                       " --output json --threads " + threads});
        BOOST_TEST(named.exit_code == 0, named.err);
        BOOST_TEST(reports(named.out) == reports(plain.out), threads << " threads, a pipe named by a path");
    }
    // What follows the gzip data (here a plain line) is left out, as zcat leaves it, and said:
    // zlib's gzFile, which read the files before, left it out without a word.
    test::write_file(dir.file("trailing.gz"), gz + line("/after"));
    for (const std::string& input : {dir.file("trailing.gz"), std::string("-")}) {
        const auto r = run({test::hitwatchd(), "--replay", input, "--output", "json"},
                           input == "-" ? dir.file("trailing.gz") : std::string("/dev/null"));
        BOOST_TEST(r.exit_code == 0, r.err);
        BOOST_TEST(reports(r.out) == reports(plain.out), input);
        BOOST_TEST(r.err.find(": what follows its gzip data is not gzip, and is not read") != std::string::npos, r.err);
    }
    // Cut short, it is an error that says so, as for a file.
    PipedReplay cut("2");
    cut.write(gz.substr(0, gz.size() / 4));
    ::close(cut.writer);
    cut.writer = -1;
    BOOST_TEST(cut.replay->wait() == 1);
    BOOST_TEST(test::read_file(cut.dir.file("err")).find("cannot read standard input: gzip: the compressed data ends "
                                                         "early (a truncated file)") != std::string::npos,
               test::read_file(cut.dir.file("err")));
}

// A writer that does not append leaves a hole in front of each rotation after copytruncate:
// as long as the log was, past the 1 MiB a file is dated by. Such files were not dated, so
// they were read in the order given (the shell's access.log* is newest first), the older
// one's lines all counted at the newer one's last second.
BOOST_AUTO_TEST_CASE(rotations_that_begin_with_a_hole_are_read_oldest_first) {
    test::TempDir dir;
    const std::string log = dir.file("app.log");
    // Past the first read of the head, ending less than a line before the second one ends.
    const std::string hole((2 << 20) - 50, '\0');
    test::write_file(log + ".1", hole + lines_from("10", "/older", 300));
    test::write_file(log, hole + lines_from("11", "/newer", 300));
    test::write_file(dir.file("all.log"), lines_from("10", "/older", 300) + lines_from("11", "/newer", 300));
    const auto several = run({test::hitwatchd(), "--replay", log, log + ".1", "--output", "json"});
    BOOST_TEST(several.exit_code == 0, several.err);
    const auto one = run({test::hitwatchd(), "--replay", dir.file("all.log"), "--output", "json"});
    BOOST_TEST(reports(several.out) == reports(one.out));
    BOOST_TEST(several.err.find("replaying " + log + ".1") < several.err.find("replaying " + log + "\n"), several.err);
    BOOST_TEST(several.err.find("before the lines read so far") == std::string::npos, several.err);
}

// logrotate copies a log sparsely: the copy of a log whose writer does not append keeps the
// hole in front of its lines as a hole, as long as the log had grown, gigabytes after weeks of
// rotations. A replay read it through as NULs, twice (to date the file, then its lines), and
// so did each thread's reader. It now skips to where the file system has data again: here 8
// GiB holes in two files are read within a CPU limit that reading them would pass.
BOOST_AUTO_TEST_CASE(holes_the_file_system_keeps_no_data_for_are_skipped_not_read) {
    test::TempDir dir;
    const std::string log = dir.file("app.log");
    const auto sparse = [](const std::string& path, const std::string& lines) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        BOOST_TEST_REQUIRE(fd >= 0);
        const ssize_t wrote = ::pwrite(fd, lines.data(), lines.size(), off_t{8} << 30);
        BOOST_TEST_REQUIRE(wrote == static_cast<ssize_t>(lines.size()));
        ::close(fd);
    };
    sparse(log + ".1", lines_from("10", "/older", 300));
    sparse(log, lines_from("11", "/newer", 300));
    test::write_file(dir.file("all.log"), lines_from("10", "/older", 300) + lines_from("11", "/newer", 300));
    const auto one = run({test::hitwatchd(), "--replay", dir.file("all.log"), "--output", "json"});
    for (const char* threads : {"1", "2"}) {
        const auto several = run({"/usr/bin/prlimit", "--cpu=5", "--", test::hitwatchd(), "--replay", log, log + ".1",
                                  "--output", "json", "--threads", threads});
        BOOST_TEST(several.exit_code == 0, threads << " threads: " << several.err);
        BOOST_TEST(reports(several.out) == reports(one.out), threads << " threads");
    }
}

// A replay's summary without its speed (lines_per_s), which no two runs share.
std::string summary_of(const std::string& out) {
    std::string summary = out.substr(out.find("{\"type\":\"summary\""));
    const std::size_t speed = summary.find("\"lines_per_s\"");
    return summary.erase(speed, summary.find(',', speed) + 1 - speed);
}

// The lines of two logs of lines_from()'s, as one log in time order: of one second, `a`'s first;
// a line with no time right after the line before it.
std::string in_time_order(const std::string& a, const std::string& b) {
    std::vector<std::pair<std::string, std::string>> lines;  // (time, line)
    for (const std::string* text : {&a, &b}) {
        std::string time;
        for (std::size_t at = 0, end; (end = text->find('\n', at)) != std::string::npos; at = end + 1) {
            const std::string one = text->substr(at, end + 1 - at);
            if (const std::size_t bracket = one.find('['); bracket != std::string::npos) time = one.substr(bracket + 13, 8);
            lines.emplace_back(time, one);
        }
    }
    std::stable_sort(lines.begin(), lines.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::string all;
    for (const auto& [time, one] : lines) all += one;
    return all;
}

// Two web servers' logs of the same hours, given as one replay: read one after the other, the
// second one's lines were all older than the replay's clock and counted in the first one's
// last interval (a warning said so). Logs of different names are merged in time order now,
// each read with its rotations, as one log of all their lines would be.
BOOST_AUTO_TEST_CASE(logs_written_side_by_side_are_merged_in_time_order) {
    test::TempDir dir;
    const std::string shop = dir.file("shop.log"), blog = dir.file("blog.log");
    test::write_file(shop, lines_from("10", "/cart", 600));
    std::string blog_lines = lines_from("10", "/post", 600);
    blog_lines.insert(line("/post", "10:00:00").size() * 300, "not a log line\n");
    test::write_file(blog, blog_lines);
    test::write_file(dir.file("all.log"), in_time_order(test::read_file(shop), blog_lines));
    const auto one = run({test::hitwatchd(), "--replay", dir.file("all.log"), "--output", "json"});
    BOOST_TEST_REQUIRE(one.exit_code == 0, one.err);
    BOOST_TEST(of_type(json_lines(one.out), "report").size() == 60u);
    // nginx's error log among them (--replay /var/log/nginx/*.log) is left out, and said to be.
    const std::string error_log = dir.file("error.log");
    test::write_file(error_log, "2025/11/20 10:00:01 [error] 811#811: *1 open() \"/srv/x\" failed (2: No such file)\n"
                                "2025/11/20 10:00:02 [warn] 811#811: *2 an upstream response is buffered\n");
    for (const char* threads : {"1", "2", "4"}) {
        const auto r = run(
            {test::hitwatchd(), "--replay", shop, blog, error_log, "--output", "json", "--threads", threads});
        BOOST_TEST(r.exit_code == 0, r.err);
        BOOST_TEST(reports(r.out) == reports(one.out), threads << " threads");
        BOOST_TEST(r.err.find(error_log + " is an error log, not an access log (its first 2 lines are Apache or "
                              "nginx error lines): its lines are not counted") != std::string::npos, r.err);
        BOOST_TEST(r.err.find("3 logs written side by side (" + shop + ", " + blog + ", " + error_log +
                              "): their lines are merged in time order") != std::string::npos, r.err);
        BOOST_TEST(r.err.find("invalid line 301 of " + blog + ": ") != std::string::npos, r.err);
        BOOST_TEST(r.err.find("before the lines read so far") == std::string::npos, r.err);
    }

    // Each server's log with its rotations, one of them gzip: four files, two logs.
    const std::string web1 = dir.file("web1.log"), web2 = dir.file("web2.log");
    test::write_file(web1 + ".1", lines_from("10", "/one", 3600));
    test::write_file(web1, lines_from("11", "/one", 1800));
    test::write_file(web2 + ".1", lines_from("10", "/two", 1200));
    test::write_file(web2, lines_from("11", "/two", 3600));
    test::write_file(dir.file("both.log"), in_time_order(test::read_file(web1 + ".1") + test::read_file(web1),
                                                         test::read_file(web2 + ".1") + test::read_file(web2)));
    gzip(web2 + ".1");
    const auto both = run({test::hitwatchd(), "--replay", dir.file("both.log"), "--output", "json"});
    BOOST_TEST_REQUIRE(both.exit_code == 0, both.err);
    const auto r = run({test::hitwatchd(), "--replay", web2, web1, web2 + ".1.gz", web1 + ".1", "--output", "json"});
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(reports(r.out) == reports(both.out));
    BOOST_TEST(add_up(of_type(json_lines(r.out), "report")).hits == 10200);
    BOOST_TEST(r.err.find("2 logs written side by side (" + web2 + ".1.gz, " + web1 + ".1)") != std::string::npos,
               r.err);

    // A quiet log beside a busy one, quiet for longer than --max-skew: its lines come when the
    // busy one's reach them, not when its gap was seen. And a line dated years ahead (a broken
    // clock) is counted where the clock stands, as in one log, without holding its log back.
    const std::string busy = dir.file("busy.log"), admin = dir.file("admin.log");
    test::write_file(busy, lines_from("10", "/busy", 3600) + lines_from("11", "/busy", 3600) +
                               lines_from("12", "/busy", 3600));
    const std::string admin_lines = lines_from("10", "/admin", 10) + lines_from("12", "/admin", 5);
    test::write_file(admin, admin_lines);
    std::string busy_lines = test::read_file(busy);
    const std::size_t at_0030 = busy_lines.find("10:00:30");
    const std::string ahead = line("/broken-clock", "10:00:30").replace(line("/").find("2025"), 4, "2031");
    busy_lines.insert(busy_lines.rfind('\n', at_0030) + 1, ahead);
    test::write_file(busy, busy_lines);
    const std::string quiet_all = in_time_order(busy_lines, admin_lines);
    BOOST_TEST_REQUIRE(quiet_all.find(ahead) != std::string::npos);
    test::write_file(dir.file("all.log"), quiet_all);
    const auto quiet_alone = run({test::hitwatchd(), "--replay", dir.file("all.log"), "--output", "json"});
    BOOST_TEST_REQUIRE(quiet_alone.exit_code == 0, quiet_alone.err);
    const auto quiet = run({test::hitwatchd(), "--replay", busy, admin, "--output", "json"});
    BOOST_TEST(quiet.exit_code == 0, quiet.err);
    BOOST_TEST(reports(quiet.out) == reports(quiet_alone.out));
    BOOST_TEST(quiet.err.find("is dated 2031-11-20T10:00:30Z, more than 3600 s (--max-skew) ahead") != std::string::npos,
               quiet.err);

    // A rotation whose first line is a long download, logged when it ended with the time it
    // began, is no such log.
    const std::string log = dir.file("access.log");
    test::write_file(log + ".1", lines_from("10", "/before", 600));
    test::write_file(log, line("/download.iso", "10:05:00") + lines_from("11", "/after", 600));
    const auto rotated = run({test::hitwatchd(), "--replay", log, log + ".1", "--output", "json"});
    BOOST_TEST(rotated.exit_code == 0, rotated.err);
    BOOST_TEST(rotated.err.find("before the lines read so far") == std::string::npos, rotated.err);
    BOOST_TEST(rotated.err.find("side by side") == std::string::npos, rotated.err);
}

// The corpus dealt out line by line into two logs, as a balancer deals requests to two servers:
// merged, they are the corpus's requests, from its first second. Its lines go back in time by up
// to 59 s, so the intervals differ from the corpus's own (merged, its lines come nearer in
// order), but not the summary. Before the clock started at the first line merged, the first
// log's first line waited for its next while the second log's lines started the clock 40 s
// later: the summary began at 10:05:43, not 10:05:03.
BOOST_AUTO_TEST_CASE(the_corpus_dealt_to_two_servers_merges_to_the_same_summary) {
    test::TempDir dir;
    const std::string corpus = test::read_file(CORPUS "/apache_logs");
    std::string odd, even;
    bool is_odd = true;
    for (std::size_t at = 0, end; (end = corpus.find('\n', at)) != std::string::npos; at = end + 1, is_odd = !is_odd) {
        (is_odd ? odd : even) += corpus.substr(at, end + 1 - at);
    }
    test::write_file(dir.file("web1.log"), odd);
    test::write_file(dir.file("web2.log"), even);
    const auto one = run({test::hitwatchd(), "--replay", CORPUS "/apache_logs", "--output", "json"});
    BOOST_TEST_REQUIRE(one.exit_code == 0, one.err);
    for (const char* threads : {"1", "2", "4"}) {
        const auto two = run({test::hitwatchd(), "--replay", dir.file("web1.log"), dir.file("web2.log"), "--output",
                              "json", "--threads", threads});
        BOOST_TEST_REQUIRE(two.exit_code == 0, two.err);
        BOOST_TEST(summary_of(two.out) == summary_of(one.out), threads << " threads");
        BOOST_TEST(summary_of(two.out).find("\"first\":\"2015-05-17T10:05:03Z\"") != std::string::npos);
        BOOST_TEST(add_up(of_type(json_lines(two.out), "report")).hits == 9999);
    }
}

// More logs than threads: every log's chunks are parsed by one pool of threads, in the order
// they are queued, and counted in the order one thread counts them. The corpus dealt to 3 logs,
// with chunks of 256 KiB: 4 each, most of them in flight at once on 2 threads. One log is in
// vhost_combined and one behind syslog headers, which `auto` tells by the file's head: a
// thread that parses a log's chunks reads them as that head says, though the chunk reader has
// let the head go by then (as it did at first, which read both logs' lines as invalid).
BOOST_AUTO_TEST_CASE(more_logs_than_threads_are_merged_as_on_one_thread) {
    test::TempDir dir;
    const std::string corpus = test::read_file(CORPUS "/apache_logs");
    std::vector<std::string> dealt(3);
    std::size_t n = 0;
    for (std::size_t at = 0, end; (end = corpus.find('\n', at)) != std::string::npos; at = end + 1, ++n) {
        const std::string before = n % 3 == 1 ? "www.example.com:443 "
                                   : n % 3 == 2 ? "2015-05-17T10:05:03+00:00 web2 apache2: "
                                                : "";
        dealt[n % dealt.size()] += before + corpus.substr(at, end + 1 - at);
    }
    std::vector<std::string> argv = {test::hitwatchd(), "--output", "json", "--replay"};
    for (std::size_t i = 0; i < dealt.size(); ++i) {
        // Longer than a file replayed on one thread whatever --threads says (kOneThreadBytes).
        BOOST_TEST_REQUIRE(dealt[i].size() > 3 * 256 * 1024u, i);
        const std::string name = dir.file("site" + std::to_string(i) + ".log");
        test::write_file(name, dealt[i]);
        argv.push_back(name);
    }
    const auto one = run({test::hitwatchd(), "--replay", CORPUS "/apache_logs", "--output", "json"});
    BOOST_TEST_REQUIRE(one.exit_code == 0, one.err);
    argv.insert(argv.end(), {"--threads", "1"});
    const auto on_one = run(argv);
    BOOST_TEST_REQUIRE(on_one.exit_code == 0, on_one.err);
    BOOST_TEST(summary_of(on_one.out) == summary_of(one.out));
    BOOST_TEST(on_one.err.find("site1.log: vhost_combined") != std::string::npos, on_one.err);
    BOOST_TEST(on_one.err.find("site2.log: syslog+combined") != std::string::npos, on_one.err);
    for (const char* threads : {"2", "4"}) {
        argv.back() = threads;
        const auto several = run(argv);
        BOOST_TEST_REQUIRE(several.exit_code == 0, several.err);
        BOOST_TEST(reports(several.out) == reports(on_one.out), threads << " threads");
        BOOST_TEST(summary_of(several.out) == summary_of(on_one.out), threads << " threads");
    }
}

// A merged log reads its lines as a log read alone does: blank, invalid and over-long lines, a
// hole's NULs in front of a line, a gzip file with bytes after its data, an unterminated last
// line. Beside an empty log (and a file that is not there), the replay is the log's alone.
BOOST_AUTO_TEST_CASE(a_log_merged_beside_an_empty_one_replays_as_alone) {
    test::TempDir dir;
    std::string odd;
    for (int i = 0; i < 3000; ++i) {
        char time[16];
        std::snprintf(time, sizeof time, "10:%02d:%02d", i / 5 / 60, i / 5 % 60);
        const std::string one = line("/s" + std::to_string(i % 13), time);
        odd += i % 97 == 0   ? std::string(70 * 1024, 'x') + "\n"
               : i % 89 == 0 ? std::string("\n")
               : i % 83 == 0 ? std::string("garbage\n")
               : i % 79 == 0 ? std::string(100, '\0') + one
                             : one;
    }
    odd += line("/last").substr(0, line("/last").size() - 1);  // no newline
    test::write_file(dir.file("odd.log"), odd);
    test::write_file(dir.file("empty.log"), "");
    test::write_file(dir.file("gz.log"), odd.substr(0, odd.size() / 2));
    gzip(dir.file("gz.log"));
    test::write_file(dir.file("gz.log.gz"), test::read_file(dir.file("gz.log.gz")) + "trailing");
    for (const std::string name : {"odd.log", "gz.log.gz"}) {
        const auto alone = run({test::hitwatchd(), "--replay", dir.file(name), "--output", "json"});
        BOOST_TEST_REQUIRE(alone.exit_code == 0, alone.err);
        for (const char* threads : {"1", "2", "4"}) {  // parsed on this thread, or by workers
            const auto merged = run({test::hitwatchd(), "--replay", dir.file(name), dir.file("empty.log"), "--output",
                                     "json", "--threads", threads});
            BOOST_TEST(merged.exit_code == 0, merged.err);
            BOOST_TEST(reports(merged.out) == reports(alone.out), name << ", " << threads << " threads");
            BOOST_TEST(summary_of(merged.out) == summary_of(alone.out), name << ", " << threads << " threads");
            BOOST_TEST(merged.err.find("2 logs written side by side") != std::string::npos, merged.err);
        }
        const auto missing = run({test::hitwatchd(), "--replay", dir.file("gone.log"), dir.file(name), "--output", "json"});
        BOOST_TEST(missing.exit_code == 1, missing.err);
        BOOST_TEST(reports(missing.out) == reports(alone.out), name);
        BOOST_TEST(missing.err.find("cannot open " + dir.file("gone.log")) != std::string::npos, missing.err);
    }
}

// Each log merged keeps its file open while it is read, and a host's hundreds of vhost logs can
// outnumber the open file limit even once hitwatchd raised it to the hard one: the logs past it
// are not read, and the message says how to read them.
BOOST_AUTO_TEST_CASE(more_logs_than_open_files_say_how_to_raise_the_limit) {
    test::TempDir dir;
    std::string files;
    for (int i = 0; i < 40; ++i) {
        const std::string path = dir.file("site" + std::to_string(i) + ".log");
        test::write_file(path, line("/s" + std::to_string(i)));
        files += " " + path;
    }
    const auto r =
        run({"/bin/sh", "-c", "ulimit -n 32 && exec " + test::hitwatchd() + " --output none --replay" + files});
    BOOST_TEST(r.exit_code == 1, r.err);
    BOOST_TEST(r.err.find(": Too many open files (each log merged keeps its file open while it is read: raise the "
                          "open file limit, ulimit -n or LimitNOFILE=)") != std::string::npos,
               r.err);
}

// Logs side by side copied into one directory under one log's names (access.log from one server,
// access.log.1 from the other) cannot be told from rotations by their names: the one read
// second (of two that begin alike, the one named second) is said to begin behind the lines
// read so far, and how to have them merged.
BOOST_AUTO_TEST_CASE(logs_side_by_side_under_one_name_are_said_to_be_read_one_after_another) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, lines_from("10", "/cart", 600));
    test::write_file(log + ".1", lines_from("10", "/post", 600));
    const auto r = run({test::hitwatchd(), "--replay", log, log + ".1", "--output", "json"});
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find(log + ".1 begins at 2025-11-20T10:00:00Z, 599 s before the lines read so far "
                          "(2025-11-20T10:09:59Z): files of one log's name are read as its rotations") !=
                   std::string::npos, r.err);
    BOOST_TEST(r.err.find("Name logs written side by side apart (web1.log, web2.log): they are merged in time order.") !=
                   std::string::npos, r.err);
    BOOST_TEST(count_of(r.err, "in a row") == 0, r.err);  // said once, the way that fits
}

// `hitwatchd --replay access.log*` in a directory where current.log links to access.log (as
// cronolog --symlink keeps one), or a file named twice: each line counted twice, and the only
// word said was that the second name's lines were "written side by side".
BOOST_AUTO_TEST_CASE(a_file_named_twice_is_read_once) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log + ".1", lines_from("10", "/older", 300));
    test::write_file(log, lines_from("11", "/newer", 300));
    BOOST_TEST_REQUIRE(::symlink(log.c_str(), dir.file("current.log").c_str()) == 0);
    BOOST_TEST_REQUIRE(::link((log + ".1").c_str(), dir.file("backup.log").c_str()) == 0);
    const auto once = run({test::hitwatchd(), "--replay", log, log + ".1", "--output", "json"});
    BOOST_TEST_REQUIRE(once.exit_code == 0, once.err);
    for (const char* threads : {"1", "2"}) {
        const auto r = run({test::hitwatchd(), "--replay", dir.file("current.log"), log + ".1", log, log,
                            dir.file("backup.log"), "--output", "json", "--threads", threads});
        BOOST_TEST(r.exit_code == 0, r.err);
        BOOST_TEST(reports(r.out) == reports(once.out), threads << " threads");
        BOOST_TEST(add_up(of_type(json_lines(r.out), "report")).hits == 600);
        BOOST_TEST(r.err.find(dir.file("current.log") + " names the same file as " + log +
                              " (a symlink or a hard link): its lines are read once, as " + log) != std::string::npos,
                   r.err);
        BOOST_TEST(r.err.find(dir.file("backup.log") + " names the same file as " + log + ".1") != std::string::npos,
                   r.err);
        BOOST_TEST(r.err.find(log + " is named twice: its lines are read once") != std::string::npos, r.err);
        BOOST_TEST(r.err.find("before the lines read so far") == std::string::npos, r.err);
    }
}

// `hitwatchd --replay <(ssh web1 zcat access.log.1.gz) <(ssh web1 cat access.log)`: each input
// is a pipe. To find the oldest, a replay of several read each one's first MiB before its lines,
// and what it read was gone: two days of 18,000 lines came out as 24,107 lines, two of them
// invalid (the first of each, cut). A pipe is not looked into now: the inputs are read whole,
// in the order given.
BOOST_AUTO_TEST_CASE(pipes_among_several_inputs_are_read_whole_in_the_order_given) {
    test::TempDir dir;
    test::write_file(dir.file("older"), lines_from("10", "/older", 3600));
    test::write_file(dir.file("newer"), lines_from("11", "/newer", 3600));
    test::write_file(dir.file("all.log"), test::read_file(dir.file("older")) + test::read_file(dir.file("newer")));
    gzip(dir.file("older"));
    const auto one = run({test::hitwatchd(), "--replay", dir.file("all.log"), "--output", "json"});
    BOOST_TEST_REQUIRE(one.exit_code == 0, one.err);
    for (const char* threads : {"1", "2"}) {
        const std::string command = "exec '" + test::hitwatchd() + "' --replay <(zcat '" + dir.file("older.gz") +
                                    "') <(cat '" + dir.file("newer") + "') --output json --threads " + threads;
        const auto r = run({"/bin/bash", "-c", command});
        BOOST_TEST(r.exit_code == 0, r.err);
        BOOST_TEST(reports(r.out) == reports(one.out), threads << " threads");
        BOOST_TEST(add_up(of_type(json_lines(r.out), "report")).hits == 7200);
        BOOST_TEST(r.err.find("is a pipe: the inputs are read in the order given") != std::string::npos, r.err);
    }
}

// `gzip -k access.log.1` leaves the file beside its archive, and `cp access.log access.log.bak`
// a copy that the log outgrows: access.log* named each line twice, and each was counted twice
// (four days of 18,000 lines, one day gzip -k'd, came to 90,000 hits, with a warning that the
// archive was written side by side). A copy is now left out and said to be.
BOOST_AUTO_TEST_CASE(a_copy_of_another_files_lines_is_read_once) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log + ".2", lines_from("10", "/two", 3600));  // past the 64 KiB compared
    test::write_file(log + ".1", lines_from("11", "/one", 300));
    test::write_file(log, lines_from("12", "/now", 300));
    BOOST_TEST_REQUIRE(run({"/bin/gzip", "-k", log + ".2"}).exit_code == 0);
    test::write_file(log + ".bak", test::read_file(log));
    test::write_file(log, test::read_file(log) + lines_from("13", "/later", 300));
    // Another day that begins with the same line is no copy: it is read.
    test::write_file(dir.file("same_start.log"), lines_from("12", "/now", 1) + lines_from("14", "/other", 300));
    const auto once = run({test::hitwatchd(), "--replay", log, log + ".1", log + ".2", dir.file("same_start.log"),
                           "--output", "json"});
    BOOST_TEST_REQUIRE(once.exit_code == 0, once.err);
    for (const char* threads : {"1", "2"}) {
        const auto r = run({test::hitwatchd(), "--replay", log, log + ".1", log + ".2", log + ".2.gz", log + ".bak",
                            dir.file("same_start.log"), "--output", "json", "--threads", threads});
        BOOST_TEST(r.exit_code == 0, r.err);
        BOOST_TEST(reports(r.out) == reports(once.out), threads << " threads");
        BOOST_TEST(add_up(of_type(json_lines(r.out), "report")).hits == 3600 + 300 + 600 + 301);
        BOOST_TEST(r.err.find(log + ".2.gz is a copy of " + log + ".2 (the same first 64 KiB): its lines are read "
                              "once, from " + log + ".2") != std::string::npos, r.err);
        BOOST_TEST(r.err.find(log + ".bak is a copy of the beginning of " + log + " (the same ") != std::string::npos,
                   r.err);
        BOOST_TEST(r.err.find(", and " + log + " is longer): its lines are read once, from " + log) !=
                       std::string::npos, r.err);
        BOOST_TEST(r.err.find("same_start.log is a copy") == std::string::npos, r.err);
        BOOST_TEST(r.err.find("before the lines read so far") == std::string::npos, r.err);
    }
}

// A month's log in which the site moved to a log_format with the virtual host, then to JSON,
// and nginx was reloaded each time: the format found from the first lines read none of what
// followed, and two thirds of the month were invalid lines (looks_like_vhost_combined,
// looks_like_json). Every line is read now, the same on any number of threads.
BOOST_AUTO_TEST_CASE(a_log_whose_format_changed_in_it_is_read_whole) {
    test::TempDir dir;
    std::string text;
    for (int i = 0; i < 6000; ++i) {  // 600 KiB a format: chunks of each, and chunks across the changes
        char time[16];
        std::snprintf(time, sizeof time, "%02d:%02d:%02d", 10 + i / 3600, i / 60 % 60, i % 60);
        text += line("/combined/" + std::to_string(i), time);
    }
    for (int i = 6000; i < 12000; ++i) {
        char time[16];
        std::snprintf(time, sizeof time, "%02d:%02d:%02d", 10 + i / 3600, i / 60 % 60, i % 60);
        text += "shop.example:443 " + line("/vhost/" + std::to_string(i), time);
    }
    for (int i = 12000; i < 18000; ++i) {
        char time[32];
        std::snprintf(time, sizeof time, "2025-11-20T%02d:%02d:%02d+00:00", 10 + i / 3600, i / 60 % 60, i % 60);
        text += std::string("{\"time\": \"") + time + "\", \"request\": \"GET /json/" + std::to_string(i) +
                " HTTP/1.1\", \"status\": 200, \"body_bytes_sent\": 5, \"padding\": \"" + std::string(40, 'x') + "\"}\n";
    }
    const auto one = replay(dir, text, {"--threads", "1"});
    BOOST_TEST_REQUIRE(one.exit_code == 0, one.err);
    BOOST_TEST(add_up(of_type(json_lines(one.out), "report")).hits == 18000);
    BOOST_TEST(add_up(of_type(json_lines(one.out), "report")).invalid == 0);
    BOOST_TEST(count_of(one.out, "\"section\":\"/vhost\"") > 0);
    BOOST_TEST(count_of(one.out, "\"section\":\"/json\"") > 0);
    const std::string log = dir.file("access.log");
    for (const char* threads : {"1", "2", "4"}) {
        const auto r = replay(dir, text, {"--threads", threads});
        BOOST_TEST(r.exit_code == 0, r.err);
        BOOST_TEST(reports(r.out) == reports(one.out), threads << " threads");
        // Said once for each change, where it is.
        BOOST_TEST(count_of(r.err, "line 6001 of " + log + " (2025-11-20T11:40:00Z) is vhost_combined, not combined as "
                                   "its first lines (did the server's log format change?): each line is read in the "
                                   "format it is in") == 1,
                   r.err);
        BOOST_TEST(count_of(r.err, "line 12001 of " + log + " (2025-11-20T13:20:00Z) is json, not combined") == 1, r.err);
        BOOST_TEST(count_of(r.err, " as its first lines") == 2, r.err);
    }
}

// logrotate's `compress` writes access.log.2.gz beside access.log.2 and deletes the latter
// once done. A replay of access.log* in between took the unfinished archive's last 4 bytes
// for gzip's size trailer, kept it as the larger copy, left access.log.2 out, and stopped at
// the archive's end: exit 1, "the compressed data ends early", the rest of the day lost.
BOOST_AUTO_TEST_CASE(an_archive_still_being_written_beside_its_log_is_not_read_for_it) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log + ".2", lines_from("10", "/two", 3600));
    test::write_file(log, lines_from("12", "/now", 300));
    BOOST_TEST_REQUIRE(run({"/bin/gzip", "-k", log + ".2"}).exit_code == 0);
    // Cut where more than the 64 KiB compared is there and the would-be trailer is past the log.
    const std::string whole = test::read_file(log + ".2.gz");
    std::size_t cut = whole.size() * 2 / 3;
    while (static_cast<unsigned char>(whole[cut - 1]) == 0) --cut;  // the top byte: 16 MiB or more
    test::write_file(log + ".2.gz", whole.substr(0, cut));
    for (const char* threads : {"1", "2"}) {
        const auto r = run({test::hitwatchd(), "--replay", log, log + ".2", log + ".2.gz", "--output", "json",
                            "--threads", threads});
        BOOST_TEST(r.exit_code == 0, r.err);
        BOOST_TEST(add_up(of_type(json_lines(r.out), "report")).hits == 3600 + 300);
        BOOST_TEST(r.err.find(log + ".2.gz is " + log + ".2 compressed, finished or not (the same first 64 KiB): its "
                              "lines are read once, from " + log + ".2") != std::string::npos, r.err);
        BOOST_TEST(r.err.find("ends early") == std::string::npos, r.err);
    }
}

// `hitwatchd --replay /var/log/nginx/` said "cannot read ...: Is a directory" once it was read,
// as if a file had failed: the directory is named as such now, with what to give instead.
BOOST_AUTO_TEST_CASE(a_directory_given_as_a_file_says_to_name_its_logs) {
    test::TempDir dir;
    test::write_file(dir.file("access.log"), lines_from("10", "/x", 10));
    const auto r = run({test::hitwatchd(), "--replay", dir.path() + "/", dir.file("access.log"), "--output", "json"});
    BOOST_TEST(r.exit_code == 1, r.err);
    BOOST_TEST(add_up(of_type(json_lines(r.out), "report")).hits == 10);
    BOOST_TEST(r.err.find("cannot open " + dir.path() + "/: a directory: name its logs (" + dir.path() +
                          "/access.log*)") != std::string::npos, r.err);
}

// logrotate compresses with gzip unless told otherwise (compresscmd /usr/bin/xz, zstd, bzip2,
// with compressext). Such rotations were refused among a log's files ("pipe it through
// xzcat"), and read alone as lines of binary data. They are inflated as gzip ones are: made by
// the real tools here, each file, one log of them, standard input, and a stream cut short.
BOOST_AUTO_TEST_CASE(rotations_compressed_by_xz_zstd_or_bzip2_are_inflated) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const std::string tools[][3] = {{"/usr/bin/xz", ".1.xz", "/one"}, {"/usr/bin/zstd", ".2.zst", "/two"},
                                    {"/bin/bzip2", ".3.bz2", "/three"}};
    std::string all;
    std::vector<std::string> argv = {test::hitwatchd(), "--output", "json", "--replay", log};
    for (int i = 2; i >= 0; --i) {
        const auto& [tool, suffix, target] = tools[i];
        const std::string lines = lines_from(std::to_string(10 + 2 - i), target, 300);
        all += lines;
        test::write_file(log + suffix.substr(0, 2), lines);
        BOOST_TEST_REQUIRE(run({tool, "-q", "-f", log + suffix.substr(0, 2)}).exit_code == 0, tool);
        // (zstd keeps its input: logrotate removes it.)
        std::filesystem::remove(log + suffix.substr(0, 2));
        BOOST_TEST_REQUIRE(std::filesystem::exists(log + suffix), suffix);
        argv.push_back(log + suffix);
        const auto alone = run({test::hitwatchd(), "--output", "json", "--replay", log + suffix});
        BOOST_TEST(alone.exit_code == 0, alone.err);
        BOOST_TEST(add_up(of_type(json_lines(alone.out), "report")).hits == 300, suffix);
        const auto piped = run({test::hitwatchd(), "--output", "json", "--replay", "-"}, log + suffix);
        BOOST_TEST(piped.exit_code == 0, piped.err);
        BOOST_TEST(reports(piped.out) == reports(alone.out), suffix);
    }
    test::write_file(log, lines_from("13", "/now", 300));
    all += test::read_file(log);
    test::write_file(dir.file("all.log"), all);
    const auto one = run({test::hitwatchd(), "--replay", dir.file("all.log"), "--output", "json"});
    for (const char* threads : {"1", "2"}) {
        std::vector<std::string> with_threads = argv;
        with_threads.insert(with_threads.end(), {"--threads", threads});
        const auto several = run(with_threads);
        BOOST_TEST(several.exit_code == 0, several.err);
        BOOST_TEST(reports(several.out) == reports(one.out), threads);  // read oldest first, all of them
        BOOST_TEST(several.err.find("replaying " + log + ".3.bz2 (bzip2)") < several.err.find(".2.zst (zstd)"));
        BOOST_TEST(several.err.find("replaying " + log + ".2.zst (zstd)") < several.err.find(".1.xz (xz)"));
    }
    // Cut short (a disk that filled while logrotate compressed): the lines before are counted,
    // the file is said, the others are read.
    for (const auto& [tool, suffix, target] : tools) {
        const std::string whole = test::read_file(log + suffix);
        test::write_file(log + suffix, whole.substr(0, whole.size() - 40));
    }
    const auto cut = run(argv);
    BOOST_TEST(cut.exit_code == 1, cut.err);
    const std::pair<std::string, std::string> kinds[] = {{"xz", ".1.xz"}, {"zstd", ".2.zst"}, {"bzip2", ".3.bz2"}};
    for (const auto& [kind, suffix] : kinds) {
        BOOST_TEST(cut.err.find("cannot read " + log + suffix + ": " + kind + ": the compressed data ends early") !=
                       std::string::npos, cut.err);
    }
    BOOST_TEST(add_up(of_type(json_lines(cut.out), "report")).hits >= 300);
}

// xz may follow a stream with NULs in fours (stream padding), between streams and after the
// last; xz -dc reads past them. The first padding was said to be "not xz", and every line after
// it left out.
BOOST_AUTO_TEST_CASE(xz_stream_padding_is_read_past_as_xz_reads_it) {
    test::TempDir dir;
    const std::string one = lines_from("10", "/one", 300), two = lines_from("11", "/two", 300);
    std::string streams[2];
    for (int i = 0; i < 2; ++i) {
        const std::string plain = dir.file("part" + std::to_string(i));
        test::write_file(plain, i == 0 ? one : two);
        BOOST_TEST_REQUIRE(run({"/usr/bin/xz", "-q", "-f", plain}).exit_code == 0);
        streams[i] = test::read_file(plain + ".xz");
    }
    test::write_file(dir.file("all.log"), one + two);
    const auto plain = run({test::hitwatchd(), "--replay", dir.file("all.log"), "--output", "json"});
    test::write_file(dir.file("padded.xz"), streams[0] + std::string(8, '\0') + streams[1] + std::string(4, '\0'));
    const auto xz = run({"/usr/bin/xz", "-dc", dir.file("padded.xz")});
    BOOST_TEST_REQUIRE(xz.exit_code == 0, xz.err);
    BOOST_TEST_REQUIRE(xz.out == one + two);
    for (const char* threads : {"1", "2"}) {
        for (const std::string& input : {dir.file("padded.xz"), std::string("-")}) {
            BOOST_TEST_CONTEXT(threads << " threads, " << input) {
                const auto r = run({test::hitwatchd(), "--replay", input, "--output", "json", "--threads", threads},
                                   input == "-" ? dir.file("padded.xz") : std::string("/dev/null"));
                BOOST_TEST(r.exit_code == 0, r.err);
                BOOST_TEST(reports(r.out) == reports(plain.out));
                BOOST_TEST(r.err.find("what follows") == std::string::npos, r.err);
            }
        }
    }
    // Padding that is not whole fours is corrupt to xz, which stops there: so does the replay,
    // and says so.
    test::write_file(dir.file("odd.xz"), streams[0] + std::string(3, '\0') + streams[1]);
    const auto odd = run({test::hitwatchd(), "--replay", dir.file("odd.xz"), "--output", "json"});
    BOOST_TEST(odd.exit_code == 0, odd.err);
    BOOST_TEST(add_up(of_type(json_lines(odd.out), "report")).hits == 300);
    BOOST_TEST(odd.err.find("odd.xz: what follows its xz data is not xz, and is not read (xzcat reads no further "
                            "either, and fails there)") != std::string::npos, odd.err);
}

// `--report-html` naming the log (or a symlink to it) replaced the log with the page once the
// replay ended; `--report-file` naming it appended the reports to it. Either is refused now,
// before anything is read or written.
BOOST_AUTO_TEST_CASE(an_output_that_is_a_replayed_file_is_refused_and_the_log_kept) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const std::string lines = lines_from("10", "/x", 30);
    test::write_file(log, lines);
    BOOST_TEST_REQUIRE(::symlink(log.c_str(), dir.file("current.log").c_str()) == 0);
    // The report file through a symlink to the log, the page as the log itself.
    for (const auto& [option, output] : {std::pair<std::string, std::string>{"--report-file", dir.file("current.log")},
                                         {"--report-html", log}}) {
        const auto r = run({test::hitwatchd(), "--replay", log, "--output", "json", option, output});
        BOOST_TEST(r.exit_code == 1, option << ": " << r.err);
        BOOST_TEST(test::read_file(log) == lines, option);
        BOOST_TEST(r.err.find(option + " " + output + ": is " + log + ", which this replay reads: name another file") !=
                       std::string::npos, r.err);
    }
}

BOOST_AUTO_TEST_CASE(input_that_goes_back_in_time_is_said_to) {
    // `zcat access.log.*.gz | hitwatchd --replay -` pipes the shell's order, access.log.10.gz
    // before access.log.2.gz: newer lines before older. Every older line counted at the newer
    // ones' last second, all in one interval, and nothing said so.
    test::TempDir dir;
    test::write_file(dir.file("piped"), lines_from("11", "/new", 600) + lines_from("10", "/old", 600));
    for (const char* threads : {"1", "2"}) {
        const auto r = run({test::hitwatchd(), "--replay", "-", "--output", "json", "--threads", threads},
                           dir.file("piped"));
        BOOST_TEST(r.exit_code == 0, r.err);
        BOOST_TEST(r.err.find("line 601 of standard input begins 100 lines in a row dated more than 120 s before "
                              "the lines read so far: 2025-11-20T10:00:00Z, 4199 s before 2025-11-20T11:09:59Z. A "
                              "replay counts a line where its clock (the latest time read) stands") !=
                       std::string::npos,
                   r.err);
        BOOST_TEST(count_of(r.err, "in a row") == 1, r.err);
    }
    // Lines logged late one at a time (a download dated when it began), or 99 in a row, are no
    // such input; nor is --alert-window's slack, or the corpus (out of order by up to 59 s).
    std::string late = lines_from("11", "/a", 600) + line("/download.iso", "10:05:00") + line("/b", "11:10:00");
    late += lines_from("10", "/old", 99) + line("/b", "11:10:01") + lines_from("10", "/old", 99);
    test::write_file(dir.file("late.log"), late);
    const auto in_order = run({test::hitwatchd(), "--replay", dir.file("late.log"), "--output", "json"});
    BOOST_TEST(in_order.exit_code == 0, in_order.err);
    BOOST_TEST(count_of(in_order.err, "in a row") == 0, in_order.err);
    const auto wider = run({test::hitwatchd(), "--replay", "-", "--output", "json", "--alert-window", "8000"},
                           dir.file("piped"));
    BOOST_TEST(count_of(wider.err, "in a row") == 0, wider.err);
    const auto corpus = run({test::hitwatchd(), "--replay", CORPUS "/apache_logs", "--output", "json"});
    BOOST_TEST(count_of(corpus.err, "in a row") == 0, corpus.err);

    // Two servers' logs joined an hour at a time, one server's clock 10 minutes behind: each of
    // its hours was a warning of 700 bytes, 720 in a month. Three are shown, then how many more.
    std::string blocks;
    for (const char* hour : {"11", "12", "13", "14", "15"}) {
        blocks += lines_from(hour, "/a", 200) + lines_from(std::to_string(std::stoi(hour) - 1), "/b", 200);
    }
    test::write_file(dir.file("blocks"), blocks);
    for (const char* threads : {"1", "2"}) {
        const auto r = run({test::hitwatchd(), "--replay", "-", "--output", "json", "--threads", threads},
                           dir.file("blocks"));
        BOOST_TEST(count_of(r.err, "in a row") == 3, r.err);
        BOOST_TEST(r.err.find("2 more runs of 100 lines or more dated behind the clock were not shown: each is counted "
                              "at the clock's time") != std::string::npos, r.err);
    }
}

// Fields the preset does not read are said, in English: "lines have 1 fields" before.
BOOST_AUTO_TEST_CASE(fields_after_the_presets_are_counted_in_words) {
    test::TempDir dir;
    std::string one, two;
    for (int i = 0; i < 100; ++i) {
        const std::string l = line("/a");
        one += l.substr(0, l.size() - 1) + " \"extra\"\n";
        two += l.substr(0, l.size() - 1) + " \"extra\" 0.004\n";
    }
    const auto r1 = replay(dir, one);
    BOOST_TEST(r1.err.find("access.log: lines have 1 field after combined's: set format to read them") !=
                   std::string::npos, r1.err);
    const auto r2 = replay(dir, two);
    BOOST_TEST(r2.err.find("access.log: lines have 2 fields after combined's") != std::string::npos, r2.err);
}

BOOST_AUTO_TEST_CASE(each_file_has_its_format_and_only_no_valid_line_at_all_exits_3) {
    test::TempDir dir;
    const std::string combined = dir.file("a.log"), json_log = dir.file("b.log"), junk = dir.file("c.log");
    test::write_file(combined, lines_from("10", "/web", 10));
    test::write_file(json_log, R"({"time":"2025-11-20T11:00:00Z","request":"GET /api/x HTTP/1.1","status":200,"body_bytes_sent":5})" "\n");
    test::write_file(junk, "not a log line\nnor this\n");
    const auto mixed = run({test::hitwatchd(), "--replay", junk, json_log, combined, "--output", "json"});
    BOOST_TEST(mixed.exit_code == 0, mixed.err);
    const auto totals = add_up(of_type(json_lines(mixed.out), "report"));
    BOOST_TEST(totals.hits == 11);
    BOOST_TEST(totals.invalid == 2);
    BOOST_TEST(mixed.err.find(json_log + ": json") != std::string::npos, mixed.err);
    BOOST_TEST(mixed.err.find("invalid line 1 of " + junk) != std::string::npos, mixed.err);  // numbered in its file
    const auto none = run({test::hitwatchd(), "--replay", junk, junk, "--output", "json"});
    BOOST_TEST(none.exit_code == 3);
    const auto stdin_among = run({test::hitwatchd(), "--replay", "-", combined});
    BOOST_TEST(stdin_among.exit_code == 2);
    BOOST_TEST(stdin_among.err.find("cannot be one of several files") != std::string::npos, stdin_among.err);
    // `--replay "$LOG"` with LOG unset: said as such, not "nothing to do: no config file".
    for (const std::vector<std::string>& files : {std::vector<std::string>{""}, {combined, ""}}) {
        std::vector<std::string> argv = {test::hitwatchd(), "--replay"};
        argv.insert(argv.end(), files.begin(), files.end());
        const auto empty = run(argv);
        BOOST_TEST(empty.exit_code == 2);
        BOOST_TEST(empty.err.find("--replay takes the paths of the logs to read (- for standard input), and one is "
                                  "empty") != std::string::npos, empty.err);
    }
    // Nor is an empty page's path no page: the replay ran, and no page came.
    const auto no_page = run({test::hitwatchd(), "--replay", combined, "--report-html", ""});
    BOOST_TEST(no_page.exit_code == 2);
    BOOST_TEST(no_page.err.find("--report-html must be a path") != std::string::npos, no_page.err);
}

namespace {

// Whether `pid` is stopped (by SIGSTOP): then its offsets stay as they are.
bool stopped(int pid) {
    const std::string stat = test::read_file("/proc/" + std::to_string(pid) + "/stat");
    const auto after_name = stat.rfind(") ");
    return after_name != std::string::npos && stat.compare(after_name + 2, 1, "T") == 0;
}

// Where `pid` has read `path` to (its descriptor's offset), or -1 if it has it not open.
long long read_offset_of(int pid, const std::string& path) {
    const std::string fds = "/proc/" + std::to_string(pid) + "/fd";
    std::error_code ec;
    for (const auto& fd : std::filesystem::directory_iterator(fds, ec)) {
        if (std::filesystem::read_symlink(fd.path(), ec) != path) continue;
        const std::string fdinfo = "/proc/" + std::to_string(pid) + "/fdinfo/" + fd.path().filename().string();
        std::FILE* info = std::fopen(fdinfo.c_str(), "r");
        if (info == nullptr) return -1;
        long long pos = -1;
        if (std::fscanf(info, "pos: %lld", &pos) != 1) pos = -1;
        std::fclose(info);
        return pos;
    }
    return -1;
}

}  // namespace

// logrotate's copytruncate on a log while a replay reads it: the replay read to where the file
// then ended, and said only that its last line, cut there, was left out. What followed where
// reading was is not read, and is now said to be, and in the summary's unread.
BOOST_AUTO_TEST_CASE(a_log_truncated_while_it_is_replayed_says_what_was_not_read) {
    std::string log;
    for (int i = 0; log.size() < (16u << 20); ++i) log += line("/a" + std::to_string(i % 50), "10:00:00");
    for (const char* threads : {"1", "2"}) {
        BOOST_TEST_CONTEXT("threads " << threads) {
            // The replay is stopped part way through the file (SIGSTOP), which is then truncated.
            long long at = -1;
            std::unique_ptr<test::Background> replay;
            test::TempDir dir;
            const std::string path = dir.file("access.log");
            test::write_file(path, "");
            const std::string real_path = std::filesystem::canonical(path).string();  // as /proc names it
            for (int attempt = 0; attempt < 20 && at < 0; ++attempt) {
                // A try whose replay ended before it was stopped wrote its summary (and its
                // messages) to files opened for appending: the next starts them afresh.
                std::filesystem::remove(dir.file("out"));
                std::filesystem::remove(dir.file("err"));
                test::write_file(path, log);
                const std::vector<std::string> argv = {test::hitwatchd(), "--replay", path,   "--output",
                                                       "json",           "--threads", threads};
                replay = std::make_unique<test::Background>(argv, dir.file("out"), dir.file("err"));
                while (replay->alive()) {
                    const long long offset = read_offset_of(replay->pid(), real_path);
                    if (offset <= 0) continue;
                    replay->signal(SIGSTOP);
                    BOOST_TEST_REQUIRE(test::wait_for([&] { return stopped(replay->pid()); }, 10s));
                    const long long stopped_at = read_offset_of(replay->pid(), real_path);
                    if (stopped_at > 0 && stopped_at < static_cast<long long>(log.size())) at = stopped_at;
                    if (at < 0) replay->signal(SIGCONT);
                    break;
                }
                if (at < 0) replay->wait();
            }
            BOOST_TEST_REQUIRE(at > 0, "the replay was never stopped part way through");
            BOOST_TEST_REQUIRE(::truncate(path.c_str(), 0) == 0);
            replay->signal(SIGCONT);
            BOOST_TEST(replay->wait() == 0);
            const std::string err = test::read_file(dir.file("err"));
            // On one thread reading stands where /proc said. On more, each thread reads its own
            // parts of the file, and /proc shows where the counted parts end: those read ahead
            // of it (up to 2 a thread) were counted too, and the cut is named where they end.
            long long followed = at;
            if (std::string(threads) != "1") {
                const std::string before = "while it was read: what followed byte ";
                const std::size_t named = err.find(before);
                BOOST_TEST_REQUIRE(named != std::string::npos, err);
                followed = std::stoll(err.substr(named + before.size()));
                BOOST_TEST(followed >= at);
                BOOST_TEST(followed <= at + 4 * 256 * 1024);
                BOOST_TEST(followed % (256 * 1024) == 0);  // where a part ends
            }
            const std::string said = "access.log: truncated to 0 bytes while it was read: what followed byte " +
                                     std::to_string(followed) + " (" + std::to_string(log.size() - followed) +
                                     " bytes of it when the replay opened it) was not read";
            BOOST_TEST(err.find(said) != std::string::npos, err);
            // Its cut last line is not said to be half written: the truncation says why it is cut.
            BOOST_TEST(err.find("has no newline") == std::string::npos, err);
            const auto summaries = of_type(json_lines(test::read_file(dir.file("out"))), "summary");
            BOOST_TEST_REQUIRE(summaries.size() == 1u);
            BOOST_TEST_REQUIRE(summaries[0].contains("unread"));
            const std::string unread(summaries[0].at("unread").as_array().at(0).as_string());
            BOOST_TEST(unread.find(said) != std::string::npos, unread);
            BOOST_TEST(n(summaries[0].at("hits")) < static_cast<std::int64_t>(log.size() / line("/a1").size()));
        }
    }
}

// "A replay ends with a summary" (the man page), which a script reading the JSON lines waits
// for. An input with no line to date it ended with none: an empty hourly rotation of a quiet
// site, a file of blank lines, a file that could not be opened. Now it ends with a summary of
// nothing, dated by the file (or by now when none was opened).
BOOST_AUTO_TEST_CASE(a_replay_of_nothing_ends_with_its_summary) {
    test::TempDir dir;
    for (const std::string& text : {std::string(), std::string("\n\n\n")}) {
        const auto r = replay(dir, text);
        BOOST_TEST(r.exit_code == 0, r.err);
        const auto lines = json_lines(r.out);
        BOOST_TEST_REQUIRE(lines.size() == 1u, r.out);
        const auto summaries = of_type(lines, "summary");
        BOOST_TEST_REQUIRE(summaries.size() == 1u, r.out);
        BOOST_TEST(n(summaries[0].at("lines")) == static_cast<std::int64_t>(text.size()));
        BOOST_TEST(n(summaries[0].at("blank")) == static_cast<std::int64_t>(text.size()));
        BOOST_TEST(n(summaries[0].at("hits")) == 0);
        BOOST_TEST(!summaries[0].contains("unread"));
        // Dated by the file's modification time, not the epoch.
        BOOST_TEST(std::string(summaries[0].at("first").as_string()).substr(0, 4) != "1970");
        const auto as_text = replay_as_text(dir, text);
        BOOST_TEST(as_text.out.find("== summary ==") != std::string::npos, as_text.out);
    }
    const auto missing = run({test::hitwatchd(), "--replay", dir.file("gone.log"), "--output", "json"});
    BOOST_TEST(missing.exit_code == 1, missing.err);
    const auto summaries = of_type(json_lines(missing.out), "summary");
    BOOST_TEST_REQUIRE(summaries.size() == 1u, missing.out);
    BOOST_TEST(std::string(summaries[0].at("first").as_string()).substr(0, 4) != "1970");
    BOOST_TEST_REQUIRE(summaries[0].contains("unread"));
    BOOST_TEST(std::string(summaries[0].at("unread").as_array().at(0).as_string()).find("cannot open") == 0u);
}

// SIGUSR1 asks the live daemon how things stand, SIGHUP reloads it; `pkill -USR1 hitwatchd`
// and a postrotate's `killall -HUP hitwatchd` reach a replay too, which they killed, all it had
// read lost (exit 138 and 129, nothing printed). A replay now answers SIGUSR1 with how far it
// is and its summary so far, says SIGHUP has nothing to reload, and goes on to its end. It
// answers while it waits on a quiet pipe too (tail -F access.log | hitwatchd --replay -):
// before, the answer came only with the writer's next bytes.
BOOST_AUTO_TEST_CASE(the_live_daemons_signals_do_not_stop_a_replay) {
    for (const char* threads : {"1", "2"}) {
        for (const int signal : {SIGUSR1, SIGHUP}) {
            BOOST_TEST_CONTEXT("threads " << threads << ", signal " << signal) {
                PipedReplay piped(threads);
                const std::string lines = every_5_seconds();
                piped.write(lines);
                // Read (one write, one read: the format is said once its bytes are read, and
                // they are counted before anything else is looked at); the writer stays open.
                const auto read_in = [&] {
                    return test::read_file(piped.dir.file("err")).find(": combined (39 of") != std::string::npos;
                };
                BOOST_TEST_REQUIRE(test::wait_for(read_in, 10s));
                piped.replay->signal(signal);
                const std::string answer = signal == SIGUSR1 ? "summary so far: " : "SIGHUP: a replay has no";
                const bool answered = test::wait_for(
                    [&] { return test::read_file(piped.dir.file("err")).find(answer) != std::string::npos; }, 5s);
                BOOST_TEST(answered, "no answer while the pipe is quiet");
                piped.write(lines);
                ::close(std::exchange(piped.writer, -1));
                BOOST_TEST(piped.replay->wait() == 0);
                const std::string err = test::read_file(piped.dir.file("err"));
                if (signal == SIGUSR1) {
                    BOOST_TEST(err.find("info: status: replaying standard input; ") != std::string::npos, err);
                    const auto at = err.find("summary so far: ");
                    BOOST_TEST_REQUIRE(at != std::string::npos, err);
                    const std::string so_far = err.substr(at + 16, err.find('\n', at) - at - 16);
                    const auto summary = boost::json::parse(so_far).as_object();
                    BOOST_TEST(n(summary.at("lines")) == 39);  // all that was written, and no more
                } else {
                    BOOST_TEST(err.find("SIGHUP: a replay has no configuration to reload, and goes on") !=
                                   std::string::npos, err);
                }
                const auto summaries = of_type(json_lines(test::read_file(piped.dir.file("out"))), "summary");
                BOOST_TEST_REQUIRE(summaries.size() == 1u);
                BOOST_TEST(n(summaries[0].at("lines")) == 2 * 39);
            }
        }
    }
}
