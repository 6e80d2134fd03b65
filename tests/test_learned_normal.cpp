// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE learned_normal
// The one piece every adaptive alert learns with: a robust start, the noise at the
// window's scale never below the sampling noise, a tail that widens for spiky values and
// not for Gaussian ones, anomalies that teach nothing until they last.
#include "core/learned_normal.h"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <random>

using namespace hitwatch;

namespace {

NormalSettings hourly() { return normal_settings(10, 120, 3600); }

}  // namespace

BOOST_AUTO_TEST_CASE(the_settings_follow_the_interval_window_and_horizon) {
    const NormalSettings s = hourly();
    BOOST_TEST(std::pow(1 - s.alpha, 360) == 0.05, boost::test_tools::tolerance(1e-9));  // 95 % in an hour
    BOOST_TEST(s.warm_up == 60u);       // five windows
    BOOST_TEST(s.freeze == 90u);        // a quarter of the horizon
    BOOST_TEST(s.tail_teaching == 6u);  // a minute
    BOOST_TEST(s.prior == 348u);        // the first hour, once the window is full
}

BOOST_AUTO_TEST_CASE(the_warm_up_takes_the_median_so_a_load_test_is_left_out) {
    LearnedNormal n(hourly());
    for (int i = 0; i < 60; ++i) n.learn(i >= 10 && i < 30 ? 12000 : 1000, 1000, false);
    BOOST_TEST(n.warm());
    BOOST_TEST(n.level() == 1000);
    BOOST_TEST(n.learning().warm_up.empty());
}

BOOST_AUTO_TEST_CASE(the_noise_is_never_below_the_sampling_noise) {
    LearnedNormal n(hourly());
    for (int i = 0; i < 600; ++i) n.learn(1000, 1000, false);  // never strays at all
    BOOST_TEST(n.noise(1000) >= std::sqrt(1000.0));
}

BOOST_AUTO_TEST_CASE(the_tail_widens_for_spiky_values_and_not_for_gaussian_ones) {
    std::mt19937 rng(1);
    std::normal_distribution<double> gaussian(1000, std::sqrt(1000.0));
    LearnedNormal calm(hourly()), spiky(hourly());
    for (int i = 0; i < 8640; ++i) {
        calm.learn(gaussian(rng), 1000, false);
        // The same, and one interval in fifty four times as far off, as real traffic spikes.
        const double x = gaussian(rng);
        spiky.learn(i % 50 == 0 ? 1000 + 4 * (x - 1000) + 400 : x, 1000, false);
    }
    BOOST_TEST(calm.tail_factor() < 1.2);
    BOOST_TEST(spiky.tail_factor() > 1.5);
}

BOOST_AUTO_TEST_CASE(an_anomaly_teaches_the_level_only_once_it_has_lasted_a_quarter_of_the_horizon) {
    LearnedNormal n(hourly());
    for (int i = 0; i < 400; ++i) n.learn(1000, 1000, false);
    for (int i = 0; i < 90; ++i) n.learn(3000, 1000, true);
    BOOST_TEST(n.level() == 1000, boost::test_tools::tolerance(1e-3));
    BOOST_TEST(n.frozen());
    for (int i = 0; i < 360; ++i) n.learn(3000, 1000, true);
    BOOST_TEST(!n.frozen());
    BOOST_TEST(n.level() > 2850);  // 95 % within the horizon once it learns
}

BOOST_AUTO_TEST_CASE(a_first_starts_prior_holds_for_the_first_horizon) {
    LearnedNormal n(hourly());
    BOOST_TEST(n.prior_weight() == 1);
    for (int i = 0; i < 347; ++i) n.learn(1000, 1000, false);
    BOOST_TEST(n.prior_weight() == 1);
    n.learn(1000, 1000, false);
    BOOST_TEST(n.prior_weight() == 0);
}

BOOST_AUTO_TEST_CASE(the_level_stays_at_or_above_its_lowest) {
    NormalSettings s = hourly();
    s.lowest = 0;
    LearnedNormal n(s);
    for (int i = 0; i < 100; ++i) n.learn(1000.0 - 10 * i, 1000, false);
    for (int i = 0; i < 400; ++i) n.learn(0, 1, false);
    BOOST_TEST(n.level() >= 0);
}
