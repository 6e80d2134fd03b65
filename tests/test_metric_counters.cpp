// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE metric_counters
// The counters behind /metrics and their exposition: a bounded set of section series given
// by reports, every line counted once, histograms cumulative, labels escaped.
#include "core/metric_counters.h"
#include "core/section.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "format/prometheus_format.h"

using namespace hitwatch;

namespace {

LogLine hit(std::string_view section, int status = 200, std::int64_t duration_us = -1) {
    LogLine line;
    line.section = section;
    line.status = status;
    line.bytes = 10;
    line.duration_us = duration_us;
    return line;
}

std::uint64_t requests_of(const MetricCounters& counters, std::string_view section) {
    for (const auto& [name, series] : counters.sections()) {
        if (name == section) return series->requests;
    }
    return ~0ull;  // no such series
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_section_gets_a_series_once_a_report_lists_it_until_the_cap) {
    MetricCounters counters(2);
    counters.count_hit(hit("/a"));
    counters.count_hit(hit("/b"));
    BOOST_TEST(counters.sections().size() == 1u);  // "(other)" alone
    BOOST_TEST(requests_of(counters, "(other)") == 2u);
    // A truncated report's "(other)" is not a section; the cap is 2.
    counters.list({{"/a", 1}, {"(other)", 5}, {"/b", 1}, {"/c", 1}});
    BOOST_TEST(counters.sections().size() == 3u);
    // Its lines since the report before come with it: its counter is what reports say. The
    // section's first interval was missing before (78,086 of 80,000 on a real nginx).
    BOOST_TEST(requests_of(counters, "/a") == 1u);
    BOOST_TEST(requests_of(counters, "/c") == ~0ull);
    BOOST_TEST(requests_of(counters, "(other)") == 2u);  // it gives them up only as it grows
    counters.count_hit(hit("/a"));
    counters.count_hit(hit("/c"));
    counters.count_hit(hit("/b", 404));
    BOOST_TEST(requests_of(counters, "/a") == 2u);
    BOOST_TEST(requests_of(counters, "/b") == 2u);
    BOOST_TEST(requests_of(counters, "(other)") == 2u);  // 3 counted, 2 carried away, never less than 2
    BOOST_TEST(counters.requests() == 5u);
    BOOST_TEST(counters.bytes() == 50u);
    BOOST_TEST(counters.codes()[200 - 100] == 4u);
    BOOST_TEST(counters.codes()[404 - 100] == 1u);
}

BOOST_AUTO_TEST_CASE(odd_bytes_count_under_the_name_reports_give_them) {
    MetricCounters counters;
    counters.list({{"/caf%E9", 1}});
    counters.count_hit(hit("/caf\xE9"));
    BOOST_TEST(requests_of(counters, "/caf%E9") == 1u);
    counters.count_hit(hit("/d\xE9j\xE0"));  // counted in "(other)" before a report lists it
    counters.list({{"/d%E9j%E0", 1}});
    BOOST_TEST(requests_of(counters, "/d%E9j%E0") == 1u);
}

// A Prometheus label of a long section is the name reports give it, a few hundred bytes: a
// scrape config's label_value_length_limit fails the whole scrape for one label past it.
BOOST_AUTO_TEST_CASE(a_long_section_counts_under_its_short_name) {
    MetricCounters counters;
    const std::string head = "/" + std::string(hitwatch::kMaxSectionBytes - 1, 'x');
    counters.list({{head + "\xe2\x80\xa6", 1}});
    counters.count_hit(hit(head + std::string(8000, 'a')));
    BOOST_TEST(requests_of(counters, head + "\xe2\x80\xa6") == 1u);
}

BOOST_AUTO_TEST_CASE(the_exposition_has_cumulative_buckets_escaped_labels_and_every_reason) {
    MetricCounters counters;
    counters.list({{"/a\"b\\c", 1}});
    counters.count_hit(hit("/a\"b\\c", 200, 5000));     // 0.005 s: in le="0.005"
    counters.count_hit(hit("/a\"b\\c", 200, 300000));   // 0.3 s
    counters.count_hit(hit("/z", 503, 20'000'000));     // 20 s: +Inf only
    counters.count_invalid(ParseError::bad_status);
    counters.count_overlong();
    MetricsSnapshot snapshot{counters};
    snapshot.logs = {{"/var/log/a\nb.log", 2, 7, true}};
    snapshot.version = "1.2.3";
    const std::string text = to_prometheus(snapshot);
    const auto has = [&](const std::string& line) { return text.find("\n" + line + "\n") != std::string::npos; };
    const std::string a = "section=\"/a\\\"b\\\\c\"";
    BOOST_TEST(has("hitwatch_requests_total{" + a + "} 2"));
    BOOST_TEST(has("hitwatch_requests_total{section=\"(other)\"} 1"));
    BOOST_TEST(has("hitwatch_request_duration_seconds_bucket{" + a + ",le=\"0.005\"} 1"));
    BOOST_TEST(has("hitwatch_request_duration_seconds_bucket{" + a + ",le=\"0.25\"} 1"));
    BOOST_TEST(has("hitwatch_request_duration_seconds_bucket{" + a + ",le=\"0.5\"} 2"));
    BOOST_TEST(has("hitwatch_request_duration_seconds_bucket{" + a + ",le=\"+Inf\"} 2"));
    BOOST_TEST(has("hitwatch_request_duration_seconds_sum{" + a + "} 0.305"));
    BOOST_TEST(has("hitwatch_request_duration_seconds_count{" + a + "} 2"));
    BOOST_TEST(has("hitwatch_request_duration_seconds_bucket{section=\"(other)\",le=\"10\"} 0"));
    BOOST_TEST(has("hitwatch_request_duration_seconds_bucket{section=\"(other)\",le=\"+Inf\"} 1"));
    BOOST_TEST(has("hitwatch_responses_total{code=\"503\"} 1"));
    BOOST_TEST(text.find("code=\"404\"") == std::string::npos);  // codes appear once seen
    BOOST_TEST(has("hitwatch_invalid_lines_total{reason=\"bad_status\"} 1"));
    BOOST_TEST(has("hitwatch_invalid_lines_total{reason=\"overlong\"} 1"));
    BOOST_TEST(has("hitwatch_invalid_lines_total{reason=\"bad_time\"} 0"));  // every reason, so rate() works from the start
    BOOST_TEST(text.find("reason=\"blank\"") == std::string::npos);
    BOOST_TEST(has("hitwatch_log_rotations_total{log=\"/var/log/a\\nb.log\"} 2"));
    BOOST_TEST(has("hitwatch_log_lag_bytes{log=\"/var/log/a\\nb.log\"} 7"));
    BOOST_TEST(has("hitwatch_build_info{version=\"1.2.3\"} 1"));
    BOOST_TEST(has("# TYPE hitwatch_request_duration_seconds histogram"));
}

BOOST_AUTO_TEST_CASE(no_histogram_without_response_times) {
    MetricCounters counters;
    counters.count_hit(hit("/a"));
    BOOST_TEST(to_prometheus(MetricsSnapshot{counters}).find("hitwatch_request_duration_seconds") == std::string::npos);
}
