// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE run_summary
// The summary of a run adds up whole intervals, not their top few sections, and counts the
// time spent HIGH, up to its last second for an alert still going.
#include "core/run_summary.h"

#include <boost/test/unit_test.hpp>

using namespace hitwatch;

BOOST_AUTO_TEST_CASE(sections_are_the_runs_busiest_over_all_its_intervals) {
    RunTotals run(100);
    IntervalCounts a, b;
    for (int i = 0; i < 3; ++i) a.add_hit("/a", 200, 10);
    for (int i = 0; i < 2; ++i) a.add_hit("/b", 404, 1);
    for (int i = 0; i < 2; ++i) b.add_hit("/b", 200, 1);  // /b: 4 in all, the busiest of the run
    a.add_invalid();
    run.add(a);
    run.add(b);
    const RunSummary s = run.summary(1, 100, 200);
    BOOST_TEST(s.first == 100);
    BOOST_TEST(s.last == 200);
    BOOST_TEST(s.hits == 7u);
    BOOST_TEST(s.bytes == 34u);
    BOOST_TEST(s.invalid == 1u);
    BOOST_TEST(s.codes[404 - 100] == 2u);
    BOOST_TEST(s.status_classes[1] == 5u);
    BOOST_TEST_REQUIRE(s.sections.size() == 1u);
    BOOST_TEST(s.sections[0].section == "/b");
    BOOST_TEST(s.sections[0].hits == 4u);
    BOOST_TEST(s.most_popular_section.value() == "/b");
}

BOOST_AUTO_TEST_CASE(alerts_and_the_seconds_spent_high) {
    RunTotals run(10);
    AlertEvent high;
    high.high = true;
    high.at = 1000;
    AlertEvent recovered;
    recovered.at = 1130;
    run.add(high);
    run.add(recovered);
    high.at = 2000;
    run.add(high);  // still high at the end of the run
    AlertEvent drop;
    drop.kind = AlertKind::drop;
    drop.high = true;
    drop.at = 1500;
    run.add(drop);
    drop.high = false;
    drop.at = 1560;
    run.add(drop);
    const RunSummary s = run.summary(10, 0, 2045);
    BOOST_TEST(s.alerts == 3u);  // every kind
    BOOST_TEST(s.alert_seconds == 130 + 45 + 60);
    BOOST_TEST(s.alerts_by_kind[static_cast<size_t>(AlertKind::traffic)] == 2u);
    BOOST_TEST(s.alerts_by_kind[static_cast<size_t>(AlertKind::drop)] == 1u);
    BOOST_TEST(s.alert_seconds_by_kind[static_cast<size_t>(AlertKind::traffic)] == 130 + 45);
    BOOST_TEST(s.alert_seconds_by_kind[static_cast<size_t>(AlertKind::drop)] == 60);
    BOOST_TEST(!RunTotals(10).summary(10, 0, 0).most_popular_section.has_value());
}

BOOST_AUTO_TEST_CASE(a_window_counts_the_alerts_that_go_high_in_it_and_their_time_in_it) {
    RunTotals run(10, 1000, 2000);  // --since, --until
    const auto alert = [&](bool high, UnixSeconds at) {
        AlertEvent event;
        event.high = high;
        event.at = at;
        run.add(event);
    };
    alert(true, 900);  // before the window, still on at its start: its time in it counts, not itself
    alert(false, 1100);
    alert(true, 1500);
    alert(false, 1600);
    alert(true, 1950);  // on at the window's end: until it
    alert(false, 2100);
    alert(true, 2000);  // after it: nothing
    const RunSummary s = run.summary(10, 1000, 2000);
    BOOST_TEST(s.alerts == 2u);
    BOOST_TEST(s.alert_seconds == 100 + 100 + 50);
}
