// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE wall_clock
#include "wall_clock.h"

#include <boost/test/unit_test.hpp>

using namespace std::chrono_literals;
using hitwatchd::WallClockWatch;

namespace {

WallClockWatch::Wall wall(std::int64_t seconds) { return WallClockWatch::Wall(std::chrono::seconds(seconds)); }
WallClockWatch::Steady steady(std::chrono::milliseconds t) { return WallClockWatch::Steady(t); }

}  // namespace

BOOST_AUTO_TEST_CASE(time_passing_is_no_step_however_long_between_readings) {
    WallClockWatch watch(10);
    BOOST_TEST(watch.step(wall(1000), steady(0ms)) == 0);
    BOOST_TEST(watch.step(wall(1001), steady(1000ms)) == 0);
    BOOST_TEST(watch.step(wall(1031), steady(31000ms)) == 0);  // a 30 s stall (SIGSTOP, a slow disk)
    BOOST_TEST(watch.step(wall(1040), steady(37000ms)) == 0);  // 3 s off: slewing, within the tolerance
}

BOOST_AUTO_TEST_CASE(a_step_beyond_the_tolerance_is_measured_either_way) {
    WallClockWatch watch(10);
    watch.step(wall(1000), steady(0ms));
    BOOST_TEST(watch.step(wall(1000 + 30 * 86400 + 1), steady(1000ms)) == 30 * 86400);
    BOOST_TEST(watch.step(wall(1000 + 30 * 86400 + 2), steady(2000ms)) == 0);  // from the new time on
    BOOST_TEST(watch.step(wall(1000 + 30 * 86400 + 3 - 3600), steady(3000ms)) == -3600);
    watch.set_tolerance(5000);
    BOOST_TEST(watch.step(wall(1000 + 30 * 86400 + 4), steady(4000ms)) == 0);
}

BOOST_AUTO_TEST_CASE(a_host_that_booted_in_1970_is_one_step_when_ntp_sets_its_clock) {
    WallClockWatch watch(10);
    watch.step(wall(5), steady(5000ms));
    BOOST_TEST(watch.step(wall(1795700000), steady(6000ms)) == 1795700000 - 6);
}
