// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE json_format
#include "format/json_format.h"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>

using namespace hitwatch;
namespace json = boost::json;

BOOST_AUTO_TEST_CASE(report_fields_are_the_contract) {
    Report r;
    r.interval_start = 1763632800;
    r.interval_end = 1763632810;
    r.hits = 3;
    r.bytes = 300;
    r.invalid = 1;
    r.sections = {{"/api", 2}, {"/", 1}};
    r.status_classes = {0, 2, 0, 1, 0};
    r.total_hits = 30;
    const json::object o = json::parse(to_json(r)).as_object();
    BOOST_TEST(o.at("type") == "report");
    BOOST_TEST(o.at("interval_start") == "2025-11-20T10:00:00Z");
    BOOST_TEST(o.at("interval_end") == "2025-11-20T10:00:10Z");
    BOOST_TEST(o.at("hits").to_number<int>() == 3);
    BOOST_TEST(o.at("bytes").to_number<int>() == 300);
    BOOST_TEST(o.at("invalid").to_number<int>() == 1);
    BOOST_TEST(o.at("total_hits").to_number<int>() == 30);
    const json::array& s = o.at("sections").as_array();
    BOOST_TEST_REQUIRE(s.size() == 2u);
    BOOST_TEST(s[0].at("section") == "/api");
    BOOST_TEST(s[0].at("hits").to_number<int>() == 2);
    const json::object& st = o.at("status").as_object();
    BOOST_TEST(st.at("2xx").to_number<int>() == 2);
    BOOST_TEST(st.at("4xx").to_number<int>() == 1);
    BOOST_TEST(!st.contains("5xx"));
    BOOST_TEST(!o.contains("partial"));
}

BOOST_AUTO_TEST_CASE(alert_fields_are_the_contract) {
    AlertEvent e;
    e.high = true;
    e.rule = AlertRuleKind::absolute;
    e.hits = 1500;
    e.window_s = 120;
    e.threshold = 10;
    e.limit_hits = 1200;
    e.at = 1763632800;
    const json::object o = json::parse(to_json(e)).as_object();
    BOOST_TEST(o.at("type") == "alert");
    BOOST_TEST(o.at("kind") == "traffic");
    BOOST_TEST(o.at("state") == "high");
    BOOST_TEST(o.at("rule") == "absolute");
    BOOST_TEST(o.at("hits").to_number<int>() == 1500);
    BOOST_TEST(o.at("window_s").to_number<int>() == 120);
    BOOST_TEST(o.at("threshold").to_number<double>() == 10.0);
    BOOST_TEST(o.at("at") == "2025-11-20T10:00:00Z");
    e.high = false;
    e.threshold = 2.5;
    const json::object r = json::parse(to_json(e)).as_object();
    BOOST_TEST(r.at("state") == "recovered");
    BOOST_TEST(r.at("threshold").to_number<double>() == 2.5);
}

BOOST_AUTO_TEST_CASE(each_kinds_alert_carries_its_own_fields) {
    AlertEvent e;
    e.kind = AlertKind::errors;
    e.high = true;
    e.window_s = 120;
    e.at = 1763632800;
    e.errors = 300;
    e.requests = 2400;
    e.error_ratio = 0.125;
    e.normal_error_ratio = 0.01;
    e.limit_error_ratio = 0.02;
    BOOST_TEST(to_json(e) ==
               R"x({"type":"alert","kind":"errors","state":"high","rule":"adaptive","errors":300,"requests":2400,)x"
               R"x("error_ratio":0.125,"normal_error_ratio":0.01,"limit_error_ratio":0.02,"window_s":120,)x"
               R"x("at":"2025-11-20T10:00:00Z","message":"5xx errors generated an alert - 5xx = 12.5 % of 2400 requests, )x"
               R"x(triggered at 2025-11-20T10:00:00Z (limit 2.0 % = normal 1.0 % + 1.0 %; adaptive rule)"})x");
    AlertEvent l;
    l.kind = AlertKind::latency;
    l.high = false;
    l.window_s = 120;
    l.at = 1763632800;
    l.duration_s = 90;
    l.p99_ms = 180.0004;
    l.normal_p99_ms = 150;
    l.limit_p99_ms = 170.5;
    const json::object lo = json::parse(to_json(l)).as_object();
    BOOST_TEST(lo.at("kind") == "latency");
    BOOST_TEST(lo.at("state") == "recovered");
    BOOST_TEST(lo.at("p99_ms").to_number<double>() == 180.0);
    BOOST_TEST(lo.at("normal_p99_ms").to_number<double>() == 150.0);
    BOOST_TEST(lo.at("limit_p99_ms").to_number<double>() == 170.5);
    BOOST_TEST(lo.at("duration_s").to_number<int>() == 90);
    BOOST_TEST(!lo.contains("hits"));
    AlertEvent d;
    d.kind = AlertKind::drop;
    d.high = true;
    d.window_s = 120;
    d.at = 1763632800;
    d.hits = 12;
    d.normal_hits = 2400;
    d.limit_hits = 1800;
    const json::object dr = json::parse(to_json(d)).as_object();
    BOOST_TEST(dr.at("kind") == "drop");
    BOOST_TEST(dr.at("state") == "low");
    BOOST_TEST(dr.at("rule") == "adaptive");
    BOOST_TEST(dr.at("hits").to_number<int>() == 12);
    BOOST_TEST(dr.at("normal_hits").to_number<int>() == 2400);
    BOOST_TEST(dr.at("limit_hits").to_number<int>() == 1800);
    BOOST_TEST(!dr.contains("grew_most"));
}

BOOST_AUTO_TEST_CASE(a_truncated_report_gives_each_listed_section_its_error_and_the_rest_as_other) {
    Report r;
    r.hits = 25000;
    r.sections = {{"/hot", 4990, 12}, {"/scan1", 1, 11}, {"(other)", 20009, 0}};
    r.sections_truncated = true;
    r.status_classes[8] = 1;
    const json::object o = json::parse(to_json(r)).as_object();
    BOOST_TEST(o.at("sections_truncated") == true);
    const json::array& s = o.at("sections").as_array();
    BOOST_TEST(s[0].at("section") == "/hot");
    BOOST_TEST(s[0].at("hits").to_number<int>() == 4990);
    BOOST_TEST(s[0].at("error").to_number<int>() == 12);
    BOOST_TEST(s[2].at("section") == "(other)");
    BOOST_TEST(!s[2].as_object().contains("error"));
    BOOST_TEST(o.at("status").at("9xx").to_number<int>() == 1);
    Report exact;
    exact.sections = {{"/a", 1}};
    const json::object e = json::parse(to_json(exact)).as_object();
    BOOST_TEST(!e.contains("sections_truncated"));
    BOOST_TEST(!e.at("sections").as_array()[0].as_object().contains("error"));
}

BOOST_AUTO_TEST_CASE(live_reports_say_how_each_log_is_read) {
    Report r;
    LiveFigures live;
    live.unhealthy = 1;
    live.logs.push_back({"/var/log/a.log", 3, 0, 0, "reading", ""});
    live.logs.push_back({"/var/log/b.log", 0, 0, 0, "waiting", "No such file or directory"});
    r.live = live;
    const json::object o = json::parse(to_json(r)).as_object();
    const json::array& logs = o.at("logs").as_array();
    BOOST_TEST(logs[0].at("state") == "reading");
    BOOST_TEST(!logs[0].as_object().contains("error"));
    BOOST_TEST(logs[1].at("state") == "waiting");
    BOOST_TEST(logs[1].at("error") == "No such file or directory");
}

BOOST_AUTO_TEST_CASE(exact_codes_and_latency_percentiles_are_fields_of_the_report) {
    Report r;
    r.hits = 3;
    r.codes[200 - 100] = 2;
    r.codes[404 - 100] = 1;
    r.latency = LatencySummary{1.5, 20, 25.0004, 30};
    r.sections = {{"/api", 2, 0, LatencySummary{1, 2, 3, 4}}, {"/", 1}};
    const json::object o = json::parse(to_json(r)).as_object();
    const json::object& codes = o.at("codes").as_object();
    BOOST_TEST(codes.size() == 2u);
    BOOST_TEST(codes.at("200").to_number<int>() == 2);
    BOOST_TEST(codes.at("404").to_number<int>() == 1);
    const json::object& latency = o.at("latency_ms").as_object();
    BOOST_TEST(latency.at("p50").to_number<double>() == 1.5);
    BOOST_TEST(latency.at("p90").to_number<double>() == 20);
    BOOST_TEST(latency.at("p99").to_number<double>() == 25);  // to the microsecond
    BOOST_TEST(latency.at("max").to_number<double>() == 30);
    const json::array& s = o.at("sections").as_array();
    BOOST_TEST(s[0].at("latency_ms").at("p99").to_number<double>() == 3);
    BOOST_TEST(!s[1].as_object().contains("latency_ms"));
    // Without response times, no latency field at all.
    BOOST_TEST(!json::parse(to_json(Report{})).as_object().contains("latency_ms"));
}

BOOST_AUTO_TEST_CASE(fractions_are_written_in_plain_digits_and_read_back_exactly) {
    // Boost.JSON writes every double with an exponent: the default rule's alert said
    // "limit_hits":2.6443106515691243E3, a latency "p50":2.597E0. The same values, in the
    // digits a person writes.
    AlertEvent e;
    e.high = true;
    e.rule = AlertRuleKind::adaptive;
    e.hits = 2700;
    e.window_s = 120;
    e.threshold = e.limit_hits = 2644.3106515691243;
    e.normal_hits = 2399.3926718372722;
    e.at = 1763632800;
    const std::string alert = to_json(e);
    BOOST_TEST(alert.find("\"limit_hits\":2644.3106515691243,") != std::string::npos, alert);
    BOOST_TEST(alert.find("\"normal_hits\":2399.3926718372722,") != std::string::npos, alert);
    BOOST_TEST(json::parse(alert).at("limit_hits").as_double() == 2644.3106515691243);  // exactly
    Report r;
    r.interval_start = 1763632800;
    r.interval_end = 1763632810;
    r.latency = LatencySummary{2.597, 11.931, 12.345, 12.345};
    const std::string report = to_json(r);
    BOOST_TEST(report.find("\"latency_ms\":{\"p50\":2.597,\"p90\":11.931,\"p99\":12.345,\"max\":12.345}") !=
                   std::string::npos,
               report);
    // Far from 1 an exponent is shorter, and still JSON.
    for (const double v : {1e-7, 3.5e21, -0.25}) {
        e.normal_hits = v;
        BOOST_TEST(json::parse(to_json(e)).at("normal_hits").as_double() == v);
    }
}

// Strings and integers are written without boost::json::serialize (which makes a string of
// each, 259,200 reports a month): byte for byte as it writes them, whatever the bytes.
BOOST_AUTO_TEST_CASE(strings_and_integers_are_written_as_boost_json_writes_them) {
    std::string every_byte;
    for (int c = 0; c < 256; ++c) every_byte += static_cast<char>(c);
    for (const std::string& s : {every_byte, std::string("plain"), std::string(), std::string("\"\\/\x7f\xc3\xa9")}) {
        BOOST_TEST(to_json_text(json::value(s)) == json::serialize(json::value(s)));
        json::object keyed;
        keyed[s] = s;
        BOOST_TEST(to_json_text(keyed) == json::serialize(keyed));
    }
    for (const json::value& n : {json::value(std::int64_t{INT64_MIN}), json::value(std::int64_t{INT64_MAX}),
                                 json::value(std::uint64_t{UINT64_MAX}), json::value(0), json::value(true),
                                 json::value(false), json::value(nullptr)}) {
        BOOST_TEST(to_json_text(n) == json::serialize(n));
    }
}

// A report is written as text straight away (no tree of values): the same text, key for key,
// as the object it stands for, with every field a report can have.
BOOST_AUTO_TEST_CASE(a_report_is_written_as_its_object_would_be) {
    Report r;
    r.interval_start = 1763632800;
    r.interval_end = 1763632810;
    r.partial = r.backfill = true;
    r.hits = 7;
    r.bytes = 18446744073709551615u;
    r.invalid = 2;
    r.sections = {{"/a\"b\\\n\x01\xc3\xa9", 4, 1, LatencySummary{1.25, 2, 3.0004, 4}}, {"/", 2, 0},
                  {IntervalCounts::kOtherSection, 1}};
    r.sections_truncated = true;
    r.status_classes = {0, 5, 0, 1, 1, 0, 0, 0, 0};
    r.codes[200 - 100] = 5;
    r.codes[404 - 100] = 1;
    r.codes[999 - 100] = 1;
    r.latency = LatencySummary{0.1, 0.2, 1e-4, 123456.789};
    r.total_hits = 70;
    LiveFigures live;
    live.lag_bytes = 1;
    live.lost_bytes = 2;
    live.rotations = 3;
    live.truncations = 4;
    live.checkpointed = false;
    live.logs.push_back({"/var/log/a.log", 3, 5, 6, "reading", ""});
    live.logs.push_back({"/var/log/b\t.log", 0, 0, 0, "unreadable", "Permission denied"});
    r.live = live;

    json::object o;
    o["type"] = "report";
    o["interval_start"] = "2025-11-20T10:00:00Z";
    o["interval_end"] = "2025-11-20T10:00:10Z";
    o["partial"] = true;
    o["backfill"] = true;
    o["hits"] = 7;
    o["bytes"] = r.bytes;
    o["invalid"] = 2;
    o["sections"] = json::array{
        json::object{{"section", "/a\"b\\\n\x01\xc3\xa9"}, {"hits", 4}, {"error", 1},
                     {"latency_ms", json::object{{"p50", 1.25}, {"p90", 2.0}, {"p99", 3.0}, {"max", 4.0}}}},
        json::object{{"section", "/"}, {"hits", 2}, {"error", 0}},
        json::object{{"section", "(other)"}, {"hits", 1}}};
    o["sections_truncated"] = true;
    o["status"] = json::object{{"2xx", 5}, {"4xx", 1}, {"5xx", 1}};
    o["codes"] = json::object{{"200", 5}, {"404", 1}, {"999", 1}};
    o["latency_ms"] = json::object{{"p50", 0.1}, {"p90", 0.2}, {"p99", 0.0}, {"max", 123456.789}};
    o["total_hits"] = 70;
    o["lag_bytes"] = 1;
    o["lost_bytes"] = 2;
    o["rotations"] = 3;
    o["truncations"] = 4;
    o["checkpointed"] = false;
    o["logs"] = json::array{
        json::object{{"path", "/var/log/a.log"}, {"hits", 3}, {"lag_bytes", 5}, {"lost_bytes", 6}, {"state", "reading"}},
        json::object{{"path", "/var/log/b\t.log"}, {"hits", 0}, {"lag_bytes", 0}, {"lost_bytes", 0},
                     {"state", "unreadable"}, {"error", "Permission denied"}}};
    BOOST_TEST(to_json(r) == to_json_text(o));
    BOOST_TEST(to_json_text(to_json_value(r)) == to_json_text(o));
    // A file name in Latin-1 (no UTF-8): its bytes as they are, in the text and the document.
    r.live->logs[0].path = "/var/log/caf\xe9.log";
    BOOST_TEST(to_json(r).find("\"path\":\"/var/log/caf\xe9.log\"") != std::string::npos);
    BOOST_TEST(to_json_text(to_json_value(r)) == to_json(r));

    // And with none of the optional fields.
    const Report plain;
    BOOST_TEST(to_json(plain) ==
               R"({"type":"report","interval_start":"1970-01-01T00:00:00Z","interval_end":"1970-01-01T00:00:00Z",)"
               R"("hits":0,"bytes":0,"invalid":0,"sections":[],"status":{},"codes":{},"total_hits":0})");
}
