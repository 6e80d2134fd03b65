// SPDX-License-Identifier: Apache-2.0
#include "core/errors_alert.h"

#include <algorithm>
#include <cmath>

#include "core/adaptive_rule.h"

namespace hitwatch {

NormalSettings errors_learning(const AlertSettings& s) {
    NormalSettings learning = learning_of(s);
    learning.lowest = 0;
    return learning;
}

ErrorsAlert::ErrorsAlert(const AlertSettings& settings)
    : KindAlert(AlertKind::errors, settings),
      requests_(static_cast<size_t>(settings.window_s)),
      errors_(static_cast<size_t>(settings.window_s)),
      normal_(errors_learning(settings)) {}

void ErrorsAlert::retuned() { normal_.retune(errors_learning(settings_)); }

double ErrorsAlert::ratio() const {
    return requests_.total() ? static_cast<double>(errors_.total()) / static_cast<double>(requests_.total()) : 0;
}

double ErrorsAlert::floor_variance() const {
    const double n = static_cast<double>(std::max<std::uint64_t>(1, requests_.total()));
    // A normal share of none still has the noise of one error in the window.
    const double p = std::clamp(normal_.level(), 1 / n, 1.0);
    return p * (1 - p) / n;
}

double ErrorsAlert::band() const {
    const double sd = std::max(normal_.noise(floor_variance()), normal_.prior_weight() * kPriorShare * normal_ratio());
    // The skew of a count of errors (core/traffic_normal.h), as a share of the window.
    const double k = settings_.sensitivity;
    return k * sd + (k * k - 1) / 6 / static_cast<double>(std::max<std::uint64_t>(1, requests_.total()));
}

double ErrorsAlert::wide_band() const { return std::max(band(), settings_.min_change * normal_ratio()); }

bool ErrorsAlert::raised() const {
    return errors_.total() >= settings_.errors_min && ratio() > normal_ratio() + wide_band();
}

bool ErrorsAlert::stays() const { return ratio() > normal_ratio() + 0.6 * wide_band(); }

void ErrorsAlert::learn() {
    const double x = ratio();
    normal_.learn(x, floor_variance(), active_ || std::abs(x - normal_ratio()) > band());
}

void ErrorsAlert::describe(AlertEvent& e) const {
    e.errors = errors_.total();
    e.requests = requests_.total();
    e.hits = e.requests;
    e.error_ratio = ratio();
    e.normal_error_ratio = normal_ratio();
    e.limit_error_ratio = normal_ratio() + (e.high ? wide_band() : 0.6 * wide_band());
}

void ErrorsAlert::fill(KindStatus& s) const {
    if (measurable()) s.value = ratio();
    s.normal = normal_ratio();
    s.limit = normal_ratio() + wide_band();
}

}  // namespace hitwatch
