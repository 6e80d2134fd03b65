// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE errors_alert
// The errors alert: a wave of 5xx is caught within a minute and recovers within three of its
// end; a quiet site's few errors never page; what the alert says adds up.
#include "core/errors_alert.h"

#include <boost/test/unit_test.hpp>

#include "kind_feed.h"

using namespace hitwatch;

BOOST_AUTO_TEST_CASE(a_wave_of_5xx_is_caught_and_recovers) {
    for (unsigned seed = 1; seed <= 5; ++seed) {
        ErrorsAlert errors({});
        std::mt19937 rng(seed);
        BOOST_TEST(test::feed(errors, rng, 0, 2 * 3600, test::steady({20, 0.01})).empty(), seed);
        BOOST_TEST(errors.normal_ratio() > 0.007);
        BOOST_TEST(errors.normal_ratio() < 0.013);
        const auto changes = test::feed(errors, rng, 2 * 3600, 1800, [](UnixSeconds t) {
            return test::Second{20, t < 2 * 3600 + 300 ? 0.2 : 0.01};
        });
        BOOST_TEST_REQUIRE(changes.size() == 2u, seed);
        BOOST_TEST(changes[0].at - 2 * 3600 <= 60);
        BOOST_TEST(changes[1].at - (2 * 3600 + 300) <= 180);
    }
}

BOOST_AUTO_TEST_CASE(a_quiet_site_with_a_few_errors_never_pages) {
    // 0.3 req/s with 3 % errors: about one 5xx a window, never --alert-errors-min (10).
    ErrorsAlert errors({});
    std::mt19937 rng(3);
    BOOST_TEST(test::feed(errors, rng, 0, 24 * 3600, test::steady({0.3, 0.03})).empty());
}

BOOST_AUTO_TEST_CASE(fewer_5xx_than_the_minimum_never_page) {
    AlertSettings s;
    s.errors_min = 400;
    ErrorsAlert errors(s);
    std::mt19937 rng(5);
    test::feed(errors, rng, 0, 2 * 3600, test::steady({20, 0.01}));
    BOOST_TEST(test::feed(errors, rng, 2 * 3600, 600, test::steady({20, 0.1})).empty());  // 240 a window
}

BOOST_AUTO_TEST_CASE(the_alert_carries_the_windows_figures) {
    AlertSettings s;
    ErrorsAlert errors(s);
    std::mt19937 rng(7);
    test::feed(errors, rng, 0, 2 * 3600, test::steady({20, 0.01}));
    std::optional<AlertEvent> raised;
    hitwatch::LatencyHistogram none(hitwatch::LatencyHistogram::Precision::section);
    for (UnixSeconds t = 2 * 3600; !raised && t < 2 * 3600 + 120; ++t) raised = errors.on_second(t + 1, {20, 10, &none});
    BOOST_TEST_REQUIRE(raised.has_value());
    BOOST_TEST((raised->kind == AlertKind::errors));
    BOOST_TEST(raised->requests > 0u);
    BOOST_TEST(raised->error_ratio == static_cast<double>(raised->errors) / static_cast<double>(raised->requests),
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(raised->error_ratio > raised->limit_error_ratio);
    BOOST_TEST(raised->limit_error_ratio > raised->normal_error_ratio);
}
