// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE live_globs
// A log glob (`--log 'DIR/*.log'`) on the real hitwatchd: matches followed, new ones read
// from their start, rotated siblings left to their log, gone ones drained and dropped, and
// the checkpoint covering every match across a restart.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "live_daemon.h"

namespace json = boost::json;
using namespace std::chrono_literals;
using test::Daemon;
using test::generate;

namespace {

// Every log path the reports in `out` list.
std::set<std::string> reported_logs(const std::string& out) {
    std::set<std::string> paths;
    std::istringstream lines(test::read_file(out));
    for (std::string line; std::getline(lines, line);) {
        const json::value report = json::parse(line);
        const json::object& fields = report.as_object();
        if (!fields.contains("logs")) continue;
        for (const auto& log : fields.at("logs").as_array()) paths.insert(std::string(log.at("path").as_string()));
    }
    return paths;
}

// The paths the state file keeps a place for.
std::set<std::string> checkpointed(const test::TempDir& dir) {
    std::set<std::string> paths;
    const json::value state = json::parse(test::read_file(dir.file("state.json")));
    for (const auto& log : state.at("logs").as_array()) paths.insert(std::string(log.at("path").as_string()));
    return paths;
}

// A first run of the glob dir/*.log over a and b, with 300 and 200 lines, stopped cleanly.
void run_over_two_matches(const test::TempDir& dir, const std::string& a, const std::string& b) {
    test::write_file(a, "");
    test::write_file(b, "");
    Daemon d(dir, {dir.file("*.log")});
    generate(a, 300);
    generate(b, 200);
    BOOST_TEST(d.settle_at(500) == 500);
    BOOST_TEST(d.stop() == 0);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_glob_follows_its_matches_and_new_ones_from_their_start_but_not_rotated_siblings) {
    for (const char* watch : {"inotify", "poll"}) {
        BOOST_TEST_CONTEXT(watch) {
            test::TempDir dir;
            const std::string a = dir.file("a.log"), b = dir.file("b.log");
            generate(a, 500);  // before the start: not counted (like a named log)
            test::write_file(dir.file("notes.txt"), "not a log\n");
            Daemon d(dir, {dir.file("*.log")}, {"--watch", watch});
            generate(a, 1000);
            BOOST_TEST(d.settle_at(1000) == 1000);
            generate(b, 300);  // a new match: every line of it
            BOOST_TEST(d.settle_at(1300) == 1300);
            BOOST_TEST(d.says("now following " + b));
            test::logrotate(dir, a, "create\n    nocompress");  // a.log.1: left to a.log's tail
            generate(a, 200);
            BOOST_TEST(d.settle_at(1500) == 1500);
            test::logrotate(dir, a, "create\n    dateext\n    nocompress");  // a.log-YYYYMMDD
            generate(a, 100);
            BOOST_TEST(d.settle_at(1600) == 1600);
            BOOST_TEST(d.seen().rotations == 2);
            BOOST_TEST(reported_logs(dir.file("out.json")) == (std::set<std::string>{a, b}),
                       boost::test_tools::per_element());
            BOOST_TEST(d.stop() == 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_match_that_goes_is_read_to_its_end_then_dropped_from_the_checkpoint) {
    test::TempDir dir;
    const std::string a = dir.file("a.log"), b = dir.file("b.log");
    test::write_file(a, "");
    test::write_file(b, "");
    Daemon d(dir, {dir.file("*.log")});
    generate(b, 400);
    BOOST_TEST(d.settle_at(400) == 400);
    // Renamed away to a name the glob does not match: what is written into it before the
    // writer moves on still counts.
    std::filesystem::rename(b, dir.file("b.old"));
    generate(dir.file("b.old"), 100);
    generate(a, 50);
    BOOST_TEST(d.settle_at(550) == 550);
    BOOST_TEST(d.says(b + " is gone and was read to its end", 15s), d.said());
    // Deleted: dropped too, and an old log cleaned up is no cause for a warning.
    const std::string c = dir.file("c.log");
    generate(c, 20);
    BOOST_TEST(d.settle_at(570) == 570);
    std::filesystem::remove(c);
    BOOST_TEST(d.says(c + " is gone and was read to its end", 15s), d.said());
    BOOST_TEST(d.err().find("warning: " + c) == std::string::npos, d.said());
    std::this_thread::sleep_for(1500ms);  // a report, and the state file saved after it
    BOOST_TEST(checkpointed(dir) == std::set<std::string>{a}, boost::test_tools::per_element());
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(every_match_resumes_after_a_restart_and_one_created_meanwhile_is_read_whole) {
    test::TempDir dir;
    const std::string a = dir.file("a.log"), b = dir.file("b.log"), c = dir.file("c.log");
    run_over_two_matches(dir, a, b);
    BOOST_TEST(checkpointed(dir) == (std::set<std::string>{a, b}), boost::test_tools::per_element());
    // While it is down: more in both, and a new match.
    std::this_thread::sleep_for(1100ms);  // c is born after the last report
    generate(a, 70);
    generate(b, 30);
    generate(c, 40);
    Daemon d(dir, {dir.file("*.log")});
    BOOST_TEST(d.settle_at(640) == 640);
    BOOST_TEST(d.stop() == 0);
    BOOST_TEST(checkpointed(dir) == (std::set<std::string>{a, b, c}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_match_rotated_away_while_down_is_read_to_its_end_under_its_new_name) {
    test::TempDir dir;
    const std::string a = dir.file("a.log"), b = dir.file("b.log");
    run_over_two_matches(dir, a, b);
    // While it is down, b gets its last lines and is rotated away for good (b.log.1, which
    // the glob leaves out): the place the state file kept for it leads to them.
    generate(b, 30);
    std::filesystem::rename(b, b + ".1");
    generate(a, 70);
    Daemon d(dir, {dir.file("*.log")});
    BOOST_TEST(d.settle_at(600) == 600);
    BOOST_TEST(d.says(b + " is gone and was read to its end", 15s), d.said());
    std::this_thread::sleep_for(1500ms);  // a report, and the state file saved after it
    BOOST_TEST(checkpointed(dir) == std::set<std::string>{a}, boost::test_tools::per_element());
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_globs_format_is_every_matchs_format) {
    test::TempDir dir;
    Daemon d(dir, {dir.file("*.log") + " format=$remote_addr|$time_local|$request|$status"});
    BOOST_TEST(d.err().find("following 0 log(s); no file matches " + dir.file("*.log") + " yet") !=
                   std::string::npos,
               d.said());
    std::string lines;
    for (int i = 0; i < 30; ++i) lines += "192.0.2.1|27/Nov/2026:08:00:00 +0000|GET /shop/item HTTP/1.1|200\n";
    test::write_file(dir.file("new.log"), lines);  // a new match: read from its start
    BOOST_TEST(d.settle_at(30) == 30);
    BOOST_TEST(d.seen().invalid == 0);
    BOOST_TEST(d.out().find("\"/shop\"") != std::string::npos);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_symlink_and_the_file_it_names_are_followed_once) {
    // Defect: a glob matching both a symlink (current.log, as cronolog --symlink and many
    // applications keep one) and the file it names counted every line twice, and so did a
    // log named once through a symlink and once as itself. The file is followed as itself;
    // the symlink is not followed, also after it is pointed at the next file.
    test::TempDir dir;
    const std::string first = dir.file("app-1.log"), second = dir.file("app-2.log");
    const std::string current = dir.file("current.log");
    test::write_file(first, "");
    std::filesystem::create_symlink("app-1.log", current);
    Daemon d(dir, {dir.file("*.log"), current});
    BOOST_TEST(d.says(current + " names the same file as " + first), d.said());
    generate(first, 1000);
    BOOST_TEST(d.settle_at(1000) == 1000);
    test::write_file(second, "");
    std::filesystem::create_symlink("app-2.log", dir.file("current.tmp"));
    std::filesystem::rename(dir.file("current.tmp"), current);  // flipped at once, as a writer does
    generate(second, 500, 2);
    BOOST_TEST(d.settle_at(1500) == 1500);
    BOOST_TEST(reported_logs(dir.file("out.json")) == (std::set<std::string>{first, second}),
               boost::test_tools::per_element());
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_hard_link_to_the_current_file_is_followed_once_also_when_it_moves_on) {
    // Defect: Apache's rotatelogs -L keeps a hard link (access_log) to the file it writes
    // (access_log.20261127); a glob matching both counted every line twice, and again when
    // the link moved on to the next day's file.
    test::TempDir dir;
    const std::string link = dir.file("access_log");
    const std::string today = dir.file("access_log.20261127"), tomorrow = dir.file("access_log.20261128");
    test::write_file(today, "");
    std::filesystem::create_hard_link(today, link);
    Daemon d(dir, {dir.file("access_log*")});
    BOOST_TEST(d.says(today + " names the same file as " + link), d.said());
    generate(link, 1000);
    BOOST_TEST(d.settle_at(1000) == 1000);
    test::write_file(tomorrow, "");
    std::filesystem::create_hard_link(tomorrow, dir.file("access_log.tmp"));
    std::filesystem::rename(dir.file("access_log.tmp"), link);  // the link moves on
    generate(link, 500, 2);
    BOOST_TEST(d.settle_at(1500) == 1500);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(an_error_log_a_glob_matches_is_not_counted_as_invalid_access_lines) {
    // Defect: the README's own `--log '/var/log/nginx/*.log'` takes in nginx's error.log,
    // and every error line counted as an invalid access line, each with a warning. A match
    // whose first lines are all error-log lines is said once and not counted.
    test::TempDir dir;
    const std::string access = dir.file("access.log"), error = dir.file("error.log");
    test::write_file(access, "");
    test::write_file(error, "");
    Daemon d(dir, {dir.file("*.log")});
    std::string errors;
    for (int i = 0; i < 50; ++i) {
        errors += "2026/11/27 16:00:00 [error] 1234#1234: *" + std::to_string(i) +
                  " open() \"/usr/share/nginx/html/x\" failed (2: No such file or directory), client: 127.0.0.1\n";
    }
    test::write_file(error, errors);
    generate(access, 300);
    BOOST_TEST(d.settle_at(300) == 300);
    BOOST_TEST(d.says(error + " is an error log, not an access log"), d.said());
    BOOST_TEST(d.seen().invalid == 0);
    BOOST_TEST(d.err().find("invalid line") == std::string::npos, d.said());
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_symlink_left_pointing_nowhere_by_a_rotation_is_not_a_new_log) {
    // Defect: between logrotate's rename of access.log and its create, current.log (a
    // symlink to access.log, matched by the same glob) points nowhere, so it was no longer
    // seen as access.log: it was followed as a new log, and read the new access.log from
    // its start once it came (300 lines counted twice here).
    test::TempDir dir;
    const std::string log = dir.file("access.log"), current = dir.file("current.log");
    test::write_file(log, "");
    std::filesystem::create_symlink("access.log", current);
    Daemon d(dir, {dir.file("*.log")});
    generate(log, 1000);
    BOOST_TEST(d.settle_at(1000) == 1000);
    std::filesystem::rename(log, dir.file("access-20261127.log"));
    std::this_thread::sleep_for(1500ms);  // the glob is looked at again in the gap
    test::write_file(log, "");
    generate(log, 300, 2);
    BOOST_TEST(d.settle_at(1300) == 1300);
    BOOST_TEST(d.err().find("now following " + current) == std::string::npos, d.said());
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_rotated_file_or_copy_whose_new_name_the_glob_matches_is_not_read_again) {
    // Defects: logrotate's `extension .log` gives the rotated file (a.log -> a-YYYYMMDD.log,
    // renamed or, with copytruncate, copied) a name *.log matches, as applications that roll
    // app.log to app.2026-11-27.log do: it was followed as a new log from its start while
    // a.log's tail finished it too, and the day's lines counted twice (2200 != 1200 with
    // create, 2300 != 1300 with copytruncate); a reload did the same.
    for (const char* how : {"create", "copytruncate"}) {
        BOOST_TEST_CONTEXT(how) {
            test::TempDir dir;
            const std::string a = dir.file("a.log");
            test::write_file(a, "");
            Daemon d(dir, {dir.file("*.log")});
            generate(a, 1000);
            BOOST_TEST(d.settle_at(1000) == 1000);
            test::logrotate(dir, a, std::string(how) + "\n    dateext\n    extension .log\n    nocompress");
            generate(a, 200, 2);
            BOOST_TEST(d.settle_at(1200) == 1200);
            // Known as the file the tail reads, or (copytruncate, a slow look) as a whole copy.
            BOOST_TEST((d.says("rotated (the same file)") ||
                        d.err().find(" is a copy of ") != std::string::npos),
                       d.said());
            BOOST_TEST(d.seen().rotations + d.seen().truncations == 1);
            d.signal(SIGHUP);  // a reload knows it too
            BOOST_TEST(d.says("reload: done"), d.said());
            generate(a, 100, 3);
            BOOST_TEST(d.settle_at(1300) == 1300);
            BOOST_TEST(d.err().find("now following " + dir.file("a-")) == std::string::npos,
                       d.said());
            BOOST_TEST(d.stop() == 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_copy_made_by_hand_under_a_name_the_glob_matches_is_not_read_again) {
    // The same lines again: a copy of a followed log, whole and as long as what was read.
    test::TempDir dir;
    const std::string a = dir.file("a.log");
    test::write_file(a, "");
    Daemon d(dir, {dir.file("*.log")});
    generate(a, 300);
    BOOST_TEST(d.settle_at(300) == 300);
    std::filesystem::copy_file(a, dir.file("a-backup.log"));
    std::this_thread::sleep_for(2500ms);  // looked at twice: it does not grow
    generate(a, 100, 2);
    BOOST_TEST(d.settle_at(400) == 400);
    BOOST_TEST(d.says(dir.file("a-backup.log") + " is a copy of " + a), d.said());
    BOOST_TEST(d.stop() == 0);
}

namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// Reports in `out` whose logs[].hits do not add up to their hits.
int reports_whose_logs_do_not_add_up(const std::string& out) {
    int wrong = 0;
    std::istringstream lines(test::read_file(out));
    for (std::string line; std::getline(lines, line);) {
        const json::object report = json::parse(line).as_object();
        if (!report.contains("logs")) continue;
        std::int64_t sum = 0;
        for (const auto& log : report.at("logs").as_array()) sum += log.at("hits").as_int64();
        wrong += sum != report.at("hits").as_int64() ? 1 : 0;
    }
    return wrong;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_match_dropped_by_a_reload_and_restored_by_another_is_counted_once) {
    // Before: the second reload resumed the match where the state file had it at the start:
    // 200 hits for 100 lines ("resuming ... at offset" the start's). And its hits counted
    // earlier in the interval left with it: logs[] summed less than hits.
    test::TempDir dir;
    const std::string a = dir.file("a.log"), other = dir.file("other.txt"), config = dir.file("hitwatch.conf");
    test::write_file(a, "");
    test::write_file(other, "");
    test::write_config(config, {dir.file("*.log")}, 1e6);
    {
        test::DaemonOptions first;
        first.extra = {"--config", config};
        first.out = dir.file("first.json");
        Daemon d(dir, {}, first);
        generate(a, 50);
        BOOST_TEST(d.settle_at(50) == 50);
        BOOST_TEST(d.stop() == 0);  // a state file with a.log at its end
    }
    Daemon d(dir, {}, {"--config", config});
    generate(a, 100);
    BOOST_TEST(d.settle_at(100) == 100);
    const auto reload = [&](const std::vector<std::string>& logs) {
        const std::size_t done = occurrences(d.err(), "reload: done");
        test::write_config(config, logs, 1e6);
        d.signal(SIGHUP);
        BOOST_TEST(test::wait_for([&] { return occurrences(d.err(), "reload: done") > done; }, 5s),
                   d.said());
    };
    reload({other});
    reload({dir.file("*.log")});
    std::this_thread::sleep_for(2s);
    BOOST_TEST(d.seen().hits == 100);
    // A storm of such reloads while lines come: every report's logs add up to its hits.
    test::Background writer({GENLOG, "--out", a, "--live", "--rate", "200", "--duration", "6"}, dir.file("writer.out"),
                            dir.file("writer.err"));
    for (int i = 0; i < 12; ++i) {
        reload({other});
        std::this_thread::sleep_for(200ms);
        reload({dir.file("*.log")});
        std::this_thread::sleep_for(300ms);
    }
    BOOST_TEST_REQUIRE(writer.wait() == 0);
    const std::int64_t written = test::written_by(test::read_file(dir.file("writer.err")));
    BOOST_TEST(d.settle_at(100 + written) == 100 + written);
    BOOST_TEST(reports_whose_logs_do_not_add_up(dir.file("out.json")) == 0);
    BOOST_TEST(d.stop() == 0);
}

// log = /var/log/nginx/*.log beside report-file = /var/log/nginx/hitwatch.log: the glob
// followed the report file as a log of its own, and every report came back as an invalid line
// of it, with a warning every 10 s. The report file is no match now; named as a log itself, it
// is a usage error.
BOOST_AUTO_TEST_CASE(the_report_file_is_not_followed_as_a_match_of_the_glob) {
    test::TempDir dir;
    const std::string a = dir.file("a.log"), reports = dir.file("hitwatch.log");
    test::write_file(a, "");
    Daemon d(dir, {dir.file("*.log")}, {"--report-file", reports});
    generate(a, 300);
    BOOST_TEST(d.settle_at(300) == 300);
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::lines_in(reports) >= 3; }, 10s));
    generate(a, 100);
    BOOST_TEST(d.settle_at(400) == 400);
    BOOST_TEST(!d.says("now following " + reports, 1s));
    BOOST_TEST(d.stop() == 0);
    BOOST_TEST(test::seen_in(dir.file("out.json")).invalid == 0);
    BOOST_TEST(reported_logs(dir.file("out.json")) == (std::set<std::string>{a}), boost::test_tools::per_element());

    const auto named = test::run({test::hitwatchd(), "--log", a, "--report-file", a, "--check-config"});
    BOOST_TEST(named.exit_code == 2);
    BOOST_TEST(named.err.find("report-file " + a + " is a log it follows (log " + a + ")") != std::string::npos,
               named.err);
}
