// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE absolute_rule
#include "core/absolute_rule.h"

#include <boost/test/unit_test.hpp>
#include <vector>

using namespace hitwatch;

namespace {

AlertSettings absolute(std::int64_t window, double threshold) {
    AlertSettings s;
    s.rule = AlertRuleKind::absolute;
    s.window_s = window;
    s.threshold = threshold;
    return s;
}

}  // namespace

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
