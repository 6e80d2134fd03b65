// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE monitor
#include "core/monitor.h"

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "format/json_format.h"

using namespace hitwatch;

namespace {

// Keeps what the monitor emitted, in order, as short strings.
struct Recorder : EventSink {
    std::vector<Report> reports;
    std::vector<std::string> log;
    void on_report(const Report& r) override {
        reports.push_back(r);
        reports.back().sections.clear();  // the views die with the call
        log.push_back("report " + std::to_string(r.interval_start) + "-" + std::to_string(r.interval_end) +
                      " hits " + std::to_string(r.hits));
    }
    std::vector<AlertEvent> alerts;
    void on_alert(const AlertEvent& e) override {
        alerts.push_back(e);
        log.push_back(std::string(e.high ? "high " : "recovered ") + std::to_string(e.at));
    }
};

ParseResult hit(const char* section = "/a") {
    ParseResult r;
    r.line.section = section;
    r.line.status = 200;
    r.line.bytes = 1;
    return r;
}

MonitorSettings settings(AlertRuleKind rule, std::int64_t window = 120, double threshold = 10) {
    MonitorSettings s;
    s.alert.rule = rule;
    s.alert.window_s = window;
    s.alert.threshold = threshold;
    return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(intervals_align_to_the_epoch_and_lines_count_where_the_clock_stands) {
    Recorder out;
    Monitor m(settings(AlertRuleKind::baseline), out);
    m.advance_to(1003);
    m.record(hit());
    m.advance_to(1009);
    m.record(hit());
    m.record({ParseError::bad_host, {}});
    m.record({ParseError::blank, {}});  // neither hit nor invalid
    BOOST_TEST(out.log.empty());
    m.advance_to(1010);
    m.record(hit());
    m.advance_to(1025);
    BOOST_TEST_REQUIRE(out.reports.size() == 2u);
    BOOST_TEST(out.reports[0].interval_start == 1000);
    BOOST_TEST(out.reports[0].interval_end == 1010);
    BOOST_TEST(out.reports[0].hits == 2u);
    BOOST_TEST(out.reports[0].invalid == 1u);
    BOOST_TEST(out.reports[1].interval_start == 1010);
    BOOST_TEST(out.reports[1].hits == 1u);
    BOOST_TEST(out.reports[1].total_hits == 3u);
    m.advance_to(1000);  // the clock never goes back
    BOOST_TEST(m.now() == 1025);
    m.flush_partial();
    BOOST_TEST(out.reports.back().partial);
    BOOST_TEST(out.reports.back().interval_start == 1020);
}

BOOST_AUTO_TEST_CASE(a_line_that_stands_for_several_requests_counts_each) {
    // syslog's "message repeated 4 times: [LINE]": four more of LINE.
    Recorder out;
    Monitor m(settings(AlertRuleKind::baseline), out);
    m.advance_to(1003);
    m.record(hit());
    ParseResult repeated = hit("/b");
    repeated.line.status = 503;
    repeated.repeats = 4;
    m.record(repeated);
    m.advance_to(1010);
    BOOST_TEST_REQUIRE(out.reports.size() == 1u);
    BOOST_TEST(out.reports[0].hits == 5u);
    BOOST_TEST(out.reports[0].bytes == 5u);
    BOOST_TEST(out.reports[0].codes[503 - 100] == 4u);
    BOOST_TEST(out.reports[0].status_classes[4] == 4u);  // 5xx
}

BOOST_AUTO_TEST_CASE(absolute_alert_fires_at_the_second_and_follows_its_report) {
    // 1 s window, threshold 2: high when one second holds 3 hits.
    Recorder out;
    Monitor m(settings(AlertRuleKind::absolute, 10, 0.2), out);
    m.advance_to(1005);
    m.record(hit());
    m.advance_to(1009);
    for (int i = 0; i < 3; ++i) m.record(hit());
    m.advance_to(1030);
    const std::vector<std::string> expected = {
        "report 1000-1010 hits 4", "high 1010", "report 1010-1020 hits 0", "recovered 1020",
        "report 1020-1030 hits 0"};
    // W(1010) = 4 > 2; W(1019) covers 1009..1018, still 3; W(1020) = 0.
    BOOST_TEST(out.log == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(baseline_alert_is_judged_at_flushes) {
    Recorder out;
    MonitorSettings s = settings(AlertRuleKind::baseline, 20);
    s.alert.margin = 1;
    Monitor m(s, out);
    m.advance_to(1000);
    for (std::int64_t t = 1000; t < 1080; ++t) {
        m.advance_to(t);
        if (t >= 1050 && t < 1060) {
            for (int i = 0; i < 5; ++i) m.record(hit());
        } else if (t % 10 == 0) {
            m.record(hit());
        }
    }
    m.advance_to(1080);
    // W: 1010:-, 1020:2 (full), 1030:2 M=2, 1040:2, 1050:2, 1060:1+50=51 > 2+1 -> high,
    // 1070: 51 > M(2,2,2,2,51)=11.8+1 still high, 1080: 2 <= ... -> recovered
    std::vector<std::string> alerts;
    for (const auto& l : out.log) {
        if (l.rfind("report", 0) != 0) alerts.push_back(l);
    }
    const std::vector<std::string> expected = {"high 1060", "recovered 1080"};
    BOOST_TEST(alerts == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(quiet_gaps_are_skipped_only_when_asked_and_only_after_the_window_drains) {
    for (bool skip : {false, true}) {
        Recorder out;
        MonitorSettings s = settings(AlertRuleKind::absolute, 30, 0.01);
        s.skip_quiet_gaps = skip;
        Monitor m(s, out);
        m.advance_to(1000);
        m.record(hit());
        m.advance_to(1000 + 86400);  // a day later
        m.record(hit());
        m.advance_to(1000 + 86410);
        // The hit makes the 30 s window high; it recovers when that second leaves the window.
        BOOST_TEST(out.log[0] == "high 1001");
        BOOST_TEST(out.log[4] == "recovered 1031");
        if (skip) {
            // reports up to 1040 (the window draining), then the one a day later.
            BOOST_TEST(out.reports.size() == 5u);
            BOOST_TEST(out.reports[3].interval_start == 1030);
            BOOST_TEST(out.reports[4].interval_start == 1000 + 86400);
        } else {
            BOOST_TEST(out.reports.size() == 8641u);
        }
        BOOST_TEST(out.reports.back().hits == 1u);
        BOOST_TEST(out.reports.back().total_hits == 2u);
    }
}

BOOST_AUTO_TEST_CASE(an_absurd_timestamp_does_not_hang_a_replay) {
    Recorder out;
    MonitorSettings s = settings(AlertRuleKind::baseline);
    s.skip_quiet_gaps = true;
    Monitor m(s, out);
    m.advance_to(1000);
    m.record(hit());
    m.advance_to(253402300799);  // 9999-12-31T23:59:59Z
    m.record(hit());
    m.flush_partial();
    BOOST_TEST(out.reports.back().total_hits == 2u);
    BOOST_TEST(out.reports.size() < 30u);
}

BOOST_AUTO_TEST_CASE(reconfigure_keeps_the_window_for_a_new_threshold_and_cuts_the_interval_for_a_new_length) {
    Recorder out;
    Monitor m(settings(AlertRuleKind::absolute, 10, 100), out);
    m.advance_to(1000);
    for (int i = 0; i < 50; ++i) m.record(hit());
    m.advance_to(1001);  // W = 50, limit 1000: normal
    BOOST_TEST(!m.rule().high());
    MonitorSettings lower = settings(AlertRuleKind::absolute, 10, 1);
    BOOST_TEST((m.reconfigure(lower) == AlertCarry::kept));  // same rule and window: the state carries over
    BOOST_TEST(m.rule().window_hits() == 50u);
    m.advance_to(1002);  // the next evaluation judges the same 50 hits against 10
    BOOST_TEST(m.rule().high());
    BOOST_TEST(out.log.back() == "high 1002");

    MonitorSettings longer = lower;
    longer.alert.interval_s = 5;
    // A new interval length: the rule is made anew, but its window of seconds is the same and
    // so is its verdict: the HIGH alert goes on.
    BOOST_TEST((m.reconfigure(longer) == AlertCarry::carried));
    BOOST_TEST(m.rule().window_hits() == 50u);
    BOOST_TEST(m.rule().high());
    BOOST_TEST(out.reports.back().partial);  // the interval in progress ends now
    BOOST_TEST(out.reports.back().interval_start == 1000);
    BOOST_TEST(out.reports.back().interval_end == 1002);
    BOOST_TEST(out.reports.back().hits == 50u);
    m.advance_to(1010);
    // the next report runs from the cut to the next multiple of 5, then every 5 s
    BOOST_TEST(out.reports[out.reports.size() - 2].interval_start == 1002);
    BOOST_TEST(out.reports[out.reports.size() - 2].interval_end == 1005);
    BOOST_TEST(out.reports.back().interval_start == 1005);
    BOOST_TEST(out.reports.back().interval_end == 1010);
}

BOOST_AUTO_TEST_CASE(a_reload_that_changes_the_rule_while_high_ends_the_alert_or_carries_it_over) {
    // Defect: a reload that replaced the rule while HIGH never sent a recovery.
    struct Events : Recorder {
        std::vector<AlertEvent> alerts;
        void on_alert(const AlertEvent& e) override {
            Recorder::on_alert(e);
            alerts.push_back(e);
        }
    };
    Events out;
    Monitor m(settings(AlertRuleKind::absolute, 10, 1), out);  // high above 10 hits in 10 s
    m.advance_to(1000);
    for (int i = 0; i < 50; ++i) m.record(hit());
    m.advance_to(1003);
    BOOST_TEST_REQUIRE(m.rule().high());

    // Absolute to adaptive: it has learned nothing, so it cannot judge; the alert ends.
    BOOST_TEST((m.reconfigure(settings(AlertRuleKind::adaptive, 10)) == AlertCarry::ended));
    BOOST_TEST_REQUIRE(out.alerts.size() == 2u);
    const AlertEvent& ended = out.alerts.back();
    BOOST_TEST(!ended.high);
    BOOST_TEST(ended.ended_by_reload);
    BOOST_TEST((ended.rule == AlertRuleKind::absolute));
    BOOST_TEST(ended.at == 1003);
    BOOST_TEST(ended.duration_s == 2);
    BOOST_TEST(ended.hits == 50u);
    BOOST_TEST(alert_message(ended).find("ended by a reload") != std::string::npos, alert_message(ended));
    BOOST_TEST(!m.rule().high());

    // Back to absolute while normal: nothing to end.
    BOOST_TEST((m.reconfigure(settings(AlertRuleKind::absolute, 10, 1)) == AlertCarry::fresh));
    for (int i = 0; i < 50; ++i) m.record(hit());
    m.advance_to(1005);
    BOOST_TEST_REQUIRE(m.rule().high());
    // The same rule with another rate: only retuned, the alert goes on as it was.
    BOOST_TEST((m.reconfigure(settings(AlertRuleKind::absolute, 10, 2)) == AlertCarry::kept));
    BOOST_TEST(m.rule().high());
}

BOOST_AUTO_TEST_CASE(a_new_rule_that_finds_the_same_window_high_carries_the_alert_over) {
    Recorder out;
    // Adaptive, warmed up on 10 hits a second, then a burst: HIGH.
    MonitorSettings adaptive = settings(AlertRuleKind::adaptive, 10);
    adaptive.alert.interval_s = 1;
    adaptive.alert.horizon_s = 60;  // so its first-start prior is over within the test
    Monitor m(adaptive, out);
    m.advance_to(1000);
    std::int64_t t = 1000;
    for (; t < 1100; ++t) {
        for (int i = 0; i < 10; ++i) m.record(hit());
        m.advance_to(t + 1);
    }
    BOOST_TEST_REQUIRE(!m.rule().high());
    for (; t < 1105; ++t) {
        for (int i = 0; i < 100; ++i) m.record(hit());
        m.advance_to(t + 1);
    }
    BOOST_TEST_REQUIRE(m.rule().high());
    const size_t alerts = out.log.size();
    // To absolute at 20/s over the same 10 s window: 590 > 200, so the alert goes on.
    MonitorSettings absolute = settings(AlertRuleKind::absolute, 10, 20);
    absolute.alert.interval_s = 1;
    BOOST_TEST((m.reconfigure(absolute) == AlertCarry::carried));
    BOOST_TEST(m.rule().high());
    BOOST_TEST(m.rule().window_hits() > 500u);
    BOOST_TEST(out.log.size() == alerts);  // no recovery, no second alert
    // ... and it recovers under the new rule once the burst has left the window.
    for (; t < 1120; ++t) {
        for (int i = 0; i < 10; ++i) m.record(hit());
        m.advance_to(t + 1);
    }
    BOOST_TEST(!m.rule().high());
    const auto recoveries = std::count_if(out.log.begin() + static_cast<long>(alerts), out.log.end(),
                                          [](const std::string& e) { return e.rfind("recovered", 0) == 0; });
    BOOST_TEST(recoveries == 1);
}

BOOST_AUTO_TEST_CASE(a_restored_alert_window_is_aged_by_the_downtime) {
    // Saved high with W = 20 (a hit a second); restored 9 silent seconds later, W = 11.
    Recorder first_run;
    Monitor before(settings(AlertRuleKind::absolute, 20, 0.5), first_run);
    before.advance_to(1000);
    for (std::int64_t t = 1000; t < 1020; ++t) {
        before.advance_to(t);
        before.record(hit());
    }
    before.advance_to(1020);
    BOOST_TEST(before.rule().high());
    const SavedAlert saved = before.save_alert();
    BOOST_TEST(saved.saved_at == 1020);

    Recorder second_run;
    Monitor after(settings(AlertRuleKind::absolute, 20, 0.5), second_run);
    after.advance_to(1029);
    BOOST_TEST(after.restore_alert(saved));
    BOOST_TEST(after.rule().window_hits() == 11u);
    BOOST_TEST(after.rule().high());
    after.advance_to(1030);  // the next second judges the aged window: 10 <= 10
    BOOST_TEST(second_run.log.back() == "recovered 1030");

    // Past a whole window nothing of it is left, but it is restored, so a HIGH alert saved at a
    // stop still gets its recovery.
    Recorder third_run;
    Monitor later(settings(AlertRuleKind::absolute, 20, 0.5), third_run);
    later.advance_to(1020 + 3600);
    BOOST_TEST(later.restore_alert(saved));
    BOOST_TEST(later.rule().window_hits() == 0u);
    later.advance_to(1020 + 3601);
    BOOST_TEST(third_run.log.back() == "recovered 4621");

    MonitorSettings other = settings(AlertRuleKind::absolute, 30, 0.5);  // another window: not restored
    Monitor elsewhere(other, third_run);
    elsewhere.advance_to(1030);
    BOOST_TEST(!elsewhere.restore_alert(saved));
}

BOOST_AUTO_TEST_CASE(a_clock_jump_ends_the_interval_as_partial_and_reports_nothing_for_the_gap) {
    Recorder out;
    Monitor m(settings(AlertRuleKind::absolute, 10, 100), out);
    m.advance_to(1000);
    for (int i = 0; i < 3; ++i) m.record(hit());
    m.advance_to(1004);
    m.record(hit());
    m.jump_to(1000 + 30 * 86400);  // 30 days forward
    BOOST_TEST_REQUIRE(out.reports.size() == 1u);
    BOOST_TEST(out.reports[0].partial);
    BOOST_TEST(out.reports[0].interval_start == 1000);
    BOOST_TEST(out.reports[0].interval_end == 1005);
    BOOST_TEST(out.reports[0].hits == 4u);
    // The per-second window went on through the seconds that were real, not the gap.
    BOOST_TEST(m.rule().window_hits() == 4u);
    m.record(hit());
    m.advance_to(1000 + 30 * 86400 + 10);
    BOOST_TEST(out.reports.size() == 2u);
    BOOST_TEST(out.reports[1].interval_start == 1000 + 30 * 86400);
    BOOST_TEST(out.reports[1].hits == 1u);
    BOOST_TEST(out.reports[1].total_hits == 5u);
    BOOST_TEST(m.rule().window_hits() == 1u);  // ten real seconds later the first four left it

    m.jump_to(500);  // and backwards
    BOOST_TEST(out.reports.size() == 3u);
    BOOST_TEST(out.reports[2].partial);
    m.record(hit());
    m.advance_to(510);
    BOOST_TEST(out.reports.back().interval_start == 500);
    BOOST_TEST(out.reports.back().interval_end == 510);
    BOOST_TEST(out.reports.back().hits == 1u);
}

BOOST_AUTO_TEST_CASE(a_clock_jump_carries_the_cut_intervals_hits_to_the_per_interval_rule) {
    Recorder out;
    MonitorSettings s = settings(AlertRuleKind::baseline, 20);
    Monitor m(s, out);
    m.advance_to(1000);
    m.advance_to(1010);
    m.advance_to(1015);
    for (int i = 0; i < 7; ++i) m.record(hit());
    m.jump_to(90000);
    m.advance_to(90010);  // the interval from the jump to 90010 is pushed with the 7 hits
    BOOST_TEST(m.rule().window_hits() == 7u);
}

BOOST_AUTO_TEST_CASE(without_report_empty_only_intervals_with_lines_or_an_alert_change_are_reported) {
    Recorder out;
    MonitorSettings s = settings(AlertRuleKind::absolute, 10, 0.1);  // high above 1 hit in 10 s
    s.report_empty = false;
    Monitor m(s, out);
    m.advance_to(1000);
    m.record(hit());
    m.record(hit());
    m.advance_to(1100);
    // 1000-1010 (the hits, and the alert), 1010-1020 (the recovery at 1010 + 10 s = 1011):
    // then nothing until the end.
    const std::vector<std::string> expected = {"high 1001", "report 1000-1010 hits 2", "recovered 1011",
                                               "report 1010-1020 hits 0"};
    BOOST_TEST(out.log == expected, boost::test_tools::per_element());
    m.flush_partial();  // an empty last interval is not reported either
    BOOST_TEST(out.log.size() == expected.size());
    m.record({ParseError::bad_host, {}});
    m.flush_partial();  // an invalid line is worth it
    BOOST_TEST(out.log.size() == expected.size() + 1);
}

BOOST_AUTO_TEST_CASE(a_high_alert_names_the_slowest_listed_sections) {
    Recorder out;
    Monitor m(settings(AlertRuleKind::absolute, 10, 0.2), out);
    m.advance_to(1005);
    const auto timed = [](const char* section, std::int64_t micros) {
        ParseResult r = hit(section);
        r.line.duration_us = micros;
        return r;
    };
    for (int i = 0; i < 5; ++i) m.record(timed("/fast", 2000));
    for (int i = 0; i < 3; ++i) m.record(timed("/slow", 900000));
    for (int i = 0; i < 2; ++i) m.record(timed("/middle", 40000));
    m.record(hit("/untimed"));  // a line without a time: not among them
    m.advance_to(1011);
    BOOST_TEST_REQUIRE(out.alerts.size() == 1u);
    const AlertEvent& high = out.alerts[0];
    BOOST_TEST_REQUIRE(high.slowest.size() == 3u);
    BOOST_TEST(high.slowest[0].section == "/slow");
    BOOST_TEST(high.slowest[0].hits == 3u);
    BOOST_TEST(high.slowest[0].p99_ms == 900.0, boost::test_tools::tolerance(0.05));
    BOOST_TEST(high.slowest[1].section == "/middle");
    BOOST_TEST(high.slowest[2].section == "/fast");
    const std::string json = to_json(high);
    BOOST_TEST(json.find("\"slowest\":[{\"section\":\"/slow\",\"hits\":3,\"p99_ms\":") != std::string::npos, json);
    // An alert as an interval ends names the slowest of the interval just reported.
    Recorder late;
    Monitor at_end(settings(AlertRuleKind::absolute, 10, 0.2), late);
    at_end.advance_to(1009);
    for (int i = 0; i < 3; ++i) at_end.record(timed("/slow", 900000));
    at_end.advance_to(1011);
    BOOST_TEST_REQUIRE(late.alerts.size() == 1u);
    BOOST_TEST(late.alerts[0].at == 1010);
    BOOST_TEST_REQUIRE(late.alerts[0].slowest.size() == 1u);
    BOOST_TEST(late.alerts[0].slowest[0].section == "/slow");
    // Without response times, no such list.
    Recorder plain;
    Monitor untimed(settings(AlertRuleKind::absolute, 10, 0.2), plain);
    untimed.advance_to(1005);
    for (int i = 0; i < 5; ++i) untimed.record(hit());
    untimed.advance_to(1011);
    BOOST_TEST_REQUIRE(plain.alerts.size() == 1u);
    BOOST_TEST(plain.alerts[0].slowest.empty());
    BOOST_TEST(to_json(plain.alerts[0]).find("slowest") == std::string::npos);
}

namespace {

// `seconds` seconds of `rate` hits a second (status `status`), from `from`, as a replay counts them.
void steady_hits(Monitor& m, UnixSeconds from, UnixSeconds seconds, int rate, int status = 200) {
    ParseResult line = hit();
    line.line.status = status;
    for (UnixSeconds t = from; t < from + seconds; ++t) {
        m.advance_to(t);
        for (int i = 0; i < rate; ++i) m.record(line);
    }
}

// "drop low", "drop recovered": each alert's kind and state.
std::vector<std::string> kinds_of(const std::vector<AlertEvent>& alerts) {
    std::vector<std::string> out;
    for (const auto& e : alerts) out.push_back(std::string(name_of(e.kind)) + " " + std::string(state_name(e)));
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_replay_does_not_skip_over_a_silence_where_traffic_is_missed) {
    // Quiet stretches are skipped in a replay, but not one where the drop alert can fire:
    // two hours at 20 req/s, then nothing for 20 minutes, then the traffic again.
    Recorder out;
    MonitorSettings s = settings(AlertRuleKind::adaptive);
    s.skip_quiet_gaps = true;
    s.report_empty = false;
    Monitor m(s, out);
    steady_hits(m, 1763632800, 7200, 20);
    BOOST_TEST(out.alerts.empty());
    steady_hits(m, 1763632800 + 7200 + 1200, 600, 20);
    const std::vector<std::string> expected = {"drop low", "drop recovered"};
    BOOST_TEST(kinds_of(out.alerts) == expected, boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(out.alerts.size() == 2u);
    BOOST_TEST(out.alerts[0].at - (1763632800 + 7200) <= 60);
    BOOST_TEST(out.alerts[1].at - (1763632800 + 7200 + 1200) <= 180);
}

BOOST_AUTO_TEST_CASE(while_a_backlog_is_read_an_empty_window_is_no_drop) {
    Recorder out;
    Monitor m(settings(AlertRuleKind::adaptive), out);
    steady_hits(m, 1763632800, 7200, 20);
    // The daemon reads a backlog: the window's seconds are still to come, the clock moves on.
    for (UnixSeconds t = 1763632800 + 7200; t < 1763632800 + 7200 + 300; ++t) {
        m.window_incomplete();
        m.advance_to(t);
    }
    BOOST_TEST(out.alerts.empty());
}

BOOST_AUTO_TEST_CASE(the_kinds_and_the_sections_learning_survive_a_restart) {
    Recorder out;
    Monitor before(settings(AlertRuleKind::adaptive), out);
    steady_hits(before, 1763632800, 7200, 20, 200);
    const SavedAlert saved = before.save_alert();
    BOOST_TEST_REQUIRE(saved.kinds.size() == 3u);
    BOOST_TEST(saved.sections.shares.size() == 1u);
    Recorder again;
    Monitor after(settings(AlertRuleKind::adaptive), again);
    after.advance_to(1763632800 + 7200 + 60);
    BOOST_TEST(after.restore_alert(saved));
    for (const KindStatus& k : after.kind_statuses()) {
        // The log had no response times: nothing for the latency alert to learn.
        if (k.kind != AlertKind::latency) BOOST_TEST(k.learning_left_s == 0, name_of(k.kind));
    }
    BOOST_TEST(after.traffic_normal().level() == before.traffic_normal().level());
}

BOOST_AUTO_TEST_CASE(a_wave_of_errors_comes_after_its_report_and_is_on_in_the_next) {
    Recorder out;
    Monitor m(settings(AlertRuleKind::adaptive), out);
    steady_hits(m, 1763632800, 7200, 20);
    steady_hits(m, 1763632800 + 7200, 60, 20, 503);
    BOOST_TEST_REQUIRE(out.alerts.size() == 1u);
    BOOST_TEST((out.alerts[0].kind == AlertKind::errors));
    BOOST_TEST(out.alerts[0].high);
    steady_hits(m, 1763632800 + 7260, 10, 20);
    BOOST_TEST(out.reports.back().alerts_on.has(AlertKind::errors));
    BOOST_TEST(!out.reports.back().alerts_on.has(AlertKind::traffic));
    BOOST_TEST((out.reports.back().alert_kinds == AlertKinds::all()));
}

BOOST_AUTO_TEST_CASE(a_replay_window_reports_its_intervals_and_alerts_only_and_learns_from_those_before) {
    Recorder out;
    MonitorSettings s = settings(AlertRuleKind::absolute, 10, 1);  // high above 10 hits in 10 s
    s.report_from = 1020;
    s.report_until = 1040;
    Monitor m(s, out);
    // 20 hits a second from 1000 to 1050: high at the end of the first interval, before the
    // window, and on through it.
    for (UnixSeconds t = 1000; t < 1050; ++t) {
        m.advance_to(t);
        for (int i = 0; i < 20; ++i) m.record(hit());
    }
    m.advance_to(1060);
    m.flush_partial();
    BOOST_TEST_REQUIRE(out.reports.size() == 2u);
    BOOST_TEST(out.reports[0].interval_start == 1020);
    BOOST_TEST(out.reports[1].interval_start == 1030);
    BOOST_TEST(out.reports[0].alert_high);  // as the whole run has it
    BOOST_TEST(out.reports[1].total_hits == 400u);  // from the window's start
    BOOST_TEST(out.alerts.empty());  // it went high before the window
    const RunSummary summary = m.run_summary();
    BOOST_TEST(summary.first == 1020);
    BOOST_TEST(summary.last == 1040);
    BOOST_TEST(summary.hits == 400u);
    BOOST_TEST(summary.alerts == 0u);
    BOOST_TEST(summary.alert_seconds == 20);
}
