// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE follow_decisions
// The follow layer's decisions as tables of facts: where a log starts, what a glob's new
// match is, when the clock waits for a catch-up.
#include "follow/follow_decisions.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using namespace hitwatchd;

namespace {

constexpr hitwatch::UnixSeconds kNow = 1763632800, kReported = kNow - 3600;

const char* name_of(StartFrom from) {
    switch (from) {
        case StartFrom::stopped: return "stopped";
        case StartFrom::saved: return "saved";
        case StartFrom::file_start: return "file_start";
        case StartFrom::file_end: return "file_end";
    }
    return "?";
}

const char* name_of(MatchIs is) {
    switch (is) {
        case MatchIs::new_log: return "new_log";
        case MatchIs::rotation: return "rotation";
        case MatchIs::copy: return "copy";
        case MatchIs::not_yet: return "not_yet";
        case MatchIs::rotating: return "rotating";
    }
    return "?";
}

}  // namespace

BOOST_AUTO_TEST_CASE(where_a_log_starts_and_from_when_its_lines_count_live) {
    struct Case {
        std::string what;
        StartFacts facts;
        StartFrom from;
        hitwatch::UnixSeconds caught_up_at;
        bool created = false;
    };
    const auto with = [](void (*change)(StartFacts&)) {
        StartFacts f;
        f.now = kNow;
        f.reported_until = kReported;
        change(f);
        return f;
    };
    const std::vector<Case> cases = {
        {"first met, no state file: from its end, live at once",
         with([](StartFacts& f) { f.reported_until.reset(); }), StartFrom::file_end, kNow},
        {"first met with --from-start: all of it by its own time",
         with([](StartFacts& f) { f.from_start = true; }), StartFrom::file_start, kLongAgo},
        {"in the checkpoint and read by the last run: resumed, caught up at its last report",
         with([](StartFacts& f) { f.saved = f.saved_read = true; }), StartFrom::saved, kReported},
        // Before: caught up at the last report although the last run never read it, so a
        // minute of lines written while it was unreadable came in one second after the
        // restart (300 hits in one window bucket, an alert).
        {"in the checkpoint but never read by the last run: resumed, every line by its own time",
         with([](StartFacts& f) { f.saved = true; }), StartFrom::saved, kLongAgo},
        {"saved in the middle of a catch-up: the rest is a backlog, counted by its own time from then",
         with([](StartFacts& f) { f.saved = f.saved_read = true; f.saved_catching_up_from = kReported - 3600; }),
         StartFrom::saved, kReported - 3600},
        {"saved in the middle of a read from the start: every line by its own time",
         with([](StartFacts& f) { f.saved = f.saved_read = true; f.saved_catching_up_from = kLongAgo; }), StartFrom::saved,
         kLongAgo},
        {"stopped by a reload earlier in this run: where it stopped, caught up then",
         with([](StartFacts& f) { f.stopped_earlier = true; f.stopped_at = kNow - 60; f.saved = f.saved_read = true; }),
         StartFrom::stopped, kNow - 60},
        {"a glob's match born while the daemon was down: from its start, said",
         with([](StartFacts& f) { f.matched = true; f.born = kReported + 10; }), StartFrom::file_start, kReported, true},
        {"a glob's match born before the last report: from its end",
         with([](StartFacts& f) { f.matched = true; f.born = kReported - 10; }), StartFrom::file_end, kNow},
        {"a glob's match, no last run to compare with: from its end",
         with([](StartFacts& f) { f.matched = true; f.born = kNow - 10; f.reported_until.reset(); }), StartFrom::file_end, kNow},
        {"a glob's match created since the last look: from its start, live",
         with([](StartFacts& f) { f.matched = f.appeared_while_running = true; }), StartFrom::file_start, kNow},
        {"a checkpoint from the future (clock stepped back): caught up no later than now",
         with([](StartFacts& f) { f.saved = f.saved_read = true; f.reported_until = kNow + 600; }), StartFrom::saved, kNow},
    };
    for (const Case& c : cases) {
        const StartPlan plan = plan_start(c.facts);
        BOOST_TEST(std::string(name_of(plan.from)) == name_of(c.from), c.what);
        BOOST_TEST(plan.caught_up_at == c.caught_up_at, c.what);
        BOOST_TEST(plan.created_while_down == c.created, c.what);
    }
}

BOOST_AUTO_TEST_CASE(what_a_globs_new_match_is) {
    struct Case {
        std::string what;
        MatchFacts facts;
        MatchIs is;
    };
    // A file that exists, its first KiB whole.
    const auto with = [](void (*change)(MatchFacts&)) {
        MatchFacts f;
        f.exists = true;
        f.size = 5000;
        f.head_bytes = 1024;
        f.head_whole = true;
        change(f);
        return f;
    };
    const std::vector<Case> cases = {
        {"a path that does not exist: waited for, a log of its own", with([](MatchFacts& f) { f.exists = false; }), MatchIs::new_log},
        {"a symlink to a followed log between rename and create", with([](MatchFacts& f) { f.exists = false; f.dangling_to_followed = true; }),
         MatchIs::rotating},
        {"known as a followed log's rotated file", with([](MatchFacts& f) { f.known_rotation = true; }), MatchIs::rotation},
        {"the file a followed log's tail reads (renamed by logrotate)", with([](MatchFacts& f) { f.read_by_a_tail = true; }),
         MatchIs::rotation},
        {"at a start or reload, another log's beginning does not make a copy",
         with([](MatchFacts& f) { f.begins_as_followed = true; f.read_of_original = 100; }), MatchIs::new_log},
        {"appeared, empty: looked at again", with([](MatchFacts& f) { f.appeared_while_running = true; f.head_bytes = 0; f.size = 0; }),
         MatchIs::not_yet},
        {"appeared, beginning as a followed file, still growing: looked at again",
         with([](MatchFacts& f) { f.appeared_while_running = f.begins_as_followed = true; f.read_of_original = 9000; }), MatchIs::not_yet},
        {"appeared, settled for a second, whole and as long as what was read: a copy",
         with([](MatchFacts& f) {
             f.appeared_while_running = f.begins_as_followed = f.same_size_as_before = true;
             f.settled_ms = 1000;
             f.read_of_original = 5000;
         }),
         MatchIs::copy},
        {"looked at twice close together is not settled",
         with([](MatchFacts& f) {
             f.appeared_while_running = f.begins_as_followed = f.same_size_as_before = true;
             f.settled_ms = 300;
             f.read_of_original = 5000;
         }),
         MatchIs::not_yet},
        {"settled but shorter than what was read: a log of its own",
         with([](MatchFacts& f) {
             f.appeared_while_running = f.begins_as_followed = f.same_size_as_before = true;
             f.settled_ms = 2000;
             f.read_of_original = 6000;
         }),
         MatchIs::new_log},
        {"settled with a first KiB not whole: a few lines two logs may share, not a copy",
         with([](MatchFacts& f) {
             f.appeared_while_running = f.begins_as_followed = f.same_size_as_before = true;
             f.settled_ms = 2000;
             f.head_whole = false;
             f.read_of_original = 10;
         }),
         MatchIs::new_log},
        {"appeared, beginning as no followed file: new at once", with([](MatchFacts& f) { f.appeared_while_running = true; }),
         MatchIs::new_log},
    };
    for (const Case& c : cases) BOOST_TEST(std::string(name_of(classify_match(c.facts))) == name_of(c.is), c.what);
}

BOOST_AUTO_TEST_CASE(the_clock_waits_for_a_catch_up_one_interval_at_most) {
    BOOST_TEST(clock_moves_on(0, std::nullopt, 10));
    BOOST_TEST(clock_moves_on(0, 3, 10));
    BOOST_TEST(!clock_moves_on(2, std::nullopt, 10));  // begins to wait
    BOOST_TEST(!clock_moves_on(2, 9, 10));
    BOOST_TEST(clock_moves_on(2, 10, 10));
}
