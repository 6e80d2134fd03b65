// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE followed_logs
// The follow layer's shell on real files: what a reload keeps and from where, per-log hits
// across reloads, a log the last run never read, one view per log. Times are given, not read.
#include "follow/followed_logs.h"

#include "follow/follow_decisions.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>

using namespace hitwatch;
using namespace hitwatchd;

namespace {

struct Nothing : EventSink {
    void on_report(const Report&) override {}
    void on_alert(const AlertEvent&) override {}
};

constexpr UnixSeconds kNow = 1763632800;

// The hits of the backfill reports made.
struct Backfilled : EventSink {
    std::uint64_t hits = 0;
    void on_report(const Report& report) override { hits += report.backfill ? report.hits : 0; }
    void on_alert(const AlertEvent&) override {}
};

// Each report's hits, by the second its interval began.
struct PerInterval : EventSink {
    std::map<UnixSeconds, std::uint64_t> hits;
    void on_report(const Report& report) override { hits[report.interval_start] += report.hits; }
    void on_alert(const AlertEvent&) override {}
};

// A line written at `t`.
std::string dated_line(UnixSeconds t, const std::string& path) {
    const auto time = static_cast<std::time_t>(t);
    char stamp[64];
    std::strftime(stamp, sizeof stamp, "%d/%b/%Y:%H:%M:%S +0000", std::gmtime(&time));
    return "10.0.0.1 - - [" + std::string(stamp) + "] \"GET " + path + " HTTP/1.1\" 200 5 \"-\" \"ua\"\n";
}

std::string line(int n) {
    return "10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] \"GET /a/" + std::to_string(n) + " HTTP/1.1\" 200 5 \"-\" \"ua\"\n";
}

struct Fixture {
    Fixture() : dir(std::filesystem::temp_directory_path() / ("followed_logs." + std::to_string(::getpid()))) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    ~Fixture() { std::filesystem::remove_all(dir); }

    std::string path(const std::string& name) const { return (dir / name).string(); }
    void append(const std::string& name, int lines) {
        std::ofstream out(path(name), std::ios::app);
        for (int i = 0; i < lines; ++i) out << line(written++);
    }
    void follow(const std::vector<LogPath>& paths, const Checkpoint& saved = {}, bool from_start = false) {
        logs.follow(paths, [](const std::string&) { return Reading{}; }, saved, from_start, 65536, at, wall);
    }
    void pump() {
        logs.pump(4 << 20, at, [this] { return wall; });
    }
    // Seconds pass, on both clocks.
    void pass(int seconds) {
        at += std::chrono::seconds(seconds);
        wall += seconds;
    }
    std::uint64_t hits_of(const LiveFigures& figures, const std::string& name) const {
        std::uint64_t hits = 0;
        for (const auto& log : figures.logs) hits += log.path == path(name) ? log.hits : 0;
        return hits;
    }

    std::filesystem::path dir;
    int written = 0;
    Nothing sink;
    Monitor monitor{MonitorSettings{}, sink};
    FollowedLogs logs{monitor, FollowedLogs::CatchUp{}};
    FollowedLogs::Clock::time_point at{};
    UnixSeconds wall = kNow;
};

std::uint64_t sum_of_log_hits(const LiveFigures& figures) {
    return std::accumulate(figures.logs.begin(), figures.logs.end(), std::uint64_t{0},
                           [](std::uint64_t sum, const auto& log) { return sum + log.hits; });
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_glob_match_dropped_by_a_reload_and_restored_resumes_where_it_stopped, Fixture) {
    // Before: a reload resumed a re-added glob match from the state file as loaded at the
    // start, so what was read between the start and the drop counted again (200 for 100).
    append("a.log", 10);
    Checkpoint at_start;  // the state file at the start: a.log at its start
    at_start.reported_until = wall;
    {
        FollowedLogs first{monitor, FollowedLogs::CatchUp{}};
        first.follow({{path("a.log"), true}}, [](const std::string&) { return Reading{}; }, {}, false, 65536, at, wall);
        at_start.logs = first.positions();
    }
    follow({{path("a.log"), true}}, at_start);
    append("a.log", 100);
    pump();
    BOOST_TEST(hits_of(logs.take_figures(), "a.log") == 100u);
    follow({}, at_start);  // a reload without the glob
    append("a.log", 50);
    pass(1);
    follow({{path("a.log"), true}}, at_start);  // and one with it again
    pump();
    BOOST_TEST(hits_of(logs.take_figures(), "a.log") == 50u);
}

BOOST_FIXTURE_TEST_CASE(a_stopped_log_stays_in_the_checkpoint_where_it_stopped, Fixture) {
    append("a.log", 5);
    append("b.log", 5);
    follow({{path("a.log"), false}, {path("b.log"), true}});
    append("a.log", 3);
    append("b.log", 3);
    pump();
    follow({{path("a.log"), false}});
    const auto positions = logs.positions();
    BOOST_TEST(positions.size() == 2u);
    const auto b = std::find_if(positions.begin(), positions.end(), [&](const auto& log) { return log.path == path("b.log"); });
    BOOST_REQUIRE(b != positions.end());
    BOOST_TEST(b->files.back().offset == std::filesystem::file_size(path("b.log")));
    BOOST_TEST(logs.size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(per_log_hits_survive_a_reload_that_drops_a_log_and_one_that_adds_it_back, Fixture) {
    // Before: the report's hits were right (150) but logs[] said 50: the hits a dropped log
    // counted earlier in the interval left with it.
    append("a.log", 0);
    follow({{path("a.log"), false}});
    append("a.log", 100);
    pump();
    follow({});
    append("a.log", 50);
    follow({{path("a.log"), false}});
    pump();
    const LiveFigures figures = logs.take_figures();
    BOOST_TEST(hits_of(figures, "a.log") == 150u);
    BOOST_TEST(figures.logs.size() == 1u);
    BOOST_TEST(sum_of_log_hits(figures) == 150u);
}

BOOST_FIXTURE_TEST_CASE(a_log_dropped_for_good_reports_its_hits_as_stopped_once, Fixture) {
    append("a.log", 0);
    append("b.log", 0);
    follow({{path("a.log"), false}, {path("b.log"), false}});
    append("a.log", 7);
    append("b.log", 4);
    pump();
    follow({{path("a.log"), false}});
    LiveFigures figures = logs.take_figures();
    BOOST_TEST(sum_of_log_hits(figures) == 11u);
    const auto b = std::find_if(figures.logs.begin(), figures.logs.end(), [&](const auto& log) { return log.path == path("b.log"); });
    BOOST_REQUIRE(b != figures.logs.end());
    BOOST_TEST(b->state == "stopped");
    figures = logs.take_figures();
    BOOST_TEST(figures.logs.size() == 1u);  // the next interval: only the log followed
}

BOOST_FIXTURE_TEST_CASE(a_log_the_last_run_never_read_catches_up_instead_of_counting_a_burst, Fixture) {
    // Before: resumed "at offset 0" with the last report's time as caught up: 300 lines
    // written over the minute since landed in one second as live hits.
    append("a.log", 0);
    struct stat st {};
    BOOST_REQUIRE(::stat(path("a.log").c_str(), &st) == 0);
    append("a.log", 300);
    Checkpoint saved;
    saved.reported_until = wall - 5;  // a restart soon after the last report
    SavedLog never_read{path("a.log"), {}, std::nullopt};
    SavedFile file;
    file.identity.device = st.st_dev;
    file.identity.inode = st.st_ino;
    file.unread = true;  // unreadable (mode 000, EMFILE) all through the last run
    never_read.files.push_back(file);
    saved.logs.push_back(never_read);
    follow({{path("a.log"), false}}, saved);
    pump();
    const LiveFigures figures = logs.take_figures();
    BOOST_TEST(hits_of(figures, "a.log") == 0u);  // none live: all in the backlog
    BOOST_TEST(!logs.catching_up());              // read to its end, handed on as backfill
}

BOOST_FIXTURE_TEST_CASE(a_log_the_last_run_read_resumes_live, Fixture) {
    append("a.log", 10);
    Checkpoint saved;
    {
        FollowedLogs first{monitor, FollowedLogs::CatchUp{}};
        first.follow({{path("a.log"), false}}, [](const std::string&) { return Reading{}; }, {}, false, 65536, at, wall);
        saved.logs = first.positions();
    }
    saved.reported_until = wall - 5;
    append("a.log", 20);
    follow({{path("a.log"), false}}, saved);
    pump();
    BOOST_TEST(hits_of(logs.take_figures(), "a.log") == 20u);
}

BOOST_FIXTURE_TEST_CASE(each_log_has_one_view_with_its_place_and_state, Fixture) {
    append("a.log", 4);
    follow({{path("a.log"), false}, {path("missing.log"), false}});
    append("a.log", 2);
    pump();
    const auto views = logs.views();
    BOOST_REQUIRE(views.size() == 2u);
    BOOST_TEST(views[0].path == path("a.log"));
    BOOST_TEST(views[0].state == "reading");
    BOOST_TEST(views[0].offset == std::filesystem::file_size(path("a.log")));
    BOOST_TEST(views[0].lag_bytes == 0u);
    BOOST_TEST(views[1].state == "waiting");
    BOOST_TEST(!views[1].error.empty());
}

BOOST_FIXTURE_TEST_CASE(a_long_backlog_is_handed_on_in_parts_each_checkpointed_first, Fixture) {
    // Before: the whole backlog was held until the log was read to its end (793 MiB for an
    // hour with 2,000 new sections every 10 s), and the state file kept the log where its
    // catch-up began, so a crash, an out-of-memory kill too, began it again.
    Backfilled sink;
    Monitor quiet{MonitorSettings{}, sink};
    FollowedLogs backlog{quiet, FollowedLogs::CatchUp{}};
    std::vector<std::pair<SavedLog, std::uint64_t>> saves;  // and the hits handed on before each
    backlog.set_save_progress([&](const SavedLog& log) { saves.emplace_back(log, sink.hits); });
    // An hour of lines, each of its own section, 12 a second.
    {
        std::ofstream out(path("a.log"));
        for (int i = 0; i < 40000; ++i) out << dated_line(wall - 3600 + i / 12, "/s" + std::to_string(i) + "/x");
    }
    backlog.follow({{path("a.log"), false}}, [](const std::string&) { return Reading{}; }, {}, true, 65536, at, wall);
    while (!backlog.pump(4 << 20, at, [this] { return wall; })) {
    }
    BOOST_TEST(!backlog.catching_up());
    BOOST_TEST(sink.hits == 40000u);  // exact, all in backfill reports
    BOOST_TEST_REQUIRE(saves.size() >= 2u);  // 40,000 sections: more than one part
    std::uint64_t last_offset = 0;
    for (std::size_t i = 0; i < saves.size(); ++i) {
        const auto& [log, handed_on] = saves[i];
        BOOST_TEST(log.files.back().offset > last_offset);  // each further on
        last_offset = log.files.back().offset;
        // Saved before its part went on: what was handed on so far lies before it.
        BOOST_TEST(handed_on < 40000u);
        if (i + 1 < saves.size()) {
            BOOST_TEST_REQUIRE(log.catching_up_from.has_value());
            BOOST_TEST(*log.catching_up_from == kLongAgo);  // read from its start: every line by its own time
        }
    }
    BOOST_TEST(last_offset == std::filesystem::file_size(path("a.log")));
    BOOST_TEST(!saves.back().first.catching_up_from.has_value());  // the last: caught up
    // And the state file has it where the last part ended.
    BOOST_TEST(backlog.positions().at(0).files.back().offset == last_offset);
}

BOOST_FIXTURE_TEST_CASE(lines_written_in_a_stall_in_the_middle_of_a_pass_count_when_they_were_written, Fixture) {
    // Before: a pass read the wall clock once, before its reads. Stopped between the two
    // (SIGSTOP, a paused VM), it counted what was written meanwhile in the second before the
    // stall: 8 s of lines in one 1 s interval, then 7 empty ones, and no word of a backlog.
    PerInterval sink;
    MonitorSettings settings;
    settings.alert.interval_s = 1;
    Monitor each_second{settings, sink};
    FollowedLogs stalled{each_second, FollowedLogs::CatchUp{.interval_s = 1}};
    constexpr int kPerSecond = 10;
    const auto write_second = [&](UnixSeconds t) {
        std::ofstream out(path("a.log"), std::ios::app);
        for (int i = 0; i < kPerSecond; ++i) out << dated_line(t, "/a");
    };
    const auto read_live = [&] {
        stalled.pump(4 << 20, at, [this] { return wall; });
        pass(1);
        each_second.advance_to(wall);
    };
    append("a.log", 0);
    stalled.follow({{path("a.log"), false}}, [](const std::string&) { return Reading{}; }, {}, false, 65536, at, wall);
    each_second.advance_to(wall);
    for (int s = 0; s < 3; ++s) {
        write_second(wall);
        read_live();
    }
    // The stall: the pass has read the clock when it stops for 8 s, as the log grows.
    const UnixSeconds stall_began = wall;
    bool stopped_yet = false;
    stalled.pump(4 << 20, at, [&] {
        if (stopped_yet) return wall;
        stopped_yet = true;
        for (int s = 0; s < 8; ++s) write_second(stall_began + s);
        pass(8);
        return stall_began;
    });
    BOOST_TEST(!stalled.catching_up());  // read to its end in that pass
    each_second.advance_to(wall);
    for (int s = 0; s < 3; ++s) {
        write_second(wall);
        read_live();
    }
    for (UnixSeconds t = kNow; t < wall - 1; ++t) {
        BOOST_TEST(sink.hits[t] == std::uint64_t{kPerSecond}, sink.hits[t] << " hits at second " << t - kNow);
    }
}
