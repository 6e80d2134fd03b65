// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE replay
// Drives the real hitwatchd --replay on real files and checks what it prints.
#include <cstdlib>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <map>
#include <sstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "process.h"
#include "report_lines.h"

namespace json = boost::json;
using test::add_up;
using test::json_lines;
using test::n;
using test::of_type;
using test::run;
using test::Totals;

namespace {

const std::string kCorpus = CORPUS "/apache_logs";

// 5 lines/s from 2025-11-20T10:00:00Z for 15 minutes, 30 lines/s from 10:05:00 to 10:06:00.
std::string burst_log(const test::TempDir& dir) {
    const std::string path = dir.file("burst.log");
    const auto gen = run({GENLOG, "--out", path, "--rate", "5", "--duration", "900", "--start",
                          "1763632800", "--burst", "300:60:30"});
    BOOST_TEST_REQUIRE(gen.exit_code == 0);
    return path;
}

}  // namespace

BOOST_AUTO_TEST_CASE(replaying_the_real_corpus_gives_its_known_figures) {
    const auto r = run({test::hitwatchd(), "--replay", kCorpus, "--output", "json", "--top", "100"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto all = json_lines(r.out);
    const auto reports = of_type(all, "report");
    Totals t = add_up(reports);
    BOOST_TEST(t.hits == 9999);
    BOOST_TEST(t.invalid == 1);
    BOOST_TEST(t.bytes == 2747282505);
    BOOST_TEST(t.sections.size() == 41u);
    BOOST_TEST(t.sections["/presentations"] == 2305);
    BOOST_TEST(t.sections["/blog"] == 1959);
    BOOST_TEST(t.sections["/images"] == 1243);
    BOOST_TEST(t.sections["/favicon.ico"] == 808);  // "GET //favicon.ico" once: servers merge the slashes
    BOOST_TEST(t.sections["/projects"] == 603);
    BOOST_TEST(t.sections["/"] == 575);
    BOOST_TEST(t.status["2xx"] == 9170);
    BOOST_TEST(t.status["3xx"] == 609);
    BOOST_TEST(t.status["4xx"] == 217);
    BOOST_TEST(t.status["5xx"] == 3);
    BOOST_TEST(reports.front().at("interval_start") == "2015-05-17T10:05:00Z");
    BOOST_TEST(reports.back().at("interval_end") == "2015-05-20T21:06:00Z");
    BOOST_TEST(reports.back().at("partial") == true);
    BOOST_TEST(n(reports.back().at("total_hits")) == 9999);
    // The one malformed line is logged with its number and reason.
    BOOST_TEST(r.err.find("invalid line 8899 of") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("user-agent") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_corpus_read_through_apaches_combined_logformat_gives_the_presets_figures) {
    const auto preset = run({test::hitwatchd(), "--replay", kCorpus, "--output", "json", "--top", "100",
                             "--log-format", "combined"});
    const auto by_string = run({test::hitwatchd(), "--replay", kCorpus, "--output", "json", "--top", "100",
                                "--log-format", R"(%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i")"});
    BOOST_TEST_REQUIRE(preset.exit_code == 0, preset.err);
    BOOST_TEST_REQUIRE(by_string.exit_code == 0, by_string.err);
    BOOST_TEST(add_up(of_type(json_lines(by_string.out), "report")).hits == 9999);
    // All the same but the summary's lines per second, which is how fast each ran.
    const auto without_speed = [](std::string out) {
        const size_t at = out.find("\"lines_per_s\":");
        return at == std::string::npos ? out : out.substr(0, at);
    };
    BOOST_TEST(without_speed(by_string.out) == without_speed(preset.out));
    BOOST_TEST(by_string.err.find("invalid line 8899 of") != std::string::npos, by_string.err);
}

BOOST_AUTO_TEST_CASE(auto_detection_says_which_format_it_chose_or_that_it_guessed) {
    test::TempDir dir;
    const std::string vhost = dir.file("other_vhosts_access.log");
    test::write_file(vhost, R"(shop.example:443 192.0.2.1 - - [20/Nov/2025:10:00:00 +0000] "GET /cart/1 HTTP/1.1" 200 10 "-" "x"
blog.example:80 192.0.2.2 - - [20/Nov/2025:10:00:01 +0000] "GET /post/2 HTTP/1.1" 404 20 "-" "y"
)");
    const auto found = run({test::hitwatchd(), "--replay", vhost, "--output", "json"});
    BOOST_TEST_REQUIRE(found.exit_code == 0, found.err);
    BOOST_TEST(found.err.find(vhost + ": vhost_combined (2 of the first 2 lines match it)") != std::string::npos,
               found.err);
    const Totals t = add_up(of_type(json_lines(found.out), "report"));
    BOOST_TEST(t.hits == 2);
    BOOST_TEST(t.bytes == 30);
    BOOST_TEST(t.sections.at("/cart") == 1);

    // Told it is combined, the same lines are invalid, and the reason names the right preset.
    const auto told = run({test::hitwatchd(), "--replay", vhost, "--output", "json", "--log-format", "combined"});
    BOOST_TEST(told.err.find("looks like vhost_combined (format = vhost_combined)") != std::string::npos, told.err);

    const std::string junk = dir.file("junk.log");
    test::write_file(junk, "hello world\n");
    const auto guessed = run({test::hitwatchd(), "--replay", junk, "--output", "json"});
    BOOST_TEST(guessed.err.find("no known format") != std::string::npos, guessed.err);
    BOOST_TEST(guessed.err.find("A line: hello world") != std::string::npos, guessed.err);
}

BOOST_AUTO_TEST_CASE(an_aws_load_balancers_gzipped_logs_from_s3_are_found_and_merged) {
    // As S3 holds them: a gzip file a load balancer node every 5 minutes, named by account,
    // region, balancer, time and node. Each is a log of its own, merged in time order.
    test::TempDir dir;
    const std::string head = " app/shop-alb/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 ";
    const std::string tail =
        R"( "curl/8.0" - - arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6 )"
        R"("Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2026-11-20T10:00:00.000000Z "forward" "-" "-" )"
        R"("10.0.0.1:80" "200" "-" "-" TID_1234)";
    const std::string prefix =
        "123456789012_elasticloadbalancing_eu-west-1_app.shop-alb.50dc6c495c0c9188_20261120T1000Z_";
    const std::vector<std::string> logs = {dir.file(prefix + "10.0.1.5_2y7z9s0f.log"),
                                           dir.file(prefix + "10.0.2.7_5b1c2d3e.log")};
    test::write_file(logs[0], "https 2026-11-20T10:00:01.100000Z" + head + "0.250 0.000 200 200 90 5000 " +
                                  R"("GET https://shop.example:443/cart/add HTTP/1.1")" + tail + "\n" +
                                  "https 2026-11-20T10:00:03.100000Z" + head + "-1 -1 504 - 90 0 " +
                                  R"("GET https://shop.example:443/cart/view HTTP/1.1")" + tail + "\n");
    test::write_file(logs[1], "https 2026-11-20T10:00:02.100000Z" + head + "0.050 0.000 200 200 90 700 " +
                                  R"("GET https://shop.example:443/api/stock HTTP/1.1")" + tail + "\n");
    for (const std::string& log : logs) BOOST_TEST_REQUIRE(run({"/bin/sh", "-c", "gzip '" + log + "'"}).exit_code == 0);
    const auto r = run({test::hitwatchd(), "--replay", logs[0] + ".gz", logs[1] + ".gz", "--output", "json"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find(logs[0] + ".gz: alb (2 of the first 2 lines match it)") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("replayed 3 lines: 3 hits, 0 invalid") != std::string::npos, r.err);
    const Totals t = add_up(of_type(json_lines(r.out), "report"));
    BOOST_TEST(t.bytes == 5700);
    BOOST_TEST(t.sections.at("/cart") == 2);
    BOOST_TEST(t.sections.at("/api") == 1);
    BOOST_TEST(t.status.at("5xx") == 1);
    // The target's response times: 250 and 50 ms; the 504 had none.
    const json::object report = of_type(json_lines(r.out), "report").at(0);
    const json::object& latency = report.at("latency_ms").as_object();
    BOOST_TEST(latency.at("p50").to_number<double>() == 50.0, boost::test_tools::tolerance(0.01));
    BOOST_TEST(latency.at("max").to_number<double>() == 250.0);
}

BOOST_AUTO_TEST_CASE(an_istio_sidecars_pod_log_is_found_and_its_unanswered_and_tcp_lines_named) {
    // A sidecar's access log as the node keeps it (/var/log/pods/.../istio-proxy/0.log): Istio's
    // default format inside CRI's. Before: read as combined, every line invalid.
    test::TempDir dir;
    const std::string cri = "2026-11-20T10:00:00.000000000Z stdout F ";
    const std::string tail = R"( outbound|8080||shop.default.svc.cluster.local 10.44.1.23:37660 10.0.45.185:8080 )"
                             R"(10.44.1.23:46530 - default)";
    const std::string log = dir.file("0.log");
    test::write_file(
        log,
        cri + R"([2026-11-20T10:00:00.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" )"
              R"("curl/7.73.0-DEV" "8496" "httpbin:8000" "10.44.1.27:80")" + tail + "\n" +
            // A connection to a database: no HTTP request.
            cri + R"([2026-11-20T10:00:01.000Z] "- - -" 0 - - - "-" 1234 5678 100 - "-" "-" "-" "-" )"
                  R"("10.44.1.27:3306")" + tail + "\n" +
            // A probe that went away before the answer.
            cri + R"([2026-11-20T10:00:02.000Z] "GET /healthz HTTP/1.1" 0 DC downstream_remote_disconnect - "-" )"
                  R"(0 0 1 - "-" "kube-probe/1.27" "aabb" "10.44.1.23:15021" "-")" + tail + "\n" +
            cri + R"([2026-11-20T10:00:03.100Z] "POST /api/v1/orders?id=7 HTTP/2" 503 UF )"
                  R"(upstream_reset_before_response_started{connection_failure} - "-" 120 91 30 - "-" "Mozilla/5.0" )"
                  R"("e3f4" "shop.example" "10.44.1.28:8080")" + tail + "\n" +
            cri + R"([2026-11-20T10:00:04.500Z] "GET /api/v1/stock HTTP/1.1" 200 - via_upstream - "-" 0 700 12 11 )"
                  R"("-" "curl/8.0" "ccdd" "shop.example" "10.44.1.28:8080")" + tail + "\n");
    const auto r = run({test::hitwatchd(), "--replay", log, "--output", "json"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find(log + ": cri+istio (5 of the first 5 lines match it)") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("replayed 5 lines: 3 hits, 2 invalid (no_response 1, tcp_connection 1)") != std::string::npos,
               r.err);
    const json::object summary = of_type(json_lines(r.out), "summary").at(0);
    BOOST_TEST(json::serialize(summary.at("invalid_reasons")) == R"({"no_response":1,"tcp_connection":1})");
    const Totals t = add_up(of_type(json_lines(r.out), "report"));
    BOOST_TEST(t.sections.at("/api") == 2);
    BOOST_TEST(t.sections.at("/status") == 1);
    BOOST_TEST(t.bytes == 926);
    // DURATION is milliseconds: 4, 30 and 12.
    const json::object report = of_type(json_lines(r.out), "report").at(0);
    BOOST_TEST(report.at("latency_ms").at("max").to_number<double>() == 30.0);
}

BOOST_AUTO_TEST_CASE(a_json_log_without_a_bytes_field_is_said_once_and_still_counted) {
    // Its bytes under a name hitwatchd does not look for: before, 0 bytes and not a word.
    test::TempDir dir;
    // A line a second, at 10:MM:00 to 10:MM:(seconds-1).
    const auto json_log = [&](const std::string& name, const std::string& field, int minute, int seconds) {
        std::string lines;
        for (int s = 0; s < seconds; ++s) {
            lines += R"({"time":"2026-11-20T10:)" + std::to_string(10 + minute) + ":" + (s < 10 ? "0" : "") +
                     std::to_string(s) + R"(Z","request":"GET /a HTTP/1.1","status":200,")" + field + R"(":100})" + "\n";
        }
        test::write_file(dir.file(name), lines);
        return dir.file(name);
    };
    // Two files of one log (a rotation): said once, for the log.
    const std::string older = json_log("access.log.1", "sent", 0, 10);
    const std::string newer = json_log("access.log", "sent", 1, 20);
    const auto r = run({test::hitwatchd(), "--replay", older, newer, "--output", "json"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const std::string said =
        ": its JSON lines have no bytes field (looked for: body_bytes_sent, bytes_sent, size, bytes, "
        "DownstreamContentSize, httpRequest.responseSize), so their bytes count as 0. If the log has one, name it "
        "(--json-field bytes=NAME)";
    BOOST_TEST(r.err.find(older + said) != std::string::npos, r.err);
    BOOST_TEST(r.err.find(said) == r.err.rfind(said), r.err);
    const Totals t = add_up(of_type(json_lines(r.out), "report"));
    BOOST_TEST(t.hits == 30);
    BOOST_TEST(t.bytes == 0);

    // Named, its bytes count and nothing is said; "bytes" is looked for without a name.
    const auto named = run({test::hitwatchd(), "--replay", older, "--output", "json", "--json-field", "bytes=sent"});
    BOOST_TEST(named.err.find("no bytes field") == std::string::npos, named.err);
    BOOST_TEST(add_up(of_type(json_lines(named.out), "report")).bytes == 1000);
    const auto by_default = run({test::hitwatchd(), "--replay", json_log("bytes.log", "bytes", 0, 10), "--output", "json"});
    BOOST_TEST(by_default.err.find("no bytes field") == std::string::npos, by_default.err);
    BOOST_TEST(add_up(of_type(json_lines(by_default.out), "report")).bytes == 1000);
}

BOOST_AUTO_TEST_CASE(a_replay_ends_with_the_summary_of_the_whole_log) {
    // Per-interval reports list only each interval's top sections: adding them up undercounts.
    // The summary counts the whole log, and says its most popular section as the original tool did.
    const auto r = run({test::hitwatchd(), "--replay", kCorpus, "--output", "json", "--top", "3"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto all = json_lines(r.out);
    BOOST_TEST_REQUIRE(!all.empty());
    const auto& s = all.back();
    BOOST_TEST(s.at("type") == "summary");
    BOOST_TEST(s.at("first") == "2015-05-17T10:05:03Z");
    BOOST_TEST(s.at("last") == "2015-05-20T21:05:59Z");
    BOOST_TEST(n(s.at("lines")) == 10000);
    BOOST_TEST(n(s.at("hits")) == 9999);
    BOOST_TEST(n(s.at("bytes")) == 2747282505);
    BOOST_TEST(n(s.at("invalid")) == 1);
    BOOST_TEST(n(s.at("invalid_reasons").at("bad_user_agent")) == 1);
    BOOST_TEST(n(s.at("status").at("4xx")) == 217);
    BOOST_TEST(n(s.at("codes").at("404")) == 213);
    const auto& sections = s.at("sections").as_array();
    BOOST_TEST_REQUIRE(sections.size() == 3u);
    BOOST_TEST(sections[0].at("section") == "/presentations");
    BOOST_TEST(n(sections[0].at("hits")) == 2305);
    BOOST_TEST(n(sections[2].at("hits")) == 1243);
    Totals from_reports = add_up(of_type(all, "report"));
    BOOST_TEST(from_reports.sections["/images"] < 1243);  // what the per-interval tops add up to
    BOOST_TEST(s.at("most_popular_section") == "/presentations");
    BOOST_TEST(n(s.at("alerts")) == 0);
    BOOST_TEST(n(s.at("lines_per_s")) > 0);
    // The text view prints it as a table.
    const auto text = run({test::hitwatchd(), "--replay", kCorpus, "--output", "text"});
    BOOST_TEST(text.out.find("== summary ==") != std::string::npos, text.out);
    BOOST_TEST(text.out.find("2305  /presentations") != std::string::npos, text.out);
}

BOOST_AUTO_TEST_CASE(a_summary_counts_alerts_and_the_time_spent_high) {
    test::TempDir dir;
    const auto r = run({test::hitwatchd(), "--replay", burst_log(dir), "--output", "json", "--alert-rule", "absolute",
                        "--alert-threshold", "10"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto all = json_lines(r.out);
    const auto alerts = of_type(all, "alert");
    BOOST_TEST_REQUIRE(alerts.size() == 2u);
    const auto& s = all.back();
    BOOST_TEST(n(s.at("alerts")) == 1);
    BOOST_TEST(n(s.at("alert_seconds")) == n(alerts[1].at("duration_s")));
}

BOOST_AUTO_TEST_CASE(reports_are_in_time_order_and_sections_sorted) {
    const auto r = run({test::hitwatchd(), "--replay", kCorpus, "--output", "json", "--top", "3"});
    BOOST_TEST_REQUIRE(r.exit_code == 0);
    std::string last_time;
    for (const auto& o : json_lines(r.out)) {
        if (o.at("type") == "summary") continue;  // the last line: the whole replay
        const std::string at(o.at("type") == "report" ? o.at("interval_end").as_string()
                                                       : o.at("at").as_string());
        BOOST_TEST(at >= last_time);
        last_time = at;
        if (o.at("type") != "report") continue;
        const auto& s = o.at("sections").as_array();
        BOOST_TEST(s.size() <= 3u);
        for (size_t i = 1; i < s.size(); ++i) {
            const auto a = n(s[i - 1].at("hits")), b = n(s[i].at("hits"));
            BOOST_TEST((a > b || (a == b && s[i - 1].at("section").as_string() < s[i].at("section").as_string())));
        }
    }
}

BOOST_AUTO_TEST_CASE(absolute_rule_alerts_and_recovers_at_the_computed_seconds) {
    test::TempDir dir;
    const std::string log = burst_log(dir);
    const auto r = run({test::hitwatchd(), "--replay", log, "--output", "json", "--alert-rule", "absolute"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto alerts = of_type(json_lines(r.out), "alert");
    // 600 hits per 120 s at 5/s; each burst second adds 25. High once 600 + 25k > 1200: k = 25
    // burst seconds in the window, at 10:05:25. Back to normal once at most 24 burst seconds
    // remain in it: the window [s-120, s) holds 10:06:00 - (s-120) of them, so s = 10:07:36.
    BOOST_TEST_REQUIRE(alerts.size() == 2u);
    BOOST_TEST(alerts[0].at("state") == "high");
    BOOST_TEST(alerts[0].at("rule") == "absolute");
    BOOST_TEST(alerts[0].at("at") == "2025-11-20T10:05:25Z");
    BOOST_TEST(n(alerts[0].at("hits")) == 1225);
    BOOST_TEST(n(alerts[0].at("window_s")) == 120);
    BOOST_TEST(n(alerts[0].at("threshold")) == 10);
    BOOST_TEST(alerts[1].at("state") == "recovered");
    BOOST_TEST(alerts[1].at("at") == "2025-11-20T10:07:36Z");
    BOOST_TEST(n(alerts[1].at("hits")) == 1200);
    BOOST_TEST(alerts[1].at("message") ==
               "Traffic back to normal - hits = 1200, recovered at 2025-11-20T10:07:36Z (limit 1200 = 10/s over 120 s; "
               "absolute rule; after 2 min 11 s)");
    BOOST_TEST(n(alerts[1].at("duration_s")) == 131);
}

BOOST_AUTO_TEST_CASE(baseline_rule_alerts_at_the_first_flush_of_the_burst) {
    test::TempDir dir;
    const std::string log = burst_log(dir);
    const auto r = run({test::hitwatchd(), "--replay", log, "--output", "text", "--alert-rule", "baseline"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    // Steady 600 per window; the first burst interval lifts it to 550 + 300 = 850 > 600 + 10.
    BOOST_TEST(r.out.find("High traffic generated an alert - hits = 850, triggered at 2025-11-20T10:05:10Z") !=
               std::string::npos, r.out);
    const size_t recovered = r.out.find("Traffic back to normal - hits = ");
    BOOST_TEST_REQUIRE(recovered != std::string::npos);
    BOOST_TEST(r.out.find("2025-11-20T10:0", recovered) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reads_standard_input) {
    const auto r = run({test::hitwatchd(), "--replay", "-", "--output", "json"}, kCorpus);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(add_up(of_type(json_lines(r.out), "report")).hits == 9999);
}

BOOST_AUTO_TEST_CASE(garbage_is_counted_invalid_and_sampled_not_fatal) {
    test::TempDir dir;
    std::string garbage;
    const std::string good =
        "10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] \"GET /ok HTTP/1.1\" 200 5 \"-\" \"ua\"\n";
    garbage += good;
    for (int i = 0; i < 5000; ++i) garbage += std::string("\x00\xff\xfe garbage \" [", 14) + "\n";
    garbage += std::string(1 << 20, 'x') + "\n";  // a 1 MB line
    garbage += good;
    garbage += "\n\r\n";  // blank lines: not counted
    garbage += good.substr(0, good.size() - 1);  // no final newline
    test::write_file(dir.file("garbage.log"), garbage);
    const auto r = run({test::hitwatchd(), "--replay", dir.file("garbage.log"), "--output", "json"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const Totals t = add_up(of_type(json_lines(r.out), "report"));
    BOOST_TEST(t.hits == 3);
    BOOST_TEST(t.invalid == 5001);
    // At most one sample a second: a fast replay logs only a few.
    size_t samples = 0;
    for (size_t at = 0; (at = r.err.find("invalid line", at)) != std::string::npos; ++at) ++samples;
    BOOST_TEST(samples >= 1u);
    BOOST_TEST(samples <= 5u);
}

// A LogFormat time with no %z is Apache's local time: read in the machine's zone (TZ), with
// the offset of each line's own date (a POSIX TZ rule: no tzdata needed).
BOOST_AUTO_TEST_CASE(a_strftime_time_with_no_zone_is_read_in_the_machines_zone) {
    test::TempDir dir;
    test::write_file(dir.file("access.log"), "10.0.0.1 [2025-07-01 10:00:00] \"GET /summer HTTP/1.1\" 200 5\n"
                                             "10.0.0.1 [2025-11-20 10:00:00] \"GET /winter HTTP/1.1\" 200 5\n");
    const std::string format = R"(%h [%{%Y-%m-%d %H:%M:%S}t] "%r" %>s %b)";
    const auto eastern = run({"/usr/bin/env", "TZ=EST5EDT,M3.2.0,M11.1.0", test::hitwatchd(), "--replay",
                              dir.file("access.log"), "--output", "json", "--log-format", format});
    BOOST_TEST_REQUIRE(eastern.exit_code == 0, eastern.err);
    const auto summary = of_type(json_lines(eastern.out), "summary").at(0);
    BOOST_TEST(summary.at("first") == "2025-07-01T14:00:00Z");  // EDT, 4 hours behind
    BOOST_TEST(summary.at("last") == "2025-11-20T15:00:00Z");   // EST, 5 hours behind
    const auto utc = run({"/usr/bin/env", "TZ=UTC", test::hitwatchd(), "--replay", dir.file("access.log"), "--output",
                          "json", "--log-format", format});
    BOOST_TEST(of_type(json_lines(utc.out), "summary").at(0).at("first") == "2025-07-01T10:00:00Z");
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_and_io_errors_exit_1) {
    const auto missing = run({test::hitwatchd(), "--replay", "/nonexistent/access.log"});
    BOOST_TEST(missing.exit_code == 1);
    BOOST_TEST(missing.err.find("cannot open /nonexistent/access.log") != std::string::npos, missing.err);

    const std::vector<std::vector<std::string>> bad = {
        {test::hitwatchd(), "--replay", kCorpus, "--alert-window", "125"},
        {test::hitwatchd(), "--replay", kCorpus, "--interval", "0"},
        {test::hitwatchd(), "--replay", kCorpus, "--alert-rule", "magic"},
        {test::hitwatchd(), "--replay", kCorpus, "--output", "xml"},
        {test::hitwatchd(), "--replay", kCorpus, "--top", "many"},
        {test::hitwatchd(), "--replay", kCorpus, "--no-such-option"},
        {test::hitwatchd()},
    };
    for (const auto& argv : bad) {
        const auto r = run(argv);
        BOOST_TEST(r.exit_code == 2, argv.back());
        BOOST_TEST(r.err.find("hitwatchd: ") == 0u, r.err);
        BOOST_TEST(r.out.empty());
    }
    const auto window = run({test::hitwatchd(), "--replay", kCorpus, "--alert-window", "125"});
    BOOST_TEST(window.err.find("--alert-window (125) must be a multiple of --interval (10)") != std::string::npos);

    // A page asked of the live daemon was never written, and nothing said so.
    test::TempDir dir;
    const auto live_page = run({test::hitwatchd(), "--log", kCorpus, "--report-html", dir.file("page.html"),
                                "--state-file", dir.file("state.json"), "--check-config"});
    BOOST_TEST(live_page.exit_code == 2, live_page.err);
    BOOST_TEST(live_page.err.find("--report-html is a replay's page (--replay FILE); the live daemon's is the "
                                  "dashboard (--http)") != std::string::npos, live_page.err);
    // From a config shared with replays, the key is the replays': the live daemon leaves it be.
    test::write_file(dir.file("hitwatch.conf"), "report-html = " + dir.file("page.html") + "\n");
    const auto from_config = run({test::hitwatchd(), "--config", dir.file("hitwatch.conf"), "--log", kCorpus,
                                  "--state-file", dir.file("state.json"), "--check-config"});
    BOOST_TEST(from_config.exit_code == 0, from_config.err);

    const auto version = run({test::hitwatchd(), "--version"});
    BOOST_TEST(version.exit_code == 0);
    BOOST_TEST(version.out.find("hitwatchd ") == 0u);
    BOOST_TEST(version.out.find("Boost 1.81") != std::string::npos);
    const auto help = run({test::hitwatchd(), "--help"});
    BOOST_TEST(help.exit_code == 0);
    for (const char* option : {"--replay", "--interval", "--alert-window", "--alert-rule", "--alert-threshold",
                               "--alert-margin", "--top", "--output", "--version"}) {
        BOOST_TEST(help.out.find(option) != std::string::npos, option);
    }
}

// A replay runs once, so an output it cannot write is an error it exits 1 for. Before: a
// report file in a directory that is not there lost every report and exited 0; a --report-html
// page there was found out only after the whole replay.
BOOST_AUTO_TEST_CASE(a_replays_outputs_that_cannot_be_written_exit_1) {
    const auto file = run({test::hitwatchd(), "--replay", kCorpus, "--output", "json", "--report-file",
                           "/nonexistent/reports.json"});
    BOOST_TEST(file.exit_code == 1, file.err);
    BOOST_TEST(file.err.find("cannot write reports to the report file /nonexistent/reports.json") != std::string::npos,
               file.err);
    BOOST_TEST(of_type(json_lines(file.out), "summary").size() == 1u);  // standard output still has them

    const auto page = run({test::hitwatchd(), "--replay", kCorpus, "--output", "json", "--report-html",
                           "/nonexistent/report.html"});
    BOOST_TEST(page.exit_code == 1, page.err);
    BOOST_TEST(page.err.find("--report-html /nonexistent/report.html: cannot write in /nonexistent: No such file") !=
                   std::string::npos, page.err);
    BOOST_TEST(page.out.empty());  // said before a line was read

    // A directory where the page goes: found out only after the whole replay, before.
    test::TempDir dir;
    const auto into_dir =
        run({test::hitwatchd(), "--replay", kCorpus, "--output", "json", "--report-html", dir.path()});
    BOOST_TEST(into_dir.exit_code == 1, into_dir.err);
    BOOST_TEST(into_dir.err.find("--report-html " + dir.path() + ": is a directory (name the page's file)") !=
                   std::string::npos, into_dir.err);
    BOOST_TEST(into_dir.out.empty());
}

BOOST_AUTO_TEST_CASE(under_systemd_log_lines_carry_their_journal_priority) {
    ::setenv("JOURNAL_STREAM", "8:12345", 1);
    const auto r = run({test::hitwatchd(), "--replay", kCorpus, "--output", "json"});
    ::unsetenv("JOURNAL_STREAM");
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.err.find("<6>hitwatchd: info: " + kCorpus + ": combined") == 0u, r.err);
    BOOST_TEST(r.err.find("\n<4>hitwatchd: warning: invalid line 8899") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("\n<6>hitwatchd: info: replayed 10000 lines") != std::string::npos, r.err);
    // By hand, nothing stamps the lines: each carries its time (none did before).
    const auto plain = run({test::hitwatchd(), "--replay", kCorpus, "--output", "json"});
    const std::string first = plain.err.substr(0, plain.err.find('\n'));
    BOOST_TEST(std::regex_match(first, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z hitwatchd: info: .*: combined .*)")),
               first);
}

// A month of intervals and a page of 200,000 new paths: 5 s and 2 s of the Release pass, most
// of test_replay's 220 s under the sanitizers. The sanitizer pass leaves them out; the page's
// code runs there in test_replay_input's three days of reports.
#ifndef HITWATCH_SANITIZED
namespace {

// What a --report-html page draws: the JSON in its data element.
boost::json::object page_data(const std::string& html) {
    const std::string open = "<script id=\"data\" type=\"application/json\">";
    const auto from = html.find(open);
    BOOST_TEST_REQUIRE(from != std::string::npos);
    const auto begin = from + open.size();
    return boost::json::parse(html.substr(begin, html.find("</script>", begin) - begin)).as_object();
}

}  // namespace

// A month of 10 s intervals on the --report-html page. Neighbours were merged in pairs each
// time the table filled, the oldest again and again: the first point held 236,048 of the
// 259,200 intervals and the chart was one bar and a slope. Every point now spans the same
// time, doubled as the table fills, and they add up to the summary.
BOOST_AUTO_TEST_CASE(a_months_page_draws_every_day_at_the_same_scale) {
    test::TempDir dir;
    const std::string log = dir.file("month.log"), page = dir.file("month.html");
    const auto gen = run({GENLOG, "--out", log, "--rate", "0.1", "--duration", "2592000", "--start", "1761955200"});
    BOOST_TEST_REQUIRE(gen.exit_code == 0, gen.err);
    const auto r = run({test::hitwatchd(), "--replay", log, "--output", "json", "--report-html", page});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto summary = of_type(json_lines(r.out), "summary").at(0);
    const auto data = page_data(test::read_file(page));
    const auto& points = data.at("points").as_array();
    const std::int64_t per_point = data.at("merged").as_int64();  // intervals a point
    BOOST_TEST(per_point == 128);  // 2,025 points of 21 min 20 s
    BOOST_TEST(points.size() == 2025u);
    std::int64_t hits = 0;
    const std::int64_t first = points.at(0).at("start").as_int64();  // the first line's interval
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& p = points[i].as_object();
        const std::int64_t start = p.at("start").as_int64(), end = p.at("end").as_int64();
        BOOST_TEST(start - first == static_cast<std::int64_t>(i) * per_point * 10,
                   "point " << i << " starts at " << start);
        BOOST_TEST(end - start <= per_point * 10, "point " << i << " spans " << end - start << " s");
        hits += p.at("hits").as_int64();
    }
    BOOST_TEST(hits == n(summary.at("hits")));
}

// A log whose paths are ids (/9f2c..., one section each): every point kept every section its
// intervals listed, 200,000 of them on a 3.4 MB page from 200,000 lines (290 MiB RSS at 10^6).
// A point now keeps its busiest, and the page carries those the summary lists.
BOOST_AUTO_TEST_CASE(a_page_of_a_log_whose_every_path_is_new_stays_small) {
    test::TempDir dir;
    const std::string log = dir.file("ids.log"), page = dir.file("ids.html");
    const auto gen = run({GENLOG, "--out", log, "--rate", "1", "--duration", "200000", "--unique-sections"});
    BOOST_TEST_REQUIRE(gen.exit_code == 0, gen.err);
    const auto r = run({test::hitwatchd(), "--replay", log, "--output", "json", "--report-html", page});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto summary = of_type(json_lines(r.out), "summary").at(0);
    std::set<std::string> listed;
    for (const auto& s : summary.at("sections").as_array()) listed.insert(std::string(s.at("section").as_string()));
    const std::string html = test::read_file(page);
    BOOST_TEST(html.size() < 1024u * 1024u);
    const auto data = page_data(html);
    std::size_t outside = 0;
    for (const auto& p : data.at("points").as_array()) {
        for (const auto& s : p.at("sections").as_object()) outside += listed.count(std::string(s.key())) == 0;
    }
    BOOST_TEST(outside == 0u);
}
#endif  // HITWATCH_SANITIZED
