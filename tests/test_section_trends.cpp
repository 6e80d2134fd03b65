// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE section_trends
#include "core/section_trends.h"

#include <boost/test/unit_test.hpp>

using namespace hitwatch;

namespace {

NormalSettings hour_of_10s() {
    NormalSettings s;
    s.alpha = 0.1;
    s.freeze = 90;
    return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_sections_that_grew_most_against_their_normal_share_are_named) {
    SectionTrends trends(12, hour_of_10s());
    for (int i = 0; i < 200; ++i) trends.on_interval({{"/api", 100}, {"/", 50}, {"/login", 5}}, 155, false);
    // The window now: /api as usual, /login forty times more, a new /admin (an alert is on,
    // so the shares do not learn it).
    for (int i = 0; i < 11; ++i) trends.on_interval({{"/api", 100}, {"/", 50}, {"/login", 200}, {"/admin", 30}}, 380, true);
    const auto grew = trends.grew_most({{"/login", 180}, {"(other)", 999}}, 0.9, 12 * 155, 2);
    BOOST_TEST_REQUIRE(grew.size() == 2u);
    BOOST_TEST(grew[0].section == "/login");
    // The window's oldest interval counts for the tenth of it still inside.
    BOOST_TEST(grew[0].hits == 1u + 11u * 200u + 180u);
    BOOST_TEST(grew[0].normal == 12 * 5.0, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(grew[1].section == "/admin");
    BOOST_TEST(trends.grew_most({}, 0, 12 * 155, 10).size() == 2u);  // /api and / did not grow
}

BOOST_AUTO_TEST_CASE(in_the_first_hour_only_what_grew_is_named) {
    // Learned from the first interval on: not from zero, as a normal learned slowly from
    // nothing would be, which named every section in the first hour.
    SectionTrends trends(12, hour_of_10s());
    for (int i = 0; i < 20; ++i) trends.on_interval({{"/api", 100}, {"/static", 50}, {"/err", 10}}, 160, false);
    for (int i = 0; i < 12; ++i) trends.on_interval({{"/api", 500}, {"/static", 50}, {"/err", 10}}, 560, true);
    const auto grew = trends.grew_most({}, 0, 12 * 160, 3);
    BOOST_TEST_REQUIRE(grew.size() == 1u);
    BOOST_TEST(grew[0].section == "/api");
    BOOST_TEST(grew[0].hits == 12u * 500u);
    BOOST_TEST(grew[0].normal == 12 * 100.0, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(the_sections_counted_span_exactly_the_window) {
    SectionTrends trends(12, hour_of_10s());
    for (int i = 0; i < 12; ++i) trends.on_interval({{"/a", 100}}, 100, false);
    // Six seconds into an interval of 60 hits so far: the window is those 6 s, 11 whole
    // intervals and the last 4 s of the oldest, 60 + 1100 + 40 hits at this steady rate.
    const auto grew = trends.grew_most({{"/a", 60}}, 0.6, 0, 1);
    BOOST_TEST_REQUIRE(grew.size() == 1u);
    BOOST_TEST(grew[0].hits == 1200u);
}

BOOST_AUTO_TEST_CASE(only_the_intervals_still_in_the_window_count) {
    SectionTrends trends(3, hour_of_10s());
    trends.on_interval({{"/gone", 1000}}, 1000, false);
    for (int i = 0; i < 3; ++i) trends.on_interval({}, 0, false);
    for (const auto& g : trends.grew_most({}, 0, 0, 10)) BOOST_TEST(g.section != "/gone");
}

BOOST_AUTO_TEST_CASE(what_the_sections_learned_survives_a_restart) {
    SectionTrends trends(12, hour_of_10s());
    for (int i = 0; i < 30; ++i) trends.on_interval({{"/api", 75}, {"/", 25}}, 100, false);
    SectionTrends after(12, hour_of_10s());
    after.restore(trends.saved());
    BOOST_TEST(after.saved().intervals == 30u);
    for (int i = 0; i < 12; ++i) after.on_interval({{"/api", 75}, {"/", 250}}, 325, true);
    const auto grew = after.grew_most({}, 0, 12 * 100, 3);
    BOOST_TEST_REQUIRE(grew.size() == 1u);
    BOOST_TEST(grew[0].section == "/");
}
