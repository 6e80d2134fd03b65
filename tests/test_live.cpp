// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE live
// Drives the real hitwatchd --log on real files, with real logrotate and real signals:
// appends, rotation, restarts, reloads and the systemd protocol.
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "live_daemon.h"

namespace json = boost::json;
using namespace std::chrono_literals;

using test::Daemon;
using test::generate;
using test::lines_in;
using test::logrotate;
using test::seen_in;
using test::write_config;
using test::written_by;

BOOST_AUTO_TEST_CASE(appends_while_running_are_counted_once_and_start_is_at_the_end) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    generate(log, 500);  // before the start: not counted (like tail -n 0)
    Daemon d(dir, {log});
    generate(log, 3000);
    generate(log, 2000);
    BOOST_TEST(d.settle_at(5000) == 5000);
    BOOST_TEST(d.stop() == 0);
    const std::string state = test::read_file(dir.file("state.json"));
    BOOST_TEST(state.find("\"offset\":" + std::to_string(std::filesystem::file_size(log))) != std::string::npos,
               state);
}

BOOST_AUTO_TEST_CASE(real_logrotate_create_while_a_writer_appends) {
    for (const char* watch : {"inotify", "poll"}) {
        test::TempDir dir;
        const std::string log = dir.file("access.log");
        Daemon d(dir, {log}, {"--watch", watch});
        test::Background writer({GENLOG, "--out", log, "--live", "--rate", "20000", "--duration", "7"},
                                dir.file("writer.out"), dir.file("writer.err"));
        for (int i = 0; i < 5; ++i) {
            std::this_thread::sleep_for(1s);
            logrotate(dir, log, "create\n    nocompress");
        }
        BOOST_TEST_REQUIRE(writer.wait() == 0);
        const std::int64_t written = written_by(test::read_file(dir.file("writer.err")));
        BOOST_TEST(written > 100000);
        const std::int64_t counted = d.settle_at(written);
        BOOST_TEST(counted == written, watch << ": " << counted << " counted of " << written
                                             << " written\n"
                                             << d.said());
        BOOST_TEST(d.seen().rotations >= 5, watch);
        BOOST_TEST(d.stop() == 0);
    }
}

BOOST_AUTO_TEST_CASE(copytruncate_is_read_again_from_the_start) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    Daemon d(dir, {log});
    generate(log, 1000);
    BOOST_TEST(d.settle_at(1000) == 1000);
    logrotate(dir, log, "copytruncate\n    nocompress");
    generate(log, 500);
    BOOST_TEST(d.settle_at(1500) == 1500);
    logrotate(dir, log, "copytruncate\n    nocompress");
    generate(log, 700);
    BOOST_TEST(d.settle_at(2200) == 2200);
    BOOST_TEST(d.seen().truncations == 2);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(deleted_then_recreated_and_absent_at_start) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    Daemon d(dir, {log});  // absent: waited for, then read from its start
    BOOST_TEST(d.err().find("waiting for it") != std::string::npos, d.said());
    generate(log, 80);
    BOOST_TEST(d.settle_at(80) == 80);
    std::filesystem::remove(log);
    std::this_thread::sleep_for(300ms);
    generate(log, 50);
    BOOST_TEST(d.settle_at(130) == 130);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_partial_line_waits_and_an_overlong_line_is_invalid) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    Daemon d(dir, {log}, {"--max-line", "1024"});
    const std::string line =
        "10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] \"GET /half HTTP/1.1\" 200 5 \"-\" \"ua\"\n";
    {
        std::ofstream(log, std::ios::app) << line.substr(0, 30);
    }
    std::this_thread::sleep_for(1500ms);
    BOOST_TEST(d.seen().invalid == 0);  // the first half alone is not a bad line
    {
        std::ofstream(log, std::ios::app) << line.substr(30) << std::string(5000, 'x') << "\n" << line;
    }
    BOOST_TEST(d.settle_at(2) == 2);
    BOOST_TEST(d.seen().invalid == 1);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(kill_9_and_restart_neither_loses_nor_doubles) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    std::int64_t before_kill = 0;
    test::Background writer({GENLOG, "--out", log, "--live", "--rate", "5000", "--duration", "6"},
                            dir.file("writer.out"), dir.file("writer.err"));
    {
        // --from-start: the writer may be ahead of the daemon's start.
        Daemon first(dir, {log}, {"--from-start"});
        std::this_thread::sleep_for(2500ms);
        BOOST_TEST(first.stop(SIGKILL) == 128 + SIGKILL);
        before_kill = first.seen().hits;
    }
    std::filesystem::rename(dir.file("out.json"), dir.file("first.json"));
    std::this_thread::sleep_for(700ms);  // lines written while no daemon runs
    Daemon second(dir, {log});
    BOOST_TEST_REQUIRE(writer.wait() == 0);
    const std::int64_t written = lines_in(log);
    BOOST_TEST(written_by(test::read_file(dir.file("writer.err"))) == written);
    BOOST_TEST(before_kill > 0);
    BOOST_TEST(second.settle_at(written - before_kill) + before_kill == written);
    BOOST_TEST(second.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_corrupt_state_file_is_moved_aside) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(dir.file("state.json"), "{\"version\":1,\"logs\":[{\"pa");
    Daemon d(dir, {log});
    BOOST_TEST(d.err().find("is unreadable") != std::string::npos, d.said());
    BOOST_TEST(std::filesystem::exists(dir.file("state.json.corrupt")));
    generate(log, 300);
    BOOST_TEST(d.settle_at(300) == 300);
    BOOST_TEST(d.stop() == 0);
    BOOST_TEST(test::read_file(dir.file("state.json")).find("\"version\":4") == 1u);
}

BOOST_AUTO_TEST_CASE(sighup_reopens_the_report_file_after_it_was_moved_away) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const std::string reports = dir.file("reports.json");
    Daemon d(dir, {log}, {"--report-file", reports});
    generate(log, 100);
    BOOST_TEST(d.settle_at(100) == 100);
    std::filesystem::rename(reports, reports + ".1");  // what logrotate does
    d.signal(SIGHUP);
    BOOST_TEST(test::wait_for([&] { return d.err().find("SIGHUP") != std::string::npos; }, 5s));
    generate(log, 50);
    BOOST_TEST(d.settle_at(150) == 150);
    BOOST_TEST(test::wait_for([&] { return seen_in(reports).hits == 50; }, 5s));
    BOOST_TEST(seen_in(reports).hits == 50);
    BOOST_TEST(seen_in(reports + ".1").hits == 100);
    BOOST_TEST(d.stop() == 0);
}

namespace {

// Lines of `path` that are not one whole JSON object.
int broken_lines_in(const std::string& path) {
    std::istringstream in(test::read_file(path));
    int broken = 0;
    for (std::string line; std::getline(in, line);) {
        try {
            if (!json::parse(line).is_object()) ++broken;
        } catch (...) {
            ++broken;
        }
    }
    return broken;
}

}  // namespace

// A full disk (here a file size limit: the same ENOSPC-like failure, and the signal SIGXFSZ
// that kills a process by default) must not kill the daemon, leave half a line in the file,
// or stop the report file until the next reload.
BOOST_AUTO_TEST_CASE(a_report_file_that_cannot_grow_resumes_when_it_can) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const std::string reports = dir.file("reports.json");
    test::DaemonOptions how;
    how.extra = {"--report-file", reports};
    how.out = "/dev/null";  // a file would meet the limit too
    Daemon d(dir, {log}, how);
    const auto hits_reach = [&](std::int64_t hits) {
        return test::wait_for([&] { return seen_in(reports).hits == hits; }, 15s);
    };
    generate(log, 100);
    BOOST_TEST(hits_reach(100));
    // The limit is the process's, for its stderr too: the reports (one a second) are let grow
    // past it, so that its messages (stamped with their time) still have room.
    const auto room_for_messages = [&] {
        return std::filesystem::file_size(reports) > std::filesystem::file_size(dir.file("err.txt")) + 600;
    };
    BOOST_TEST_REQUIRE(test::wait_for(room_for_messages, 20s));
    test::limit_file_size(d.pid(), std::filesystem::file_size(reports) + 40);  // shorter than any report
    generate(log, 50);
    BOOST_TEST(d.says("cannot write reports to the report file " + reports), d.said());
    std::this_thread::sleep_for(2s);  // two more reports find no room
    BOOST_TEST_REQUIRE(d.alive());
    test::limit_file_size(d.pid(), RLIM_INFINITY);
    generate(log, 20);
    BOOST_TEST(d.says("writing to the report file " + reports + " again"), d.said());
    BOOST_TEST(hits_reach(120));  // the 50 found no room
    BOOST_TEST(broken_lines_in(reports) == 0);
    BOOST_TEST(d.stop() == 0);
}

namespace {

std::int64_t alerts_in(const std::string& out_path) { return seen_in(out_path).alerts; }

}  // namespace

BOOST_AUTO_TEST_CASE(sighup_applies_a_changed_threshold_and_keeps_a_broken_config_out) {
    test::TempDir dir;
    const std::string log = dir.file("access.log"), config = dir.file("hitwatch.conf");
    write_config(config, {log}, 1000);
    Daemon d(dir, {}, {"--config", config});
    generate(log, 300);
    BOOST_TEST(d.settle_at(300) == 300);
    BOOST_TEST(alerts_in(dir.file("out.json")) == 0);  // 300 hits < 1000/s * 10 s

    write_config(config, {log}, 1);  // high above 10 hits in 10 s
    d.signal(SIGHUP);
    BOOST_TEST(
        test::wait_for([&] { return d.err().find("reload: done") != std::string::npos; }, 5s),
        d.said());
    generate(log, 300);
    BOOST_TEST(d.settle_at(600) == 600);
    BOOST_TEST(test::wait_for([&] { return alerts_in(dir.file("out.json")) == 1; }, 5s));

    // A reload to a format with a typo in a directive says so, as a start does: its latency
    // would be lost without a word.
    test::write_file(config, "format = %h %l %u %t \"%r\" %>s %b %Q\n" + test::read_file(config));
    d.signal(SIGHUP);
    BOOST_TEST(
        test::wait_for([&] { return d.err().find("reload: format '") != std::string::npos; }, 5s),
        d.said());
    BOOST_TEST(d.says("%Q at column 25 is not a field hitwatch knows; it is skipped"), d.said());

    test::write_file(config, "log = " + log + "\n[alert]\nwindow = 7.5\n");
    d.signal(SIGHUP);
    BOOST_TEST(
        test::wait_for(
            [&] { return d.err().find("keeping the running configuration") != std::string::npos; },
            5s),
        d.said());
    BOOST_TEST(d.err().find(config + ":3: [alert] window") != std::string::npos, d.said());
    generate(log, 100);
    BOOST_TEST(d.settle_at(700) == 700);  // still running, as before
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_reload_that_changes_the_rule_while_high_ends_the_alert_with_a_recovery) {
    // Defect: the rule was replaced silently; the HIGH alert never got its recovery.
    test::TempDir dir;
    const std::string log = dir.file("access.log"), config = dir.file("hitwatch.conf");
    write_config(config, {log}, 1);  // absolute: high above 10 hits in 10 s
    Daemon d(dir, {}, {"--config", config});
    generate(log, 300);
    BOOST_TEST(test::wait_for([&] { return alerts_in(dir.file("out.json")) == 1; }, 5s));
    test::write_file(config, "interval = 1\noutput = json\nlog = " + log +
                                 "\n[alert]\nrule = baseline\nwindow = 10\n[syslog]\ndisabled = true\n");
    d.signal(SIGHUP);
    BOOST_TEST(d.says("reload: done"), d.said());
    BOOST_TEST(d.err().find("the alert ends with a recovery") != std::string::npos, d.said());
    BOOST_TEST(test::wait_for([&] { return d.out().find("\"ended_by\":\"reload\"") != std::string::npos; }, 5s),
               d.out());
    BOOST_TEST(d.out().find("\"state\":\"recovered\"") != std::string::npos);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(sighup_adds_and_removes_logs_without_losing_a_line) {
    test::TempDir dir;
    const std::string a = dir.file("a.log"), b = dir.file("b.log"), config = dir.file("hitwatch.conf");
    test::write_file(a, "");
    test::write_file(b, "");
    write_config(config, {a}, 1000);
    Daemon d(dir, {}, {"--config", config});
    test::Background writer({GENLOG, "--out", a, "--live", "--rate", "5000", "--duration", "4"}, dir.file("writer.out"),
                            dir.file("writer.err"));
    for (int i = 0; i < 3; ++i) {
        std::this_thread::sleep_for(800ms);
        write_config(config, i % 2 == 0 ? std::vector<std::string>{a, b} : std::vector<std::string>{a}, 1000);
        d.signal(SIGHUP);
    }
    BOOST_TEST_REQUIRE(writer.wait() == 0);
    const std::int64_t written = written_by(test::read_file(dir.file("writer.err")));
    BOOST_TEST(d.settle_at(written) == written);  // a followed throughout: every line once
    // After the last reload b is followed again (from where it was left): its lines count.
    write_config(config, {a, b}, 1000);
    d.signal(SIGHUP);
    BOOST_TEST(test::wait_for([&] { return d.err().find("now following " + b) != std::string::npos; }, 5s));
    std::this_thread::sleep_for(500ms);
    generate(b, 200);
    BOOST_TEST(d.settle_at(written + 200) == written + 200);
    BOOST_TEST(d.stop() == 0);
}

using test::NotifyListener;

BOOST_AUTO_TEST_CASE(systemd_hears_ready_reloading_stopping_and_the_watchdog) {
    test::TempDir dir;
    const std::string socket_path = dir.file("notify.sock");
    NotifyListener systemd(socket_path);
    auto& heard = systemd.heard;

    ::setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
    ::setenv("WATCHDOG_USEC", "400000", 1);
    const std::string log = dir.file("access.log");
    Daemon d(dir, {log});
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");

    systemd.listen_for(1500ms);
    BOOST_TEST(systemd.count("READY=1") == 1);
    // every 200 ms: about 7 in 1.5 s; at least 5 however the machine is loaded
    BOOST_TEST(systemd.count("WATCHDOG=1") >= 5);
    std::vector<std::chrono::steady_clock::time_point> pings;
    for (const auto& [when, message] : heard) {
        if (message == "WATCHDOG=1") pings.push_back(when);
    }
    for (size_t i = 1; i < pings.size(); ++i) BOOST_TEST((pings[i] - pings[i - 1]) < 400ms);
    BOOST_TEST(systemd.count("STATUS=") >= 1);

    heard.clear();
    d.signal(SIGHUP);
    systemd.listen_for(800ms);
    BOOST_TEST(systemd.count("RELOADING=1\nMONOTONIC_USEC=") == 1);
    const auto reloading = std::find_if(heard.begin(), heard.end(), [](const auto& m) { return m.second.rfind("RELOADING=1", 0) == 0; });
    const auto ready = std::find_if(heard.begin(), heard.end(), [](const auto& m) { return m.second == "READY=1"; });
    BOOST_TEST((reloading != heard.end() && ready != heard.end() && reloading < ready));

    heard.clear();
    d.signal(SIGTERM);
    systemd.listen_for(500ms);
    BOOST_TEST(systemd.count("STOPPING=1") == 1);
    BOOST_TEST(d.stop(0) == 0);
}

BOOST_AUTO_TEST_CASE(systemd_is_heard_on_an_abstract_socket_too) {
    // NOTIFY_SOCKET=@name: a socket with no file, as some containers and test managers use.
    test::TempDir dir;
    const std::string name = "@hitwatch-test-" + std::to_string(::getpid());
    NotifyListener systemd(name);
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
    Daemon d(dir, {dir.file("access.log")});
    ::unsetenv("NOTIFY_SOCKET");
    systemd.listen_for(1000ms);
    BOOST_TEST(systemd.count("READY=1") == 1);
    d.signal(SIGTERM);
    systemd.listen_for(500ms);
    BOOST_TEST(systemd.count("STOPPING=1") == 1);
    BOOST_TEST(d.stop(0) == 0);
}

BOOST_AUTO_TEST_CASE(a_reload_names_each_change_it_cannot_apply_and_applies_the_rest) {
    test::TempDir dir;
    const std::string log = dir.file("access.log"), config = dir.file("hitwatch.conf");
    test::write_file(log, "");
    write_config(config, {log}, 1000);
    Daemon d(dir, {}, {"--config", config});
    // output is given on the command line too (which wins): it does not change.
    const std::string changed = "interval = 1\noutput = text\nwatch = poll\nmax-line = 2048\ntop = 3\nlog = " + log +
                                "\n[alert]\nrule = absolute\nwindow = 10\nthreshold = 1000\n[syslog]\ndisabled = true\n";
    test::write_file(config, changed);
    d.signal(SIGHUP);
    BOOST_TEST(d.says("reload: done"), d.said());
    // One warning names them all.
    BOOST_TEST(
        d.err().find(
            "reload: needs a restart: watch (keeping inotify), max-line (keeping 65536)\n") !=
            std::string::npos,
        d.said());
    BOOST_TEST(d.err().find("output (keeping") == std::string::npos, d.said());
    BOOST_TEST(d.err().find("top (keeping") == std::string::npos);
    generate(log, 20);
    BOOST_TEST(d.settle_at(20) == 20);  // still JSON
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(each_log_is_read_in_its_own_format_or_the_one_its_first_lines_show) {
    test::TempDir dir;
    const std::string vhost = dir.file("other_vhosts_access.log"), timed = dir.file("timed access.log"),
                      plain = dir.file("access.log");
    for (const auto& log : {vhost, timed, plain}) test::write_file(log, "");
    const std::string timed_format =
        R"($remote_addr - $remote_user [$time_iso8601] "$request" $status $body_bytes_sent $request_time "$http_referer")";
    // A path with a space, quoted; a format string with spaces, quoted too.
    Daemon d(dir, {vhost + " format=vhost_combined", "\"" + timed + "\" format=\"" + timed_format + "\"", plain},
             {"--no-syslog"});
    char clf[64], iso[64];
    const std::time_t now = std::time(nullptr);
    std::strftime(clf, sizeof clf, "%d/%b/%Y:%H:%M:%S +0000", std::gmtime(&now));
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S+00:00", std::gmtime(&now));
    std::ofstream(vhost, std::ios::app) << "shop.example:443 192.0.2.1 - - [" << clf
                                        << "] \"GET /cart HTTP/1.1\" 200 5 \"-\" \"x\"\n";
    std::ofstream(timed, std::ios::app) << "192.0.2.1 - - [" << iso << "] \"GET /api/a HTTP/1.1\" 200 7 0.004 \"-\"\n"
                                        << "192.0.2.1 - - [" << iso << "] \"GET /api/b HTTP/1.1\" 200 7 0.005 \"-\"\n";
    // No format named: its first line decides (vhost_combined), and says so.
    std::ofstream(plain, std::ios::app) << "blog.example:80 192.0.2.1 - - [" << clf
                                        << "] \"GET /post HTTP/1.1\" 404 9 \"-\" \"x\"\n";
    BOOST_TEST(d.settle_at(4) == 4);
    BOOST_TEST(d.says(plain + ": vhost_combined (its first line matches it)"), d.said());
    BOOST_TEST(d.seen().invalid == 0);
    // The server's log format changes, to combined: the line is read, and that is said. The
    // log given vhost_combined by name holds to it: a combined line there is invalid.
    std::ofstream(plain, std::ios::app) << "192.0.2.1 - - [" << clf << "] \"GET /post HTTP/1.1\" 200 9 \"-\" \"x\"\n";
    std::ofstream(vhost, std::ios::app) << "192.0.2.1 - - [" << clf << "] \"GET /cart HTTP/1.1\" 200 9 \"-\" \"x\"\n";
    BOOST_TEST(d.settle_at(5) == 5);
    BOOST_TEST(d.says("a line of " + plain + " (" + std::string(iso, 19) +
                      "Z) is combined, not vhost_combined as its "
                      "first lines"),
               d.said());
    BOOST_TEST(d.seen().invalid == 1);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_followed_syslog_file_tells_other_programs_messages_apart) {
    // /var/log/syslog with nginx's access lines among other programs' messages, followed with
    // the format left to auto and given as syslog+combined: both learn the server's program
    // from the first lines.
    test::TempDir dir;
    const std::string found = dir.file("syslog"), given = dir.file("syslog.given");
    char clf[64], iso[64];
    const std::time_t now = std::time(nullptr);
    std::strftime(clf, sizeof clf, "%d/%b/%Y:%H:%M:%S +0000", std::gmtime(&now));
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S.000000+00:00", std::gmtime(&now));
    const std::string access = std::string(iso) + " web1 nginx: 192.0.2.1 - - [" + clf +
                               "] \"GET /cart HTTP/1.1\" 200 5 \"-\" \"x\"\n";
    const std::string cron = std::string(iso) + " web1 CRON[12]: (root) CMD (run-parts /etc/cron.hourly)\n";
    for (const auto& log : {found, given}) test::write_file(log, cron + access);
    Daemon d(dir, {found, given + " format=syslog+combined"}, {"--no-syslog"});
    for (const auto& log : {found, given}) std::ofstream(log, std::ios::app) << access << cron << access;
    BOOST_TEST(d.settle_at(4) == 4);
    BOOST_TEST(d.seen().invalid == 2);
    for (const auto& log : {found, given}) {
        BOOST_TEST(d.says("invalid line in " + log +
                          ": another program's syslog message, not an access log line"),
                   d.said());
    }
    BOOST_TEST(d.stop() == 0);
}
