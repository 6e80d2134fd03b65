// SPDX-License-Identifier: Apache-2.0
#pragma once
// Drives a real hitwatchd --log on real files, for the live integration tests: its reports
// go to a file read back as JSON; reports come every second (--interval 1) to keep the
// tests short.
#include <chrono>
#include <cstdint>
#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "process.h"

namespace test {

// What the reports in a file add up to.
struct Seen {
    std::int64_t hits = 0, invalid = 0, rotations = 0, truncations = 0, lost_bytes = 0, reports = 0, alerts = 0,
                 recoveries = 0;
};
Seen seen_in(const std::string& out_path);

// Newlines in a file.
std::int64_t lines_in(const std::string& path);

struct DaemonOptions {
    std::vector<std::string> extra;   // more arguments
    std::vector<std::string> prefix;  // a command that runs hitwatchd (setpriv, prlimit)
    Spawn spawn;                      // working directory, environment
    std::string out;                  // standard output (default: DIR/out.json)
    std::string state_file;           // (default: DIR/state.json)
    bool wait_until_following = true;
};

// Runs hitwatchd as the unprivileged user nobody when the test runs as root (root reads
// any file whatever its mode): setpriv, with the test directory open to it.
DaemonOptions as_unprivileged(const TempDir& dir, std::vector<std::string> extra = {});

// For a hitwatchd that receives syslog over UDP on 127.0.0.1:port (and takes `extra`): it
// follows no file, so it is not waited for until it says it follows one.
DaemonOptions syslog_over_udp(int port, std::vector<std::string> extra = {});

// A hitwatchd following `logs`, with its state file in `dir`.
class Daemon {
public:
    Daemon(const TempDir& dir, const std::vector<std::string>& logs, std::vector<std::string> extra = {});
    Daemon(const TempDir& dir, const std::vector<std::string>& logs, const DaemonOptions& how);

    // Waits until the reports add up to `hits` (or the limit passes), and a little more in
    // case more arrive; the final figure.
    std::int64_t settle_at(std::int64_t hits, std::chrono::milliseconds limit = std::chrono::seconds(15));
    // Signals it and waits for its exit code (128 + signal if killed); -1 if it did not end
    // within 30 s (it is then killed).
    int stop(int sig = SIGTERM);
    void signal(int sig) { process_->signal(sig); }
    bool alive() { return process_->alive(); }
    int pid() const { return process_->pid(); }
    Seen seen() const { return seen_in(out_); }
    std::string err() const { return read_file(err_); }
    // Its stderr as a failed check's message: read when printed (see FileWhenPrinted).
    FileWhenPrinted said() const { return {err_}; }
    std::string out() const { return read_file(out_); }
    // Waits until what this run wrote to stderr holds `text` (the file keeps earlier runs' too).
    bool says(const std::string& text, std::chrono::milliseconds limit = std::chrono::seconds(5)) const;
    // Waits until it says it receives syslog over UDP on 127.0.0.1:port.
    bool receives_syslog(int port) const;

private:
    std::string out_, err_;
    std::size_t err_start_ = 0;  // where this run's messages begin in err_
    std::unique_ptr<Background> process_;
};

// Sets the file size limit (RLIMIT_FSIZE, soft) of process `pid`: the test's stand-in for a
// full disk. RLIM_INFINITY: back to the hard limit.
void limit_file_size(int pid, std::uint64_t bytes);

// A first run of hitwatchd (with `extra`, its reports in DIR/first.json) that stops at the
// end of `log`, created empty, with its state file moved `seconds_ago` into the past (its
// last report then, its alert window dropped): what is written into `log` next is a backlog
// of downtime to the next run.
void stopped_long_ago(const TempDir& dir, const std::string& log, const std::vector<std::string>& extra,
                      std::int64_t seconds_ago);

// `lines` combined log lines appended to `log` (stamped around now).
void generate(const std::string& log, int lines, int seed = 1);

// Combined lines stamped now, one per section named ("/api" -> "GET /api/page"), each with
// `after` after its fields (" 0.012": a response time).
void append_requests(const std::string& log, const std::vector<std::string>& sections, const std::string& after = "");

// Runs logrotate once on `log` with `directives` ("create", "copytruncate", ...).
void logrotate(const TempDir& dir, const std::string& log, const std::string& directives);

// Lines a live writer (hitwatch-genlog --live) says it wrote on its stderr; -1 if none.
std::int64_t written_by(const std::string& err);

// What a service manager hears on its notification socket: a datagram socket bound to a
// path, or to a name in Linux's abstract namespace when the name starts with '@'.
class NotifyListener {
public:
    explicit NotifyListener(const std::string& name);
    ~NotifyListener();
    void listen_for(std::chrono::milliseconds how_long);
    long count(const std::string& prefix) const;
    std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> heard;

private:
    int fd_;
};

// A config file for reload tests: one second intervals, a 10 s absolute window.
void write_config(const std::string& path, const std::vector<std::string>& logs, double threshold,
                  const std::string& more = "");

}  // namespace test
