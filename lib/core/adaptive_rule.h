// SPDX-License-Identifier: Apache-2.0
#pragma once
// The default traffic rule: it learns the normal level of the window and how far real
// traffic strays from it (core/traffic_normal.h, core/learned_normal.h), and alerts when
// the window is improbably high for traffic at that level and at least --alert-min-change
// above it. It judges every second and learns every interval; it does not alert while
// warming up (its first five windows after a first start), and a burst does not teach it.
// bench/alerts scores it on synthetic scenarios and on real traffic.
#include "core/alert.h"
#include "core/traffic_normal.h"

namespace hitwatch {

class AdaptiveRule : public AlertRule {
public:
    static constexpr int kWarmUpWindows = LearnedNormal::kWarmUpWindows;

    explicit AdaptiveRule(const AlertSettings& settings);
    std::optional<AlertEvent> on_second(UnixSeconds now, std::uint64_t hits) override;
    std::optional<AlertEvent> on_interval(UnixSeconds now, std::uint64_t hits) override;
    void skip_quiet_intervals(std::uint64_t) override {}  // an empty window teaches nothing
    void age(UnixSeconds from, UnixSeconds to) override;
    void add_late(std::uint64_t ago, std::uint64_t hits) override;
    double normal_hits() const override { return traffic_.level(); }
    double limit_hits() const override { return traffic_.level() + traffic_.band(); }
    double recovery_hits() const { return traffic_.recovery_high(); }
    // The standard deviation of the window at its normal level.
    double noise() const { return traffic_.noise(); }
    bool warm() const { return traffic_.normal().warm(); }
    bool judging() const override { return warm(); }
    std::int64_t learning_left_s() const override;
    const TrafficNormal& traffic() const { return traffic_; }
    AlertState state() const override;
    void restore(const AlertState& saved) override;
    void retune(const AlertSettings& settings) override;

private:
    TrafficNormal traffic_;
};

// How the traffic's normal is learned under these settings (the adaptive rule's, the drop
// alert's, the sections').
NormalSettings traffic_learning(const AlertSettings& settings);
TrafficBandSettings traffic_band(const AlertSettings& settings);

}  // namespace hitwatch
