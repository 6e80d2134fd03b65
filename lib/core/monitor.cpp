// SPDX-License-Identifier: Apache-2.0
#include "core/monitor.h"

#include "core/adaptive_rule.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace hitwatch {

namespace {

SectionTrends trends_for(const AlertSettings& a) {
    return SectionTrends(static_cast<size_t>(a.window_s / a.interval_s), traffic_learning(a));
}

// What an interval counted, into its report (a new one: its codes are zeros).
void fill_counts(Report& report, const IntervalCounts& counts) {
    report.hits = counts.hits();
    report.bytes = counts.bytes();
    report.invalid = counts.invalid();
    report.sections_truncated = counts.truncated();
    report.status_classes = counts.status_classes();
    // The codes with hits, not all 900 (7.2 KB a report: 5 % of a sparse log's replay).
    std::copy_n(counts.codes().begin(), codes_end(counts.codes(), counts.hits()), report.codes.begin());
    if (!counts.latency().empty()) report.latency = counts.latency().summary();
}

// The `n` sections of `listed` with the highest p99 response time (those with times).
std::vector<SlowSection> slowest_of(const std::vector<SectionHits>& listed, size_t n) {
    std::vector<SlowSection> slow;
    for (const SectionHits& s : listed) {
        if (s.latency && s.section != IntervalCounts::kOtherSection) slow.push_back({std::string(s.section), s.hits, s.latency->p99_ms});
    }
    std::stable_sort(slow.begin(), slow.end(), [](const SlowSection& a, const SlowSection& b) { return a.p99_ms > b.p99_ms; });
    if (slow.size() > n) slow.resize(n);
    return slow;
}

}  // namespace

Monitor::Monitor(const MonitorSettings& settings, EventSink& sink)
    : settings_(settings),
      sink_(sink),
      rule_(make_alert_rule(settings.alert)),
      errors_(settings.alert),
      latency_(settings.alert),
      drop_(settings.alert),
      counts_(settings.max_sections),
      run_(settings.max_sections, settings.report_from, settings.report_until),
      trends_(trends_for(settings.alert)) {}

void Monitor::emit(std::optional<AlertEvent> event) {
    if (!event) return;
    if (event->high && event->kind == AlertKind::traffic) {
        const std::vector<SectionHits> busiest = counts_.top_sections(settings_.top);
        const double into = static_cast<double>(second_ - interval_start_) / static_cast<double>(settings_.alert.interval_s);
        event->grew_most = trends_.grew_most(busiest, into, drop_.traffic().level(), 3);
        // The interval in progress, unless the alert comes as it begins (at an interval's
        // end, judged on the interval just reported).
        event->slowest = slowest_of(busiest, 3);
        if (event->slowest.empty()) event->slowest = slowest_;
    }
    run_.add(*event);
    if (!reported(event->at)) return;
    sink_.on_alert(*event);
    alert_changed_ = true;
}

void Monitor::move_clock(UnixSeconds now) {
    if (!started_) {
        started_ = true;
        second_ = first_second_ = now;
        interval_start_ = run_start_ = align_down(now, settings_.alert.interval_s);
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
    const std::array<std::optional<AlertEvent>, 3> by_kind = judge_kinds();
    second_hits_ = 0;
    if (!ahead_seconds_.empty() && ahead_seconds_.begin()->first == second_) {
        second_hits_ = ahead_seconds_.begin()->second;
        ahead_seconds_.erase(ahead_seconds_.begin());
    }
    if (interval_ends) {
        const std::uint64_t hits = counts_.hits() - std::exchange(late_hits_, 0) + std::exchange(carried_hits_, 0);
        const auto by_interval = rule_->on_interval(second_, hits);
        for (KindAlert* kind : kinds()) kind->on_interval();
        const bool changed = by_interval || by_second || std::any_of(by_kind.begin(), by_kind.end(), [](const auto& e) { return e.has_value(); });
        if (changed) alert_changed_ = true;  // its alerts follow the report
        std::vector<SectionHits> busiest = counts_.top_sections(settings_.top);
        trends_.on_interval(busiest, counts_.hits(), rule_->high() || drop_.active());
        slowest_ = slowest_of(busiest, 3);
        if (worth_reporting()) emit_report(second_, false, std::move(busiest));
        counts_.reset();
        alert_changed_ = false;
        interval_start_ = second_;
        if (!ahead_intervals_.empty() && ahead_intervals_.begin()->first == second_) {
            counts_.merge(ahead_intervals_.begin()->second);
            ahead_intervals_.erase(ahead_intervals_.begin());
        }
        emit(by_interval);
        emit(by_second);
        for (const auto& event : by_kind) emit(event);
        alert_changed_ = false;  // those belong to the interval just reported
        return;
    }
    emit(by_second);
    for (const auto& event : by_kind) emit(event);
}

std::array<std::optional<AlertEvent>, 3> Monitor::judge_kinds() {
    const SecondCounts second{second_hits_, second_errors_, &second_latency_};
    // Each made in place by its kind: an array of empty optionals first is 576 bytes zeroed a
    // second of log time (GCC clears a union's whole storage), 6 % of a sparse log's replay.
    static_assert(std::tuple_size_v<decltype(kinds())> == 3);
    std::array<std::optional<AlertEvent>, 3> events{errors_.on_second(second_, second),
                                                    latency_.on_second(second_, second),
                                                    drop_.on_second(second_, second)};
    second_errors_ = 0;
    second_latency_.clear();
    return events;
}

AlertKinds Monitor::alerts_on() const {
    AlertKinds on;
    if (rule_->high()) on.add(AlertKind::traffic);
    for (const KindAlert* kind : kinds()) {
        if (kind->active()) on.add(kind->kind());
    }
    return on;
}

bool Monitor::kinds_quiet() const {
    const auto all = kinds();
    return std::all_of(all.begin(), all.end(), [](const KindAlert* kind) { return kind->quiet(); });
}

void Monitor::window_incomplete() {
    for (KindAlert* kind : kinds()) kind->discontinuity();
}

std::vector<KindStatus> Monitor::kind_statuses() const {
    std::vector<KindStatus> statuses;
    for (const KindAlert* kind : kinds()) statuses.push_back(kind->status());
    return statuses;
}

void Monitor::skip_quiet_intervals(UnixSeconds now) {
    const std::int64_t length = settings_.alert.interval_s;
    if (second_ != interval_start_ || !counts_.empty() || !rule_->quiet() || !kinds_quiet()) return;
    const UnixSeconds target = align_down(now, length);
    if (target <= second_) return;
    rule_->skip_quiet_intervals(static_cast<std::uint64_t>((target - second_) / length));
    for (KindAlert* kind : kinds()) kind->skip_seconds(static_cast<std::uint64_t>(target - second_));
    second_ = interval_start_ = target;
}

void Monitor::jump_to(UnixSeconds now) {
    if (!started_ || now == second_) return advance_to(now);
    // The second in progress is a real one for the per-second rule; the interval in progress
    // ends with it, as a partial report.
    const auto by_second = rule_->on_second(second_ + 1, second_hits_);
    second_hits_ = second_errors_ = 0;
    second_latency_.clear();
    carried_hits_ += counts_.hits() - std::exchange(late_hits_, 0);
    emit_report(second_ + 1, true);
    counts_.reset();
    emit(by_second);
    alert_changed_ = false;
    second_ = interval_start_ = now;
    absorb_ahead();
    window_incomplete();  // the kinds' windows do not span the jump
}

bool Monitor::restore_alert(const SavedAlert& saved) {
    const AlertSettings& a = settings_.alert;
    if (saved.window_s != a.window_s || saved.interval_s != a.interval_s) return false;
    // Learned per window and interval, whatever the traffic rule.
    for (const SavedKind& kind : saved.kinds) {
        for (KindAlert* mine : kinds()) {
            if (mine->kind() == kind.kind) mine->restore(kind);
        }
    }
    trends_.restore(saved.sections);
    if (saved.rule != a.rule || saved.state.buckets.size() != rule_->window().slots()) return false;
    rule_->restore(saved.state);
    rule_->age(saved.saved_at, second_);
    return true;
}

SavedAlert Monitor::save_alert() const {
    const AlertSettings& a = settings_.alert;
    SavedAlert saved{a.rule, a.window_s, a.interval_s, second_, rule_->state(), {}, trends_.saved()};
    for (const KindAlert* kind : kinds()) saved.kinds.push_back(kind->saved());
    return saved;
}

void Monitor::add_backfill(const Backfill& backfill, const std::optional<LiveFigures>& live) {
    const std::int64_t length = settings_.alert.interval_s;
    for (const Backfill::Interval& interval : backfill.intervals()) {
        const IntervalCounts& counts = *interval.counts;
        if (!started_ || interval.end <= run_start_) {
            emit_backfill_report(interval, live);
        } else if (interval.start >= interval_start_ + length) {
            const UnixSeconds start = align_down(interval.start, length);
            ahead_intervals_.try_emplace(start, settings_.max_sections).first->second.merge(counts);
        } else {
            counts_.merge(counts);
            if (interval.start < interval_start_) late_hits_ += counts.hits();
        }
    }
    if (!started_) return;
    for (const auto& [second, hits] : backfill.seconds()) add_backfill_second(second, hits);
}

void Monitor::emit_backfill_report(const Backfill::Interval& interval, const std::optional<LiveFigures>& live) {
    const IntervalCounts& counts = *interval.counts;
    total_hits_ += counts.hits();
    Report report;
    report.interval_start = interval.start;
    report.interval_end = interval.end;
    report.backfill = true;
    fill_counts(report, counts);
    run_.add(counts);
    first_second_ = std::min(first_second_, interval.start);
    report.sections = counts.top_sections(settings_.top);
    report.total_hits = total_hits_;
    report.alert_window_hits = rule_->window_hits();
    report.alert_high = rule_->high();
    report.alert_kinds = settings_.alert.kinds;
    report.alerts_on = alerts_on();
    if (live) {
        report.live = *live;
        for (auto& log : report.live->logs) log.hits = counts.hits();
    }
    sink_.on_report(report);
}

void Monitor::add_backfill_second(UnixSeconds second, std::uint64_t hits) {
    const std::int64_t bucket = rule_->bucket_s();
    if (bucket == 1) {
        if (second > second_) {
            ahead_seconds_[second] += hits;
        } else if (second == second_) {
            second_hits_ += hits;
        } else {
            rule_->add_late(static_cast<std::uint64_t>(second_ - 1 - second), hits);
        }
    } else if (second < interval_start_) {
        // A per-interval rule: the interval in progress and those ahead are counted whole
        // when they end; earlier ones go into its buckets.
        rule_->add_late(static_cast<std::uint64_t>((interval_start_ - 1 - second) / bucket), hits);
    }
}

void Monitor::absorb_ahead() {
    for (const auto& [start, counts] : ahead_intervals_) counts_.merge(counts);
    for (const auto& [second, hits] : ahead_seconds_) second_hits_ += hits;
    ahead_intervals_.clear();
    ahead_seconds_.clear();
}

void Monitor::flush_partial() {
    absorb_ahead();
    if (started_ && worth_reporting()) {
        emit_report(align_down(interval_start_, settings_.alert.interval_s) + settings_.alert.interval_s, true);
    }
}

AlertCarry Monitor::reconfigure(const MonitorSettings& settings) {
    const AlertSettings old = settings_.alert;
    const bool same_window = settings.alert.rule == old.rule && settings.alert.window_s == old.window_s &&
                             settings.alert.interval_s == old.interval_s;
    if (settings.alert.interval_s != old.interval_s) absorb_ahead();
    if (started_ && settings.alert.interval_s != old.interval_s && second_ != interval_start_) {
        // The interval in progress ends now, as a partial report; the next ends at the next
        // multiple of the new length.
        emit_report(second_, true);
        counts_.reset();
        interval_start_ = second_;
    }
    counts_.set_max_sections(settings.max_sections);
    settings_ = settings;
    reconfigure_kinds(old);
    if (same_window) {
        rule_->retune(settings.alert);
        return AlertCarry::kept;
    }
    std::unique_ptr<AlertRule> fresh = make_alert_rule(settings.alert);
    if (!rule_->high()) {
        rule_ = std::move(fresh);
        return AlertCarry::fresh;
    }
    // HIGH: the new rule takes the alert over if it can judge the same window (same length,
    // same buckets) at once and finds it high; else the alert ends here.
    if (settings.alert.window_s == old.window_s && fresh->bucket_s() == rule_->bucket_s()) {
        AlertState window = rule_->state();
        window.learning.reset();
        window.sum = window.flushes = 0;
        fresh->restore(window);
        if (fresh->judging() && static_cast<double>(fresh->window_hits()) > fresh->limit_hits()) {
            rule_ = std::move(fresh);
            return AlertCarry::carried;
        }
        fresh = make_alert_rule(settings.alert);
    }
    emit(rule_->end_alert(second_));
    rule_ = std::move(fresh);
    return AlertCarry::ended;
}

void Monitor::reconfigure_kinds(const AlertSettings& old) {
    const AlertSettings& now = settings_.alert;
    if (now.window_s == old.window_s && now.interval_s == old.interval_s) {
        for (KindAlert* kind : kinds()) emit(kind->retune(second_, now));
        return;
    }
    // What they learned is per window and interval: they start afresh, ending what was on.
    for (KindAlert* kind : kinds()) emit(kind->retune(second_, [&] {
        AlertSettings off = now;
        off.kinds = AlertKinds();
        return off;
    }()));
    errors_ = ErrorsAlert(now);
    latency_ = LatencyAlert(now);
    drop_ = DropAlert(now);
    trends_ = trends_for(now);
}

Report Monitor::interval_so_far() const {
    Report report;
    report.interval_start = interval_start_;
    report.interval_end = started_ ? second_ : interval_start_;
    report.partial = true;
    fill_counts(report, counts_);
    report.sections = counts_.top_sections(settings_.top);
    report.total_hits = total_hits_ + counts_.hits();
    report.alert_window_hits = rule_->window_hits();
    report.alert_high = rule_->high();
    report.alert_kinds = settings_.alert.kinds;
    report.alerts_on = alerts_on();
    return report;
}

void Monitor::emit_report(UnixSeconds end, bool partial, std::optional<std::vector<SectionHits>> busiest) {
    if (!reported(interval_start_)) return;
    total_hits_ += counts_.hits();
    Report report;
    report.interval_start = interval_start_;
    report.interval_end = end;
    report.partial = partial;
    fill_counts(report, counts_);
    run_.add(counts_);
    report.sections = busiest ? std::move(*busiest) : counts_.top_sections(settings_.top);
    report.total_hits = total_hits_;
    report.alert_window_hits = rule_->window_hits();
    report.alert_high = rule_->high();
    report.alert_kinds = settings_.alert.kinds;
    report.alerts_on = alerts_on();
    sink_.on_report(report);
}

}  // namespace hitwatch
