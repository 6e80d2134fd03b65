#include "core/monitor.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace hitwatch {

namespace {

SectionTrends trends_for(const AlertSettings& a) {
    const double alpha = 1 - std::pow(0.05, static_cast<double>(a.interval_s) / static_cast<double>(std::max(a.horizon_s, a.interval_s)));
    return SectionTrends(static_cast<size_t>(a.window_s / a.interval_s), alpha);
}

}  // namespace

Monitor::Monitor(const MonitorSettings& settings, EventSink& sink)
    : settings_(settings),
      sink_(sink),
      rule_(make_alert_rule(settings.alert)),
      counts_(settings.max_sections),
      trends_(trends_for(settings.alert)) {}

void Monitor::emit(std::optional<AlertEvent> event) {
    if (!event) return;
    if (event->high) event->grew_most = trends_.grew_most(counts_.top_sections(settings_.top), 3);
    sink_.on_alert(*event);
    alert_changed_ = true;
}

void Monitor::move_clock(UnixSeconds now) {
    if (!started_) {
        started_ = true;
        second_ = now;
        interval_start_ = align_down(now, settings_.alert.interval_s);
        return;
    }
    while (second_ < now) {
        if (settings_.skip_quiet_gaps) skip_quiet_intervals(now);
        if (second_ < now) step_one_second();
    }
}

void Monitor::step_one_second() {
    ++second_;
    // Intervals end at multiples of their length since the epoch, wherever one began.
    const bool interval_ends = align_down(second_, settings_.alert.interval_s) == second_;
    // The rules judge first, so the report carries the window as of its own end; the
    // report still comes out before the alerts of the same second.
    const auto by_second = rule_->on_second(second_, second_hits_);
    second_hits_ = 0;
    if (interval_ends) {
        const auto by_interval = rule_->on_interval(second_, counts_.hits() + std::exchange(carried_hits_, 0));
        if (by_interval || by_second) alert_changed_ = true;  // its alert follows the report
        std::vector<SectionHits> busiest = counts_.top_sections(settings_.top);
        trends_.on_interval(busiest);
        if (worth_reporting()) emit_report(second_, false, std::move(busiest));
        counts_.reset();
        alert_changed_ = false;
        interval_start_ = second_;
        emit(by_interval);
        emit(by_second);
        alert_changed_ = false;  // those belong to the interval just reported
        return;
    }
    emit(by_second);
}

void Monitor::skip_quiet_intervals(UnixSeconds now) {
    const std::int64_t length = settings_.alert.interval_s;
    if (second_ != interval_start_ || !counts_.empty() || !rule_->quiet()) return;
    const UnixSeconds target = align_down(now, length);
    if (target <= second_) return;
    rule_->skip_quiet_intervals(static_cast<std::uint64_t>((target - second_) / length));
    second_ = interval_start_ = target;
}

void Monitor::jump_to(UnixSeconds now) {
    if (!started_ || now == second_) return advance_to(now);
    // The second in progress is a real one for the per-second rule; the interval in progress
    // ends with it, as a partial report.
    const auto by_second = rule_->on_second(second_ + 1, second_hits_);
    second_hits_ = 0;
    carried_hits_ += counts_.hits();
    emit_report(second_ + 1, true);
    counts_.reset();
    emit(by_second);
    alert_changed_ = false;
    second_ = interval_start_ = now;
}

bool Monitor::restore_alert(const SavedAlert& saved) {
    const AlertSettings& a = settings_.alert;
    if (saved.rule != a.rule || saved.window_s != a.window_s || saved.interval_s != a.interval_s ||
        saved.state.buckets.size() != rule_->window().slots()) {
        return false;
    }
    rule_->restore(saved.state);
    rule_->age(saved.saved_at, second_);
    return true;
}

SavedAlert Monitor::save_alert() const {
    const AlertSettings& a = settings_.alert;
    return {a.rule, a.window_s, a.interval_s, second_, rule_->state()};
}

void Monitor::flush_partial() {
    if (started_ && worth_reporting()) {
        emit_report(align_down(interval_start_, settings_.alert.interval_s) + settings_.alert.interval_s, true);
    }
}

bool Monitor::reconfigure(const MonitorSettings& settings) {
    const AlertSettings& old = settings_.alert;
    const bool same_window = settings.alert.rule == old.rule && settings.alert.window_s == old.window_s &&
                             settings.alert.interval_s == old.interval_s;
    if (started_ && settings.alert.interval_s != old.interval_s && second_ != interval_start_) {
        // The interval in progress ends now, as a partial report; the next ends at the next
        // multiple of the new length.
        emit_report(second_, true);
        counts_.reset();
        interval_start_ = second_;
    }
    counts_.set_max_sections(settings.max_sections);
    settings_ = settings;
    if (same_window) {
        rule_->retune(settings.alert);
    } else {
        rule_ = make_alert_rule(settings.alert);
        trends_ = trends_for(settings.alert);
    }
    return same_window;
}

void Monitor::emit_report(UnixSeconds end, bool partial, std::optional<std::vector<SectionHits>> busiest) {
    total_hits_ += counts_.hits();
    Report report;
    report.interval_start = interval_start_;
    report.interval_end = end;
    report.partial = partial;
    report.hits = counts_.hits();
    report.bytes = counts_.bytes();
    report.invalid = counts_.invalid();
    report.sections = busiest ? std::move(*busiest) : counts_.top_sections(settings_.top);
    report.sections_truncated = counts_.truncated();
    report.status_classes = counts_.status_classes();
    report.total_hits = total_hits_;
    report.alert_window_hits = rule_->window_hits();
    report.alert_high = rule_->high();
    sink_.on_report(report);
}

}  // namespace hitwatch
