// SPDX-License-Identifier: Apache-2.0
#include "core/adaptive_rule.h"

#include <algorithm>

namespace hitwatch {

NormalSettings traffic_learning(const AlertSettings& s) {
    NormalSettings learning = learning_of(s);
    learning.lowest = 0;
    return learning;
}

TrafficBandSettings traffic_band(const AlertSettings& s) { return {s.sensitivity, s.margin, s.min_change}; }

AdaptiveRule::AdaptiveRule(const AlertSettings& settings)
    : AlertRule(settings, static_cast<size_t>(settings.window_s)),
      traffic_(settings.window_s, traffic_learning(settings), traffic_band(settings)) {}

void AdaptiveRule::retune(const AlertSettings& settings) {
    AlertRule::retune(settings);
    traffic_.retune(traffic_learning(settings), traffic_band(settings));
}

std::int64_t AdaptiveRule::learning_left_s() const {
    const auto& normal = traffic_.normal();
    if (normal.warm()) return 0;
    const auto left = normal.settings().warm_up - normal.intervals();
    // The window fills first, then each interval is learned from.
    const std::int64_t filling = window_.full() ? 0 : settings_.window_s - static_cast<std::int64_t>(window_.pushed());
    return filling + static_cast<std::int64_t>(left) * settings_.interval_s;
}

std::optional<AlertEvent> AdaptiveRule::on_second(UnixSeconds now, std::uint64_t hits) {
    window_.push(hits);
    traffic_.push_second(hits);
    if (!warm()) return std::nullopt;
    const double w = static_cast<double>(window_.total());
    const bool above = high_ ? traffic_.still_high(w) : traffic_.rose(w);
    return change(now, above, limit_hits(), limit_hits(), recovery_hits(), normal_hits());
}

std::optional<AlertEvent> AdaptiveRule::on_interval(UnixSeconds, std::uint64_t) {
    // An empty window teaches nothing (a replay skips over such stretches; live, the same).
    if (window_.full() && window_.total() > 0) traffic_.learn(static_cast<double>(window_.total()), high_);
    return std::nullopt;
}

void AdaptiveRule::add_late(std::uint64_t ago, std::uint64_t hits) {
    AlertRule::add_late(ago, hits);
    traffic_.add_late(ago, hits);
}

void AdaptiveRule::age(UnixSeconds from, UnixSeconds to) {
    if (to <= from) return;
    const auto seconds = static_cast<std::uint64_t>(to - from);
    for (std::uint64_t i = 0; i < seconds && i < window_.slots(); ++i) {
        window_.push(0);
        traffic_.push_second(0);
    }
}

AlertState AdaptiveRule::state() const {
    AlertState s = AlertRule::state();
    s.learning = traffic_.normal().learning();
    return s;
}

void AdaptiveRule::restore(const AlertState& saved) {
    if (saved.buckets.size() != window_.slots()) return;
    AlertRule::restore(saved);
    // The newest quarter from the saved window's newest seconds.
    const size_t quarter = static_cast<size_t>(std::max<std::int64_t>(1, settings_.window_s / 4));
    for (size_t i = saved.buckets.size() - std::min(quarter, saved.buckets.size()); i < saved.buckets.size(); ++i) {
        traffic_.push_second(saved.buckets[i]);
    }
    if (saved.learning) traffic_.normal().restore(*saved.learning);
}

}  // namespace hitwatch
