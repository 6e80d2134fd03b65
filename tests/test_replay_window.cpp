// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE replay_window
// --since and --until drive the real hitwatchd: a window of a log holds what the whole log's
// replay has in those intervals, late lines at its edges included, and its alerts, on any
// number of threads; rotated files long before it are not read; a window nothing falls in says
// when the log is.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <ctime>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "process.h"
#include "report_lines.h"

namespace json = boost::json;
using test::json_lines;
using test::n;
using test::of_type;
using test::run;

namespace {

const std::string kCorpus = CORPUS "/apache_logs";

// A replay's output without its speed, the one figure that differs run to run.
std::string without_speed(const std::string& out) {
    static const std::regex speed(",\"lines_per_s\":[-+.eE0-9]+");
    return std::regex_replace(out, speed, "");
}

// What a replay prints, without its speed.
std::string replay(const std::vector<std::string>& args, int exit_code = 0) {
    std::vector<std::string> argv{"/usr/bin/env", "TZ=UTC", test::hitwatchd(), "--output", "json"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run(argv);
    BOOST_TEST_REQUIRE(r.exit_code == exit_code, r.err);
    return without_speed(r.out);
}

// The reports of a replay by their interval's start, without the running total (a window's
// counts from its first interval, the whole replay's from the log's).
std::map<std::string, json::object> reports_of(const std::string& out) {
    std::map<std::string, json::object> reports;
    for (auto report : of_type(json_lines(out), "report")) {
        report.erase("total_hits");
        reports[json::value_to<std::string>(report.at("interval_start"))] = report;
    }
    return reports;
}

json::object summary_of(const std::string& out) {
    const auto summaries = of_type(json_lines(out), "summary");
    BOOST_TEST_REQUIRE(summaries.size() == 1u);
    return summaries[0];
}

// The alerts of a replay, as written, with their times.
std::vector<std::pair<std::string, std::string>> alerts_of(const std::string& out) {
    std::vector<std::pair<std::string, std::string>> alerts;
    for (const auto& alert : of_type(json_lines(out), "alert")) {
        alerts.emplace_back(json::value_to<std::string>(alert.at("at")), json::serialize(alert));
    }
    return alerts;
}

// The windowed replay's reports and alerts are the whole replay's from `since` up to `until`,
// one for one, and its summary adds them up.
void holds_what_the_whole_replay_has(const std::string& whole, const std::string& window, const std::string& since,
                                     const std::string& until) {
    std::vector<std::pair<std::string, std::string>> alerts;
    for (const auto& alert : alerts_of(whole)) {
        if (alert.first >= since && alert.first < until) alerts.push_back(alert);
    }
    BOOST_TEST((alerts_of(window) == alerts));
    const auto all = reports_of(whole);
    const auto part = reports_of(window);
    std::int64_t hits = 0, invalid = 0;
    std::size_t expected = 0;
    for (const auto& [start, report] : all) {
        if (start < since || start >= until) continue;
        ++expected;
        hits += n(report.at("hits"));
        invalid += n(report.at("invalid"));
        const auto found = part.find(start);
        BOOST_TEST_REQUIRE((found != part.end()), "no report for " << start);
        BOOST_TEST(json::serialize(found->second) == json::serialize(report), start);
    }
    BOOST_TEST_REQUIRE(expected > 0u);
    BOOST_TEST(part.size() == expected);  // none outside the window
    const auto summary = summary_of(window);
    BOOST_TEST(n(summary.at("hits")) == hits);
    BOOST_TEST(n(of_type(json_lines(window), "report").back().at("total_hits")) == hits);
    BOOST_TEST(n(summary.at("invalid")) == invalid);
    BOOST_TEST(n(summary.at("lines")) == hits + invalid + n(summary.at("blank")) + n(summary.at("pending")));
    BOOST_TEST(summary.at("since").as_string() == since);
    BOOST_TEST(summary.at("until").as_string() == until);
    BOOST_TEST(n(summary.at("outside_window")) > 0);
    std::int64_t high = 0;
    for (const auto& alert : alerts) high += alert.second.find(R"("state":"high")") != std::string::npos;
    BOOST_TEST(n(summary.at("alerts")) == high);
}

// A generated log, 50 lines a second from 2025-12-06T06:00:00Z for 20 minutes, each logged up to
// 30 s after its time (Apache dates a line by its request's start), every 97th invalid; `outlier`:
// with one line dated years ahead in the middle.
std::string jittered_log(const test::TempDir& dir, bool outlier) {
    const std::string path = dir.file(outlier ? "outlier.log" : "access.log");
    const auto gen = run({GENLOG, "--out", path, "--rate", "50", "--duration", "1200", "--start", "1765000800",
                          "--jitter", "30", "--invalid-every", "97", "--seed", "3"});
    BOOST_TEST_REQUIRE(gen.exit_code == 0);
    if (!outlier) return path;
    std::string log = test::read_file(path);
    const std::size_t middle = log.find('\n', log.size() / 2) + 1;
    log.insert(middle, "10.9.9.9 - - [25/Nov/2030:00:00:00 +0000] \"GET /ahead HTTP/1.1\" 200 5\n");
    test::write_file(path, log);
    return path;
}

// 20 lines a second from 2025-12-06T06:00:00Z for 3 hours, 80 for 5 minutes 2 hours in: four
// times the normal, which an alert that had learned nothing before --since (its first hour's
// prior) would not page for. The whole replay's alert is high from 08:00:05 to 08:06:56.
std::string burst_log(const test::TempDir& dir) {
    const std::string log = dir.file("burst.log");
    BOOST_TEST_REQUIRE(run({GENLOG, "--out", log, "--rate", "20", "--duration", "10800", "--start", "1765000800",
                            "--burst", "7200:300:80", "--seed", "5"})
                           .exit_code == 0);
    return log;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_window_of_the_corpus_holds_what_the_whole_replay_has_in_it) {
    const std::string whole = replay({"--replay", kCorpus, "--top", "100"});
    const std::string window = replay({"--replay", kCorpus, "--top", "100", "--since", "2015-05-18T12:00:00Z",
                                       "--until", "2015-05-19"});
    holds_what_the_whole_replay_has(whole, window, "2015-05-18T12:00:00Z", "2015-05-19T00:00:00Z");
    // As awk counts them: '{t=substr($4,2)} t>="18/May/2015:12:00:00" && t<"19/May/2015:00:00:00"'.
    BOOST_TEST(n(summary_of(window).at("hits")) == 1450);
    BOOST_TEST(n(summary_of(window).at("lines")) == 1450);
    // The text view says which part it is.
    const auto text = run({"/usr/bin/env", "TZ=UTC", test::hitwatchd(), "--replay", kCorpus, "--output", "text",
                           "--since", "2015-05-18T12:00:00Z", "--until", "2015-05-19"});
    BOOST_TEST(text.out.find("  window from 2015-05-18T12:00:00Z before 2015-05-19T00:00:00Z (") != std::string::npos,
               text.out);
    BOOST_TEST(text.out.find("  lines 1450  hits 1450 ") != std::string::npos, text.out);
}

BOOST_AUTO_TEST_CASE(a_time_without_a_zone_is_the_machines) {
    const auto paris = run({"/usr/bin/env", "TZ=Europe/Paris", test::hitwatchd(), "--replay", kCorpus, "--output",
                            "json", "--since", "2015-05-18 14:00", "--until", "2015-05-19T02:00"});
    BOOST_TEST_REQUIRE(paris.exit_code == 0, paris.err);
    const auto summary = summary_of(paris.out);
    BOOST_TEST(summary.at("since") == "2015-05-18T12:00:00Z");  // CEST, 2 hours ahead of UTC
    BOOST_TEST(summary.at("until") == "2015-05-19T00:00:00Z");
    BOOST_TEST(n(summary.at("hits")) == 1450);
}

// "2026-12-06T23:00:00Z"
std::string iso(std::time_t t) {
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// `date`'s reading of `when` in `zone`: what hitwatchd should make of it too.
std::string date_of(const std::string& when, const std::string& zone) {
    const auto r = run({"/usr/bin/env", "TZ=" + zone, "/bin/date", "-d", when, "+%s"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    return iso(std::stoll(r.out));
}

BOOST_AUTO_TEST_CASE(a_time_relative_to_now_is_read_as_journalctl_reads_it) {
    // Today's log, up to now: the last hour of it, and yesterday's day on the machine's clock.
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const std::int64_t began = std::time(nullptr);
    BOOST_TEST_REQUIRE(run({GENLOG, "--out", log, "--rate", "0.02", "--duration", "172800", "--start",
                            std::to_string(began - 172800), "--seed", "8"})
                           .exit_code == 0);
    const std::string whole = replay({"--replay", log, "--interval", "60"});
    const std::string last_hour = replay({"--replay", log, "--interval", "60", "--since", "-1h", "--until", "now"});
    const std::int64_t ended = std::time(nullptr);
    const auto summary = summary_of(last_hour);
    const std::string since = json::value_to<std::string>(summary.at("since"));
    const std::string until = json::value_to<std::string>(summary.at("until"));
    // Read when the command line was: rounded out to whole intervals.
    BOOST_TEST(since >= iso((began - 3600) / 60 * 60));
    BOOST_TEST(since <= iso((ended - 3600) / 60 * 60));
    BOOST_TEST(until >= iso((began + 59) / 60 * 60));
    BOOST_TEST(until <= iso((ended + 59) / 60 * 60));
    holds_what_the_whole_replay_has(whole, last_hour, since, until);
    // Days begin at the machine's midnight: Paris's here.
    const std::string yesterday = date_of("yesterday 00:00", "Europe/Paris");
    const std::string today = date_of("today 00:00", "Europe/Paris");
    const auto paris = run({"/usr/bin/env", "TZ=Europe/Paris", test::hitwatchd(), "--replay", log, "--output", "json",
                            "--interval", "60", "--since", "yesterday", "--until", "today"});
    BOOST_TEST_REQUIRE(paris.exit_code == 0, paris.err);
    if (date_of("today 00:00", "Europe/Paris") == today) {  // not run across midnight
        holds_what_the_whole_replay_has(whole, without_speed(paris.out), yesterday, today);
    }
}

BOOST_AUTO_TEST_CASE(late_lines_at_the_windows_edges_count_as_the_whole_replay_counts_them_on_any_threads) {
    test::TempDir dir;
    // The line dated years ahead neither counts nor ends the reading. (The whole log's replay
    // counts it once, at its clock, as an outlier: a window counts a line that far ahead only if
    // its own time is in the window, as it cannot wait for the next line to tell.)
    const std::string log = jittered_log(dir, true);
    const std::string since = "2025-12-06T06:05:00Z", until = "2025-12-06T06:15:00Z";
    const std::string whole = replay({"--replay", jittered_log(dir, false), "--threads", "1"});
    const std::string one = replay({"--replay", log, "--threads", "1", "--since", since, "--until", until});
    holds_what_the_whole_replay_has(whole, one, since, until);
    for (const char* threads : {"2", "4"}) {
        const std::string many = replay({"--replay", log, "--threads", threads, "--since", since, "--until", until});
        BOOST_TEST((many == one), threads << " threads differ from one");
    }
    // Gzipped, its chunks are read by one thread and parsed by the others, and those in flight
    // at --until are dropped.
    BOOST_TEST_REQUIRE(run({"/usr/bin/gzip", "-k", log}).exit_code == 0);
    const std::string gzip = replay({"--replay", log + ".gz", "--threads", "2", "--since", since, "--until", until});
    BOOST_TEST((gzip == one));
}

BOOST_AUTO_TEST_CASE(the_alert_of_a_burst_in_the_window_is_the_whole_replays_learned_before_it) {
    test::TempDir dir;
    const std::string log = burst_log(dir);
    const std::string since = "2025-12-06T07:50:00Z", until = "2025-12-06T08:30:00Z";
    const std::string whole = replay({"--replay", log});
    const std::string window = replay({"--replay", log, "--since", since, "--until", until});
    holds_what_the_whole_replay_has(whole, window, since, until);
    const auto alerts = alerts_of(window);
    BOOST_TEST_REQUIRE(alerts.size() == 2u);
    BOOST_TEST(alerts[0].first == "2025-12-06T08:00:05Z");
    BOOST_TEST(alerts[1].first == "2025-12-06T08:06:56Z");
}

BOOST_AUTO_TEST_CASE(an_alert_on_at_since_counts_its_time_in_the_window_not_itself) {
    test::TempDir dir;
    const std::string log = burst_log(dir);
    // From 08:03, inside the alert (08:00:05 to 08:06:56): 236 s of it.
    const auto summary = summary_of(replay({"--replay", log, "--since", "2025-12-06T08:03:00Z", "--until",
                                            "2025-12-06T08:30:00Z"}));
    BOOST_TEST(n(summary.at("alerts")) == 0);
    BOOST_TEST(n(summary.at("alert_seconds")) == 236);
}

BOOST_AUTO_TEST_CASE(logs_side_by_side_merged_in_a_window_hold_what_their_whole_replay_has) {
    test::TempDir dir;
    std::vector<std::string> logs;
    for (const char* server : {"web1", "web2"}) {
        BOOST_TEST_REQUIRE(run({"/bin/mkdir", dir.file(server)}).exit_code == 0);
        logs.push_back(dir.file(std::string(server) + "/access.log"));
        const auto gen = run({GENLOG, "--out", logs.back(), "--rate", "30", "--duration", "1200", "--start",
                              "1765000800", "--jitter", "20", "--seed", server[3] == '1' ? "1" : "2"});
        BOOST_TEST_REQUIRE(gen.exit_code == 0);
    }
    const std::string since = "2025-12-06T06:04:00Z", until = "2025-12-06T06:12:00Z";
    const std::string whole = replay({"--replay", logs[0], logs[1], "--threads", "1"});
    const std::string one =
        replay({"--replay", logs[0], logs[1], "--threads", "1", "--since", since, "--until", until});
    holds_what_the_whole_replay_has(whole, one, since, until);
    BOOST_TEST((replay({"--replay", logs[0], logs[1], "--threads", "2", "--since", since, "--until", until}) == one));
}

BOOST_AUTO_TEST_CASE(rotated_files_that_end_before_since_are_not_read) {
    test::TempDir dir;
    // Four hours of a log, rotated hourly; the oldest gzipped and cut short, so that reading it
    // would be an error.
    for (int hour = 0; hour < 4; ++hour) {
        const std::string name = dir.file(hour == 3 ? "access.log" : "access.log." + std::to_string(3 - hour));
        const auto gen = run({GENLOG, "--out", name, "--rate", "2", "--duration", "3600", "--start",
                              std::to_string(1765000800 + hour * 3600), "--seed", std::to_string(hour + 1)});
        BOOST_TEST_REQUIRE(gen.exit_code == 0);
    }
    const std::string oldest = dir.file("access.log.3");
    BOOST_TEST_REQUIRE(run({"/usr/bin/gzip", oldest}).exit_code == 0);
    const std::string whole_gz = test::read_file(oldest + ".gz");
    const std::vector<std::string> files{dir.file("access.log"), dir.file("access.log.1"), dir.file("access.log.2"),
                                         oldest + ".gz"};
    std::vector<std::string> args{"--replay"};
    args.insert(args.end(), files.begin(), files.end());
    args.insert(args.end(), {"--max-skew", "600", "--alert-horizon", "60"});
    const std::string whole = replay(args);
    test::write_file(oldest + ".gz", whole_gz.substr(0, whole_gz.size() * 6 / 10));
    // From 09:30 on, the rules learning from 09:06 (24 --alert-horizon of 60 s), with --max-skew
    // 600: access.log.2 (07:00 to 08:00) and access.log.3.gz end before, by the first lines of
    // access.log.1 (08:00) and access.log.2.
    args.insert(args.end(), {"--since", "2025-12-06T09:30:00Z", "--until", "2025-12-06T09:50:00Z"});
    std::vector<std::string> argv{"/usr/bin/env", "TZ=UTC", test::hitwatchd(), "--output", "json"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run(argv);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find("2 files not read, every line dated more than 1440 s (24 --alert-horizon) before --since")
                   != std::string::npos, r.err);
    BOOST_TEST(r.err.find("access.log.3.gz") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("reading stopped at line") != std::string::npos, r.err);
    holds_what_the_whole_replay_has(whole, without_speed(r.out), "2025-12-06T09:30:00Z",
                                    "2025-12-06T09:50:00Z");
    // A window after them all: three files not read, and the lines read of the last dated from
    // after 09:00; when the log begins is said too.
    argv.resize(argv.size() - 4);
    argv.insert(argv.end(), {"--since", "2025-12-08"});
    const auto after = run(argv);
    BOOST_TEST_REQUIRE(after.exit_code == 0, after.err);
    BOOST_TEST(after.err.find("3 files not read") != std::string::npos, after.err);
    BOOST_TEST(after.err.find("no line read is dated from 2025-12-08T00:00:00Z (--since, --until): the lines read are "
                              "dated from 2025-12-06T09:") != std::string::npos,
               after.err);
    BOOST_TEST(after.err.find("(the lines before them, not read, from 2025-12-06T06:00:00Z)") != std::string::npos,
               after.err);
}

// The byte a message says reading began at ("reading begins at byte B of"), after `name`.
std::size_t begins_at(const std::string& err, const std::string& name) {
    static const std::regex said(R"(([^ ]+): reading begins at byte ([0-9]+) of [0-9]+, at a line dated )");
    for (std::sregex_iterator it(err.begin(), err.end(), said), end; it != end; ++it) {
        if ((*it)[1] == name) return std::stoull((*it)[2]);
    }
    BOOST_TEST_FAIL("no message says where reading " << name << " began:\n" << err);
    return 0;
}

BOOST_AUTO_TEST_CASE(a_log_never_rotated_is_read_from_where_the_rules_begin_to_learn) {
    test::TempDir dir;
    // Three hours of one file, 4 lines a second from 06:00, each logged up to 20 s late, every
    // 2000th invalid. From 08:30 on, with 60 s --alert-horizon and 300 s --max-skew, the rules
    // learn from 08:06, and the lines before 08:01 need not be read: most of the file.
    const std::string log = dir.file("access.log");
    BOOST_TEST_REQUIRE(run({GENLOG, "--out", log, "--rate", "4", "--duration", "10800", "--start", "1765000800",
                            "--jitter", "20", "--invalid-every", "2000", "--seed", "6"})
                           .exit_code == 0);
    const std::string since = "2025-12-06T08:30:00Z", until = "2025-12-06T08:50:00Z";
    const std::vector<std::string> rules{"--alert-horizon", "60", "--max-skew", "300"};
    std::vector<std::string> whole_args{"--replay", log};
    whole_args.insert(whole_args.end(), rules.begin(), rules.end());
    const std::string whole = replay(whole_args);
    for (const char* threads : {"1", "2"}) {
        std::vector<std::string> argv{"/usr/bin/env", "TZ=UTC", test::hitwatchd(), "--output", "json", "--replay",
                                      log, "--threads", threads, "--since", since, "--until", until};
        argv.insert(argv.end(), rules.begin(), rules.end());
        const auto r = run(argv);
        BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
        const std::string window = without_speed(r.out);
        holds_what_the_whole_replay_has(whole, window, since, until);
        // Read from a line's start a little before 08:01: 24 to 32 minutes of lines before 08:30
        // (a probe's 64 KiB is some 300 lines, 75 s), not the 36,000 of two and a half hours.
        const std::string bytes = test::read_file(log);
        const std::size_t at = begins_at(r.err, log);
        BOOST_TEST_REQUIRE(at > 0u);
        BOOST_TEST(bytes[at - 1] == '\n');
        const std::int64_t outside = n(summary_of(window).at("outside_window"));
        BOOST_TEST(outside >= 24 * 240, outside);
        BOOST_TEST(outside <= 32 * 240, outside);
        // An invalid line's number counts from there, and the message says so.
        static const std::regex invalid(R"(invalid line ([0-9]+) of ([^ ]+) after its first ([0-9]+) bytes: )");
        std::smatch m;
        BOOST_TEST_REQUIRE(std::regex_search(r.err, m, invalid), r.err);
        BOOST_TEST(m[2] == log);
        BOOST_TEST(std::stoull(m[3]) == at);
        std::size_t line_at = at;
        for (std::uint64_t line = 1; line < std::stoull(m[1]); ++line) line_at = bytes.find('\n', line_at) + 1;
        BOOST_TEST(bytes.substr(line_at, 22) == "this is not a log line");
    }
    // Joined with cat to itself, its 08:01 is in both halves: read from its start, said to be,
    // the window the whole replay's still.
    const std::string twice = dir.file("twice.log");
    test::write_file(twice, test::read_file(log) + test::read_file(log));
    std::vector<std::string> argv{"/usr/bin/env", "TZ=UTC", test::hitwatchd(), "--output", "json", "--replay",
                                  twice, "--since", since, "--until", until};
    argv.insert(argv.end(), rules.begin(), rules.end());
    const auto r = run(argv);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find(twice + ": read from its start, as its lines are not in time order (at byte ") !=
                   std::string::npos, r.err);
    BOOST_TEST(r.err.find("reading begins at byte") == std::string::npos, r.err);
    whole_args[1] = twice;
    holds_what_the_whole_replay_has(replay(whole_args), without_speed(r.out), since, until);
}

BOOST_AUTO_TEST_CASE(a_window_no_line_falls_in_says_when_the_lines_are) {
    const auto r = run({"/usr/bin/env", "TZ=UTC", test::hitwatchd(), "--replay", kCorpus, "--output", "json",
                        "--since", "2020-01-01"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    // Read from a day before --since, which is its last 64 KiB: the corpus ends on 20 May. When
    // it begins is said too, as a --since mistyped is what it most often tells.
    BOOST_TEST(begins_at(r.err, kCorpus) > 0u);
    BOOST_TEST(r.err.find("no line read is dated from 2020-01-01T00:00:00Z (--since, --until): the lines read are "
                          "dated from 2015-05-20T") != std::string::npos,
               r.err);
    BOOST_TEST(r.err.find(" to 2015-05-20T21:05:59Z (the lines before them, not read, from 2015-05-17T10:05:03Z)") !=
                   std::string::npos,
               r.err);
    const auto summary = summary_of(r.out);
    BOOST_TEST(n(summary.at("hits")) == 0);
    BOOST_TEST(n(summary.at("invalid")) == 0);
    BOOST_TEST(n(summary.at("lines")) == 0);
    BOOST_TEST(n(summary.at("outside_window")) > 0);
    BOOST_TEST(n(summary.at("outside_window")) < 1000);
    BOOST_TEST(summary.at("invalid_reasons").as_object().empty());
}

BOOST_AUTO_TEST_CASE(a_log_in_another_format_is_said_to_be_one_with_a_window_too) {
    test::TempDir dir;
    test::write_file(dir.file("error.log"), "[Sat Dec 06 06:00:00.000 2025] [core:error] [pid 1] oops\n"
                                            "[Sat Dec 06 06:00:01.000 2025] [core:error] [pid 1] oops again\n");
    const auto r = run({test::hitwatchd(), "--replay", dir.file("error.log"), "--log-format", "combined", "--output",
                        "json", "--since", "2025-12-06"});
    BOOST_TEST(r.exit_code == 3, r.err);
    BOOST_TEST(r.err.find("is an access log line in the format combined") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(a_time_that_cannot_be_read_or_a_window_that_ends_before_it_begins_is_a_usage_error) {
    const auto bad = run({test::hitwatchd(), "--replay", kCorpus, "--since", "yesterday 2am"});
    BOOST_TEST(bad.exit_code == 2);
    BOOST_TEST(bad.err.find("--since must be a time: 2026-12-06, 2026-12-06 02:30") != std::string::npos, bad.err);
    BOOST_TEST(bad.err.find("or one relative to now as journalctl reads it: -2h, -1h30min, 90min ago, yesterday, "
                            "today 02:30, now, not 'yesterday 2am'") != std::string::npos,
               bad.err);
    const auto backwards = run({test::hitwatchd(), "--replay", kCorpus, "--since", "2015-05-19T00:00:00Z", "--until",
                                "2015-05-18T00:00:00Z"});
    BOOST_TEST(backwards.exit_code == 2);
    BOOST_TEST(backwards.err.find("--until (2015-05-18T00:00:00Z) must be after --since (2015-05-19T00:00:00Z)") !=
                   std::string::npos, backwards.err);
    const auto live = run({test::hitwatchd(), "--log", kCorpus, "--until", "2015-05-18"});
    BOOST_TEST(live.exit_code == 2);
    BOOST_TEST(live.err.find("--until picks the lines of a replay (--replay FILE)") != std::string::npos, live.err);
}
