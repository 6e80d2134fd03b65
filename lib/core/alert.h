#pragma once
// The two alert rules. Both are fed the clock as arguments and never read one.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.h"
#include "core/window.h"

namespace hitwatch {

enum class AlertRuleKind { baseline, absolute };

std::string_view name_of(AlertRuleKind kind);
std::optional<AlertRuleKind> alert_rule_from_name(std::string_view name);

struct AlertSettings {
    AlertRuleKind rule = AlertRuleKind::baseline;
    std::int64_t window_s = 120;
    std::int64_t interval_s = 10;
    double threshold = 10;  // absolute: requests per second
    double margin = 10;     // baseline: hits above the running mean
};

struct AlertEvent {
    bool high = false;  // false: back to normal
    AlertRuleKind rule = AlertRuleKind::baseline;
    std::uint64_t hits = 0;  // in the window when the rule changed state
    std::int64_t window_s = 0;
    // absolute: the configured requests per second; baseline: mean + margin, in hits.
    double threshold = 0;
    double limit_hits = 0;  // the window hits must exceed this to be high
    UnixSeconds at = 0;
};

// "High traffic generated an alert - hits = {W}, triggered at {time}" and its recovery twin.
std::string alert_message(const AlertEvent& event);

// What a restart needs to carry the alert window over.
struct AlertState {
    std::vector<std::uint64_t> buckets;  // oldest first
    std::uint64_t pushed = 0;
    bool high = false;
    std::uint64_t sum = 0;      // baseline: sum of W since the window filled
    std::uint64_t flushes = 0;  // baseline: flushes since the window filled
};

// The alert state a restart carries over, with what it was computed under; the state file
// serializes it.
struct SavedAlert {
    AlertRuleKind rule = AlertRuleKind::baseline;
    std::int64_t window_s = 0;
    std::int64_t interval_s = 0;
    UnixSeconds saved_at = 0;
    AlertState state;
};

class AlertRule {
public:
    virtual ~AlertRule() = default;
    // The second that ends at `now` is complete and held `hits`.
    virtual std::optional<AlertEvent> on_second(UnixSeconds now, std::uint64_t hits) = 0;
    // The interval that ends at `now` is complete and held `hits`.
    virtual std::optional<AlertEvent> on_interval(UnixSeconds now, std::uint64_t hits) = 0;
    // `intervals` intervals with no hits at all went by (replay skipping a quiet gap).
    // Only called when quiet().
    virtual void skip_quiet_intervals(std::uint64_t intervals) = 0;
    // The clock moved from `from` to `to` while nothing was counted (the daemon was stopped):
    // the window moves on over those seconds as over silent ones, without judging; the next
    // second or interval judges the aged window. A later rule may fill them from a backlog.
    virtual void age(UnixSeconds from, UnixSeconds to) = 0;
    // The window holds no hits and the rule is not high: nothing can fire until hits come.
    bool quiet() const { return !high_ && window_.total() == 0; }
    bool high() const { return high_; }
    std::uint64_t window_hits() const { return window_.total(); }
    const HitWindow& window() const { return window_; }
    virtual AlertState state() const { return {window_.buckets(), window_.pushed(), high_, 0, 0}; }
    // New threshold or margin, same window.
    void retune(const AlertSettings& settings) { settings_ = settings; }
    // Restores a saved state; ignores one whose window has another number of slots.
    virtual void restore(const AlertState& saved);

protected:
    AlertRule(const AlertSettings& settings, size_t slots) : settings_(settings), window_(slots) {}
    // Moves to high or back to normal when `limit` says so; the event if the state changed.
    std::optional<AlertEvent> judge(UnixSeconds now, double threshold, double limit);

    AlertSettings settings_;
    HitWindow window_;
    bool high_ = false;
};

// The old tool's rule: the window is the last window/interval interval totals; once it is
// full, each flush compares its hits W with the mean M of W over the earlier flushes since
// it filled: high when W > M + margin.
class BaselineRule : public AlertRule {
public:
    explicit BaselineRule(const AlertSettings& settings);
    std::optional<AlertEvent> on_second(UnixSeconds, std::uint64_t) override { return {}; }
    std::optional<AlertEvent> on_interval(UnixSeconds now, std::uint64_t hits) override;
    void skip_quiet_intervals(std::uint64_t intervals) override;
    void age(UnixSeconds from, UnixSeconds to) override;
    double mean() const { return flushes_ ? static_cast<double>(sum_) / flushes_ : 0; }
    AlertState state() const override;
    void restore(const AlertState& saved) override;

private:
    std::uint64_t sum_ = 0;      // of W over flushes since the window first filled
    std::uint64_t flushes_ = 0;  // since the window first filled
};

// A fixed rate: high when the last window_s one-second buckets hold more than
// threshold * window_s hits. Evaluated every second.
class AbsoluteRule : public AlertRule {
public:
    explicit AbsoluteRule(const AlertSettings& settings);
    std::optional<AlertEvent> on_second(UnixSeconds now, std::uint64_t hits) override;
    std::optional<AlertEvent> on_interval(UnixSeconds, std::uint64_t) override { return {}; }
    void skip_quiet_intervals(std::uint64_t) override {}  // zeros into an all-zero window
    void age(UnixSeconds from, UnixSeconds to) override;
};

std::unique_ptr<AlertRule> make_alert_rule(const AlertSettings& settings);

}  // namespace hitwatch
