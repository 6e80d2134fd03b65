// SPDX-License-Identifier: Apache-2.0
#include "core/learned_normal.h"

#include <algorithm>
#include <cmath>

namespace hitwatch {
namespace {

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    const auto middle = values.begin() + static_cast<long>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

// Intervals in `seconds`, at least one.
std::uint64_t intervals_in(std::int64_t seconds, std::int64_t interval_s) {
    return static_cast<std::uint64_t>(std::max<std::int64_t>(1, seconds / std::max<std::int64_t>(1, interval_s)));
}

}  // namespace

NormalSettings normal_settings(std::int64_t interval_s, std::int64_t window_s, std::int64_t horizon_s) {
    NormalSettings s;
    const double steps = static_cast<double>(std::max(horizon_s, interval_s)) / static_cast<double>(std::max<std::int64_t>(1, interval_s));
    s.alpha = 1 - std::pow(0.05, 1 / steps);  // (1 - alpha)^steps = 0.05
    s.warm_up = intervals_in(LearnedNormal::kWarmUpWindows * window_s, interval_s);
    s.freeze = intervals_in(horizon_s / 4, interval_s);
    s.tail_teaching = intervals_in(60, interval_s);
    // Learning begins once the window is full: the prior ends as the first horizon does.
    s.prior = intervals_in(horizon_s - window_s, interval_s);
    return s;
}

double LearnedNormal::tail_factor() const {
    if (learning_.tail != factor_of_tail_) {  // NaN at first: never equal
        factor_of_tail_ = learning_.tail;
        tail_factor_ = std::max(1.0, std::exp(learning_.tail) / kGaussianTail);
    }
    return tail_factor_;
}

double LearnedNormal::noise(double floor_variance) const {
    return tail_factor() * std::sqrt(std::max(learning_.dispersion, 1.0) * std::max(floor_variance, 0.0));
}

double LearnedNormal::prior_weight() const { return learning_.intervals < settings_.prior ? 1 : 0; }

void LearnedNormal::learn(double x, double floor_variance, bool anomalous) {
    NormalLearning& s = learning_;
    if (!warm()) return learn_warming_up(x, floor_variance);
    ++s.intervals;
    const double a = settings_.alpha;
    const double predicted = s.level + s.trend;
    const double stray = x - predicted;
    const double bulk_sd = std::sqrt(std::max(s.dispersion, 1.0) * std::max(floor_variance, 1e-12));
    s.anomalous = anomalous ? s.anomalous + 1 : 0;
    if (s.anomalous <= settings_.tail_teaching) learn_tail(stray / bulk_sd);
    if (!anomalous) {
        const double clip = kClip * std::sqrt(std::max(s.dispersion, 1.0));
        const double z = std::min(std::abs(stray) / std::sqrt(std::max(floor_variance, 1e-12)), clip);
        s.dispersion = (1 - a) * s.dispersion + a * z * z;
        const double level = predicted + a * stray;
        s.trend = a * (level - s.level) + (1 - a) * s.trend;
        s.level = level;
    } else if (s.anomalous > settings_.freeze) {
        s.level += a * (x - s.level);
        s.trend *= 1 - a;
    } else {
        s.trend *= 1 - a;
    }
    s.level = std::max(s.level, settings_.lowest);
}

void LearnedNormal::learn_warming_up(double x, double floor_variance) {
    NormalLearning& s = learning_;
    ++s.intervals;
    s.warm_up.push_back(x);
    s.level = median(s.warm_up);
    std::vector<double> strays;
    for (const double v : s.warm_up) strays.push_back(std::abs(v - s.level));
    const double sd = 1.4826 * median(std::move(strays));  // the MAD of a normal distribution is 0.6745 sd
    s.dispersion = floor_variance > 0 ? sd * sd / floor_variance : 1;
    s.trend = 0;
    if (warm()) s.warm_up.clear();
}

void LearnedNormal::learn_tail(double stray_sd) {
    NormalLearning& s = learning_;
    // Up by p on a stray beyond the quantile, down by 1 - p otherwise: it settles where a
    // share 1 - p of the strays lies beyond it. Never far below a normal distribution's.
    s.tail += stray_sd > std::exp(s.tail) ? kTailStep * kTailQuantile : -kTailStep * (1 - kTailQuantile);
    s.tail = std::max(s.tail, kLogGaussianTail - 1);
}

}  // namespace hitwatch
