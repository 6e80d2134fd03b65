#include "core/adaptive_rule.h"

#include <algorithm>
#include <cmath>

namespace hitwatch {
namespace {

// 95 % of a step within the horizon: (1 - alpha)^(horizon / interval) = 0.05.
double smoothing(const AlertSettings& s) {
    return 1 - std::pow(0.05, static_cast<double>(s.interval_s) / static_cast<double>(std::max(s.horizon_s, s.interval_s)));
}

}  // namespace

AdaptiveRule::AdaptiveRule(const AlertSettings& settings)
    : AlertRule(settings, static_cast<size_t>(settings.window_s)), alpha_(smoothing(settings)) {}

void AdaptiveRule::retune(const AlertSettings& settings) {
    AlertRule::retune(settings);
    alpha_ = smoothing(settings);
}

bool AdaptiveRule::warm() const {
    return learning_.intervals >= static_cast<std::uint64_t>(kWarmUpWindows * settings_.window_s / settings_.interval_s);
}

double AdaptiveRule::noise() const {
    const double dispersion = learning_.mean > 0 ? std::max(1.0, learning_.spread / 2 / learning_.mean) : 1.0;
    return std::sqrt(std::max(dispersion * learning_.level, 1.0));
}

double AdaptiveRule::limit_hits() const {
    return learning_.level + std::max(settings_.margin, settings_.sensitivity * noise());
}

double AdaptiveRule::recovery_hits() const {
    return learning_.level + std::max(settings_.margin, kRecoveryShare * settings_.sensitivity * noise());
}

std::optional<AlertEvent> AdaptiveRule::on_second(UnixSeconds now, std::uint64_t hits) {
    window_.push(hits);
    if (!warm()) return std::nullopt;
    const double limit = limit_hits();
    return judge(now, limit, limit, recovery_hits(), learning_.level);
}

std::optional<AlertEvent> AdaptiveRule::on_interval(UnixSeconds, std::uint64_t hits) {
    if (window_.full()) learn(static_cast<double>(window_.total()), static_cast<double>(hits));
    return std::nullopt;
}

void AdaptiveRule::learn(double w, double c) {
    AdaptiveLearning& s = learning_;
    ++s.intervals;
    if (s.intervals == 1) {
        s.level = w;
        s.mean = c;
        s.previous = c;
        return;
    }
    const bool warming = !warm();
    const bool anomalous = !warming && (high_ || w > limit_hits());
    // Warming up, every interval weighs alike (a plain mean); then, the horizon's smoothing.
    const double a = warming ? 1.0 / static_cast<double>(s.intervals) : alpha_;
    if (!anomalous && s.previous >= 0) {
        double diff2 = (c - s.previous) * (c - s.previous);
        if (!warming) diff2 = std::min(diff2, 9 * 2 * std::max(s.spread / 2, std::max(s.mean, 1.0)));
        s.spread = s.intervals == 2 ? diff2 : (1 - a) * s.spread + a * diff2;
        s.mean = (1 - a) * s.mean + a * c;
    }
    s.previous = c;
    const double predicted = s.level + s.trend;
    const double level = predicted + a * (w - predicted);
    s.trend = anomalous ? (1 - alpha_) * s.trend : alpha_ * (level - s.level) + (1 - alpha_) * s.trend;
    s.level = level;
}

void AdaptiveRule::skip_quiet_intervals(std::uint64_t) {}  // a quiet window teaches nothing new

void AdaptiveRule::age(UnixSeconds from, UnixSeconds to) {
    if (to <= from) return;
    const auto seconds = static_cast<std::uint64_t>(to - from);
    for (std::uint64_t i = 0; i < seconds && i < window_.slots(); ++i) window_.push(0);
}

AlertState AdaptiveRule::state() const {
    AlertState s = AlertRule::state();
    s.learning = learning_;
    return s;
}

void AdaptiveRule::restore(const AlertState& saved) {
    if (saved.buckets.size() != window_.slots()) return;
    AlertRule::restore(saved);
    if (saved.learning) learning_ = *saved.learning;
}

}  // namespace hitwatch
