#pragma once
// The default rule: it learns the normal level of the window and alerts when the window is
// improbably high for traffic at that level.
//
// Every interval it learns from the window W and the interval's own count c:
//   the level L of W, by exponential smoothing that takes in 95 % of a new normal within
//   --alert-horizon, plus a trend (Holt's), so a daily rise does not lag behind;
//   the dispersion D of the interval counts, from their successive differences (slow trends
//   cancel out): D = E[(c - c_prev)^2] / 2 / E[c], never below 1 (Poisson traffic).
// Every second it judges W against
//   limit    = L + max(margin, k * sd)        high above it
//   recovery = L + max(margin, 0.6 * k * sd)  back to normal at or below it (hysteresis)
// where sd = sqrt(D * L), the noise of a window of request counts at that level, and k is
// --alert-sensitivity (standard deviations). It does not alert while warming up (its first
// five windows). While the window is anomalous (high, or above the limit) the level keeps
// learning, so a lasting change becomes the new normal within the horizon, but the trend and
// the dispersion do not: a burst neither steers the trend nor widens the noise it is judged
// against. The dispersion learns from differences clipped at 3 standard deviations, so a slow
// surge cannot hide itself by widening it. bench/alerts scores it on synthetic traffic.
#include "core/alert.h"

namespace hitwatch {

class AdaptiveRule : public AlertRule {
public:
    static constexpr int kWarmUpWindows = 5;
    static constexpr double kRecoveryShare = 0.6;

    explicit AdaptiveRule(const AlertSettings& settings);
    std::optional<AlertEvent> on_second(UnixSeconds now, std::uint64_t hits) override;
    std::optional<AlertEvent> on_interval(UnixSeconds now, std::uint64_t hits) override;
    void skip_quiet_intervals(std::uint64_t intervals) override;
    void age(UnixSeconds from, UnixSeconds to) override;
    double normal_hits() const override { return learning_.level; }
    double limit_hits() const override;
    double recovery_hits() const;
    // The standard deviation of the window at its normal level.
    double noise() const;
    bool warm() const;
    bool judging() const override { return warm(); }
    const AdaptiveLearning& learning() const { return learning_; }
    AlertState state() const override;
    void restore(const AlertState& saved) override;
    void retune(const AlertSettings& settings) override;

private:
    void learn(double window, double count);

    double alpha_;  // per interval
    AdaptiveLearning learning_;
};

}  // namespace hitwatch
