#include "core/alert.h"

namespace hitwatch {

std::string_view name_of(AlertRuleKind kind) {
    return kind == AlertRuleKind::baseline ? "baseline" : "absolute";
}

std::optional<AlertRuleKind> alert_rule_from_name(std::string_view name) {
    if (name == "baseline") return AlertRuleKind::baseline;
    if (name == "absolute") return AlertRuleKind::absolute;
    return std::nullopt;
}

std::string alert_message(const AlertEvent& event) {
    const std::string hits = std::to_string(event.hits);
    const std::string at = format_iso8601(event.at);
    return event.high ? "High traffic generated an alert - hits = " + hits + ", triggered at " + at
                      : "Traffic back to normal - hits = " + hits + ", recovered at " + at;
}

std::optional<AlertEvent> AlertRule::judge(UnixSeconds now, double threshold, double limit) {
    const std::uint64_t hits = window_.total();
    const bool above = static_cast<double>(hits) > limit;
    if (above == high_) return std::nullopt;
    high_ = above;
    return AlertEvent{above, settings_.rule, hits, settings_.window_s, threshold, limit, now};
}

void AlertRule::restore(const AlertState& saved) {
    if (saved.buckets.size() != window_.slots()) return;
    window_.restore(saved.buckets, saved.pushed);
    high_ = saved.high;
}

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

BaselineRule::BaselineRule(const AlertSettings& settings)
    : AlertRule(settings, static_cast<size_t>(settings.window_s / settings.interval_s)) {}

std::optional<AlertEvent> BaselineRule::on_interval(UnixSeconds now, std::uint64_t hits) {
    window_.push(hits);
    if (!window_.full()) return std::nullopt;
    std::optional<AlertEvent> event;
    if (flushes_ > 0) {
        const double limit = mean() + settings_.margin;
        event = judge(now, limit, limit);
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

void AbsoluteRule::age(UnixSeconds from, UnixSeconds to) {
    if (to <= from) return;
    const auto seconds = static_cast<std::uint64_t>(to - from);
    for (std::uint64_t i = 0; i < seconds && i < window_.slots(); ++i) window_.push(0);
}

AbsoluteRule::AbsoluteRule(const AlertSettings& settings)
    : AlertRule(settings, static_cast<size_t>(settings.window_s)) {}

std::optional<AlertEvent> AbsoluteRule::on_second(UnixSeconds now, std::uint64_t hits) {
    window_.push(hits);
    return judge(now, settings_.threshold, settings_.threshold * static_cast<double>(settings_.window_s));
}

std::unique_ptr<AlertRule> make_alert_rule(const AlertSettings& settings) {
    if (settings.rule == AlertRuleKind::absolute) return std::make_unique<AbsoluteRule>(settings);
    return std::make_unique<BaselineRule>(settings);
}

}  // namespace hitwatch
