// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE drop_alert
// The drop alert: traffic falling away is caught and recovers when it comes back; a quiet
// site never pages; a window that does not hold what happened (a start, a backlog) is not
// judged; an outage stays low however long it lasts; a lasting fall becomes the new normal.
#include "core/drop_alert.h"

#include <boost/test/unit_test.hpp>

#include "kind_feed.h"

using namespace hitwatch;

namespace {

AlertSettings defaults() { return {}; }  // 120 s window, 10 s interval, horizon 1 h, drop-min 60

}  // namespace

BOOST_AUTO_TEST_CASE(an_outage_is_caught_within_a_minute_and_recovers_when_traffic_is_back) {
    for (unsigned seed = 1; seed <= 5; ++seed) {
        DropAlert drop(defaults());
        std::mt19937 rng(seed);
        BOOST_TEST(test::feed(drop, rng, 0, 2 * 3600, test::steady({20})).empty(), seed);
        BOOST_TEST(drop.armed());
        const auto changes = test::feed(drop, rng, 2 * 3600, 3600, [](UnixSeconds t) {
            return test::Second{t < 2 * 3600 + 600 ? 0.0 : 20.0};
        });
        BOOST_TEST_REQUIRE(changes.size() == 2u, seed);
        BOOST_TEST(changes[0].on);
        BOOST_TEST(changes[0].at - 2 * 3600 <= 60);
        BOOST_TEST(!changes[1].on);
        BOOST_TEST(changes[1].at - (2 * 3600 + 600) >= 0);
        BOOST_TEST(changes[1].at - (2 * 3600 + 600) <= 180);
    }
}

BOOST_AUTO_TEST_CASE(an_outage_stays_low_however_long_it_lasts) {
    // An empty window teaches nothing: the normal does not learn the outage away.
    DropAlert drop(defaults());
    std::mt19937 rng(3);
    test::feed(drop, rng, 0, 2 * 3600, test::steady({20}));
    BOOST_TEST_REQUIRE(test::feed(drop, rng, 2 * 3600, 300, test::steady({0})).size() == 1u);
    const double normal = drop.traffic().level();  // the window is empty by now
    BOOST_TEST(test::feed(drop, rng, 2 * 3600 + 300, 4 * 3600, test::steady({0})).empty());
    BOOST_TEST(drop.active());
    BOOST_TEST(drop.traffic().level() == normal);
}

BOOST_AUTO_TEST_CASE(a_lasting_fall_becomes_the_new_normal) {
    DropAlert drop(defaults());
    std::mt19937 rng(5);
    test::feed(drop, rng, 0, 2 * 3600, test::steady({20}));
    const auto changes = test::feed(drop, rng, 2 * 3600, 3 * 3600, test::steady({8}));
    BOOST_TEST_REQUIRE(changes.size() == 2u);
    BOOST_TEST(changes[1].at - 2 * 3600 <= 3600 + 600);
}

BOOST_AUTO_TEST_CASE(a_quiet_site_never_pages) {
    // Below --alert-drop-min hits in a normal window it is not armed: a quiet night.
    DropAlert drop(defaults());
    std::mt19937 rng(7);
    test::feed(drop, rng, 0, 2 * 3600, test::steady({0.4}));  // 48 hits a window
    BOOST_TEST(!drop.armed());
    BOOST_TEST(test::feed(drop, rng, 2 * 3600, 3600, test::steady({0})).empty());
}

BOOST_AUTO_TEST_CASE(a_window_that_does_not_hold_what_happened_is_not_judged) {
    // After a restart the window is empty (it is not saved), and while a backlog is read its
    // seconds are still to come: neither is a drop.
    DropAlert drop(defaults());
    std::mt19937 rng(9);
    test::feed(drop, rng, 0, 2 * 3600, test::steady({20}));
    DropAlert restarted(defaults());
    restarted.restore(drop.saved());
    BOOST_TEST(restarted.armed());
    // The first window after the restart holds little (its lines are read as a backlog).
    BOOST_TEST(test::feed(restarted, rng, 2 * 3600, 60, test::steady({2})).empty());
    for (UnixSeconds t = 2 * 3600 + 60; t < 2 * 3600 + 300; t += 10) {
        restarted.discontinuity();  // catching up, second after second
        BOOST_TEST(test::feed(restarted, rng, t, 10, test::steady({2})).empty());
    }
    // Caught up: judged again once a whole window has been counted since the last second
    // of the catch-up.
    const auto changes = test::feed(restarted, rng, 2 * 3600 + 300, 180, test::steady({2}));
    BOOST_TEST_REQUIRE(changes.size() == 1u);
    BOOST_TEST(changes[0].at - (2 * 3600 + 290) >= 120);
}

BOOST_AUTO_TEST_CASE(switched_off_by_a_reload_it_ends_with_a_recovery_and_goes_on_learning) {
    DropAlert drop(defaults());
    std::mt19937 rng(11);
    test::feed(drop, rng, 0, 2 * 3600, test::steady({20}));
    test::feed(drop, rng, 2 * 3600, 120, test::steady({0}));
    BOOST_TEST_REQUIRE(drop.active());
    AlertSettings off = defaults();
    off.kinds = AlertKinds();
    const auto ended = drop.retune(2 * 3600 + 120, off);
    BOOST_TEST_REQUIRE(ended.has_value());
    BOOST_TEST(!ended->high);
    BOOST_TEST(ended->ended_by_reload);
    BOOST_TEST(!drop.active());
    BOOST_TEST(test::feed(drop, rng, 2 * 3600 + 120, 600, test::steady({0})).empty());
}
