// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE baseline_rule
#include "core/baseline_rule.h"

#include <boost/test/unit_test.hpp>
#include <vector>

using namespace hitwatch;

namespace {

AlertSettings baseline(std::int64_t window, std::int64_t interval, double margin) {
    AlertSettings s;
    s.rule = AlertRuleKind::baseline;
    s.window_s = window;
    s.interval_s = interval;
    s.margin = margin;
    return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(baseline_reproduces_the_old_tools_arithmetic) {
    // Window 30 s of 10 s intervals (3 slots), margin 5. Worked by hand:
    //  t   hits  W   M (earlier W since full)  limit   state
    //  10  10    -   -                          -       filling
    //  20  10    -   -                          -       filling
    //  30  10    30  - (first full: no compare) -       normal
    //  40  10    30  30                         35      normal
    //  50  20    40  30                         35      HIGH (40 > 35)
    //  60  20    50  33.33                      38.33   high
    //  70  0     40  37.5                       42.5    RECOVERED (40 <= 42.5)
    //  80  0     20  38                         43      normal
    BaselineRule rule(baseline(30, 10, 5));
    const std::uint64_t hits[] = {10, 10, 10, 10, 20, 20, 0, 0};
    std::vector<AlertEvent> events;
    for (int i = 0; i < 8; ++i) {
        if (auto e = rule.on_interval(10 * (i + 1), hits[i])) events.push_back(*e);
        BOOST_TEST(!rule.on_second(10 * (i + 1), 99).has_value());  // seconds do not matter
    }
    BOOST_TEST_REQUIRE(events.size() == 2u);
    BOOST_TEST(events[0].high);
    BOOST_TEST(events[0].at == 50);
    BOOST_TEST(events[0].hits == 40u);
    BOOST_TEST(events[0].limit_hits == 35.0);
    BOOST_TEST(!events[1].high);
    BOOST_TEST(events[1].at == 70);
    BOOST_TEST(events[1].hits == 40u);
    BOOST_TEST(events[1].limit_hits == 42.5);
    BOOST_TEST(rule.mean() == 210.0 / 6);  // W of the six flushes since full, 80 included
}

BOOST_AUTO_TEST_CASE(baseline_compares_strictly_above) {
    BaselineRule rule(baseline(20, 10, 0));
    for (int i = 1; i <= 6; ++i) BOOST_TEST(!rule.on_interval(10 * i, 5).has_value());
    auto e = rule.on_interval(70, 6);  // W = 11 > M = 10
    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->at == 70);
}

BOOST_AUTO_TEST_CASE(baseline_skipping_quiet_intervals_counts_them_in_the_mean) {
    BaselineRule stepped(baseline(30, 10, 0)), skipped(baseline(30, 10, 0));
    for (int i = 1; i <= 5; ++i) {
        stepped.on_interval(10 * i, 0);
    }
    skipped.skip_quiet_intervals(5);
    // Then traffic: both must judge it against the same mean.
    auto a = stepped.on_interval(60, 9);
    auto b = skipped.on_interval(60, 9);
    BOOST_TEST(stepped.mean() == skipped.mean());
    BOOST_TEST(a.has_value() == b.has_value());
}

BOOST_AUTO_TEST_CASE(baseline_ages_by_the_intervals_that_ended_while_stopped) {
    AlertSettings s;
    s.rule = AlertRuleKind::baseline;
    s.window_s = 30;
    s.interval_s = 10;
    s.margin = 5;
    BaselineRule rule(s);
    for (int i = 1; i <= 4; ++i) rule.on_interval(10 * i, 10);  // W = 30 each flush from 30 on
    BOOST_TEST(rule.window_hits() == 30u);
    BOOST_TEST(rule.mean() == 30.0);
    rule.age(45, 71);  // intervals ending at 50, 60 and 70 passed
    BOOST_TEST(rule.window_hits() == 0u);
    // Each of them is a flush of the mean, as a quiet interval in a replay is: (30+30+20+10+0)/5
    BOOST_TEST(rule.mean() == 18.0);
    rule.age(71, 75);  // no interval ended
    BOOST_TEST(rule.mean() == 18.0);
    rule.age(75, 75 + 10 * 1000000);  // a long stop costs no time: the mean takes in zeros
    BOOST_TEST(rule.mean() == 90.0 / 1000005);
}
