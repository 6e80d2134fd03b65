// SPDX-License-Identifier: Apache-2.0
#pragma once
// The old tool's rule, kept exactly: the window is the last window/interval interval totals;
// once it is full, each flush compares its hits W with the mean M of W over the earlier
// flushes since it filled: high when W > M + margin, back to normal when W <= M + margin.
#include "core/alert.h"

namespace hitwatch {

class BaselineRule : public AlertRule {
public:
    explicit BaselineRule(const AlertSettings& settings);
    std::optional<AlertEvent> on_second(UnixSeconds, std::uint64_t) override { return {}; }
    std::optional<AlertEvent> on_interval(UnixSeconds now, std::uint64_t hits) override;
    void skip_quiet_intervals(std::uint64_t intervals) override;
    void age(UnixSeconds from, UnixSeconds to) override;
    std::int64_t bucket_s() const override { return settings_.interval_s; }
    bool judging() const override { return window_.full() && flushes_ > 0; }
    double normal_hits() const override { return mean(); }
    double limit_hits() const override { return mean() + settings_.margin; }
    double mean() const { return flushes_ ? static_cast<double>(sum_) / static_cast<double>(flushes_) : 0; }
    AlertState state() const override;
    void restore(const AlertState& saved) override;

private:
    std::uint64_t sum_ = 0;      // of W over flushes since the window first filled
    std::uint64_t flushes_ = 0;  // since the window first filled
};

}  // namespace hitwatch
