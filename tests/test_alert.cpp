#define BOOST_TEST_MODULE alert
#include "core/alert.h"

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

AlertSettings absolute(std::int64_t window, double threshold) {
    AlertSettings s;
    s.rule = AlertRuleKind::absolute;
    s.window_s = window;
    s.threshold = threshold;
    return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(hit_window_slides) {
    HitWindow w(3);
    w.push(1);
    w.push(2);
    BOOST_TEST(!w.full());
    BOOST_TEST(w.total() == 3u);
    w.push(3);
    BOOST_TEST(w.full());
    w.push(4);
    BOOST_TEST(w.total() == 9u);
    BOOST_TEST((w.buckets() == std::vector<std::uint64_t>{2, 3, 4}));
}

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

BOOST_AUTO_TEST_CASE(absolute_fires_and_recovers_at_the_exact_second) {
    // Window 10 s, 2 requests/s: high when the last 10 seconds hold more than 20 hits.
    AbsoluteRule rule(absolute(10, 2));
    const std::uint64_t hits[] = {1, 1, 1, 1, 1, 5, 5, 5, 5, 0, 0, 0, 0, 0, 0, 0};
    std::vector<AlertEvent> events;
    for (int s = 1; s <= 16; ++s) {
        if (auto e = rule.on_second(s, hits[s - 1])) events.push_back(*e);
        BOOST_TEST(!rule.on_interval(s, 1000).has_value());  // intervals do not matter
    }
    // W(8) = 5 + 15 = 20 is not above 20; W(9) = 25 is. W(15) = h6..h15 = 20 recovers.
    BOOST_TEST_REQUIRE(events.size() == 2u);
    BOOST_TEST(events[0].high);
    BOOST_TEST(events[0].at == 9);
    BOOST_TEST(events[0].hits == 25u);
    BOOST_TEST(events[0].threshold == 2.0);
    BOOST_TEST(events[0].limit_hits == 20.0);
    BOOST_TEST(!events[1].high);
    BOOST_TEST(events[1].at == 15);
    BOOST_TEST(events[1].hits == 20u);
}

BOOST_AUTO_TEST_CASE(absolute_counts_missing_seconds_as_zero_before_the_window_fills) {
    AbsoluteRule rule(absolute(120, 10));
    BOOST_TEST(!rule.on_second(1, 1200).has_value());  // exactly 10/s over 120 s: not above
    auto e = rule.on_second(2, 1);
    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->hits == 1201u);
}

BOOST_AUTO_TEST_CASE(messages_are_the_contract) {
    AlertEvent e;
    e.high = true;
    e.hits = 1234;
    e.at = 1763632800;
    BOOST_TEST(alert_message(e) ==
               "High traffic generated an alert - hits = 1234, triggered at 2025-11-20T10:00:00Z");
    e.high = false;
    BOOST_TEST(alert_message(e) == "Traffic back to normal - hits = 1234, recovered at 2025-11-20T10:00:00Z");
}

BOOST_AUTO_TEST_CASE(absolute_ages_by_the_seconds_it_was_stopped) {
    AlertSettings s;
    s.rule = AlertRuleKind::absolute;
    s.window_s = 20;
    s.threshold = 0.5;  // limit 10
    AbsoluteRule rule(s);
    for (int t = 1; t <= 20; ++t) rule.on_second(t, 1);  // one hit a second: W = 20, high
    BOOST_TEST(rule.high());
    BOOST_TEST(rule.window_hits() == 20u);
    rule.age(20, 29);  // stopped for 9 seconds
    BOOST_TEST(rule.window_hits() == 11u);
    BOOST_TEST(rule.high());  // ageing judges nothing; the next second does
    const auto event = rule.on_second(30, 0);
    BOOST_TEST(event.has_value());  // W = 10: back to normal
    BOOST_TEST(!rule.high());
    rule.age(30, 30 + 86400 * 365);  // a year is no longer than the window
    BOOST_TEST(rule.window_hits() == 0u);
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
