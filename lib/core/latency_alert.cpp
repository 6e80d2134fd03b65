// SPDX-License-Identifier: Apache-2.0
#include "core/latency_alert.h"

#include <algorithm>
#include <cmath>

#include "core/adaptive_rule.h"

namespace hitwatch {

LatencyAlert::LatencyAlert(const AlertSettings& settings)
    : KindAlert(AlertKind::latency, settings),
      seconds_(static_cast<size_t>(settings.window_s), LatencyHistogram(LatencyHistogram::Precision::section)),
      total_(LatencyHistogram::Precision::section),
      normal_(learning_of(settings)) {}

void LatencyAlert::retuned() {
    normal_.retune(learning_of(settings_));
}

void LatencyAlert::push(const SecondCounts& second) {
    LatencyHistogram& leaving = seconds_[next_];
    if (!leaving.empty()) {
        total_.subtract(leaving);
        leaving.clear();
    }
    if (second.latency && !second.latency->empty()) {
        leaving.merge(*second.latency);
        total_.merge(*second.latency);
    }
    next_ = next_ + 1 == seconds_.size() ? 0 : next_ + 1;
}

double LatencyAlert::window_spread() const {
    const double n = static_cast<double>(std::max<std::uint64_t>(1, total_.count()));
    const double q = 0.99, spread = std::sqrt(q * (1 - q) / n);
    const double lo = std::max(total_.percentile_micros(q - 2 * spread), 1.0);
    const double hi = std::max(total_.percentile_micros(std::min(q + 2 * spread, 1.0)), lo);
    const double sd = (std::log(hi) - std::log(lo)) / 4;  // four standard deviations of rank apart
    return sd * sd * n;
}

double LatencyAlert::floor_variance() const {
    const double n = static_cast<double>(std::max<std::uint64_t>(1, total_.count()));
    // Never finer than the histogram tells times apart.
    return std::max(spread_ / n, total_.relative_error() * total_.relative_error());
}

double LatencyAlert::band() const {
    return settings_.sensitivity * std::max(normal_.noise(floor_variance()), normal_.prior_weight() * kPriorLogSd);
}

double LatencyAlert::wide_band() const { return std::max(band(), std::log1p(settings_.min_change)); }

double LatencyAlert::limit_ms() const { return std::max(std::exp(normal_.level() + wide_band()), settings_.latency_min_ms); }

bool LatencyAlert::raised() const {
    return p99_ms() >= settings_.latency_min_ms && log_p99() > normal_.level() + wide_band();
}

bool LatencyAlert::stays() const {
    return p99_ms() >= settings_.latency_min_ms && log_p99() > normal_.level() + 0.6 * wide_band();
}

void LatencyAlert::learn() {
    const double a = normal_.settings().alpha;
    spread_ = (1 - a) * spread_ + a * window_spread();
    const double x = log_p99();
    normal_.learn(x, floor_variance(), active_ || std::abs(x - normal_.level()) > band());
}

void LatencyAlert::describe(AlertEvent& e) const {
    e.hits = total_.count();
    e.p99_ms = p99_ms();
    e.normal_p99_ms = normal_ms();
    e.limit_p99_ms = e.high ? limit_ms() : std::exp(normal_.level() + 0.6 * wide_band());
}

void LatencyAlert::fill(KindStatus& s) const {
    if (measurable()) s.value = p99_ms();
    if (normal_.intervals() > 0) {
        s.normal = normal_ms();
        s.limit = limit_ms();
    }
}

}  // namespace hitwatch
