// SPDX-License-Identifier: Apache-2.0
#include "core/traffic_normal.h"

#include <algorithm>
#include <cmath>

namespace hitwatch {

TrafficNormal::TrafficNormal(std::int64_t window_s, const NormalSettings& learning, const TrafficBandSettings& band)
    : normal_(learning),
      band_(band),
      newest_(static_cast<size_t>(std::max<std::int64_t>(1, window_s / 4))),
      quarters_(static_cast<double>(window_s) / static_cast<double>(std::max<std::int64_t>(1, window_s / 4))) {}

double TrafficNormal::noise() const {
    const double level = std::max(normal_.level(), 0.0);
    // Poisson noise at the level (a window of request counts) at least.
    return std::max(normal_.noise(std::max(level, 1.0)), normal_.prior_weight() * kPriorShare * level);
}

double TrafficNormal::band() const {
    // Request counts are skewed: a Poisson count's upper tail is heavier than a normal
    // distribution's, by (k^2 - 1) / 6 counts at k standard deviations (Cornish-Fisher), which
    // matters for a window of tens of hits.
    const double k = band_.sensitivity;
    return std::max(band_.margin, k * noise() + (k * k - 1) / 6);
}

double TrafficNormal::wide_band() const { return std::max(band(), band_.min_change * level()); }

double TrafficNormal::newest_as_window() const { return static_cast<double>(newest_.total()) * quarters_; }

double TrafficNormal::newest_noise() const { return std::sqrt(quarters_) * noise(); }

bool TrafficNormal::rose(double w) const {
    const double enough = (1 + band_.min_change) * level();
    // The newest quarter shows the change sooner, but is noisier: it counts only where it
    // shows it beyond two of its own standard deviations.
    return w > level() + band() && std::max(w, newest_as_window() - 2 * newest_noise()) >= enough;
}

bool TrafficNormal::fell(double w) const {
    const double enough = (1 - band_.min_change) * level();
    return w < level() - band() && std::min(w, newest_as_window() + 2 * newest_noise()) <= enough;
}

void TrafficNormal::learn(double w, bool alert_on) {
    // Improbable, on either side: not the normal, whether an alert came of it or not.
    const bool anomalous = alert_on || std::abs(w - level()) > band();
    normal_.learn(w, std::max(normal_.level() + normal_.learning().trend, 1.0), anomalous);
}

}  // namespace hitwatch
