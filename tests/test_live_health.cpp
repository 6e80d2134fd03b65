// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE live_health
// A log the daemon cannot read must not look like a quiet site: the real hitwatchd says so in
// every report, in a repeated warning, in its systemd STATUS and in a statsd gauge; and a path
// that is not a log at all is one clear error, not a flood.
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <thread>

#include "live_daemon.h"
#include "report_lines.h"
#include "datagram_listener.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test::Daemon;
using test::DaemonOptions;
using test::StatsdListener;

namespace {

std::int64_t count_of(const std::string& text, const std::string& what) {
    std::int64_t found = 0;
    for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++found;
    return found;
}

// The logs[] entry of `path` in the last report of `out`.
boost::json::object last_entry(const std::string& out, const std::string& path) {
    boost::json::object entry;
    for (const auto& report : test::of_type(test::json_lines(out), "report")) {
        for (const auto& log : report.at("logs").as_array()) {
            if (log.at("path").as_string() == path) entry = log.as_object();
        }
    }
    return entry;
}

// logrotate directives for a rotation that creates the new log unreadable to the daemon
// (root's and 0600 as in the field; a file of one's own with no permission at all when the
// test does not run as root), and for one that creates it readable. The test directory is
// open to the daemon's user (test::as_unprivileged): logrotate is told whose it is.
std::pair<std::string, std::string> rotations_unreadable_and_readable() {
    if (::geteuid() == 0) {
        return {"su root root\n    create 0600 root root\n    nocompress", "su root root\n    create 0644 root root\n    nocompress"};
    }
    return {"create 0000\n    nocompress", "create 0644\n    nocompress"};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_device_or_a_directory_as_a_log_is_one_clear_error) {
    // Before: /dev/zero wrote about 2,000 "truncated" warnings a second and counted phantom
    // invalid lines; a directory warned once a second forever.
    test::TempDir dir;
    fs::create_directories(dir.file("logs.d"));
    Daemon d(dir, {"/dev/zero", dir.file("logs.d")});
    std::this_thread::sleep_for(3s);
    BOOST_TEST(
        count_of(d.err(),
                 "/dev/zero is a character device, not a log file; looking again every 30 s") == 1,
        d.said());
    BOOST_TEST(count_of(d.err(), dir.file("logs.d") + " is a directory, not a log file") == 1,
               d.said());
    BOOST_TEST(d.err().find("truncated") == std::string::npos);
    BOOST_TEST(d.seen().invalid == 0);
    BOOST_TEST(d.err().find("following 2 log(s): 0 reading, 2 not log files") != std::string::npos,
               d.said());
    const auto entry = last_entry(d.out(), "/dev/zero");
    BOOST_TEST(entry.at("state") == "unreadable");
    BOOST_TEST(entry.at("error") == "a character device, not a log file");
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_log_that_is_not_read_shows_in_every_report_a_warning_the_status_and_a_gauge) {
    // Before: a log the daemon could not read looked like a quiet site: hits 0 forever after
    // one warning.
    test::TempDir dir;
    const std::string present = dir.file("present.log"), missing = dir.file("missing.log");
    test::write_file(present, "");
    StatsdListener statsd;
    test::NotifyListener systemd(dir.file("notify.sock"));
    DaemonOptions how;
    how.extra = {"--unhealthy-after", "1", "--unhealthy-repeat", "2", "--statsd", "127.0.0.1:" + std::to_string(statsd.port())};
    how.spawn.env = {"NOTIFY_SOCKET=" + dir.file("notify.sock")};
    Daemon d(dir, {present, missing}, how);
    const std::string gauges = statsd.receive(3500ms);
    BOOST_TEST(gauges.find("hitwatch.logs.unhealthy:1|g") != std::string::npos, gauges);
    BOOST_TEST(count_of(d.err(), missing + " has not been read for") >= 1, d.said());
    BOOST_TEST(d.err().find("(waiting: No such file or directory); its reports show 0 hits") !=
                   std::string::npos,
               d.said());
    systemd.listen_for(1500ms);
    const bool status_says = std::any_of(systemd.heard.begin(), systemd.heard.end(), [](const auto& m) {
        return m.second.find("STATUS=") == 0 && m.second.find("1 log(s) not reading") != std::string::npos;
    });
    BOOST_TEST(status_says);
    auto entry = last_entry(d.out(), missing);
    BOOST_TEST(entry.at("state") == "waiting");
    BOOST_TEST(entry.at("error") == "No such file or directory");
    BOOST_TEST(last_entry(d.out(), present).at("state") == "reading");
    std::this_thread::sleep_for(2500ms);
    BOOST_TEST(count_of(d.err(), missing + " has not been read for") >= 2, d.said());  // repeated

    test::generate(missing, 5);
    BOOST_TEST(d.settle_at(5) == 5);
    BOOST_TEST(d.says(missing + " is being read again"), d.said());
    BOOST_TEST(last_entry(d.out(), missing).at("state") == "reading");
    BOOST_TEST(statsd.receive(1500ms).find("hitwatch.logs.unhealthy:0|g") != std::string::npos);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_file_rotated_out_before_it_could_be_read_is_read_once_it_can_be_or_counted_lost) {
    // Before: a rotation that created the log unreadable to the daemon (logrotate `create
    // 0600 root root` for a daemon running as another user), 200 lines written into it, and a
    // second rotation before it became readable: 600 written, 400 counted, lost_bytes 0, no
    // word; the daemon never went back to the rotated file once it was readable.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    ::chmod(log.c_str(), 0644);
    const auto [unreadable, readable] = rotations_unreadable_and_readable();
    Daemon d(dir, {log}, test::as_unprivileged(dir));
    test::generate(log, 200);
    BOOST_TEST(d.settle_at(200) == 200);
    test::logrotate(dir, log, unreadable);
    BOOST_TEST(d.says("cannot open " + log), d.said());
    test::generate(log, 200, 2);
    test::logrotate(dir, log, readable);
    test::generate(log, 200, 3);
    BOOST_TEST(d.settle_at(400) == 400);
    BOOST_TEST(d.says(log + " was rotated to " + log + ".1 before it could be read"), d.said());
    ::chmod((log + ".1").c_str(), 0644);  // still beside its log, readable now
    BOOST_TEST(d.settle_at(600) == 600);
    BOOST_TEST(
        d.says(log + ".1 (rotated from " + log + " before it could be read) can be read now"),
        d.said());
    BOOST_TEST(d.seen().lost_bytes == 0);
    BOOST_TEST(d.stop() == 0);
    fs::rename(dir.file("out.json"), dir.file("first.json"));
}

BOOST_AUTO_TEST_CASE(a_file_rotated_out_unread_is_still_looked_for_after_a_restart_and_lost_once_gone) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    ::chmod(log.c_str(), 0644);
    const auto [unreadable, readable] = rotations_unreadable_and_readable();
    {
        Daemon first(dir, {log}, test::as_unprivileged(dir));
        test::logrotate(dir, log, unreadable);
        BOOST_TEST(first.says("cannot open " + log), first.said());
        test::generate(log, 150, 2);
        test::logrotate(dir, log, readable);
        BOOST_TEST(first.says(log + " was rotated to " + log + ".1 before it could be read"),
                   first.said());
        BOOST_TEST(first.stop() == 0);  // the state file keeps it, unread
    }
    fs::rename(dir.file("out.json"), dir.file("first.json"));
    Daemon d(dir, {log}, test::as_unprivileged(dir));
    ::chmod((log + ".1").c_str(), 0644);
    BOOST_TEST(d.settle_at(150) == 150);
    BOOST_TEST(d.seen().lost_bytes == 0);

    // One that never becomes readable and goes: its bytes are lost, and said so by name.
    const auto cannot_open = count_of(d.err(), "cannot open " + log);
    test::logrotate(dir, log, unreadable);
    BOOST_TEST(
        test::wait_for([&] { return count_of(d.err(), "cannot open " + log) > cannot_open; }, 5s),
        d.said());
    test::generate(log, 100, 4);
    const auto never_read = static_cast<std::int64_t>(fs::file_size(log));
    test::logrotate(dir, log, readable);
    BOOST_TEST(d.says(log + " was rotated to " + log + ".1 before it could be read"), d.said());
    fs::remove(log + ".1");
    BOOST_TEST(test::wait_for([&] { return d.seen().lost_bytes == never_read; }, 5s), d.said());
    BOOST_TEST(
        d.says(log + ".1 (rotated from " + log + ") was never readable and is no longer beside it"),
        d.said());
    BOOST_TEST(d.seen().hits == 150);
    BOOST_TEST(d.stop() == 0);
}
