// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE alert
#include "core/alert.h"

#include <boost/test/unit_test.hpp>
#include <vector>

#include "core/absolute_rule.h"

using namespace hitwatch;

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

BOOST_AUTO_TEST_CASE(messages_keep_the_original_words_and_say_why) {
    // The issue's own example, to the letter.
    AlertEvent e;
    e.high = true;
    e.rule = AlertRuleKind::adaptive;
    e.hits = 2612;
    e.at = 1795169125;  // 2026-11-20T10:05:25Z
    e.limit_hits = 2596;
    e.normal_hits = 2400;
    e.grew_most = {{"/api", 1180, 1000}, {"/login", 140, 100}};
    BOOST_TEST(alert_message(e) ==
               "High traffic generated an alert - hits = 2612, triggered at 2026-11-20T10:05:25Z (limit 2596 = normal "
               "2400 + 196; adaptive rule; grew most: /api +180, /login +40)");
    e.high = false;
    e.hits = 2400;
    e.limit_hits = 2517.6;
    e.duration_s = 312;
    e.grew_most.clear();
    BOOST_TEST(alert_message(e) ==
               "Traffic back to normal - hits = 2400, recovered at 2026-11-20T10:05:25Z (limit 2518 = normal 2400 + 118; "
               "adaptive rule; after 5 min 12 s)");
    AlertEvent b;  // baseline: its normal is the running mean
    b.high = true;
    b.rule = AlertRuleKind::baseline;
    b.hits = 850;
    b.at = 1763632810;
    b.limit_hits = b.threshold = 610;
    b.normal_hits = 600;
    BOOST_TEST(alert_message(b) ==
               "High traffic generated an alert - hits = 850, triggered at 2025-11-20T10:00:10Z (limit 610 = normal 600 + "
               "10; baseline rule)");
    AlertEvent a;  // absolute: a rate over the window
    a.high = true;
    a.rule = AlertRuleKind::absolute;
    a.hits = 1225;
    a.window_s = 120;
    a.threshold = 10;
    a.limit_hits = 1200;
    a.at = 1763633125;
    BOOST_TEST(alert_message(a) ==
               "High traffic generated an alert - hits = 1225, triggered at 2025-11-20T10:05:25Z (limit 1200 = 10/s over "
               "120 s; absolute rule)");
}

BOOST_AUTO_TEST_CASE(each_kind_says_what_happened_in_the_contracts_words) {
    AlertEvent e;
    e.kind = AlertKind::errors;
    e.high = true;
    e.at = 1795169125;  // 2026-11-20T10:05:25Z
    e.errors = 300;
    e.requests = 2400;
    e.error_ratio = 0.125;
    e.normal_error_ratio = 0.01;
    e.limit_error_ratio = 0.021;
    BOOST_TEST(state_name(e) == "high");
    BOOST_TEST(alert_message(e) ==
               "5xx errors generated an alert - 5xx = 12.5 % of 2400 requests, triggered at 2026-11-20T10:05:25Z "
               "(limit 2.1 % = normal 1.0 % + 1.1 %; adaptive rule)");
    e.high = false;
    e.error_ratio = 0.008;
    e.duration_s = 200;
    BOOST_TEST(state_name(e) == "recovered");
    BOOST_TEST(alert_message(e) ==
               "5xx errors back to normal - 5xx = 0.8 % of 2400 requests, recovered at 2026-11-20T10:05:25Z "
               "(limit 2.1 % = normal 1.0 % + 1.1 %; adaptive rule; after 3 min 20 s)");

    AlertEvent l;
    l.kind = AlertKind::latency;
    l.high = true;
    l.at = 1795169125;
    l.p99_ms = 2300.4;
    l.normal_p99_ms = 400;
    l.limit_p99_ms = 850;
    BOOST_TEST(alert_message(l) ==
               "Slow responses generated an alert - p99 = 2300 ms, triggered at 2026-11-20T10:05:25Z "
               "(limit 850 ms = normal 400 ms + 450 ms; adaptive rule)");
    l.high = false;
    l.p99_ms = 180;
    BOOST_TEST(alert_message(l) ==
               "Response times back to normal - p99 = 180 ms, recovered at 2026-11-20T10:05:25Z "
               "(limit 850 ms = normal 400 ms + 450 ms; adaptive rule)");

    AlertEvent d;
    d.kind = AlertKind::drop;
    d.high = true;
    d.at = 1795169125;
    d.hits = 12;
    d.normal_hits = 2400;
    d.limit_hits = 1800;
    BOOST_TEST(state_name(d) == "low");
    BOOST_TEST(alert_message(d) ==
               "Low traffic generated an alert - hits = 12, triggered at 2026-11-20T10:05:25Z "
               "(limit 1800 = normal 2400 - 600; adaptive rule)");
    d.high = false;
    d.hits = 2300;
    d.limit_hits = 2112;
    d.duration_s = 60;
    BOOST_TEST(alert_message(d) ==
               "Traffic back up to normal - hits = 2300, recovered at 2026-11-20T10:05:25Z "
               "(limit 2112 = normal 2400 - 288; adaptive rule; after 1 min 0 s)");
}

BOOST_AUTO_TEST_CASE(the_kinds_list_reads_and_writes_back) {
    std::string error;
    const auto all = AlertKinds::parse("traffic,errors,latency,drop", error);
    BOOST_TEST_REQUIRE(all.has_value());
    BOOST_TEST((*all == AlertKinds::all()));
    BOOST_TEST(all->text() == "traffic,errors,latency,drop");
    const auto two = AlertKinds::parse("drop, traffic", error);
    BOOST_TEST_REQUIRE(two.has_value());
    BOOST_TEST(two->text() == "traffic,drop");
    BOOST_TEST(!two->has(AlertKind::errors));
    const auto none = AlertKinds::parse("none", error);
    BOOST_TEST_REQUIRE(none.has_value());
    BOOST_TEST(none->text() == "none");
    BOOST_TEST(!AlertKinds::parse("traffic,slowness", error).has_value());
    BOOST_TEST(error == "must be kinds from traffic, errors, latency, drop separated by commas (or none), not \"slowness\"");
}
