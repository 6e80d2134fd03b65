// SPDX-License-Identifier: Apache-2.0
#pragma once
// The latency alert: the window's p99 response time above its learned normal by more than
// the noise of that estimate (the p99 of a few hundred requests is itself uncertain: the
// order statistics around rank 0.99 n say by how much), at least --alert-min-change above
// it, and above --alert-latency-min-ms. Learned and judged in log units (response times
// stray by factors, not by milliseconds); only for logs with response times, and only for a
// window of at least kMinRequests timed requests, below which a p99 is the maximum.
#include <cmath>
#include <vector>

#include "core/kind_alert.h"

namespace hitwatch {

class LatencyAlert : public KindAlert {
public:
    static constexpr std::uint64_t kMinRequests = 100;
    static constexpr double kPriorLogSd = 0.2;  // a first start's noise, until the horizon is learned

    explicit LatencyAlert(const AlertSettings& settings);

    bool quiet() const override { return total_.count() == 0 && !active_; }
    double p99_ms() const { return total_.percentile_micros(0.99) / 1000; }
    double normal_ms() const { return std::exp(normal_.level()); }
    double limit_ms() const;

protected:
    void push(const SecondCounts& second) override;
    bool measurable() const override { return total_.count() >= kMinRequests; }
    bool raised() const override;
    bool stays() const override;
    void learn() override;
    const LearnedNormal& learned() const override { return normal_; }
    LearnedNormal& learned() override { return normal_; }
    void retuned() override;
    void describe(AlertEvent& event) const override;
    void fill(KindStatus& status) const override;

private:
    // The variance of log p99 from sampling alone: how much a window's order statistics
    // around rank 0.99 n spread, per request, learned (one window's is too coarse: its
    // histogram tells times apart by 10 %), over the window's requests.
    double floor_variance() const;
    double window_spread() const;  // this window's, times its requests
    double band() const;       // in log units
    double wide_band() const;  // the band or the minimum change, in log units
    double log_p99() const { return std::log(std::max(p99_ms(), 1e-3)); }

    std::vector<LatencyHistogram> seconds_;  // one a second of the window, a ring
    size_t next_ = 0;
    LatencyHistogram total_;                 // their sum
    LearnedNormal normal_;                   // of log p99 (ms)
    double spread_ = 3;  // learned window_spread(); 3 for times spread as a lognormal's of sigma 0.5
};

}  // namespace hitwatch
