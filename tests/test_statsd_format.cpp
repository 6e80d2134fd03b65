// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE statsd_format
#include "format/statsd_format.h"

#include <algorithm>

#include <boost/test/unit_test.hpp>
#include <string>

using namespace hitwatch;

BOOST_AUTO_TEST_CASE(section_names_become_safe_metric_names) {
    const std::pair<const char*, const char*> cases[] = {
        {"/", "root"},
        {"/api", "api"},
        {"/favicon.ico", "favicon_ico"},
        {"/a:b|c#d@e", "a_b_c_d_e"},
        {"/x\ny\rz", "x_y_z"},
        {"/caf%C3%A9", "caf_C3_A9"},
        {"/Up-Case_ok", "Up-Case_ok"},
        {"/\xff\xfe", "__"},
    };
    for (const auto& [section, name] : cases) BOOST_TEST(metric_name(section) == name, section);
    BOOST_TEST(metric_name("/" + std::string(500, 'a')).size() == 64u);
}

BOOST_AUTO_TEST_CASE(hostile_sections_cannot_inject_into_a_packet) {
    Report r;
    r.sections = {{"/evil:1|c\nhitwatch.hits:999999|c#x@0.1", 1}};
    for (bool tags : {false, true}) {
        StatsdSettings s;
        s.tags = tags;
        for (const auto& line : statsd_lines(r, s)) {
            // every line is name:value|type, with at most one tag part
            BOOST_TEST(line.find('\n') == std::string::npos);
            const size_t colon = line.find(':');
            const std::string name = line.substr(0, colon);
            BOOST_TEST(name.find_first_of("|#@:") == std::string::npos, line);
            const std::string rest = line.substr(colon + 1);
            const size_t bar = rest.find('|');
            BOOST_TEST(rest.substr(0, bar).find_first_not_of("0123456789") == std::string::npos, line);
            const std::string tail = rest.substr(bar + 1);
            BOOST_TEST((tail == "c" || tail == "g" || tail.rfind("c|#", 0) == 0), line);
            if (tail.rfind("c|#", 0) == 0) {
                const std::string tag = tail.substr(3);  // "section:VALUE"
                BOOST_TEST(tag.substr(tag.find(':') + 1).find_first_of("|#@,:") == std::string::npos, line);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(plain_and_dogstatsd_forms) {
    Report r;
    r.hits = 12;
    r.bytes = 3400;
    r.invalid = 1;
    r.status_classes = {0, 10, 1, 1, 0};
    r.sections = {{"/api", 12}};
    r.alert_window_hits = 120;
    r.alert_high = true;
    r.alert_kinds = AlertKinds::all();
    r.alerts_on.add(AlertKind::traffic);
    r.alerts_on.add(AlertKind::drop);
    StatsdSettings s;
    const auto plain = statsd_lines(r, s);
    const std::vector<std::string> expected = {
        "hitwatch.hits:12|c", "hitwatch.bytes:3400|c", "hitwatch.invalid:1|c", "hitwatch.status.1xx:0|c",
        "hitwatch.status.2xx:10|c", "hitwatch.status.3xx:1|c", "hitwatch.status.4xx:1|c", "hitwatch.status.5xx:0|c",
        "hitwatch.section.api:12|c", "hitwatch.alert.window_hits:120|g", "hitwatch.alert.high:1|g",
        "hitwatch.alert.traffic:1|g", "hitwatch.alert.errors:0|g", "hitwatch.alert.latency:0|g", "hitwatch.alert.drop:1|g",
        "hitwatch.lag_bytes:0|g", "hitwatch.logs.unhealthy:0|g"};
    BOOST_TEST(plain == expected, boost::test_tools::per_element());
    s.tags = true;
    s.prefix = "web1.hw";
    const auto tagged = statsd_lines(r, s);
    BOOST_TEST(tagged[4] == "web1.hw.status:10|c|#status:2xx");
    BOOST_TEST(tagged[8] == "web1.hw.section.hits:12|c|#section:/api");
    BOOST_TEST(tagged[14] == "web1.hw.alert:1|g|#kind:drop");
    // Only the kinds that alert get a gauge.
    r.alert_kinds = AlertKinds();
    r.alert_kinds.add(AlertKind::errors);
    const auto one = statsd_lines(r, StatsdSettings{});
    BOOST_TEST(std::count_if(one.begin(), one.end(), [](const std::string& l) { return l.find("hitwatch.alert.") == 0; }) == 3);
    BOOST_TEST((std::find(one.begin(), one.end(), "hitwatch.alert.errors:0|g") != one.end()));
}

BOOST_AUTO_TEST_CASE(a_backfill_report_sends_its_counts_but_no_gauges_of_now) {
    Report r;
    r.backfill = true;
    r.interval_end = 1763632810;
    r.hits = 7;
    r.sections = {{"/api", 7}};
    r.status_classes = {0, 7, 0, 0, 0};
    r.alert_window_hits = 120;
    r.alert_high = true;
    const auto lines = statsd_lines(r, StatsdSettings{});
    BOOST_TEST(lines.front() == "hitwatch.hits:7|c");
    for (const auto& line : lines) BOOST_TEST(line.find("|g") == std::string::npos, line);
    // Graphite gets it at its own time.
    const auto graphite = graphite_lines(r, "hitwatch");
    BOOST_TEST(graphite.front() == "hitwatch.hits 7 1763632810");
    BOOST_TEST(graphite.size() == lines.size());
}

BOOST_AUTO_TEST_CASE(datagrams_never_exceed_the_limit) {
    std::vector<std::string> lines;
    for (int i = 0; i < 200; ++i) lines.push_back("hitwatch.section.s" + std::to_string(i) + ":" + std::to_string(i) + "|c");
    for (size_t limit : {64u, 100u, 1432u, 8932u}) {
        const auto packets = pack_datagrams(lines, limit);
        std::string joined;
        for (const auto& p : packets) {
            BOOST_TEST(p.size() <= limit);
            BOOST_TEST(p.front() != '\n');
            BOOST_TEST(p.back() != '\n');
            joined += (joined.empty() ? "" : "\n") + p;
        }
        std::string all;
        for (const auto& l : lines) all += (all.empty() ? "" : "\n") + l;
        BOOST_TEST(joined == all);  // nothing lost, nothing split mid-line
    }
    // exactly at the limit: "a:1|c\nb:2|c" is 11 bytes
    BOOST_TEST(pack_datagrams({"a:1|c", "b:2|c"}, 11).size() == 1u);
    BOOST_TEST(pack_datagrams({"a:1|c", "b:2|c"}, 10).size() == 2u);
}

BOOST_AUTO_TEST_CASE(statuses_past_5xx_only_when_seen_and_other_as_a_section) {
    Report r;
    r.status_classes[8] = 2;  // 906
    r.sections = {{"/api", 12, 3}, {"(other)", 5, 0}};
    r.sections_truncated = true;
    const auto lines = statsd_lines(r, StatsdSettings{});
    BOOST_TEST(std::count(lines.begin(), lines.end(), "hitwatch.status.9xx:2|c") == 1);
    BOOST_TEST(std::count(lines.begin(), lines.end(), "hitwatch.status.6xx:0|c") == 0);
    BOOST_TEST(std::count(lines.begin(), lines.end(), "hitwatch.status.5xx:0|c") == 1);
    BOOST_TEST(std::count(lines.begin(), lines.end(), "hitwatch.section._other_:5|c") == 1);
}

BOOST_AUTO_TEST_CASE(exact_codes_and_latency_gauges_beside_the_classes) {
    Report r;
    r.status_classes[3] = 1;
    r.codes[404 - 100] = 1;
    r.latency = LatencySummary{0.25, 2, 12.5, 40};
    r.sections = {{"/api", 1, 0, LatencySummary{1, 2, 3.5, 4}}};
    const auto has = [](const std::vector<std::string>& lines, const std::string& line) {
        return std::find(lines.begin(), lines.end(), line) != lines.end();
    };
    StatsdSettings plain;
    const auto lines = statsd_lines(r, plain);
    BOOST_TEST(has(lines, "hitwatch.status.4xx:1|c"));
    BOOST_TEST(has(lines, "hitwatch.code.404:1|c"));
    BOOST_TEST(has(lines, "hitwatch.latency.p50:0.25|g"));
    BOOST_TEST(has(lines, "hitwatch.latency.p99:12.5|g"));
    BOOST_TEST(has(lines, "hitwatch.latency.max:40|g"));
    BOOST_TEST(has(lines, "hitwatch.section.api.latency.p99:3.5|g"));
    StatsdSettings tagged;
    tagged.tags = true;
    const auto tags = statsd_lines(r, tagged);
    BOOST_TEST(has(tags, "hitwatch.code:1|c|#code:404"));
    BOOST_TEST(has(tags, "hitwatch.section.latency.p99:3.5|g|#section:/api"));
    const auto graphite = graphite_lines(r, "hitwatch");
    BOOST_TEST(has(graphite, "hitwatch.code.404 1 0"));
    BOOST_TEST(has(graphite, "hitwatch.latency.p99 12.5 0"));
}
