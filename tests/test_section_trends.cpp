#define BOOST_TEST_MODULE section_trends
#include "core/section_trends.h"

#include <boost/test/unit_test.hpp>

using namespace hitwatch;

BOOST_AUTO_TEST_CASE(the_sections_that_grew_most_against_their_normal_share_are_named) {
    SectionTrends trends(12, 0.1);
    for (int i = 0; i < 200; ++i) trends.on_interval({{"/api", 100}, {"/", 50}, {"/login", 5}});
    // The window now: /api as usual, /login forty times more, a new /admin.
    for (int i = 0; i < 11; ++i) trends.on_interval({{"/api", 100}, {"/", 50}, {"/login", 200}, {"/admin", 30}});
    const auto grew = trends.grew_most({{"/login", 180}, {"(other)", 999}}, 2);
    BOOST_TEST_REQUIRE(grew.size() == 2u);
    BOOST_TEST(grew[0].section == "/login");
    BOOST_TEST(grew[0].hits == 5u + 11u * 200u + 180u);  // the window's 12 intervals and the one in progress
    BOOST_TEST(grew[0].normal > 12 * 5.0);  // its normal share, somewhat raised by the burst itself
    BOOST_TEST(grew[0].normal < 12 * 200.0);
    BOOST_TEST(grew[1].section == "/admin");
    BOOST_TEST(trends.grew_most({}, 10).size() == 2u);  // /api and / did not grow
}

BOOST_AUTO_TEST_CASE(only_the_intervals_still_in_the_window_count) {
    SectionTrends trends(3, 0.1);
    trends.on_interval({{"/gone", 1000}});
    for (int i = 0; i < 3; ++i) trends.on_interval({});
    for (const auto& g : trends.grew_most({}, 10)) BOOST_TEST(g.section != "/gone");
}
