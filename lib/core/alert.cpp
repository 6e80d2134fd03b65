// SPDX-License-Identifier: Apache-2.0
#include "core/alert.h"

#include <cmath>
#include <cstdio>

#include "core/absolute_rule.h"
#include "core/adaptive_rule.h"
#include "core/baseline_rule.h"

namespace hitwatch {
namespace {

std::string whole(double v) { return std::to_string(static_cast<long long>(std::llround(v))); }

// A share 0..1 as a percentage to one decimal: "12.5 %".
std::string percent(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", share * 100);
    return buf;
}

std::string ms(double v) { return whole(v) + " ms"; }

// "5 min 12 s", "1 h 3 min", "40 s"
std::string lasted(std::int64_t seconds) {
    char buf[48];
    if (seconds >= 3600) {
        std::snprintf(buf, sizeof buf, "%lld h %lld min", static_cast<long long>(seconds / 3600),
                      static_cast<long long>(seconds / 60 % 60));
    } else if (seconds >= 60) {
        std::snprintf(buf, sizeof buf, "%lld min %lld s", static_cast<long long>(seconds / 60),
                      static_cast<long long>(seconds % 60));
    } else {
        std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(seconds));
    }
    return buf;
}

// "limit 2596 = normal 2400 + 196": the limit and the normal it was judged against, in the
// kind's own unit.
std::string limit_text(const AlertEvent& e) {
    switch (e.kind) {
        case AlertKind::errors:
            return "limit " + percent(e.limit_error_ratio) + " = normal " + percent(e.normal_error_ratio) + " + " +
                   percent(e.limit_error_ratio - e.normal_error_ratio);
        case AlertKind::latency:
            return "limit " + ms(e.limit_p99_ms) + " = normal " + ms(e.normal_p99_ms) + " + " +
                   ms(e.limit_p99_ms - e.normal_p99_ms);
        case AlertKind::drop:
            return "limit " + whole(e.limit_hits) + " = normal " + whole(e.normal_hits) + " - " +
                   whole(e.normal_hits - e.limit_hits);
        case AlertKind::traffic: break;
    }
    std::string why = "limit " + whole(e.limit_hits) + " = ";
    if (e.rule == AlertRuleKind::absolute) {
        char rate[32];
        std::snprintf(rate, sizeof rate, "%g", e.threshold);
        return why + rate + "/s over " + std::to_string(e.window_s) + " s";
    }
    return why + "normal " + whole(e.normal_hits) + " + " + whole(e.limit_hits - e.normal_hits);
}

// Why, in a few words: "limit 2596 = normal 2400 + 196; adaptive rule; grew most: /api +180".
std::string explanation(const AlertEvent& e) {
    std::string why = limit_text(e) + "; " + std::string(name_of(e.rule)) + " rule";
    if (!e.grew_most.empty()) {
        why += "; grew most:";
        for (size_t i = 0; i < e.grew_most.size(); ++i) {
            const SectionGrowth& g = e.grew_most[i];
            why += (i ? ", " : " ") + g.section + " +" + whole(static_cast<double>(g.hits) - g.normal);
        }
    }
    if (!e.high && e.duration_s > 0) why += "; after " + lasted(e.duration_s);
    if (e.ended_by_reload) why += "; ended by a reload that changed the rule, window or interval";
    return why;
}

// The line's first part, in the original tool's words for traffic.
std::string headline(const AlertEvent& e) {
    const std::string at = format_iso8601(e.at);
    const std::string hits = std::to_string(e.hits);
    const std::string when = e.high ? ", triggered at " + at : ", recovered at " + at;
    switch (e.kind) {
        case AlertKind::errors: {
            const std::string what = "5xx = " + percent(e.error_ratio) + " of " + std::to_string(e.requests) + " requests";
            return (e.high ? "5xx errors generated an alert - " : "5xx errors back to normal - ") + what + when;
        }
        case AlertKind::latency:
            return (e.high ? "Slow responses generated an alert - p99 = " : "Response times back to normal - p99 = ") +
                   ms(e.p99_ms) + when;
        case AlertKind::drop:
            return (e.high ? "Low traffic generated an alert - hits = " : "Traffic back up to normal - hits = ") + hits + when;
        case AlertKind::traffic: break;
    }
    return (e.high ? "High traffic generated an alert - hits = " : "Traffic back to normal - hits = ") + hits + when;
}

}  // namespace

std::string_view name_of(AlertRuleKind kind) {
    switch (kind) {
        case AlertRuleKind::baseline: return "baseline";
        case AlertRuleKind::absolute: return "absolute";
        case AlertRuleKind::adaptive: return "adaptive";
    }
    return "?";
}

std::optional<AlertRuleKind> alert_rule_from_name(std::string_view name) {
    for (const auto kind : {AlertRuleKind::baseline, AlertRuleKind::absolute, AlertRuleKind::adaptive}) {
        if (name == name_of(kind)) return kind;
    }
    return std::nullopt;
}

std::string_view name_of(AlertKind kind) {
    switch (kind) {
        case AlertKind::traffic: return "traffic";
        case AlertKind::errors: return "errors";
        case AlertKind::latency: return "latency";
        case AlertKind::drop: return "drop";
    }
    return "?";
}

std::optional<AlertKind> alert_kind_from_name(std::string_view name) {
    for (const AlertKind kind : kAllAlertKinds) {
        if (name == name_of(kind)) return kind;
    }
    return std::nullopt;
}

std::optional<AlertKinds> AlertKinds::parse(std::string_view list, std::string& error) {
    AlertKinds kinds;
    while (!list.empty()) {
        const size_t comma = list.find(',');
        std::string_view word = list.substr(0, comma);
        while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
        while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
        if (word == "none" && kinds == AlertKinds() && comma == std::string_view::npos) return kinds;
        const auto kind = alert_kind_from_name(word);
        if (!kind) {
            error = "must be kinds from traffic, errors, latency, drop separated by commas (or none), not \"" +
                    std::string(word) + "\"";
            return std::nullopt;
        }
        kinds.add(*kind);
        list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
    }
    return kinds;
}

std::string AlertKinds::text() const {
    std::string out;
    for (const AlertKind kind : kAllAlertKinds) {
        if (!has(kind)) continue;
        if (!out.empty()) out += ',';
        out += name_of(kind);
    }
    return out.empty() ? "none" : out;
}

std::string_view state_name(const AlertEvent& event) {
    if (!event.high) return "recovered";
    return event.kind == AlertKind::drop ? "low" : "high";
}

std::string alert_message(const AlertEvent& event) { return headline(event) + " (" + explanation(event) + ")"; }

std::optional<AlertEvent> AlertRule::judge(UnixSeconds now, double threshold, double up, double down, double normal) {
    const double w = static_cast<double>(window_.total());
    return change(now, high_ ? w > down : w > up, threshold, up, down, normal);
}

std::optional<AlertEvent> AlertRule::change(UnixSeconds now, bool above, double threshold, double up, double down,
                                            double normal) {
    if (above == high_) return std::nullopt;
    high_ = above;
    AlertEvent e;
    e.high = above;
    e.rule = settings_.rule;
    e.hits = window_.total();
    e.window_s = settings_.window_s;
    e.threshold = threshold;
    e.limit_hits = up;
    e.normal_hits = normal;
    e.at = now;
    if (above) {
        high_since_ = now;
    } else {
        e.duration_s = high_since_ > 0 ? now - high_since_ : 0;
        e.limit_hits = down;  // what it came back under
    }
    return e;
}

AlertEvent AlertRule::end_alert(UnixSeconds now) {
    AlertEvent e;
    e.rule = settings_.rule;
    e.hits = window_.total();
    e.window_s = settings_.window_s;
    e.threshold = settings_.rule == AlertRuleKind::absolute ? settings_.threshold : limit_hits();
    e.limit_hits = limit_hits();
    e.normal_hits = normal_hits();
    e.at = now;
    e.duration_s = high_since_ > 0 ? now - high_since_ : 0;
    e.ended_by_reload = true;
    high_ = false;
    high_since_ = 0;
    return e;
}

AlertState AlertRule::state() const {
    AlertState s;
    s.buckets = window_.buckets();
    s.pushed = window_.pushed();
    s.high = high_;
    s.high_since = high_ ? high_since_ : 0;
    return s;
}

void AlertRule::restore(const AlertState& saved) {
    if (saved.buckets.size() != window_.slots()) return;
    window_.restore(saved.buckets, saved.pushed);
    high_ = saved.high;
    high_since_ = saved.high ? saved.high_since : 0;
}

std::unique_ptr<AlertRule> make_alert_rule(const AlertSettings& settings) {
    switch (settings.rule) {
        case AlertRuleKind::baseline: return std::make_unique<BaselineRule>(settings);
        case AlertRuleKind::absolute: return std::make_unique<AbsoluteRule>(settings);
        case AlertRuleKind::adaptive: return std::make_unique<AdaptiveRule>(settings);
    }
    return std::make_unique<AdaptiveRule>(settings);
}

}  // namespace hitwatch
