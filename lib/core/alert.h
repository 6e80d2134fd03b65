// SPDX-License-Identifier: Apache-2.0
#pragma once
// Alerts: what every kind shares (the event, its message), and the traffic rules' base.
// Each rule (baseline_rule, absolute_rule, adaptive_rule; the errors, latency and drop
// alerts in kind_alerts) is fed the clock as arguments and never reads one.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/learned_normal.h"
#include "core/timestamp.h"
#include "core/window.h"

namespace hitwatch {

enum class AlertRuleKind { baseline, absolute, adaptive };

std::string_view name_of(AlertRuleKind kind);
std::optional<AlertRuleKind> alert_rule_from_name(std::string_view name);

// What an alert is about: too many requests, a wave of 5xx, slow responses, traffic falling
// away.
enum class AlertKind : std::uint8_t { traffic, errors, latency, drop };
constexpr std::size_t kAlertKinds = 4;
constexpr AlertKind kAllAlertKinds[kAlertKinds] = {AlertKind::traffic, AlertKind::errors, AlertKind::latency, AlertKind::drop};

std::string_view name_of(AlertKind kind);
std::optional<AlertKind> alert_kind_from_name(std::string_view name);

// The kinds that alert (--alert-kinds), one bit each.
class AlertKinds {
public:
    static AlertKinds all() { return AlertKinds((1u << kAlertKinds) - 1); }
    // "traffic,errors,latency,drop": nullopt with `error` naming what is wrong.
    static std::optional<AlertKinds> parse(std::string_view list, std::string& error);
    AlertKinds() = default;
    bool has(AlertKind kind) const { return bits_ & bit(kind); }
    void add(AlertKind kind) { bits_ |= bit(kind); }
    void add(AlertKinds kinds) { bits_ |= kinds.bits_; }
    std::string text() const;  // as parse() reads it
    bool operator==(const AlertKinds&) const = default;

private:
    explicit AlertKinds(unsigned bits) : bits_(bits) {}
    static unsigned bit(AlertKind kind) { return 1u << static_cast<unsigned>(kind); }
    unsigned bits_ = 0;
};

struct AlertSettings {
    AlertRuleKind rule = AlertRuleKind::adaptive;
    std::int64_t window_s = 120;
    std::int64_t interval_s = 10;
    double threshold = 10;    // absolute: requests per second
    double margin = 10;       // baseline: hits above the running mean; adaptive: the least margin
    double sensitivity = 5;   // adaptive: how improbable, in standard deviations of the window
    std::int64_t horizon_s = 3600;  // adaptive: how long it takes to learn a new normal
    double min_change = 0.2;  // adaptive, errors, latency, drop: the least change that alerts
    AlertKinds kinds = AlertKinds::all();
    std::uint64_t errors_min = 10;     // errors: 5xx in the window, at least
    double latency_min_ms = 100;       // latency: the window's p99, at least
    double drop_min = 60;              // drop: armed while the normal window holds this many hits
};

// How the adaptive alerts learn their normal under these settings.
inline NormalSettings learning_of(const AlertSettings& s) { return normal_settings(s.interval_s, s.window_s, s.horizon_s); }

// A section that grew against its normal share of the traffic.
struct SectionGrowth {
    std::string section;
    std::uint64_t hits = 0;  // in the window
    double normal = 0;       // what its share of a normal window would be
};

// A section among the slowest of the interval before a high alert.
struct SlowSection {
    std::string section;
    std::uint64_t hits = 0;  // in that interval
    double p99_ms = 0;       // its 99th percentile response time then
};

struct AlertEvent {
    AlertKind kind = AlertKind::traffic;
    bool high = false;  // raised: high, or low for a drop; false: back to normal
    AlertRuleKind rule = AlertRuleKind::adaptive;  // traffic: its rule; the other kinds: adaptive
    std::uint64_t hits = 0;  // in the window when the rule changed state
    std::int64_t window_s = 0;
    // absolute: the configured requests per second; baseline and adaptive: the limit in hits.
    double threshold = 0;
    double limit_hits = 0;   // the window hits must exceed this to be high
    double normal_hits = 0;  // what the rule expects of the window (absolute: nothing, 0)
    UnixSeconds at = 0;
    std::int64_t duration_s = 0;           // a recovery: how long the alert lasted
    std::vector<SectionGrowth> grew_most;  // the sections behind a high alert
    // A high alert, when the log has response times: the listed sections with the highest
    // p99, slowest first, of the interval in progress (or, for an alert at an interval's
    // end, of the interval just reported).
    std::vector<SlowSection> slowest = {};
    bool ended_by_reload = false;          // a recovery: a reload changed how alerts are computed
    // errors: the window's 5xx and requests, and the shares judged (0 to 1)
    std::uint64_t errors = 0;
    std::uint64_t requests = 0;
    double error_ratio = 0, normal_error_ratio = 0, limit_error_ratio = 0;
    // latency: the window's p99, its normal and the limit, in ms
    double p99_ms = 0, normal_p99_ms = 0, limit_p99_ms = 0;
};

// "high", "low" (a drop) or "recovered".
std::string_view state_name(const AlertEvent& event);

// What became of the alert when a reload changed its settings.
enum class AlertCarry {
    kept,     // same rule, window and interval: the window and what was learned go on
    fresh,    // changed while normal: the new rule starts afresh
    ended,    // changed while HIGH: the alert ended with a recovery, the new rule starts afresh
    carried,  // changed while HIGH: the new rule judged the same window high, the alert goes on
};

// "High traffic generated an alert - hits = {W}, triggered at {time}" and its recovery twin
// (the original tool's words), or the other kinds' lines, then why in parentheses: the
// limit, the rule, what grew.
std::string alert_message(const AlertEvent& event);

// What a restart needs to carry the alert window over.
struct AlertState {
    std::vector<std::uint64_t> buckets;  // oldest first
    std::uint64_t pushed = 0;
    bool high = false;
    std::uint64_t sum = 0;      // baseline: sum of W since the window filled
    std::uint64_t flushes = 0;  // baseline: flushes since the window filled
    UnixSeconds high_since = 0;          // when the alert began, while high
    std::optional<NormalLearning> learning;  // adaptive
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
    // the window moves on over those seconds as over silent ones, without judging or learning;
    // the next second or interval judges the aged window, and a backlog read after a restart
    // fills those seconds (add_late).
    virtual void age(UnixSeconds from, UnixSeconds to) = 0;
    // Hits counted late (a backlog read by its own time) into the bucket `ago` buckets before
    // the newest in the window (0: the newest), if it is still in it, without judging.
    virtual void add_late(std::uint64_t ago, std::uint64_t hits) { window_.add(ago, hits); }
    // The seconds a bucket of the window spans: the interval (baseline) or 1.
    virtual std::int64_t bucket_s() const { return 1; }
    // Whether it judges the window yet (not while it warms up or waits for a full window).
    virtual bool judging() const { return true; }
    // Until it judges: how long it still learns (adaptive, warming up), else 0.
    virtual std::int64_t learning_left_s() const { return 0; }
    // Ends a HIGH alert at `now`, whatever the window: its recovery, for a reload that
    // replaces the rule.
    AlertEvent end_alert(UnixSeconds now);
    // The window holds no hits and the rule is not high: nothing can fire until hits come.
    bool quiet() const { return !high_ && window_.total() == 0; }
    bool high() const { return high_; }
    std::uint64_t window_hits() const { return window_.total(); }
    const HitWindow& window() const { return window_; }
    // What the rule expects of the window now, and the limit above which it is high.
    virtual double normal_hits() const = 0;
    virtual double limit_hits() const = 0;
    virtual AlertState state() const;
    // New threshold or margin, same window.
    virtual void retune(const AlertSettings& settings) { settings_ = settings; }
    // Restores a saved state; ignores one whose window has another number of slots.
    virtual void restore(const AlertState& saved);
    const AlertSettings& settings() const { return settings_; }

protected:
    AlertRule(const AlertSettings& settings, size_t slots) : settings_(settings), window_(slots) {}
    // Moves to high above `up` and back to normal at or below `down`; the event if the state
    // changed.
    std::optional<AlertEvent> judge(UnixSeconds now, double threshold, double up, double down, double normal);
    // The same for a window judged `above` (its limit while normal, its recovery level while
    // high) by the rule itself.
    std::optional<AlertEvent> change(UnixSeconds now, bool above, double threshold, double up, double down, double normal);

    AlertSettings settings_;
    HitWindow window_;
    bool high_ = false;
    UnixSeconds high_since_ = 0;
};

std::unique_ptr<AlertRule> make_alert_rule(const AlertSettings& settings);

}  // namespace hitwatch
