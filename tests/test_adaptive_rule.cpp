#define BOOST_TEST_MODULE adaptive_rule
// The adaptive rule fed second by second with Poisson traffic from fixed seeds: it stays
// quiet on steady traffic, catches bursts fast, recovers with hysteresis, learns a new
// normal within its horizon, and carries what it learned across a restart.
#include "core/adaptive_rule.h"

#include <boost/test/unit_test.hpp>
#include <functional>
#include <random>
#include <vector>

using namespace hitwatch;

namespace {

struct Event {
    UnixSeconds at;
    bool high;
};

// Feeds `seconds` seconds of Poisson traffic at `rate(t)` requests/s from second `from`,
// with an interval every 10 s; the state changes.
std::vector<Event> feed(AdaptiveRule& rule, std::mt19937& rng, UnixSeconds from, UnixSeconds seconds,
                        const std::function<double(UnixSeconds)>& rate) {
    std::vector<Event> events;
    std::uint64_t interval = 0;
    for (UnixSeconds t = from; t < from + seconds; ++t) {
        std::poisson_distribution<std::uint64_t> arrivals(rate(t));
        const std::uint64_t hits = arrivals(rng);
        interval += hits;
        const UnixSeconds end = t + 1;
        if (auto e = rule.on_second(end, hits)) events.push_back({e->at, e->high});
        if (end % 10 == 0) {
            rule.on_interval(end, interval);
            interval = 0;
        }
    }
    return events;
}

AlertSettings adaptive() {
    AlertSettings s;
    s.rule = AlertRuleKind::adaptive;
    return s;  // the defaults: 120 s window, 10 s interval, sensitivity 5, horizon 1 h, margin 10
}

}  // namespace

BOOST_AUTO_TEST_CASE(steady_traffic_raises_no_alert_and_a_burst_is_caught_then_recovers) {
    for (unsigned seed = 1; seed <= 5; ++seed) {
        AdaptiveRule rule(adaptive());
        std::mt19937 rng(seed);
        BOOST_TEST(feed(rule, rng, 0, 3600, [](UnixSeconds) { return 20.0; }).empty(), seed);
        BOOST_TEST(rule.normal_hits() > 2300.0);
        BOOST_TEST(rule.normal_hits() < 2500.0);
        // Twice the traffic for three minutes: high within 30 s, normal within 150 s of its end.
        const auto events = feed(rule, rng, 3600, 1800, [](UnixSeconds t) { return t < 3600 + 180 ? 40.0 : 20.0; });
        BOOST_TEST_REQUIRE(events.size() == 2u, seed);
        BOOST_TEST(events[0].high);
        BOOST_TEST(events[0].at - 3600 <= 30);
        BOOST_TEST(!events[1].high);
        BOOST_TEST(events[1].at - (3600 + 180) >= 0);
        BOOST_TEST(events[1].at - (3600 + 180) <= 150);
    }
}

BOOST_AUTO_TEST_CASE(it_does_not_alert_while_warming_up) {
    AdaptiveRule rule(adaptive());
    std::mt19937 rng(7);
    // A burst in the first minutes cannot be told from the normal yet.
    BOOST_TEST(feed(rule, rng, 0, 500, [](UnixSeconds t) { return t >= 200 && t < 400 ? 100.0 : 5.0; }).empty());
    BOOST_TEST(!rule.warm());
    feed(rule, rng, 500, 200, [](UnixSeconds) { return 5.0; });
    BOOST_TEST(!rule.warm());  // 59 intervals learned from a full window, from 120 s to 700 s
    feed(rule, rng, 700, 10, [](UnixSeconds) { return 5.0; });
    BOOST_TEST(rule.warm());  // the 60th: five windows' worth
}

BOOST_AUTO_TEST_CASE(recovery_waits_for_a_limit_below_the_alert_limit) {
    AdaptiveRule rule(adaptive());
    std::mt19937 rng(3);
    feed(rule, rng, 0, 3600, [](UnixSeconds) { return 20.0; });
    BOOST_TEST(rule.recovery_hits() < rule.limit_hits());
    BOOST_TEST(rule.limit_hits() - rule.normal_hits() == 5 * rule.noise(), boost::test_tools::tolerance(1e-9));
    BOOST_TEST(rule.recovery_hits() - rule.normal_hits() == 3 * rule.noise(), boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(a_lasting_change_becomes_the_new_normal_within_the_horizon) {
    AdaptiveRule rule(adaptive());
    std::mt19937 rng(11);
    feed(rule, rng, 0, 3600, [](UnixSeconds) { return 20.0; });
    const auto events = feed(rule, rng, 3600, 3 * 3600, [](UnixSeconds) { return 40.0; });
    BOOST_TEST_REQUIRE(events.size() == 2u);  // one alert, then the new normal
    BOOST_TEST(events[1].at - 3600 <= 3600);
    BOOST_TEST(rule.normal_hits() > 4600.0);
}

BOOST_AUTO_TEST_CASE(the_least_margin_holds_for_a_quiet_site) {
    AlertSettings s = adaptive();
    s.margin = 30;
    AdaptiveRule rule(s);
    std::mt19937 rng(5);
    feed(rule, rng, 0, 3600, [](UnixSeconds) { return 0.05; });  // six hits a window
    BOOST_TEST(rule.limit_hits() - rule.normal_hits() == 30.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(what_it_learned_survives_a_restart_so_a_burst_is_caught_at_once) {
    AdaptiveRule before(adaptive());
    std::mt19937 rng(9);
    feed(before, rng, 0, 3600, [](UnixSeconds) { return 20.0; });
    const AlertState saved = before.state();
    BOOST_TEST_REQUIRE(saved.learning.has_value());
    AdaptiveRule after(adaptive());
    after.restore(saved);
    BOOST_TEST(after.warm());
    BOOST_TEST(after.normal_hits() == before.normal_hits());
    const auto events = feed(after, rng, 3600, 120, [](UnixSeconds) { return 40.0; });
    BOOST_TEST_REQUIRE(!events.empty());
    BOOST_TEST(events[0].at - 3600 <= 30);
}
