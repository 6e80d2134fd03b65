// SPDX-License-Identifier: Apache-2.0
#pragma once
// A fixed rate: high when the last window_s one-second buckets hold more than
// threshold * window_s hits, back to normal at or below. Evaluated every second.
#include "core/alert.h"

namespace hitwatch {

class AbsoluteRule : public AlertRule {
public:
    explicit AbsoluteRule(const AlertSettings& settings);
    std::optional<AlertEvent> on_second(UnixSeconds now, std::uint64_t hits) override;
    std::optional<AlertEvent> on_interval(UnixSeconds, std::uint64_t) override { return {}; }
    void skip_quiet_intervals(std::uint64_t) override {}  // zeros into an all-zero window
    void age(UnixSeconds from, UnixSeconds to) override;
    double normal_hits() const override { return 0; }
    double limit_hits() const override { return settings_.threshold * static_cast<double>(settings_.window_s); }
};

}  // namespace hitwatch
