// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE latency_alert
// The latency alert: slow responses are caught within a minute and recover within three of
// their end; the p99's own noise and the minimum keep quiet sites and fast sites quiet.
#include "core/latency_alert.h"

#include <boost/test/unit_test.hpp>

#include "kind_feed.h"

using namespace hitwatch;

BOOST_AUTO_TEST_CASE(slow_responses_are_caught_and_recover) {
    for (unsigned seed = 1; seed <= 5; ++seed) {
        LatencyAlert latency({});
        std::mt19937 rng(seed);
        BOOST_TEST(test::feed(latency, rng, 0, 2 * 3600, test::steady({20, 0, 50})).empty(), seed);
        // A lognormal of median 50 ms and sigma 0.5: p99 = 50 e^(2.33 * 0.5) = 160 ms.
        BOOST_TEST(latency.normal_ms() > 140);
        BOOST_TEST(latency.normal_ms() < 180);
        const auto changes = test::feed(latency, rng, 2 * 3600, 1800, [](UnixSeconds t) {
            return test::Second{20, 0, t < 2 * 3600 + 300 ? 500.0 : 50.0};
        });
        BOOST_TEST_REQUIRE(changes.size() == 2u, seed);
        BOOST_TEST(changes[0].at - 2 * 3600 <= 60);
        BOOST_TEST(changes[1].at - (2 * 3600 + 300) <= 180);
    }
}

BOOST_AUTO_TEST_CASE(a_p99_below_the_minimum_never_pages) {
    // Ten times slower, but a p99 of 16 ms: below --alert-latency-min-ms (100).
    LatencyAlert latency({});
    std::mt19937 rng(3);
    test::feed(latency, rng, 0, 2 * 3600, test::steady({20, 0, 0.5}));
    BOOST_TEST(test::feed(latency, rng, 2 * 3600, 600, test::steady({20, 0, 5})).empty());
}

BOOST_AUTO_TEST_CASE(a_window_of_few_timed_requests_is_not_judged) {
    // 0.5 req/s: 60 requests a window, whose p99 would be their slowest.
    LatencyAlert latency({});
    std::mt19937 rng(5);
    test::feed(latency, rng, 0, 2 * 3600, test::steady({0.5, 0, 50}));
    BOOST_TEST(test::feed(latency, rng, 2 * 3600, 600, test::steady({0.5, 0, 5000})).empty());
    BOOST_TEST(!latency.status().value.has_value());
}

BOOST_AUTO_TEST_CASE(a_log_without_response_times_has_no_latency_alert) {
    LatencyAlert latency({});
    std::mt19937 rng(7);
    BOOST_TEST(test::feed(latency, rng, 0, 3 * 3600, test::steady({20})).empty());
    BOOST_TEST(latency.quiet());
    BOOST_TEST(!latency.status().normal.has_value());
}
