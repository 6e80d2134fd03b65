// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE live_backfill
// A backlog is history, not a burst: the real hitwatchd, restarted after downtime, stalled
// by SIGSTOP, or reading a log from its start, counts what it reads late by when it was
// written, raises no alert for it, counts every line once, and still catches a real burst.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "live_daemon.h"

namespace json = boost::json;
using namespace std::chrono_literals;
using test::Daemon;

namespace {

// The alert settings of these tests: 1 s intervals and a 4 s window, so the adaptive rule
// warms up in 20 s; a margin wide enough that a writer or daemon slowed by a loaded machine
// (or a sanitizer) cannot look like a burst, narrow enough that 4x the traffic is one.
// A short horizon, so a first start's prior (held for the first horizon) is over in a minute.
const std::vector<std::string> kAlerts = {"--alert-window", "4", "--alert-margin", "150", "--alert-horizon", "60", "--no-syslog"};
constexpr int kRate = 50;  // lines a second: a window of 200 hits

struct Event {
    std::string type;  // report, alert
    json::object fields;
};

std::vector<Event> events_in(const std::string& out) {
    std::vector<Event> events;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        try {
            json::object o = json::parse(line).as_object();
            events.push_back({std::string(o.at("type").as_string()), std::move(o)});
        } catch (...) {
            // a line being written right now
        }
    }
    return events;
}

std::int64_t number(const json::object& o, const char* key) { return o.at(key).to_number<std::int64_t>(); }

// The whole reports (not partial) from the first with hits to the last with hits.
std::vector<json::object> while_busy(const std::vector<Event>& events) {
    std::vector<json::object> reports;
    for (const auto& e : events) {
        if (e.type == "report" && !e.fields.contains("partial")) reports.push_back(e.fields);
    }
    const auto busy = [](const json::object& r) { return number(r, "hits") > 0; };
    reports.erase(std::find_if(reports.rbegin(), reports.rend(), busy).base(), reports.end());
    reports.erase(reports.begin(), std::find_if(reports.begin(), reports.end(), busy));
    return reports;
}

// Each of `reports`, but the first and the last (parts of a second), holds about a second of
// traffic at kRate, counted live: none is empty, none holds a stall's backlog.
void each_about_a_second(const std::vector<json::object>& reports) {
    for (size_t i = 1; i + 1 < reports.size(); ++i) {
        BOOST_TEST(number(reports[i], "hits") <= 3 * kRate, json::serialize(reports[i]));
        BOOST_TEST(number(reports[i], "hits") >= kRate / 3, json::serialize(reports[i]));
        BOOST_TEST(!reports[i].contains("backfill"));
    }
}

// A live writer at kRate lines a second for `seconds`, with a burst of `burst_rate` lines a
// second `burst_at` seconds in, lasting `burst_for`.
std::unique_ptr<test::Background> writer(const test::TempDir& dir, const std::string& log, int seconds,
                                         int burst_at = -1, int burst_for = 0, int burst_rate = 0) {
    std::vector<std::string> argv = {GENLOG, "--out", log, "--live", "--rate", std::to_string(kRate), "--duration",
                                     std::to_string(seconds)};
    if (burst_at >= 0) {
        argv.push_back("--burst");
        argv.push_back(std::to_string(burst_at) + ":" + std::to_string(burst_for) + ":" + std::to_string(burst_rate));
    }
    return std::make_unique<test::Background>(argv, dir.file("writer.out"), dir.file("writer.err"));
}

std::int64_t written(const test::TempDir& dir) { return test::written_by(test::read_file(dir.file("writer.err"))); }

std::string alerts_in(const std::vector<Event>& events) {
    std::string all;
    for (const auto& e : events) {
        if (e.type == "alert") all += json::serialize(e.fields) + "\n";
    }
    return all;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_restart_after_downtime_under_steady_traffic_raises_no_alert_and_then_catches_a_burst) {
    // Defect: lines counted when read, so the 12 s written while the daemon was stopped came in
    // one second after the restart: 600 hits in a window of 200, and an alert. Two sites at
    // once: one with the default rule, whose learning the restart keeps (no new warm-up, so
    // the burst 12 s after the restart is caught), one with an absolute limit of 80/s.
    struct Site {
        std::vector<std::string> options;
        test::TempDir dir;
        std::string log = dir.file("access.log");
        std::unique_ptr<test::Background> writer;
        std::unique_ptr<Daemon> daemon;
    };
    Site sites[2];
    sites[0].options = kAlerts;
    sites[1].options = kAlerts;
    for (const char* more : {"--alert-rule", "absolute", "--alert-threshold", "80"}) sites[1].options.push_back(more);
    // 50 s of the first run (warm after 24), 12 s stopped, 16 s of the second run (the first
    // horizon's prior over after 60 s learned), then 4x for 6 s.
    // Each daemon follows its log before the writer starts: a log it has no offset for is
    // read from its end, so lines written before that would not be its to count.
    for (Site& site : sites) {
        test::write_file(site.log, "");
        site.daemon = std::make_unique<Daemon>(site.dir, std::vector<std::string>{site.log}, site.options);
    }
    const auto began = std::chrono::steady_clock::now();
    for (Site& site : sites) site.writer = writer(site.dir, site.log, 94, 78, 6, 4 * kRate);
    std::this_thread::sleep_until(began + 50s);
    for (Site& site : sites) {
        BOOST_TEST(site.daemon->stop() == 0);
        const std::string out = site.daemon->out();
        BOOST_TEST(alerts_in(events_in(out)).empty(), alerts_in(events_in(out)));
        site.daemon.reset();
    }
    std::this_thread::sleep_until(began + 62s);
    for (Site& site : sites) site.daemon = std::make_unique<Daemon>(site.dir, std::vector<std::string>{site.log}, site.options);
    std::this_thread::sleep_until(began + 77s);
    for (Site& site : sites) {
        Daemon& second = *site.daemon;
        BOOST_TEST(second.says("s behind"));
        BOOST_TEST(second.says("caught up"));
        const std::string before_burst = second.out();
        BOOST_TEST(alerts_in(events_in(before_burst)).empty(), alerts_in(events_in(before_burst)));
        // The downtime is in reports marked backfill, one a second, each about kRate.
        std::int64_t backfill_hits = 0, backfill_reports = 0;
        for (const auto& e : events_in(before_burst)) {
            if (e.type != "report" || !e.fields.contains("backfill")) continue;
            ++backfill_reports;
            backfill_hits += number(e.fields, "hits");
            BOOST_TEST(number(e.fields, "hits") <= 3 * kRate, json::serialize(e.fields));
            BOOST_TEST(e.fields.at("logs").as_array().at(0).as_object().at("path").as_string() == site.log);
        }
        BOOST_TEST(backfill_reports >= 10);
        BOOST_TEST(backfill_hits >= 10 * kRate);
    }
    for (Site& site : sites) {
        BOOST_TEST_REQUIRE(site.writer->wait() == 0);
        const std::int64_t total = written(site.dir);
        BOOST_TEST(site.daemon->settle_at(total) == total);
        // The burst: one alert, and its recovery. (When the writer stops, the traffic falls
        // away: the drop alert may say so before the daemon stops.)
        std::vector<std::string> states;
        for (const auto& e : events_in(site.daemon->out())) {
            if (e.type == "alert" && e.fields.at("kind") == "traffic") states.emplace_back(e.fields.at("state").as_string());
        }
        const std::vector<std::string> expected = {"high", "recovered"};
        BOOST_TEST(states == expected, boost::test_tools::per_element());
        BOOST_TEST(site.daemon->stop() == 0);
    }
}

BOOST_AUTO_TEST_CASE(a_stall_counts_its_backlog_in_the_seconds_it_was_written_with_no_alert) {
    // Defect: SIGSTOP for 8 s gave intervals of 0 hits, then 8 s of lines in one, and an alert.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    Daemon d(dir, {log}, kAlerts);  // following before the first line (see above)
    auto w = writer(dir, log, 45);
    std::this_thread::sleep_for(25s);  // warm
    d.signal(SIGSTOP);
    std::this_thread::sleep_for(8s);
    d.signal(SIGCONT);
    BOOST_TEST_REQUIRE(w->wait() == 0);
    const std::int64_t total = written(dir);
    BOOST_TEST(d.settle_at(total) == total);
    BOOST_TEST(d.stop() == 0);
    const auto events = events_in(d.out());
    BOOST_TEST(alerts_in(events).empty(), alerts_in(events));
    // Every whole interval while the writer wrote holds about a second of traffic: none is
    // empty, none holds the stall.
    const auto reports = while_busy(events);
    BOOST_TEST_REQUIRE(reports.size() >= 40u);
    each_about_a_second(reports);
    BOOST_TEST(d.err().find("caught up") != std::string::npos, d.said());
}

namespace {

// Access log lines over syslog to the loopback's `port`, as nginx sends them: `rate` a second,
// each dated when it is sent, for `seconds`; over UDP, or TCP a line each.
class SyslogSender {
public:
    SyslogSender(bool tcp, int port, int rate, int seconds) : thread_([=, this] { send(tcp, port, rate, seconds); }) {}
    ~SyslogSender() {
        if (thread_.joinable()) thread_.join();
    }
    // Once all are sent: how many.
    std::int64_t wait() {
        thread_.join();
        return sent_;
    }
    // Once all are sent: the most it was ever behind its schedule.
    std::chrono::steady_clock::duration held_up() const { return held_up_; }

private:
    void send(bool tcp, int port, int rate, int seconds) {
        const int fd = ::socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(static_cast<std::uint16_t>(port));
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) return;
        const auto start = std::chrono::steady_clock::now();
        const auto wall_start = std::chrono::system_clock::now();
        for (int tenth = 0; tenth < seconds * 10; ++tenth) {
            std::this_thread::sleep_until(start + tenth * 100ms);
            held_up_ = std::max(held_up_, std::chrono::steady_clock::now() - (start + tenth * 100ms));
            // Dated when it is due, as a server dates a request: a sender held up (a busy CI
            // machine, a VM paused) sends the tenths it owes at once, and stamped with the time
            // they went out they were 180 messages in one second (a1a5316's CI, at 50 a second).
            const std::time_t now = std::chrono::system_clock::to_time_t(wall_start + tenth * 100ms);
            std::tm utc{};
            char stamp[32];
            std::strftime(stamp, sizeof stamp, "%d/%b/%Y:%H:%M:%S +0000", ::gmtime_r(&now, &utc));
            for (int i = rate * tenth / 10; i < rate * (tenth + 1) / 10; ++i) {
                std::string message = std::string("<190>Nov 20 10:00:00 web nginx: 10.0.0.1 - - [") + stamp +
                                      "] \"GET /a HTTP/1.1\" 200 5 \"-\" \"ua\"" + (tcp ? "\n" : "");
                if (::send(fd, message.data(), message.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(message.size())) {
                    ++sent_;
                }
            }
        }
        ::close(fd);
    }

    std::int64_t sent_ = 0;
    std::chrono::steady_clock::duration held_up_{};
    std::thread thread_;
};

}  // namespace

// Messages sent over syslog while the daemon did not run wait in its sockets, and were counted
// in the second they were read: SIGSTOP for 6 s at 50 a second gave 291 hits in the second
// before the stall and none in the five after (over UDP; over TCP 315, then none). They now
// count by when they were written, as a log's backlog does.
BOOST_AUTO_TEST_CASE(syslog_messages_that_wait_through_a_stall_count_in_the_seconds_they_were_written) {
    test::TempDir dir;
    const int udp = test::free_port(), tcp = test::free_port();
    test::DaemonOptions how;
    how.extra = kAlerts;
    how.extra.insert(how.extra.end(), {"--listen-syslog", "udp://127.0.0.1:" + std::to_string(udp), "--listen-syslog",
                                       "tcp://127.0.0.1:" + std::to_string(tcp)});
    how.wait_until_following = false;
    Daemon d(dir, {}, how);
    BOOST_TEST_REQUIRE(
        d.says("receiving syslog messages on tcp://127.0.0.1:" + std::to_string(tcp)), d.said());
    SyslogSender over_udp(false, udp, kRate / 2, 20), over_tcp(true, tcp, kRate / 2, 20);
    std::this_thread::sleep_for(8s);
    d.signal(SIGSTOP);
    std::this_thread::sleep_for(6s);
    d.signal(SIGCONT);
    const std::int64_t sent = over_udp.wait() + over_tcp.wait();
    BOOST_TEST_REQUIRE(sent == 20 * kRate);
    BOOST_TEST(d.settle_at(sent) == sent);
    BOOST_TEST(d.stop() == 0);
    const auto events = events_in(d.out());
    BOOST_TEST(alerts_in(events).empty(), alerts_in(events));
    // Every whole second while they sent holds about a second of messages: none is empty, none
    // holds the stall.
    const auto reports = while_busy(events);
    BOOST_TEST_REQUIRE(reports.size() >= 19u);
    // A sender held up sends what it owes at once, and those arrive live, in one second: the
    // CI of 027bf32, its sanitizer build compiling beside, had 180 in one second (a sender
    // behind by 2.6 s, or the VM paused), outside the stall. Then the seconds are not judged.
    const auto held_up = std::max(over_udp.held_up(), over_tcp.held_up());
    BOOST_TEST_MESSAGE("the senders were behind their schedule by "
                       << std::chrono::duration_cast<std::chrono::milliseconds>(held_up).count() << " ms at most");
    if (held_up < 500ms) each_about_a_second(reports);
    BOOST_TEST(d.err().find("syslog: caught up at") != std::string::npos, d.said());
}

BOOST_AUTO_TEST_CASE(a_log_read_from_its_start_is_history_by_its_own_times) {
    // Defect: --from-start counted 2 h of log in the first interval.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const auto now = static_cast<long long>(std::time(nullptr));
    // Two hours up to a minute ago, a line a second.
    const auto r = test::run({GENLOG, "--out", log, "--rate", "1", "--duration", "7200", "--start",
                              std::to_string(now - 7260)});
    BOOST_TEST_REQUIRE(r.exit_code == 0);
    Daemon d(dir, {log}, {"--from-start", "--interval", "60", "--max-backfill", "3600", "--no-syslog"});
    BOOST_TEST(d.says("caught up"));
    BOOST_TEST(d.settle_at(7200) == 7200);
    BOOST_TEST(d.stop() == 0);
    const auto events = events_in(d.out());
    BOOST_TEST(alerts_in(events).empty(), alerts_in(events));
    std::vector<std::int64_t> backfill;
    for (const auto& e : events) {
        if (e.type == "report" && e.fields.contains("backfill")) backfill.push_back(number(e.fields, "hits"));
    }
    // The hour older than --max-backfill in one report; then a report a minute.
    BOOST_TEST_REQUIRE(backfill.size() >= 60u);
    BOOST_TEST(backfill.front() >= 3500);
    for (size_t i = 2; i + 1 < backfill.size(); ++i) BOOST_TEST(backfill[i] == 60);
}

namespace {

// The daemon (with `options`) stopped before a backlog of `seconds` at `rate` lines a second
// was written; the lines written.
std::int64_t a_backlog_since_a_stop(const test::TempDir& dir, const std::string& log, const std::vector<std::string>& options,
                                    int seconds, int rate, const std::vector<std::string>& more = {}) {
    test::stopped_long_ago(dir, log, options, seconds + 10);
    const auto now = static_cast<long long>(std::time(nullptr));
    std::vector<std::string> argv = {GENLOG, "--out", log, "--rate", std::to_string(rate), "--duration",
                                     std::to_string(seconds), "--start", std::to_string(now - seconds)};
    argv.insert(argv.end(), more.begin(), more.end());
    BOOST_TEST_REQUIRE(test::run(argv).exit_code == 0);
    return test::lines_in(log);
}

// A daemon with `options`, its reports in `out`, killed by the test hook `hook` (see
// die_here_if_told in daemon/live.cpp); the hits it reported before.
std::int64_t killed_in_a_catch_up(const test::TempDir& dir, const std::string& log, const std::vector<std::string>& options,
                                  const std::string& hook) {
    test::DaemonOptions how;
    how.extra = options;
    how.out = dir.file("killed.json");
    how.wait_until_following = false;
    how.spawn.env = {hook};
    Daemon killed(dir, {log}, how);
    BOOST_TEST(test::wait_for([&] { return !killed.alive(); }, 30s));
    BOOST_TEST(killed.stop() == 128 + SIGKILL);
    BOOST_TEST(killed.says("s behind"), killed.said());
    BOOST_TEST(killed.err().find("caught up") == std::string::npos, "it caught up before the kill");
    return test::seen_in(dir.file("killed.json")).hits;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_kill_during_a_catch_up_loses_and_doubles_nothing_and_keeps_its_progress) {
    // Before: the state file kept the log where its catch-up began, so every kill (an
    // out-of-memory kill too) began the whole backlog again. Now each part of the backlog is
    // checkpointed before it is handed on: the next run goes on after the last part.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const std::vector<std::string> options = {"--no-syslog", "--interval", "1", "--max-backfill", "7200"};
    // Two hours, 1.44 million lines: parts of 360 one-second intervals.
    const std::int64_t total = a_backlog_since_a_stop(dir, log, options, 7200, 200);
    // As a kill anywhere else in the catch-up: two parts reported, the third not checkpointed.
    const std::int64_t before_the_kill = killed_in_a_catch_up(dir, log, options, "HITWATCH_TEST_DIE_BEFORE_PROGRESS=3");
    BOOST_TEST(before_the_kill > 0);
    BOOST_TEST(before_the_kill < total / 2);
    Daemon next(dir, {log}, options);
    BOOST_TEST(next.says("caught up", 30s));
    BOOST_TEST(next.settle_at(total - before_the_kill, 5s) == total - before_the_kill);
    BOOST_TEST(next.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_crash_between_a_parts_checkpoint_and_its_reports_loses_that_part_only) {
    // The guarantee of docs/operations.md: at most once. The hook kills the daemon right after
    // the first part's checkpoint, before its backfill reports.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const std::vector<std::string> options = {"--no-syslog", "--interval", "1"};
    // 2,000 new sections every 10 s for half an hour: more than one part's sections.
    const std::int64_t total = a_backlog_since_a_stop(dir, log, options, 1800, 200, {"--unique-sections"});
    BOOST_TEST(killed_in_a_catch_up(dir, log, options, "HITWATCH_TEST_DIE_AFTER_PROGRESS=1") == 0);
    Daemon next(dir, {log}, options);
    BOOST_TEST(next.says("caught up", 30s));
    const std::int64_t after = next.settle_at(total, 5s);
    BOOST_TEST(after < total);  // the part checkpointed before the crash is not read again
    // and only that part is lost: at most the budget's sections and one read's more lines.
    BOOST_TEST(after >= total - 16384 - 12000);
    BOOST_TEST(next.stop() == 0);
}
