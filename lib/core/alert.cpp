#include "core/alert.h"

#include <cmath>
#include <cstdio>

#include "core/absolute_rule.h"
#include "core/adaptive_rule.h"
#include "core/baseline_rule.h"

namespace hitwatch {
namespace {

std::string whole(double v) { return std::to_string(static_cast<long long>(std::llround(v))); }

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

// Why, in a few words: "limit 2596 = normal 2400 + 196; adaptive rule; grew most: /api +180".
std::string explanation(const AlertEvent& e) {
    std::string why = "limit " + whole(e.limit_hits) + " = ";
    if (e.rule == AlertRuleKind::absolute) {
        char rate[32];
        std::snprintf(rate, sizeof rate, "%g", e.threshold);
        why += std::string(rate) + "/s over " + std::to_string(e.window_s) + " s";
    } else {
        why += "normal " + whole(e.normal_hits) + " + " + whole(e.limit_hits - e.normal_hits);
    }
    why += "; " + std::string(name_of(e.rule)) + " rule";
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

std::string alert_message(const AlertEvent& event) {
    const std::string hits = std::to_string(event.hits);
    const std::string at = format_iso8601(event.at);
    return (event.high ? "High traffic generated an alert - hits = " + hits + ", triggered at " + at
                       : "Traffic back to normal - hits = " + hits + ", recovered at " + at) +
           " (" + explanation(event) + ")";
}

std::optional<AlertEvent> AlertRule::judge(UnixSeconds now, double threshold, double up, double down, double normal) {
    const std::uint64_t hits = window_.total();
    const double w = static_cast<double>(hits);
    const bool above = high_ ? w > down : w > up;
    if (above == high_) return std::nullopt;
    high_ = above;
    AlertEvent e{above, settings_.rule, hits, settings_.window_s, threshold, up, normal, now, 0, {}};
    if (above) {
        high_since_ = now;
    } else {
        e.duration_s = high_since_ > 0 ? now - high_since_ : 0;
        e.limit_hits = down;  // what it came back under
    }
    return e;
}

AlertEvent AlertRule::end_alert(UnixSeconds now) {
    const double threshold = settings_.rule == AlertRuleKind::absolute ? settings_.threshold : limit_hits();
    AlertEvent e{false, settings_.rule, window_.total(), settings_.window_s, threshold, limit_hits(), normal_hits(), now,
                 high_since_ > 0 ? now - high_since_ : 0, {}};
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
