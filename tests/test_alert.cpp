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
