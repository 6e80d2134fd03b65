// SPDX-License-Identifier: Apache-2.0
#include "core/baseline_rule.h"

namespace hitwatch {

BaselineRule::BaselineRule(const AlertSettings& settings)
    : AlertRule(settings, static_cast<size_t>(settings.window_s / settings.interval_s)) {}

AlertState BaselineRule::state() const {
    AlertState s = AlertRule::state();
    s.sum = sum_;
    s.flushes = flushes_;
    return s;
}

void BaselineRule::restore(const AlertState& saved) {
    if (saved.buckets.size() != window_.slots()) return;
    AlertRule::restore(saved);
    sum_ = saved.sum;
    flushes_ = saved.flushes;
}

std::optional<AlertEvent> BaselineRule::on_interval(UnixSeconds now, std::uint64_t hits) {
    window_.push(hits);
    if (!window_.full()) return std::nullopt;
    std::optional<AlertEvent> event;
    if (flushes_ > 0) {
        const double limit = mean() + settings_.margin;
        event = judge(now, limit, limit, limit, mean());
    }
    sum_ += window_.total();
    ++flushes_;
    return event;
}

void BaselineRule::skip_quiet_intervals(std::uint64_t intervals) {
    // Until the window fills, each empty interval changes what "full" means; after, each adds
    // a W of 0 to the mean.
    for (; intervals > 0 && !window_.full(); --intervals) on_interval(0, 0);
    flushes_ += intervals;
}

void BaselineRule::age(UnixSeconds from, UnixSeconds to) {
    const std::int64_t length = settings_.interval_s;
    if (to <= from) return;
    // Each interval that ended while stopped enters the window with no hits, and once the
    // window is full its W counts in the mean, as any flush's does.
    std::uint64_t intervals = static_cast<std::uint64_t>((align_down(to, length) - align_down(from, length)) / length);
    for (; intervals > 0 && window_.total() > 0; --intervals) {
        window_.push(0);
        if (window_.full()) {
            sum_ += window_.total();
            ++flushes_;
        }
    }
    skip_quiet_intervals(intervals);  // the rest: an empty window moving on
}

}  // namespace hitwatch
