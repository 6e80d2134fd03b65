// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a value seen through the alert window normally is, and how far it normally strays,
// learned interval by interval: the window's hits (the traffic and drop alerts), its share
// of 5xx (errors), the log of its p99 response time (latency). Every adaptive alert learns
// with this one piece; what differs is the value and its sampling noise.
//
// Each interval it is given the window's value x, the variance x has from sampling alone
// at the normal level (the floor: Poisson hits, a binomial share, the order statistics of a
// percentile), and whether x is anomalous (beyond the band the rule judges by, on either
// side, or while the rule's alert is on). It learns
// - the level and its trend (Holt's smoothing), 95 % of a lasting change within the horizon;
// - the dispersion D: how far x strays from the level it predicted, as a mean square in
//   units of the floor (so it carries across levels), each stray clipped at 3 standard
//   deviations so one spike cannot double it;
// - the tail T: the 99th percentile of those strays in standard deviations, learned by
//   bounded steps (stochastic approximation), against a normal distribution's 2.33. Real
//   traffic strays like Poisson noise most of the time and spikes now and then far beyond
//   it; T widens the band for a site that does, and stays 1 for one that does not. A spike
//   teaches T from its first minute only, so an hour-long incident moves it no more than a
//   short one.
// The noise is sd = T sqrt(max(D, 1) floor), never below the sampling noise.
//
// Warm-up: the first intervals take the median and the median absolute deviation of what
// they saw, so a load test in the first minutes does not become the normal.
// Anomalies teach neither D nor the trend; the level waits the freeze (a quarter of the
// horizon: a burst of minutes teaches nothing) and then learns at its normal rate, so a
// change that lasts becomes the new normal within the horizon and a quarter.
#include <cstdint>
#include <limits>
#include <vector>

namespace hitwatch {

// The 99th percentile of a normal distribution, 2.3263478740408408, and its log.
constexpr double kGaussianTail = 2.3263478740408408;
constexpr double kLogGaussianTail = 0.8442996018306094;

// What is learned, which the state file carries across a restart.
struct NormalLearning {
    double level = 0;
    double trend = 0;       // of the level, per interval
    double dispersion = 1;  // mean square stray, in units of the floor variance
    double tail = kLogGaussianTail;  // log of the learned 99th percentile of the strays, in sd
    std::uint64_t intervals = 0;  // learned from
    std::uint64_t anomalous = 0;  // consecutive anomalous intervals, up to the last learned
    std::vector<double> warm_up;  // the values seen while warming up (cleared after)
    bool operator==(const NormalLearning&) const = default;
};

struct NormalSettings {
    double alpha = 0.01;               // smoothing per interval
    std::uint64_t warm_up = 60;        // intervals judged by median before smoothing
    std::uint64_t freeze = 90;         // anomalous intervals before the level learns again
    std::uint64_t tail_teaching = 6;   // intervals of an anomaly that teach the tail
    std::uint64_t prior = 348;         // intervals learned before a first start's prior is dropped
    double lowest = -1e300;            // the level never goes below (a count or share: 0)
};

// Settings for an interval, a window and a horizon: 95 % of a lasting change within the
// horizon, a warm-up of five windows, the level frozen for the first quarter of the horizon,
// a first start's prior held until the first horizon (the first hour) is over.
NormalSettings normal_settings(std::int64_t interval_s, std::int64_t window_s, std::int64_t horizon_s);

class LearnedNormal {
public:
    static constexpr int kWarmUpWindows = 5;
    static constexpr double kTailQuantile = 0.99;
    static constexpr double kTailStep = 0.01;   // in log units, for the tail's approximation
    static constexpr double kClip = 3;          // strays clipped at this many sd for D

    explicit LearnedNormal(const NormalSettings& settings) : settings_(settings) {}

    void learn(double x, double floor_variance, bool anomalous);

    bool warm() const { return learning_.intervals >= settings_.warm_up; }
    std::uint64_t intervals() const { return learning_.intervals; }
    double level() const { return learning_.level; }
    // How far the value normally strays at this floor variance: D and the tail applied.
    double noise(double floor_variance) const;
    double tail_factor() const;
    // A first start's prior counts this much (1 until the first horizon is learned, then 0):
    // a rule's noise is at least this share of the conservative guess it makes before it
    // knows how far the traffic strays. (The tail, in particular, cannot be learned in an
    // hour: a spike in the first hour would otherwise page.)
    double prior_weight() const;
    // The level stopped learning for a lasting anomaly (frozen) rather than following it.
    bool frozen() const { return learning_.anomalous > 0 && learning_.anomalous <= settings_.freeze; }

    const NormalLearning& learning() const { return learning_; }
    void restore(const NormalLearning& saved) { learning_ = saved; }
    void retune(const NormalSettings& settings) { settings_ = settings; }
    const NormalSettings& settings() const { return settings_; }

private:
    void learn_warming_up(double x, double floor_variance);
    void learn_tail(double stray_sd);

    NormalSettings settings_;
    NormalLearning learning_;
    // tail_factor() of this tail (NaN: none yet). The bands ask for it every second and the
    // tail moves once an interval: exp() only when it moved.
    mutable double factor_of_tail_ = std::numeric_limits<double>::quiet_NaN();
    mutable double tail_factor_ = 1;
};

}  // namespace hitwatch
