// SPDX-License-Identifier: Apache-2.0
#pragma once
// The engine: counts parsed lines into intervals and seconds, and as the clock it is given
// moves on, emits each finished interval's report and the alerts' state changes (the
// traffic rule's, then the errors, latency and drop alerts'), in time order.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include "core/alert.h"
#include "core/backfill.h"
#include "core/drop_alert.h"
#include "core/errors_alert.h"
#include "core/interval.h"
#include "core/latency_alert.h"
#include "core/parser.h"
#include "core/report.h"
#include "core/run_summary.h"
#include "core/saved_alert.h"
#include "core/section_trends.h"

namespace hitwatch {

struct MonitorSettings {
    AlertSettings alert;  // its interval_s is the report interval
    size_t top = 10;
    size_t max_sections = IntervalCounts::kDefaultMaxSections;  // per interval, counted exactly
    // Replay only: once the alert window has drained, jump over empty intervals instead of
    // reporting each, so a gap of days in a log (or one absurd timestamp) costs nothing.
    bool skip_quiet_gaps = false;
    // Report an interval with no line in it and no alert change (live: yes, so a quiet site
    // shows as quiet; replay: no, unless --all-intervals, so a sparse log prints its traffic).
    bool report_empty = true;
    // Replay with --since/--until: what of all it counts and judges is reported, and summed up:
    // the intervals from `report_from` up to `report_until` (multiples of the interval), and the
    // alerts in those seconds. What comes before is for the rules to learn from.
    UnixSeconds report_from = std::numeric_limits<UnixSeconds>::min();
    UnixSeconds report_until = std::numeric_limits<UnixSeconds>::max();
};

class Monitor {
public:
    Monitor(const MonitorSettings& settings, EventSink& sink);

    // Moves the clock to `now` (never backwards), emitting what falls due on the way: at each
    // whole second the per-second rule, at each multiple of the interval a report and the
    // per-interval rule. The first call starts the clock.
    void advance_to(UnixSeconds now) {
        if (!started_ || now > second_) move_clock(now);  // most lines share a second
    }

    // Counts a parsed line at the current clock: a hit, an invalid line, or (blank) nothing.
    void record(const ParseResult& parsed) {
        if (parsed.ok()) {
            count_hit(parsed.line);
            if (parsed.repeats > 1) [[unlikely]] record_repeats(parsed);
        } else if (parsed.error != ParseError::blank) {
            counts_.add_invalid();
        }
    }

    // Whether the hits of lines of `sections` distinct sections, none dated after the clock,
    // can be counted together (record_together) as they would be one by one.
    bool can_record_together(size_t sections) const { return started_ && counts_.room_for(sections); }
    // The hits of valid lines at the current clock, none standing for more than one request,
    // counted together: can_record_together(together.sections.size()).
    void record_together(const HitsTogether& together) {
        counts_.add_together(together);
        second_hits_ += together.hits;
        for (const CodeTally& code : together.codes) second_errors_ += server_error(code.status) ? code.hits : 0;
        for (const TimedHit& hit : together.timed) second_latency_.add(hit.duration_us);
    }

    // A line that could not even be split out (longer than the line limit).
    void record_invalid() { counts_.add_invalid(); }

    // New settings while running (a reload). The alert window and its state carry over
    // unless the rule, the window or the interval changed; then a HIGH alert ends with a
    // recovery, unless the new rule can judge the same window at once and finds it high too.
    // A new interval length cuts the interval in progress short with a partial report.
    AlertCarry reconfigure(const MonitorSettings& settings);

    // Reports the interval in progress, marked partial (end of replay, or shutdown).
    void flush_partial();

    // A log's backlog, counted by when its lines were written (core/backfill.h). What was
    // written before this run began is history: a report per interval, marked backfill,
    // carrying `live` (the log's figures). What was written in this run's time counts in the
    // interval it was written in -- the one in progress, or one still ahead of the clock (the
    // clock waits while logs catch up after a stall) -- or, if that one is reported already,
    // in the one in progress. Its seconds go into the alert window where they belong, so the
    // window holds the traffic as it was, not as it was read.
    void add_backfill(const Backfill& backfill, const std::optional<LiveFigures>& live);

    // Jumps the clock to `now`, forwards or backwards, without walking the seconds between
    // (the wall clock was stepped): the interval in progress is reported as partial where the
    // clock stood, no report is made for the gap, and the alert rule goes on as if the gap
    // were not there (its window is neither filled with zeros for it nor frozen).
    void jump_to(UnixSeconds now);

    // Carries a saved alert window over a restart, if it was saved with the same rule,
    // window and interval: aged by the seconds the daemon was stopped (started() must be
    // true, the clock at the restart); true if it was restored. What the other kinds and
    // the sections learned is restored if it was saved with the same window and interval.
    bool restore_alert(const SavedAlert& saved);
    SavedAlert save_alert() const;

    // Lines of the seconds in the window are still to be read (a log catching up on a
    // backlog): the errors, latency and drop alerts wait for a whole window counted after it.
    void window_incomplete();

    bool started() const { return started_; }
    UnixSeconds now() const { return second_; }
    const AlertRule& rule() const { return *rule_; }
    // The errors, latency and drop alerts, as they stand.
    std::vector<KindStatus> kind_statuses() const;
    // The traffic's learned normal window, whatever the rule (the drop alert learns it).
    const TrafficNormal& traffic_normal() const { return drop_.traffic(); }
    std::uint64_t total_hits() const { return total_hits_; }
    // The interval in progress as a partial report up to the clock (for a status page); its
    // section views point into the counts: use it before counting more.
    Report interval_so_far() const;
    // The run so far: every interval reported (the one in progress not yet), every alert.
    RunSummary run_summary() const {
        const UnixSeconds last = std::min(second_, settings_.report_until);
        return run_.summary(settings_.top, std::min(std::max(first_second_, settings_.report_from), last), last);
    }

private:
    // A 5xx, which the errors alert counts.
    static bool server_error(int status) { return static_cast<unsigned>(status - 500) < 100; }
    // Whether what happens at `time` is reported (MonitorSettings::report_from).
    bool reported(UnixSeconds time) const { return time >= settings_.report_from && time < settings_.report_until; }
    // One hit into the interval and the second in progress. Inline: it runs for every line.
    [[gnu::always_inline]] void count_hit(const LogLine& line) {
        counts_.add_hit(line.section, line.status, line.bytes, line.duration_us);
        ++second_hits_;
        second_errors_ += server_error(line.status);
        if (line.duration_us >= 0) [[unlikely]] second_latency_.add(line.duration_us);
    }
    // The hits a line stands for past its first (ParseResult::repeats).
    [[gnu::cold]] void record_repeats(const ParseResult& parsed) {
        for (std::uint32_t i = 1; i < parsed.repeats; ++i) count_hit(parsed.line);
    }
    void move_clock(UnixSeconds now);
    void step_one_second();
    void skip_quiet_intervals(UnixSeconds now);
    // `busiest`: the interval's top sections, if already at hand.
    void emit_report(UnixSeconds end, bool partial, std::optional<std::vector<SectionHits>> busiest = std::nullopt);
    // An alert state change, with the sections that grew most when it goes high.
    void emit(std::optional<AlertEvent> event);
    void emit_backfill_report(const Backfill::Interval& interval, const std::optional<LiveFigures>& live);
    // The kinds besides traffic, in the order their alerts come.
    std::array<KindAlert*, 3> kinds() { return {&errors_, &latency_, &drop_}; }
    std::array<const KindAlert*, 3> kinds() const { return {&errors_, &latency_, &drop_}; }
    bool kinds_quiet() const;
    AlertKinds alerts_on() const;
    // Each kind's state change for the second that ends now.
    std::array<std::optional<AlertEvent>, 3> judge_kinds();
    // The kinds under new settings (after settings_ changed from `old`).
    void reconfigure_kinds(const AlertSettings& old);
    void add_backfill_second(UnixSeconds second, std::uint64_t hits);
    // A clock jump or a new interval length: what was counted ahead of the clock counts now.
    void absorb_ahead();
    // Whether the interval in progress is worth a report.
    bool worth_reporting() const { return settings_.report_empty || !counts_.empty() || alert_changed_; }

    MonitorSettings settings_;
    EventSink& sink_;
    std::unique_ptr<AlertRule> rule_;
    ErrorsAlert errors_;
    LatencyAlert latency_;
    DropAlert drop_;
    IntervalCounts counts_;
    RunTotals run_;  // every interval reported, every alert
    UnixSeconds first_second_ = 0;
    SectionTrends trends_;
    std::vector<SlowSection> slowest_;  // of the interval just reported, for a high alert
    bool started_ = false;
    UnixSeconds second_ = 0;          // the second being filled
    UnixSeconds interval_start_ = 0;  // of the interval being filled
    std::uint64_t second_hits_ = 0;
    std::uint64_t second_errors_ = 0;  // 5xx
    LatencyHistogram second_latency_{LatencyHistogram::Precision::section};
    std::uint64_t total_hits_ = 0;
    // Hits of an interval cut short by a clock jump, for the per-interval rule: they count
    // with the next interval, so a jump neither loses them nor makes an interval of zeros.
    std::uint64_t carried_hits_ = 0;
    bool alert_changed_ = false;  // in the interval in progress
    UnixSeconds run_start_ = 0;   // the first interval of this run: earlier ones are history
    // Backfill written after the second being filled (the clock waited for a catch-up).
    std::map<UnixSeconds, IntervalCounts> ahead_intervals_;  // by interval start
    std::map<UnixSeconds, std::uint64_t> ahead_seconds_;
    // Backfill in counts_ whose hits a per-interval rule has in earlier buckets already.
    std::uint64_t late_hits_ = 0;
};

}  // namespace hitwatch
