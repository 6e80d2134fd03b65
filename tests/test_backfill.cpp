// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE backfill
// Lines read late count by when they were written: as history before the run began, in
// their own interval when the clock waited for them, in the interval in progress when
// theirs is reported already; and in the alert window's seconds either way.
#include "core/backfill.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "core/monitor.h"

using namespace hitwatch;

namespace {

struct Recorder : EventSink {
    std::vector<Report> reports;
    std::vector<std::string> alerts;
    void on_report(const Report& r) override {
        reports.push_back(r);
        reports.back().sections.clear();  // the views die with the call
    }
    void on_alert(const AlertEvent& e) override { alerts.push_back((e.high ? "high " : "recovered ") + std::to_string(e.at)); }
};

ParseResult hit_at(UnixSeconds at, const char* section = "/a") {
    ParseResult r;
    r.line.section = section;
    r.line.status = 200;
    r.line.bytes = 1;
    r.line.time = at;
    return r;
}

MonitorSettings settings(AlertRuleKind rule, std::int64_t window = 120, double threshold = 1000) {
    MonitorSettings s;
    s.alert.rule = rule;
    s.alert.window_s = window;
    s.alert.threshold = threshold;
    return s;
}

// `per_second` hits in every second of [from, to).
Backfill steady(UnixSeconds from, UnixSeconds to, int per_second, UnixSeconds history_from = 0,
                UnixSeconds seconds_from = 0) {
    Backfill b(10, 100, history_from, seconds_from);
    for (UnixSeconds t = from; t < to; ++t) {
        for (int i = 0; i < per_second; ++i) b.record(hit_at(t), t);
    }
    return b;
}

LiveFigures one_log() {
    LiveFigures figures;
    figures.logs.push_back({"/var/log/a.log", 0, 0, 0, "reading", ""});
    return figures;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_backfill_counts_by_interval_and_older_lines_together) {
    Backfill b(10, 100, 1000, 1050);
    b.record(hit_at(900), 900);
    b.record(hit_at(950), 950);
    b.record({ParseError::bad_host, {}}, 0);  // no time of its own: where the last line was
    b.record(hit_at(1003), 1003);
    b.record(hit_at(1055), 1055);
    b.record({ParseError::blank, {}}, 0);  // nothing
    b.record_invalid();                    // an overlong line: where the last line was
    BOOST_TEST(b.hits() == 4u);
    const auto intervals = b.intervals();
    BOOST_TEST_REQUIRE(intervals.size() == 3u);
    BOOST_TEST(intervals[0].start == 900);  // all that is older than 1000, together
    BOOST_TEST(intervals[0].end == 951);
    BOOST_TEST(intervals[0].counts->hits() == 2u);
    BOOST_TEST(intervals[0].counts->invalid() == 1u);
    BOOST_TEST(intervals[1].start == 1000);
    BOOST_TEST(intervals[1].end == 1010);
    BOOST_TEST(intervals[1].counts->hits() == 1u);
    BOOST_TEST(intervals[2].start == 1050);
    BOOST_TEST(intervals[2].counts->invalid() == 1u);
    BOOST_TEST_REQUIRE(b.seconds().size() == 1u);  // from 1050 on
    BOOST_TEST(b.seconds().at(1055) == 1u);
}

BOOST_AUTO_TEST_CASE(a_line_that_stands_for_several_requests_is_backfilled_as_each) {
    Backfill b(10, 100, 1000, 1000);
    ParseResult repeated = hit_at(1003);
    repeated.repeats = 3;
    b.record(repeated, 1003);
    BOOST_TEST(b.hits() == 3u);
    BOOST_TEST(b.intervals().at(0).counts->hits() == 3u);
    BOOST_TEST(b.seconds().at(1003) == 3u);
}

BOOST_AUTO_TEST_CASE(after_a_restart_the_downtime_is_history_and_fills_the_window) {
    // The previous run reported until 1000; this one starts at 2005 with its window restored
    // (aged: all zeros). The backlog: 2 hits a second from 1000 to 2005.
    Recorder before_out;
    Monitor before(settings(AlertRuleKind::absolute), before_out);
    before.advance_to(880);
    before.advance_to(1000);
    const SavedAlert saved = before.save_alert();

    Recorder out;
    Monitor m(settings(AlertRuleKind::absolute), out);
    m.advance_to(2005);
    BOOST_TEST_REQUIRE(m.restore_alert(saved));
    BOOST_TEST(m.rule().window_hits() == 0u);
    m.add_backfill(steady(1000, 2006, 2, 2005 - 3600, 2005 - 120), one_log());

    // History: one report per interval before this run's first, marked backfill.
    BOOST_TEST_REQUIRE(out.reports.size() == 100u);
    BOOST_TEST(out.reports.front().interval_start == 1000);
    BOOST_TEST(out.reports.back().interval_end == 2000);
    for (const Report& r : out.reports) {
        BOOST_TEST(r.backfill);
        BOOST_TEST(r.hits == 20u);
        BOOST_TEST_REQUIRE(r.live.has_value());
        BOOST_TEST(r.live->logs.at(0).hits == 20u);
    }
    BOOST_TEST(out.reports.back().total_hits == 2000u);
    // The window holds the last 120 s as they were; the interval in progress has its share.
    BOOST_TEST(m.rule().window_hits() == 240u);
    m.advance_to(2010);
    BOOST_TEST(out.reports.back().interval_start == 2000);
    BOOST_TEST(!out.reports.back().backfill);
    BOOST_TEST(out.reports.back().hits == 12u);
    BOOST_TEST(out.reports.back().total_hits == 2012u);
    BOOST_TEST(m.rule().window_hits() == 232u);  // 1890-2009: the backlog ended at 2005
    BOOST_TEST(out.alerts.empty());
}

BOOST_AUTO_TEST_CASE(a_backlog_the_clock_waited_for_counts_in_its_own_seconds_and_intervals) {
    // A stall: the clock stands at 1005 while 30 s of lines are read; then it moves on.
    Recorder out;
    Monitor m(settings(AlertRuleKind::absolute, 10, 2.5), out);  // high above 25 hits in 10 s
    m.advance_to(900);
    m.advance_to(1005);
    m.add_backfill(steady(1005, 1035, 3), one_log());  // 30 hits in 10 s: high
    BOOST_TEST(out.reports.size() == 10u);  // 900..1000 only: nothing yet reported for the stall
    m.advance_to(1040);
    BOOST_TEST_REQUIRE(out.reports.size() == 14u);
    const std::uint64_t expected[] = {15, 30, 30, 15};  // 1000-1010 .. 1030-1040
    for (size_t i = 0; i < 4; ++i) {
        BOOST_TEST(!out.reports[10 + i].backfill);
        BOOST_TEST(out.reports[10 + i].hits == expected[i]);
    }
    // The per-second rule saw the seconds as they were: high with 27 hits in its window
    // (1005-1013), recovered with 24 (1027-1036).
    const std::vector<std::string> alerts = {"high 1014", "recovered 1037"};
    m.advance_to(1050);
    BOOST_TEST(out.alerts == alerts, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(lines_of_an_interval_reported_already_count_in_the_one_in_progress) {
    // A per-interval rule (baseline): the late hits go into the buckets they belong to, not
    // into the interval in progress as well.
    Recorder out;
    Monitor m(settings(AlertRuleKind::baseline), out);
    m.advance_to(1000);
    m.advance_to(1035);
    BOOST_TEST(out.reports.size() == 3u);
    m.add_backfill(steady(1012, 1014, 5), one_log());  // 10 hits written in 1010-1020
    BOOST_TEST(out.reports.size() == 3u);               // no report of it, and no second one for 1010-1020
    BOOST_TEST(m.rule().window_hits() == 10u);
    m.advance_to(1040);
    BOOST_TEST(out.reports.back().interval_start == 1030);
    BOOST_TEST(out.reports.back().hits == 10u);
    BOOST_TEST(m.rule().window_hits() == 10u);  // not 20
}

BOOST_AUTO_TEST_CASE(what_was_counted_ahead_of_the_clock_is_reported_at_a_stop) {
    Recorder out;
    Monitor m(settings(AlertRuleKind::absolute), out);
    m.advance_to(1000);
    m.add_backfill(steady(1000, 1025, 1), one_log());
    m.flush_partial();
    BOOST_TEST_REQUIRE(out.reports.size() == 1u);
    BOOST_TEST(out.reports[0].partial);
    BOOST_TEST(out.reports[0].hits == 25u);
}

BOOST_AUTO_TEST_CASE(a_backfill_is_full_past_its_budget_of_sections_or_intervals) {
    // Before: every interval of a backlog kept all its sections, so an hour with 2,000 new
    // sections every 10 s (with response times) took 793 MiB.
    const UnixSeconds t0 = 1763632800;
    Backfill sections(10, 10000, t0 - 7200, t0);
    std::vector<std::string> names;
    for (std::size_t i = 0; i <= Backfill::kMaxHeldSections; ++i) names.push_back("/s" + std::to_string(i));
    for (std::size_t i = 0; i < names.size(); ++i) {
        BOOST_TEST_REQUIRE(!sections.full());
        const UnixSeconds at = t0 - 3600 + static_cast<UnixSeconds>(i / 2000) * 10;  // 2,000 new a 10 s
        sections.record(hit_at(at, names[i].c_str()), at);
    }
    BOOST_TEST(sections.full());
    // The same section again adds nothing to hold.
    Backfill same(10, 10000, t0 - 7200, t0);
    for (int i = 0; i < 100000; ++i) same.record(hit_at(t0 - 100), t0 - 100);
    BOOST_TEST(!same.full());
    // An interval each: full past the intervals' budget.
    Backfill intervals(1, 10000, t0 - 7200, t0);
    for (std::size_t i = 0; i <= Backfill::kMaxHeldIntervals; ++i) {
        BOOST_TEST_REQUIRE(!intervals.full());
        const UnixSeconds at = t0 - 3600 + static_cast<UnixSeconds>(i);
        intervals.record(hit_at(at), at);
    }
    BOOST_TEST(intervals.full());
    // The next part: empty, with the same settings (older lines still counted together).
    Backfill next = intervals.next_part();
    BOOST_TEST(next.empty());
    next.record(hit_at(t0 - 7300), t0 - 7300);
    next.record(hit_at(t0 - 7250), t0 - 7250);
    BOOST_TEST_REQUIRE(next.intervals().size() == 1u);
    BOOST_TEST(next.intervals()[0].start == t0 - 7300);
    BOOST_TEST(next.intervals()[0].end == t0 - 7249);
}
