// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE log_format
// Formats as users write them: presets, Apache LogFormat and nginx log_format strings, each
// compiled once and read by the field scanner; detection; the reasons of lines that do not fit.
#include "core/log_format.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "core/field_parser.h"
#include "core/line_parser.h"
#include "core/timestamp.h"
#include "read_line.h"

using namespace hitwatch;

namespace {

LogFormat compiled(const std::string& spec) {
    const CompiledFormat c = compile_format(spec);
    BOOST_TEST_REQUIRE(c.ok(), spec << ": " << c.error);
    return c.format;
}

ParseResult parse(const std::string& spec, std::string_view line) { return LineParser(compiled(spec)).parse(line); }

// 2026-11-20T10:00:00Z
constexpr UnixSeconds kTen = 1795168800;

}  // namespace

BOOST_AUTO_TEST_CASE(debians_vhost_combined_reads_the_host_and_the_total_bytes_sent) {
    const auto r = parse("vhost_combined",
                         R"(www.example.com:443 203.0.113.9 - bob [20/Nov/2026:10:00:00 +0000] "GET /api/v1/x?y=1 HTTP/2.0" 404 517 "https://ref/" "Mozilla/5.0 \"quoted\"")");
    BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
    BOOST_TEST(r.line.vhost == "www.example.com");
    BOOST_TEST(r.line.time == kTen);
    BOOST_TEST(r.line.section == "/api");
    BOOST_TEST(r.line.status == 404);
    BOOST_TEST(r.line.bytes == 517u);
    BOOST_TEST(r.line.duration_us == -1);
}

BOOST_AUTO_TEST_CASE(apaches_combined_string_with_the_response_time_in_microseconds) {
    const auto r = parse(R"(%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D)",
                         R"(10.0.0.1 - - [20/Nov/2026:11:00:00 +0100] "POST /login HTTP/1.1" 302 - "-" "curl/8" 15234)");
    BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
    BOOST_TEST(r.line.time == kTen);
    BOOST_TEST(r.line.section == "/login");
    BOOST_TEST(r.line.status == 302);
    BOOST_TEST(r.line.bytes == 0u);
    BOOST_TEST(r.line.duration_us == 15234);
}

BOOST_AUTO_TEST_CASE(a_user_agent_before_the_last_field_is_found_from_the_end_of_the_line_as_from_its_start) {
    // The scanner finds where the user-agent ends from the line's end when it can; each line
    // here must read as the field-by-field reading does.
    const std::string format = R"(%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D)";
    const std::string head = R"(10.0.0.1 - - [20/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" )";
    const auto escaped = parse(format, head + R"("say \"hi\" \"" 1234)");  // escaped quotes, one right before the close
    BOOST_TEST_REQUIRE(escaped.ok(), describe(escaped.error));
    BOOST_TEST(escaped.line.duration_us == 1234);
    // Quotes a server would have escaped: taken, as the preset `combined` takes them.
    const auto unescaped = parse(format, head + R"("say "hi" " 1234)");
    BOOST_TEST_REQUIRE(unescaped.ok(), describe(unescaped.error));
    BOOST_TEST(unescaped.line.duration_us == 1234);
    const auto long_time = parse(format, head + R"("k6" 123456789012)");  // longer than the 8 bytes looked at first
    BOOST_TEST_REQUIRE(long_time.ok(), describe(long_time.error));
    BOOST_TEST(long_time.line.duration_us == 123456789012);
    BOOST_TEST(!parse(format, head + R"("k6" 12 34)").ok());  // not 34
    BOOST_TEST(!parse(format, head + R"("k6"1234)").ok());
    BOOST_TEST(!parse(format, head + R"("k6 1234)").ok());  // no closing quote
    BOOST_TEST(parse(format, head + R"("k6\\" 1234)").ok());  // an escaped backslash, then the closing quote
    BOOST_TEST(!parse(format, head + R"("k6\" 1234)").ok());  // the only quote is escaped
    // A last field with the literal's last byte in it: "0.012, 0.040" (two upstreams).
    const std::string nginx = R"($remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_response_time)";
    const auto upstreams = parse(nginx, R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "k6" 0.012, 0.040)");
    BOOST_TEST_REQUIRE(upstreams.ok(), describe(upstreams.error));
    BOOST_TEST(upstreams.line.duration_us == 12000);
    // Text between them (nginx's "rt=$request_time").
    const auto named = parse(R"(%h %l %u %t "%r" %>s %b "%{User-Agent}i" rt=%T)",
                             R"(10.0.0.1 - - [20/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 "a=b" rt=2)");
    BOOST_TEST_REQUIRE(named.ok(), describe(named.error));
    BOOST_TEST(named.line.duration_us == 2000000);
}

BOOST_AUTO_TEST_CASE(nginx_default_format_reads_as_combined_does) {
    const std::string line = R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /static/app.js HTTP/1.1" 200 4512 "-" "Mozilla")";
    const auto by_string = parse("nginx", line);
    const auto by_hand = parse("combined", line);
    BOOST_TEST_REQUIRE(by_string.ok());
    BOOST_TEST_REQUIRE(by_hand.ok());
    BOOST_TEST(by_string.line.section == by_hand.line.section);
    BOOST_TEST(by_string.line.time == by_hand.line.time);
    BOOST_TEST(by_string.line.status == by_hand.line.status);
    BOOST_TEST(by_string.line.bytes == by_hand.line.bytes);
}

BOOST_AUTO_TEST_CASE(nginx_timings_before_the_referer_and_an_upstream_that_never_answered) {
    const std::string format =
        R"($remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent $request_time $upstream_response_time "$http_referer" "$http_user_agent")";
    const auto r = parse(format, R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 12 0.250 0.248 "-" "k6")");
    BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
    BOOST_TEST(r.line.duration_us == 250000);  // $request_time wins over the upstream's
    const auto none = parse(format, R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /api/x HTTP/1.1" 499 0 0.001 - "-" "k6")");
    BOOST_TEST_REQUIRE(none.ok(), describe(none.error));
    BOOST_TEST(none.line.duration_us == 1000);
}

BOOST_AUTO_TEST_CASE(the_upstream_time_counts_when_the_format_has_no_request_time) {
    const auto r = parse(R"($remote_addr [$time_local] "$request" $status $upstream_response_time)",
                         R"(192.0.2.1 [20/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 0.012,)");
    BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
    BOOST_TEST(r.line.duration_us == 12000);
}

BOOST_AUTO_TEST_CASE(iso8601_epoch_and_strftime_times) {
    const auto iso = parse(R"($remote_addr [$time_iso8601] "$request" $status $host)",
                           R"(192.0.2.1 [2026-11-20T11:00:00+01:00] "GET /a HTTP/1.1" 200 shop.example)");
    BOOST_TEST_REQUIRE(iso.ok(), describe(iso.error));
    BOOST_TEST(iso.line.time == kTen);
    BOOST_TEST(iso.line.vhost == "shop.example");
    const auto msec = parse(R"($msec $status $request_uri)", "1795168800.123 200 /b/c");
    BOOST_TEST_REQUIRE(msec.ok(), describe(msec.error));
    BOOST_TEST(msec.line.time == kTen);
    BOOST_TEST(msec.line.section == "/b");
    const auto pattern = parse(R"(%h %{%Y-%m-%d %H:%M:%S %z}t %U %>s %{ms}T)", "h 2026-11-20 10:00:00 +0000 /x 500 7");
    BOOST_TEST_REQUIRE(pattern.ok(), describe(pattern.error));
    BOOST_TEST(pattern.line.time == kTen);
    BOOST_TEST(pattern.line.status == 500);
    BOOST_TEST(pattern.line.duration_us == 7000);
    // A time last, before the format's closing text: read, not passed over as the text's field.
    const auto last = parse(R"(%>s "%r" [%{%Y-%m-%d %H:%M:%S %z}t])", R"(200 "GET / HTTP/1.0" [2026-11-20 10:00:00 +0000])");
    BOOST_TEST_REQUIRE(last.ok(), describe(last.error));
    BOOST_TEST(last.line.time == kTen);
    const auto sec = parse(R"(%{sec}t %>s "%r" %T)", R"(1795168800 200 "GET / HTTP/1.0" 2)");
    BOOST_TEST_REQUIRE(sec.ok(), describe(sec.error));
    BOOST_TEST(sec.line.section == "/");
    BOOST_TEST(sec.line.duration_us == 2000000);
}

namespace {

// A zone 5 hours behind UTC that goes to 4 hours behind at kTen (local 05:00, as DST would).
UnixSeconds eastern_to_utc(UnixSeconds local) { return local + (local < kTen - 5 * 3600 ? 5 : 4) * 3600; }

}  // namespace

// Apache writes %{...}t in the server's local time: with no %z in it, the time is converted
// by the zone the shell gives the format (the machine's), at the offset of its own date.
BOOST_AUTO_TEST_CASE(a_strftime_time_with_no_zone_is_local_time) {
    LogFormat format = compiled(R"(%h [%{%Y-%m-%d %H:%M:%S}t] "%r" %>s)");
    BOOST_TEST(LineParser(format).parse(R"(h [2026-11-20 10:00:00] "GET / HTTP/1.0" 200)").line.time == kTen);  // no zone given: UTC
    format.local_to_utc = eastern_to_utc;
    LineParser parser(format);
    const auto winter = parser.parse(R"(h [2026-11-20 04:59:59] "GET / HTTP/1.0" 200)");
    BOOST_TEST_REQUIRE(winter.ok(), describe(winter.error));
    BOOST_TEST(winter.line.time == kTen - 1);  // 04:59:59 local is 09:59:59 UTC
    BOOST_TEST(parser.parse(R"(h [2026-11-20 06:00:00] "GET / HTTP/1.0" 200)").line.time == kTen);
    BOOST_TEST(parser.parse(R"(h [2026-11-20 04:00:00] "GET / HTTP/1.0" 200)").line.time == kTen - 3600);  // back again
    // A time with its zone, or seconds since the epoch, is not local.
    LogFormat zoned = compiled(R"(%h [%{%Y-%m-%d %H:%M:%S %z}t] "%r" %>s)");
    zoned.local_to_utc = eastern_to_utc;
    BOOST_TEST(LineParser(zoned).parse(R"(h [2026-11-20 10:00:00 +0000] "GET / HTTP/1.0" 200)").line.time == kTen);
    LogFormat epoch = compiled(R"(%h [%{%s}t] "%r" %>s)");
    epoch.local_to_utc = eastern_to_utc;
    BOOST_TEST(LineParser(epoch).parse(R"(h [1795168800] "GET / HTTP/1.0" 200)").line.time == kTen);
    // A 'Z' after the time, in its pattern or after its parts (ISO 8601 with milliseconds, as
    // public Apache configs write it for log shippers), is UTC: it was read as local time.
    for (const char* with_z : {R"(%{%Y-%m-%dT%H:%M:%SZ}t %h "%r" %>s)",
                               R"(%{%Y-%m-%dT%H:%M:%S}t.%{msec_frac}tZ %h "%r" %>s)"}) {
        LogFormat utc = compiled(with_z);
        utc.local_to_utc = eastern_to_utc;
        const std::string line = std::string(with_z).find("msec") != std::string::npos
                                     ? R"(2026-11-20T10:00:00.250Z h "GET / HTTP/1.0" 200)"
                                     : R"(2026-11-20T10:00:00Z h "GET / HTTP/1.0" 200)";
        const auto r = LineParser(utc).parse(line);
        BOOST_TEST_REQUIRE(r.ok(), with_z << ": " << describe(r.error));
        BOOST_TEST(r.line.time == kTen, with_z);
    }
    // A 'Z' that begins a word is text of its own.
    LogFormat zone_word = compiled(R"(%{%Y-%m-%dT%H:%M:%S}tZone %h "%r" %>s)");
    zone_word.local_to_utc = eastern_to_utc;
    BOOST_TEST(LineParser(zone_word).parse(R"(2026-11-20T06:00:00Zone h "GET / HTTP/1.0" 200)").line.time == kTen);
}

BOOST_AUTO_TEST_CASE(a_bad_format_names_the_directive_and_its_column) {
    BOOST_TEST(compile_format(R"(%h%l %t "%r" %>s)").error.find("%l at column 3") != std::string::npos);
    BOOST_TEST(compile_format(R"(%h %{Referer "%r" %t %>s)").error.find("column 4") != std::string::npos);
    BOOST_TEST(compile_format(R"(%h "%r" %>s)").error.find("no time field") != std::string::npos);
    BOOST_TEST(compile_format(R"($remote_addr [$time_local] $status)").error.find("no request field") !=
               std::string::npos);
    BOOST_TEST(compile_format("apache").error.find("neither a preset") != std::string::npos);
    const CompiledFormat unknown = compile_format(R"(%h %Z %t "%r" %>s)");
    BOOST_TEST_REQUIRE(unknown.ok());
    BOOST_TEST_REQUIRE(unknown.unknown.size() == 1u);
    BOOST_TEST(unknown.unknown[0].directive == "%Z");
    BOOST_TEST(unknown.unknown[0].column == 4u);
}

// A preset's fields are hitwatch's own choice: choosing one says nothing of fields not read.
// Before, `format = ingress_nginx` began every run with four warnings about the preset's own
// fields ("$proxy_upstream_name at column 145 is not a field hitwatch knows; it is skipped").
BOOST_AUTO_TEST_CASE(no_preset_warns_of_its_own_fields) {
    for (const char* preset :
         {"common", "combined", "vhost_combined", "nginx", "ingress_nginx", "alb", "haproxy", "json"}) {
        const CompiledFormat compiled = compile_format(preset);
        BOOST_TEST_CONTEXT(preset) {
            BOOST_TEST(compiled.ok(), compiled.error);
            const std::string first = compiled.unknown.empty() ? "" : compiled.unknown.front().directive;
            BOOST_TEST(compiled.unknown.empty(), compiled.unknown.size() << " unknown, the first " << first);
        }
    }
}

BOOST_AUTO_TEST_CASE(lines_in_another_format_name_the_preset_they_look_like) {
    const std::string vhost =
        R"(www.example.com:80 192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x")";
    const std::string combined = R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x")";
    BOOST_TEST(name_of(parse("combined", vhost).error) == std::string("looks_like_vhost_combined"));
    BOOST_TEST(name_of(parse("vhost_combined", combined).error) == std::string("looks_like_combined"));
    BOOST_TEST(name_of(parse(R"($remote_addr [$time_local] "$request" $status)", combined).error) ==
               std::string("looks_like_combined"));
    // Lines no preset takes keep the reason of the field that broke.
    BOOST_TEST(name_of(parse("vhost_combined", "hello world").error) == std::string("bad_field"));
    BOOST_TEST(name_of(parse("vhost_combined", "a:1 b - - [yesterday] \"GET / HTTP/1.1\" 200 1").error) ==
               std::string("bad_time"));
}

BOOST_AUTO_TEST_CASE(auto_detection_chooses_the_preset_most_first_lines_match) {
    const std::string vhost =
        R"(www.example.com:80 192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x")";
    std::string head = "\n" + vhost + "\nnot a log line\n" + vhost + "\n";
    LineParser parser(compiled("auto"));
    BOOST_TEST(!parser.decided());
    const Detection found = parser.detect(head);
    BOOST_TEST(parser.decided());
    BOOST_TEST(found.preset == "vhost_combined");
    BOOST_TEST(found.matched == 2u);
    BOOST_TEST(found.sampled == 3u);
    BOOST_TEST(parser.parse(vhost).ok());

    // A head cut inside a line (a read of a set size; a line being written) samples the lines
    // before it: "84 of the first 85 lines" was said of a log every line of which matched.
    LineParser cut(compiled("auto"));
    const Detection whole = cut.detect(vhost + "\n" + vhost + "\n" + vhost.substr(0, 40));
    BOOST_TEST(whole.matched == 2u);
    BOOST_TEST(whole.sampled == 2u);
    LineParser one(compiled("auto"));  // a log of one line, not written to its end yet
    BOOST_TEST(one.detect(vhost).sampled == 1u);

    LineParser junk(compiled("auto"));
    const Detection none = junk.detect("hello\nworld\n");
    BOOST_TEST(none.guessed());
    BOOST_TEST(none.preset == "combined");
    BOOST_TEST(none.sample == "hello");

    // Error logs, Apache's and nginx's: every line one is not an access log at all.
    LineParser errors(compiled("auto"));
    const Detection error_log = errors.detect(
        "[Wed Oct 11 14:32:52.123 2000] [core:error] [pid 35708] AH00037: Symbolic link not allowed\n"
        "2026/11/27 16:00:00 [error] 1234#1234: *1 open() \"/x\" failed (2: No such file or directory)\n");
    BOOST_TEST(error_log.error_log());
    BOOST_TEST(!none.error_log());
    LineParser mixed(compiled("auto"));
    BOOST_TEST(!mixed.detect("2026/11/27 16:00:00 [error] 1234#1234: *1 failed\n" + vhost + "\n").error_log());

    // An explicit format never guesses.
    LineParser fixed(compiled("combined"));
    BOOST_TEST(fixed.detect(head).preset == "combined");
    BOOST_TEST(!fixed.parse(vhost).ok());
}

// nginx given a new log_format and reloaded writes on in the same file: `auto` had chosen the
// first lines' preset, and every line after the change was invalid ("looks_like_json"), in a
// replay and live alike. Each line a preset reads is read in it now; only an explicit format
// holds a log to one.
BOOST_AUTO_TEST_CASE(auto_reads_each_line_in_the_preset_it_is_in_after_the_format_changes) {
    const std::string combined = R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /a/b HTTP/1.1" 200 1 "-" "x")";
    const std::string vhost =
        R"(Shop.example:443 192.0.2.1 - - [20/Nov/2026:10:00:01 +0000] "GET /cart/x HTTP/1.1" 404 2 "-" "x")";
    const std::string json =
        R"({"time": "2026-11-20T10:00:02+00:00", "request": "GET /api/v1 HTTP/1.1", "status": 500, "host": "api.example"})";
    for (const SectionRule rule : {SectionRule{}, SectionRule{true, 2}}) {
        LineParser parser(compiled("auto"), rule);
        BOOST_TEST(parser.detect(combined + "\n" + combined + "\n").preset == "combined");
        const ParseResult a = parser.parse(vhost);
        BOOST_TEST_REQUIRE(a.ok(), name_of(a.error));
        BOOST_TEST(a.line.time == kTen + 1);
        BOOST_TEST(a.line.status == 404);
        BOOST_TEST(a.line.section == (rule.by_host ? "shop.example/cart/x" : "/cart"));
        const ParseResult b = parser.parse(json);
        BOOST_TEST_REQUIRE(b.ok(), name_of(b.error));
        BOOST_TEST(b.line.time == kTen + 2);
        BOOST_TEST(b.line.status == 500);
        BOOST_TEST(b.line.section == (rule.by_host ? "api.example/api/v1" : "/api"));
        BOOST_TEST(parser.parse(combined).line.section == (rule.by_host ? "/a/b" : "/a"));
        BOOST_TEST(parser.format_name() == "combined");  // still what the log began in
        // What no preset reads keeps its reason.
        BOOST_TEST(name_of(parser.parse("hello world").error) == std::string("bad_ident_or_user"));
        BOOST_TEST(name_of(parser.parse(R"(192.0.2.1 - - [yesterday] "GET / HTTP/1.1" 200 1 "-" "x")").error) ==
                   std::string("bad_time"));
    }
    // From JSON to combined too.
    LineParser from_json(compiled("auto"));
    BOOST_TEST(from_json.detect(json + "\n").preset == "json");
    BOOST_TEST(from_json.parse(combined).ok());
    // An explicit format is the user's word: the other presets' lines stay invalid, and say why.
    BOOST_TEST(name_of(LineParser(compiled("combined")).parse(json).error) == std::string("looks_like_json"));
}

BOOST_AUTO_TEST_CASE(auto_detection_looks_past_the_hole_a_writer_left_after_copytruncate) {
    // A writer that does not append goes on at its old offset after copytruncate: the log reads
    // as NUL bytes up to there, then its lines. The NULs are no line: they decided nothing, and
    // a log whose head was all hole was read as combined, every JSON line invalid.
    const std::string json = R"({"time": "2026-11-20T10:00:00Z", "request": "GET /a HTTP/1.1", "status": 200})";
    LineParser parser(compiled("auto"));
    const Detection found = parser.detect(std::string(70000, '\0') + json + "\n" + json + "\n");
    BOOST_TEST(found.preset == "json");
    BOOST_TEST(found.matched == 2u);
    BOOST_TEST(found.sampled == 2u);

    LineParser all_hole(compiled("auto"));
    BOOST_TEST(all_hole.detect(std::string(65536, '\0')).sampled == 0u);
    BOOST_TEST(!all_hole.decided());  // the first line read decides
    BOOST_TEST(all_hole.parse(json).ok());
}

BOOST_AUTO_TEST_CASE(no_bytes_out_of_place_are_read_whatever_the_line) {
    FieldParser parser(compiled(kVhostCombinedLogFormat.data()));
    const std::string full =
        R"(www.example.com:80 192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x")";
    for (size_t n = 0; n < full.size(); ++n) {
        const std::string cut = full.substr(0, n);  // every prefix: its own allocation, for ASan
        BOOST_TEST(!parser.parse(cut).ok(), cut);
    }
    BOOST_TEST(parser.parse(full).ok());
}

BOOST_AUTO_TEST_CASE(sections_by_depth_and_by_virtual_host) {
    const std::string line =
        R"(Shop.Example:443 192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /api/v1/users?id=3 HTTP/1.1" 200 5 "-" "x")";
    LineParser two(compiled("vhost_combined"), SectionRule{false, 2});
    BOOST_TEST(two.parse(line).line.section == "/api/v1");
    LineParser deep(compiled("vhost_combined"), SectionRule{false, 9});
    BOOST_TEST(deep.parse(line).line.section == "/api/v1/users");
    LineParser host(compiled("vhost_combined"), SectionRule{true, 1});
    const ParseResult first = host.parse(line);
    BOOST_TEST(first.line.section == "shop.example/api");  // hosts are case-insensitive
    // The section of a line stays valid while one more line is read.
    const ParseResult second = host.parse(
        R"(blog.example:80 192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "-" 408 0 "-" "-")");
    BOOST_TEST(second.line.section == "blog.example/(none)");
    BOOST_TEST(first.line.section == "shop.example/api");
    // The classic scanner's lines have no host: named by path alone.
    LineParser no_host(compiled("combined"), SectionRule{true, 2});
    BOOST_TEST(no_host.parse(R"(1.2.3.4 - - [20/Nov/2026:10:00:00 +0000] "GET /a/b/c HTTP/1.1" 200 1)").line.section ==
               "/a/b");
}

BOOST_AUTO_TEST_CASE(an_nginx_escape_json_log_format_string_reads_its_lines) {
    // log_format json escape=json '{"time":"$time_iso8601",...}': the string itself as the format.
    const std::string format =
        R"({"time":"$time_iso8601","remote_addr":"$remote_addr","request":"$request","status":$status,"bytes":$body_bytes_sent,"request_time":$request_time,"ua":"$http_user_agent"})";
    const auto r = parse(format,
                         R"({"time":"2026-11-20T10:00:00+00:00","remote_addr":"1.2.3.4","request":"GET /api/x HTTP/1.1","status":201,"bytes":12,"request_time":0.031,"ua":"a \"quoted\" agent"})");
    BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
    BOOST_TEST(r.line.time == kTen);
    BOOST_TEST(r.line.section == "/api");
    BOOST_TEST(r.line.status == 201);
    BOOST_TEST(r.line.bytes == 12u);
    BOOST_TEST(r.line.duration_us == 31000);
}

BOOST_AUTO_TEST_CASE(a_byte_count_or_a_response_time_past_its_limit_is_an_invalid_line) {
    // Before: %{ms}T of 18 digits times 1000 overflowed a 64-bit integer.
    const std::string format = R"(%h %t "%r" %>s %b %{ms}T)";
    const std::string head = R"(h [20/Nov/2026:10:00:00 +0000] "GET /x HTTP/1.1" 200 )";
    BOOST_TEST(name_of(parse(format, head + "5 999999999999999999").error) == std::string("bad_duration"));
    BOOST_TEST(name_of(parse(format, head + "9007199254740993 5").error) == std::string("bad_bytes"));
    const auto edge = parse(format, head + "9007199254740992 9007199254740");
    BOOST_TEST_REQUIRE(edge.ok(), describe(edge.error));
    BOOST_TEST(edge.line.duration_us == 9007199254740000);
    // The hand-written scanner of the presets holds the same limit.
    BOOST_TEST(name_of(parse("combined", R"(h - - [20/Nov/2026:10:00:00 +0000] "GET /x HTTP/1.1" 200 99999999999999999 "-" "a")")
                           .error) == std::string("bad_bytes"));
}

namespace {

// nginx's combined plus the timings and host an SRE's nginx.conf had.
const std::string kTimedNginxLine =
    R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 612 "-" "ab/2.3" 0.012 0.010 shop.example)";

}  // namespace

BOOST_AUTO_TEST_CASE(an_nginx_log_format_pasted_from_nginx_conf_reads_its_lines) {
    // Pasted with its single-quoted pieces, every line was invalid.
    const std::string pieces =
        R"('$remote_addr - $remote_user [$time_local] ' '"$request" $status $body_bytes_sent "$http_referer" '
        '"$http_user_agent" $request_time $upstream_response_time $host')";
    for (const std::string& spec : {"log_format main " + pieces + ";", pieces + ";", pieces,
                                    "log_format main escape=default " + pieces + " ;"}) {
        BOOST_TEST_CONTEXT(spec) {
            const ParseResult r = parse(spec, kTimedNginxLine);
            BOOST_TEST(r.ok());
            BOOST_TEST(r.line.duration_us == 12000);
            BOOST_TEST(r.line.vhost == "shop.example");
        }
    }
    // Double quotes and nginx's escapes in them.
    const ParseResult escaped = parse(
        R"(log_format x "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time $upstream_response_time $host";)",
        kTimedNginxLine);
    BOOST_TEST(escaped.ok());
    BOOST_TEST(compile_format("log_format main '$remote_addr [$time_local]").error ==
               "the pasted format: a piece opens ' and never closes it");
    BOOST_TEST(!compile_format("log_format main;").ok());
}

BOOST_AUTO_TEST_CASE(an_apache_logformat_line_pasted_from_its_configuration_reads_its_lines) {
    const std::string line =
        R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 612 "-" "ab/2.3" 1234)";
    for (const std::string spec :
         {R"(LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D" timed)",
          R"(logformat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D")",
          R"("%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D" timed)"}) {
        BOOST_TEST_CONTEXT(spec) {
            const ParseResult r = parse(spec, line);
            BOOST_TEST(r.ok());
            BOOST_TEST(r.line.duration_us == 1234);
        }
    }
    // The string copied from inside the quotes keeps the server's escapes: \" is a quote and
    // \t a tab, as Apache and nginx read them. Before, they were a backslash and a letter,
    // and no line matched.
    const std::string tabbed = "192.0.2.1\t-\t-\t[20/Nov/2026:10:00:00 +0000]\t\"GET /api/x HTTP/1.1\"\t200\t612";
    for (const std::string spec : {R"(%h\t%l\t%u\t%t\t\"%r\"\t%>s\t%b)",
                                   R"($remote_addr\t-\t$remote_user\t[$time_local]\t"$request"\t$status\t$body_bytes_sent)"}) {
        const ParseResult r = parse(spec, tabbed);
        BOOST_TEST_REQUIRE(r.ok(), spec << ": " << describe(r.error));
        BOOST_TEST(r.line.section == "/api");
        BOOST_TEST(compile_format(spec).format.name == spec);  // as given, in messages
    }
    // A format string that merely begins with a quoted field is taken as it is.
    const std::string quoted_first = R"("%r" %>s %b %{sec}t)";
    BOOST_TEST(compile_format(quoted_first).format.name == quoted_first);
    BOOST_TEST(parse(quoted_first, R"("GET /a HTTP/1.1" 200 5 1795168800)").line.status == 200);
}

BOOST_AUTO_TEST_CASE(auto_reads_response_times_and_a_host_after_combineds_fields) {
    // nginx's combined plus $request_time $upstream_response_time $host was found as combined,
    // and its response times were not read.
    const std::string head = kTimedNginxLine + "\n" +
                             R"(192.0.2.2 - - [20/Nov/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "x" 0.000 - shop.example)" +
                             "\n" +
                             R"(192.0.2.3 - - [20/Nov/2026:10:00:01 +0000] "GET / HTTP/1.1" 502 5 "-" "x" 0.105 0.050, 0.055 shop.example)" +
                             "\n";
    LineParser parser(compiled("auto"));
    const Detection found = parser.detect(head);
    BOOST_TEST(found.preset == "combined+duration+upstream+host");
    BOOST_TEST(found.matched == 3u);
    BOOST_TEST(found.format.find("$request_time $upstream_response_time $host") != std::string::npos);
    BOOST_TEST(parser.parse(kTimedNginxLine).line.duration_us == 12000);

    // $host is the Host header without its port: an address too (ab asks for 127.0.0.1).
    LineParser address(compiled("auto"));
    BOOST_TEST(address.detect(R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.0" 200 3 "-" "ApacheBench/2.3" 0.000 - 127.0.0.1)" "\n")
                   .preset == "combined+duration+upstream+host");

    // Apache's %D after combined and after vhost_combined.
    LineParser apache(compiled("auto"));
    BOOST_TEST(apache.detect(R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "x" 1234)" "\n").preset ==
               "combined+duration");
    LineParser vhost(compiled("auto"));
    const std::string vhost_line =
        R"(www.example.com:80 192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x" 5000)";
    BOOST_TEST(vhost.detect(vhost_line + "\n").preset == "vhost_combined+duration");
    BOOST_TEST(vhost.parse(vhost_line).line.duration_us == 5000);

    // Traefik's common log format (its CommonLogFormatter: the requests it has taken, the router
    // and the server, quoted or "-", and whole milliseconds): its durations were not read, and
    // `auto` said "lines have 4 fields after combined's" of a format no server string writes.
    LineParser traefik(compiled("auto"));
    const std::string traefik_line =
        R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /api/users HTTP/1.1" 200 512 "-" "curl/8.5.0" 41 "api@docker" "http://172.18.0.3:8080" 12ms)";
    const Detection traefiks = traefik.detect(
        traefik_line + "\n" +
        R"(192.0.2.2 - - [20/Nov/2026:10:00:01 +0000] "GET /nope HTTP/1.1" 404 19 "-" "-" 42 "-" "-" 0ms)" "\n");
    BOOST_TEST(traefiks.preset == "traefik");
    BOOST_TEST(traefiks.matched == 2u);
    BOOST_TEST(traefiks.unread_fields == 0u);
    const ParseResult timed = traefik.parse(traefik_line);
    BOOST_TEST(timed.line.duration_us == 12000);
    BOOST_TEST(timed.line.section == "/api");
    // A count, two quoted words and a duration after vhost_combined's are not Traefik's.
    LineParser not_traefik(compiled("auto"));
    BOOST_TEST(not_traefik.detect("www.example.com:80 " + traefik_line + "\n").preset == "vhost_combined");

    // Plain combined stays combined; fields it does not know are counted, for a warning.
    LineParser plain(compiled("auto"));
    const Detection combined = plain.detect(R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "x \"q\" y")" "\n");
    BOOST_TEST(combined.preset == "combined");
    BOOST_TEST(combined.unread_fields == 0u);
    LineParser unknown(compiled("auto"));
    const Detection other = unknown.detect(
        R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "x" "10.0.0.1" rt=0.1)" "\n");
    BOOST_TEST(other.preset == "combined");
    BOOST_TEST(other.unread_fields == 2u);
    // Lines that disagree keep combined, which reads them all.
    LineParser disagree(compiled("auto"));
    const Detection mixed = disagree.detect(kTimedNginxLine + "\n" +
                                            R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "x")" "\n");
    BOOST_TEST(mixed.preset == "combined");
    BOOST_TEST(mixed.matched == 2u);
}

BOOST_AUTO_TEST_CASE(a_line_that_does_not_match_names_the_column_where_it_stops) {
    LineParser nginx(compiled("$remote_addr [$time_local] \"$request\" $status"));
    const auto where = nginx.mismatch(R"(192.0.2.1 [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 2x0)");
    BOOST_TEST(where.column == 57u);
    BOOST_TEST(where.expected == "$status");
    const auto text = nginx.mismatch(R"(192.0.2.1 20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200)");
    BOOST_TEST(text.column == 10u);
    BOOST_TEST(text.expected == "the text \" [\"");
    LineParser combined(compiled("combined"));
    BOOST_TEST(combined.mismatch(R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 five "-" "x")").expected == "%b");
    BOOST_TEST(nginx.mismatch(R"(192.0.2.1 [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200)").column == 0u);
}

BOOST_AUTO_TEST_CASE(kubernetes_cri_lines_are_unwrapped_and_their_pieces_joined) {
    // The CRI log format (kubelet's): TIME STREAM TAG CONTENT, a line over 16 KiB in P pieces.
    const std::string inner = R"(10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 612 "-" "curl/8.0")";
    for (const std::string spec : {"cri+combined", "auto"}) {
        BOOST_TEST_CONTEXT(spec) {
            LineParser parser(compiled(spec));
            const std::string head = "2025-11-20T10:00:00.123456789Z stdout F " + inner + "\n";
            if (spec == "auto") BOOST_TEST(parser.detect(head).preset == "cri+combined");
            // A whole line is read in place: its section is a view into it, so it is kept.
            const std::string line = "2025-11-20T10:00:00.123456789Z stdout F " + inner;
            const ParseResult whole = parser.parse(line);
            BOOST_TEST(whole.ok());
            BOOST_TEST(whole.line.section == "/api");
            BOOST_TEST(whole.line.time == 1763632800);  // 2025-11-20T10:00:00Z
            BOOST_TEST((parser.parse("2025-11-20T10:00:01Z stderr P " + inner.substr(0, 40)).error == ParseError::blank));
            const ParseResult joined = parser.parse("2025-11-20T10:00:01Z stderr F " + inner.substr(40));
            BOOST_TEST(joined.ok());
            BOOST_TEST(joined.line.status == 200);
            BOOST_TEST((parser.parse("not a CRI line").error == ParseError::bad_field));
        }
    }
}

BOOST_AUTO_TEST_CASE(a_line_in_pieces_reads_as_the_whole_line_wherever_it_was_cut) {
    // The runtime cuts a long line at 16 KiB, whatever byte is there: a piece may end with a
    // space or a tab, which is the line's, not a blank after it.
    const std::string inner = R"(10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 612 "-" "curl/8.0 x")";
    const auto docker = [](const std::string& log, bool newline) {  // each piece escaped on its own
        std::string escaped;
        for (const char c : log) (c == '"' ? escaped.append("\\\"") : escaped.append(1, c));
        return R"({"log":")" + escaped + (newline ? R"(\n)" : "") + R"(","stream":"stdout","time":"2025-11-20T10:00:00Z"})";
    };
    LineParser cri(compiled("cri+combined"));
    LineParser json_file(compiled("docker+combined"));
    for (std::size_t cut = 1; cut < inner.size(); ++cut) {
        BOOST_TEST_CONTEXT("cut after " << cut << " bytes: \"" << inner.substr(0, cut) << "\"") {
            BOOST_TEST((cri.parse("2025-11-20T10:00:00Z stdout P " + inner.substr(0, cut)).error == ParseError::blank));
            const ParseResult joined = cri.parse("2025-11-20T10:00:00Z stdout F " + inner.substr(cut));
            BOOST_TEST(joined.ok(), describe(joined.error));
            BOOST_TEST(joined.line.section == "/api");
            BOOST_TEST((json_file.parse(docker(inner.substr(0, cut), false)).error == ParseError::blank));
            BOOST_TEST(json_file.parse(docker(inner.substr(cut), true)).ok());
        }
    }
}

BOOST_AUTO_TEST_CASE(pieces_are_joined_within_their_stream) {
    // stdout's and stderr's lines share a container's log, and a line of one may come between
    // the pieces of a line of the other (as the runtime copied them): nginx's access line over
    // 16 KiB on stdout, an error line on stderr meanwhile.
    const std::string access = R"(10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 612 "-" "curl/8.0")";
    const std::string error = "2025/11/20 10:00:00 [error] 7#7: *1 open() failed";
    LineParser cri(compiled("cri+combined"));
    BOOST_TEST((cri.parse("2025-11-20T10:00:00Z stdout P " + access.substr(0, 50)).error == ParseError::blank));
    BOOST_TEST((cri.parse("2025-11-20T10:00:00Z stderr F " + error).error == ParseError::error_log));
    const ParseResult joined = cri.parse("2025-11-20T10:00:00Z stdout F " + access.substr(50));
    BOOST_TEST(joined.ok(), describe(joined.error));
    BOOST_TEST(joined.line.section == "/api");
    // And the other way round, a piece on stderr.
    BOOST_TEST((cri.parse("2025-11-20T10:00:00Z stderr P " + error.substr(0, 20)).error == ParseError::blank));
    BOOST_TEST(cri.parse("2025-11-20T10:00:00Z stdout F " + access).ok());
    BOOST_TEST((cri.parse("2025-11-20T10:00:00Z stderr F " + error.substr(20)).error == ParseError::error_log));

    const auto docker = [](const std::string& log, bool newline, const char* stream) {
        std::string escaped;
        for (const char c : log) (c == '"' ? escaped.append("\\\"") : escaped.append(1, c));
        return R"({"log":")" + escaped + (newline ? R"(\n)" : "") + R"(","stream":")" + stream +
               R"(","time":"2025-11-20T10:00:00Z"})";
    };
    LineParser json_file(compiled("docker+combined"));
    BOOST_TEST((json_file.parse(docker(access.substr(0, 50), false, "stdout")).error == ParseError::blank));
    BOOST_TEST((json_file.parse(docker(error, true, "stderr")).error == ParseError::error_log));
    BOOST_TEST(json_file.parse(docker(access.substr(50), true, "stdout")).ok());
}

BOOST_AUTO_TEST_CASE(docker_json_file_lines_are_unwrapped_unescaped_and_joined) {
    // Docker's json-file driver: {"log":"<line>\n","stream":...,"time":...}; a log without its
    // "\n" is a piece of a line over 16 KiB.
    const std::string escaped = R"(10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] \"GET /shop/a HTTP/1.1\" 404 12 \"-\" \"ua \\\"q\\\" \u00e9\")";
    const auto wrapped = [](const std::string& log, bool newline) {
        return R"({"log":")" + log + (newline ? R"(\n)" : "") + R"(","stream":"stdout","time":"2025-11-20T10:00:00.5Z"})";
    };
    for (const std::string spec : {"docker+nginx", "auto"}) {
        BOOST_TEST_CONTEXT(spec) {
            LineParser parser(compiled(spec));
            if (spec == "auto") BOOST_TEST(parser.detect(wrapped(escaped, true) + "\n").preset == "docker+combined");
            const ParseResult r = parser.parse(wrapped(escaped, true));
            BOOST_TEST(r.ok());
            BOOST_TEST(r.line.section == "/shop");
            BOOST_TEST(r.line.status == 404);
            BOOST_TEST((parser.parse(wrapped(escaped.substr(0, 30), false)).error == ParseError::blank));
            BOOST_TEST(parser.parse(wrapped(escaped.substr(30), true)).ok());
        }
    }
    // A JSON line inside with no time of its own has the runtime's.
    LineParser json(compiled("docker+json"));
    const ParseResult timeless = json.parse(R"({"log":"{\"request\":\"GET /a HTTP/1.1\",\"status\":200}\n","time":"2025-11-20T10:00:00Z"})");
    BOOST_TEST(timeless.ok());
    BOOST_TEST(timeless.line.time == 1763632800);  // 2025-11-20T10:00:00Z
    BOOST_TEST(!compile_format("cri+auto").ok());
}

BOOST_AUTO_TEST_CASE(access_lines_stored_by_syslog_are_unwrapped) {
    // nginx's access_log syslog:server=... as rsyslog or syslog-ng store it, and as journalctl
    // prints it: TIME HOST TAG: LINE.
    const std::string inner = R"(10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 612 "-" "curl/8.0")";
    const std::vector<std::string> prefixes = {
        "2025-11-20T10:00:00.123456+00:00 web1 nginx: ",  // rsyslog's RSYSLOG_FileFormat (Debian's)
        "Nov 20 10:00:00 web1 nginx: ",                   // RSYSLOG_TraditionalFileFormat
        "Nov  5 10:00:00 web1.example.com shop: ",        // a padded day; nginx's tag=shop
        "Nov 20 10:00:00 web1 nginx[812]: ",              // journalctl -u nginx
        "2025-11-20T10:00:00+0000 web1 nginx[812]: ",     // journalctl -o short-iso
        "Nov 20 10:00:00.123456 web1 nginx[812]: ",       // journalctl -o short-precise
    };
    for (const std::string& prefix : prefixes) {
        for (const std::string spec : {"syslog+combined", "auto"}) {
            BOOST_TEST_CONTEXT(spec << ", " << prefix) {
                LineParser parser(compiled(spec));
                if (spec == "auto") BOOST_TEST(parser.detect(prefix + inner + "\n").preset == "syslog+combined");
                const std::string line = prefix + inner;  // the section is a view into it
                const ParseResult r = parser.parse(line);
                BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
                BOOST_TEST(r.line.section == "/api");
                BOOST_TEST(r.line.time == 1763632800);  // the line's own time: 2025-11-20T10:00:00Z
                BOOST_TEST(r.line.status == 200);
                BOOST_TEST(!parser.joins_lines());  // each line alone: chunks on any thread read it
            }
        }
    }
    LineParser parser(compiled("syslog+combined"));
    BOOST_TEST(!parser.parse("Nov 20 10:00:01 web1 CRON[99]: (root) CMD (run-parts /etc/cron.hourly)").ok());
    BOOST_TEST((parser.parse(inner).error == ParseError::bad_field));  // not in syslog's shape
    // JSON inside; a JSON line with no time of its own has syslog's, when that has a year.
    LineParser detected(compiled("auto"));
    const std::string timed = R"({"time":"2025-11-20T10:00:00+00:00","request":"GET /a HTTP/1.1","status":200})";
    BOOST_TEST(detected.detect("Nov 20 10:00:00 web1 nginx: " + timed + "\n").preset == "syslog+json");
    LineParser json(compiled("syslog+json"));
    const ParseResult timeless =
        json.parse(R"(2025-11-20T10:00:00+00:00 web1 nginx: {"request":"GET /a HTTP/1.1","status":200})");
    BOOST_TEST_REQUIRE(timeless.ok(), describe(timeless.error));
    BOOST_TEST(timeless.line.time == 1763632800);
    // journalctl's lines between the messages are no lines of the log, before them or among them.
    LineParser journal(compiled("auto"));
    BOOST_TEST(journal.detect("-- Boot 6e2c5d0b9a2f4b1c8d3e7f6a5b4c3d2e --\nNov 20 10:00:00 web1 nginx[812]: " + inner +
                              "\n").preset == "syslog+combined");
    BOOST_TEST((journal.parse("-- Boot 0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e --").error == ParseError::blank));
    // --check-config's column is the line's, past the header.
    const std::string bad_status = "Nov 20 10:00:00 web1 nginx: " + inner.substr(0, 64) + "2x0" + inner.substr(67);
    const auto where = LineParser(compiled("syslog+combined")).mismatch(bad_status);
    BOOST_TEST(where.column == bad_status.find("2x0") + 1);
    BOOST_TEST(where.expected == "%>s");
    BOOST_TEST(LineParser(compiled("syslog+combined")).mismatch(inner).expected == "a syslog line's start");
    const std::string cri = "2025-11-20T10:00:00Z stdout F " + bad_status.substr(bad_status.find(": ") + 2);
    BOOST_TEST(LineParser(compiled("cri+combined")).mismatch(cri).column == cri.find("2x0") + 1);
    // rsyslog's $RepeatedMsgReduction: "message repeated N times: [ LINE]" is LINE, N more times.
    LineParser repeats(compiled("syslog+combined"));
    const std::string repeated = "Nov 20 10:00:00 web1 nginx: message repeated 999 times: [ " + inner + "]";
    const ParseResult many = repeats.parse(repeated);
    BOOST_TEST_REQUIRE(many.ok(), describe(many.error));
    BOOST_TEST(many.repeats == 999u);
    BOOST_TEST(many.line.section == "/api");
    BOOST_TEST(repeats.parse("Nov 20 10:00:00 web1 nginx: " + inner).repeats == 1u);
    BOOST_TEST(!repeats.parse("Nov 20 10:00:00 web1 nginx: message repeated many times: [ " + inner + "]").ok());
    // A count past any second's worth of one client's requests is not rsyslog's.
    BOOST_TEST(!repeats.parse("Nov 20 10:00:00 web1 nginx: message repeated 4000000000 times: [ " + inner + "]").ok());
    BOOST_TEST(repeats.parse("Nov 20 10:00:00 web1 nginx: message repeated 1000000 times: [ " + inner + "]").repeats ==
               1000000u);
    LineParser json_repeats(compiled("syslog+json"));
    BOOST_TEST(json_repeats.parse(R"(Nov 20 10:00:00 web1 nginx: message repeated 2 times: [ {"time":"2025-11-20T10:00:00Z",)"
                                  R"("request":"GET /a HTTP/1.1","status":200}])").repeats == 2u);
    // Plain lines are not taken for syslog's.
    BOOST_TEST(LineParser(compiled("auto")).detect(inner + "\n").preset == "combined");
    BOOST_TEST(!compile_format("syslog+auto").ok());
}

BOOST_AUTO_TEST_CASE(other_programs_messages_among_syslogs_access_lines_are_said_to_be_so) {
    // Debian's rsyslog puts nginx's access lines (facility local7) into /var/log/syslog, among
    // every other program's messages: those are no access lines in a wrong format.
    const std::string at = "2025-11-20T10:00:00.000000+00:00 web1 ";
    const std::string access = at + R"(nginx: 10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 612 "-" "curl/8.0")";
    const std::string cron = at + "CRON[1234]: (root) CMD (run-parts /etc/cron.hourly)";
    const std::string kernel = at + "kernel: [12345.678901] eth0: link up";
    const std::string error = at + R"(nginx[812]: 2025/11/20 10:00:01 [error] 812#812: *1 open() "/x" failed)";
    const std::string head = cron + "\n" + access + "\n" + kernel + "\n" + access + "\n";
    for (const std::string spec : {"auto", "syslog+combined"}) {
        BOOST_TEST_CONTEXT(spec) {
            LineParser parser(compiled(spec));
            BOOST_TEST(parser.detect(head).preset == "syslog+combined");
            BOOST_TEST(parser.parse(access).ok());
            BOOST_TEST((parser.parse(cron).error == ParseError::other_program));
            BOOST_TEST((parser.parse(kernel).error == ParseError::other_program));
            // The access lines' program (its pid or not) keeps the reason its line has.
            BOOST_TEST((parser.parse(error).error == ParseError::error_log));
        }
    }
    // With no access line among the first lines, no program is known to be the server.
    LineParser unknown(compiled("syslog+combined"));
    unknown.detect(cron + "\n");
    BOOST_TEST((unknown.parse(cron).error != ParseError::other_program));
    BOOST_TEST(std::string(name_of(ParseError::other_program)) == "other_program");
}

BOOST_AUTO_TEST_CASE(the_ingress_nginx_preset_reads_latency_and_multi_value_upstreams) {
    const std::string prefix = R"(192.168.49.1 - - [20/Nov/2025:10:00:00 +0000] "GET /api/x HTTP/1.1" 502 150 "-" "curl/7.88.1" 78 0.020 [default-web-80] [] )";
    for (const std::string upstreams : {"10.244.0.5:80 615 0.012 200 6f3b2a1c9d8e7f60",
                                        "10.244.0.5:80, 10.244.0.6:80 0, 150 0.004, 0.012 502, 200 7a3b",
                                        "10.244.0.5:80 : 10.244.0.6:80 0 : 150 0.004 : 0.012 502 : 200 8a3b"}) {
        BOOST_TEST_CONTEXT(upstreams) {
            const ParseResult r = parse("ingress_nginx", prefix + upstreams);
            BOOST_TEST(r.ok());
            BOOST_TEST(r.line.status == 502);
            BOOST_TEST(r.line.duration_us == 20000);  // $request_time, not the upstream's
        }
    }
}

// AWS's own examples of Application Load Balancer entries (HTTP, HTTP/2 over TLS, WebSockets,
// a Lambda target that failed, a request no target was sent), at 2026-11-20T10:00:00.
const std::string kAlbTail =
    R"( arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 )"
    R"("Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2026-11-20T09:59:48.364000Z "forward" )"
    R"("-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90)";
const std::string kAlbHttp = R"(http 2026-11-20T10:00:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 )"
                             R"(192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 )"
                             R"("GET http://www.example.com:80/shop/cart HTTP/1.1" "curl/7.46.0" - -)" + kAlbTail;
const std::string kAlbH2 = R"(h2 2026-11-20T10:00:01.945958Z app/my-loadbalancer/50dc6c495c0c9188 10.0.1.252:48160 )"
                           R"(10.0.0.66:9000 0.000 0.120 0.000 404 404 5 257 )"
                           R"("GET https://10.0.2.105:773/api/v2?q=1 HTTP/2.0" )"
                           R"("curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2)" + kAlbTail;
const std::string kAlbWebSocket = R"(ws 2026-11-20T10:00:02.186641Z app/my-loadbalancer/50dc6c495c0c9188 )"
                                  R"(10.0.0.140:40914 10.0.1.192:8010 0.001 0.003 0.000 101 101 218 587 )"
                                  R"("GET http://10.0.0.30:80/chat HTTP/1.1" "-" - -)" + kAlbTail;
const std::string kAlbLambdaFailed = R"(http 2026-11-20T10:00:03.186641Z app/my-loadbalancer/50dc6c495c0c9188 )"
                                     R"(192.168.131.39:2817 - 0.000 0.001 0.000 502 - 34 366 )"
                                     R"("GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - -)" + kAlbTail;
const std::string kAlbNoTarget = R"(https 2026-11-20T10:00:04.000000Z app/my-loadbalancer/50dc6c495c0c9188 )"
                                 R"([2001:db8::1]:443 - -1 -1 -1 503 - 0 0 )"
                                 R"("GET https://www.example.com:443/shop HTTP/1.1" )"
                                 R"x("Mozilla/5.0 (X11; Linux x86_64)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2)x" +
                                 kAlbTail;

// Each line as `preset` reads it: its time, section, status, bytes, response time and host.
void check_reads(const std::string& preset, std::initializer_list<std::pair<const std::string&, test::Read>> lines) {
    for (const auto& [line, expected] : lines) {
        BOOST_TEST_CONTEXT(line) { test::check_read(parse(preset, line), expected); }
    }
}

BOOST_AUTO_TEST_CASE(the_alb_preset_reads_an_aws_load_balancers_entries) {
    // The response time is the target's processing time; the host, the URL's.
    check_reads("alb", {{kAlbHttp, {kTen, "/shop", 200, 366, 1000, "www.example.com"}},
                        {kAlbH2, {kTen + 1, "/api", 404, 257, 120000, "10.0.2.105"}},
                        {kAlbWebSocket, {kTen + 2, "/chat", 101, 587, 3000, "10.0.0.30"}},
                        {kAlbLambdaFailed, {kTen + 3, "/", 502, 366, 1000, "www.example.com"}},
                        {kAlbNoTarget, {kTen + 4, "/shop", 503, 0, -1, "www.example.com"}}});
}

BOOST_AUTO_TEST_CASE(auto_finds_an_aws_load_balancers_log_and_other_formats_say_they_look_like_it) {
    LineParser parser(compiled("auto"));
    const Detection found = parser.detect(kAlbHttp + "\n" + kAlbH2 + "\n" + kAlbWebSocket + "\n");
    BOOST_TEST(found.preset == "alb");
    BOOST_TEST(found.matched == 3u);
    BOOST_TEST(parser.parse(kAlbNoTarget).line.status == 503);
    const std::string combined = R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x")";
    BOOST_TEST(name_of(parse("combined", kAlbHttp).error) == std::string("looks_like_alb"));
    BOOST_TEST(name_of(parse("alb", combined).error) == std::string("looks_like_combined"));
    // By host, each entry's site is its URL's host: one load balancer serves many.
    LineParser by_host(compiled("alb"), SectionRule{true, 1});  // it holds the section's name
    BOOST_TEST(by_host.parse(kAlbHttp).line.section == "www.example.com/shop");
    // A combined log stays combined.
    LineParser apache(compiled("auto"));
    BOOST_TEST(apache.detect(combined + "\n" + combined + "\n").preset == "combined");
}

// Lines HAProxy 2.6.12 (Debian's) wrote with `option httplog` and `log stdout format raw`, moved
// to 2026-11-20T10:00:00: a request served, one with a query string, and one whose server was
// down (-1 timers, SC--, 503). HAProxy writes local time: UTC here (no local_to_utc).
const std::string kHaproxyServed = R"(127.0.0.1:53754 [20/Nov/2026:10:00:00.425] http-in web/s1 0/0/0/6/6 )"
                                   R"(404 500 - - ---- 1/1/0/0/0 0/0 "GET /index.html HTTP/1.1")";
const std::string kHaproxyQuery = R"(127.0.0.1:53756 [20/Nov/2026:10:00:01.440] http-in web/s1 0/0/0/0/120 )"
                                  R"(200 1500 - - ---- 1/1/0/0/0 0/0 "GET /api/x?y=1 HTTP/1.1")";
const std::string kHaproxyDown = R"(127.0.0.1:53780 [20/Nov/2026:10:00:02.736] http-in web/s1 0/0/-1/-1/3006 )"
                                 R"(503 217 - - SC-- 1/1/0/0/3 0/0 "GET /down HTTP/1.1")";

BOOST_AUTO_TEST_CASE(the_haproxy_preset_reads_option_httplog_lines) {
    // The response time is Ta, the whole request's; no host.
    check_reads("haproxy", {{kHaproxyServed, {kTen, "/index.html", 404, 500, 6000, ""}},
                            {kHaproxyQuery, {kTen + 1, "/api", 200, 1500, 120000, ""}},
                            {kHaproxyDown, {kTen + 2, "/down", 503, 217, 3006000, ""}}});
    // auto finds it, alone or as rsyslog stores what HAProxy sends to /dev/log.
    LineParser raw(compiled("auto"));
    BOOST_TEST(raw.detect(kHaproxyServed + "\n" + kHaproxyQuery + "\n" + kHaproxyDown + "\n").preset == "haproxy");
    LineParser stored(compiled("auto"));
    const std::string prefix = "Nov 20 10:00:00 lb1 haproxy[14389]: ";
    BOOST_TEST(stored.detect(prefix + kHaproxyServed + "\n" + prefix + kHaproxyQuery + "\n").preset ==
               "syslog+haproxy");
    BOOST_TEST(stored.parse(prefix + kHaproxyDown).line.status == 503);
    BOOST_TEST(name_of(parse("combined", kHaproxyServed).error) == std::string("looks_like_haproxy"));
    // Its dates are local time, converted as a format string's %{...}t is.
    LogFormat local = compiled("auto");
    local.local_to_utc = [](UnixSeconds local_time) { return local_time - 3600; };
    LineParser in_paris(local);
    in_paris.detect(kHaproxyServed + "\n");
    BOOST_TEST(in_paris.parse(kHaproxyQuery).line.time == kTen + 1 - 3600);
}

// Lines HAProxy 2.6.12 wrote with `capture request header Host len 32`, `capture request header
// User-Agent len 64` and `capture response header Content-Type len 32` (moved to 10:00): a {...}
// field for each direction, its headers parted by '|', with `{`, `}`, `"`, `|` and `#` written
// #XX. Every such line was bad_request ("expected a quoted request line"), and `auto` found no
// format in the log.
BOOST_AUTO_TEST_CASE(the_haproxy_preset_passes_over_captured_headers) {
    const std::string both = R"(127.0.0.1:47226 [20/Nov/2026:10:00:00.771] http-in http-in/<NOSRV> 0/-1/-1/-1/0 )"
                             R"(200 73 - - LR-- 1/1/0/0/0 0/0 {localhost:18083|curl/7.88.1} {} "GET /shop/x HTTP/1.1")";
    const std::string encoded = R"(127.0.0.1:47236 [20/Nov/2026:10:00:01.780] http-in http-in/<NOSRV> 0/-1/-1/-1/0 )"
                                R"(404 56 - - LR-- 1/1/0/0/0 0/0 {localhost|Mozilla #7Bweird#7D #22q#22 #7C pipe #23} )"
                                R"({text/plain} "GET /missing HTTP/1.1")";
    const std::string request_only = R"(127.0.0.1:47250 [20/Nov/2026:10:00:02.786] http-in web/s1 0/0/0/1/2 )"
                                      R"(200 73 - - ---- 1/1/0/0/0 0/0 {a b} "GET /api HTTP/1.1")";
    check_reads("haproxy", {{both, {kTen, "/shop", 200, 73, 0, ""}},
                            {encoded, {kTen + 1, "/missing", 404, 56, 0, ""}},
                            {request_only, {kTen + 2, "/api", 200, 73, 2000, ""}},
                            {kHaproxyServed, {kTen, "/index.html", 404, 500, 6000, ""}}});
    LineParser raw(compiled("auto"));
    BOOST_TEST(raw.detect(both + "\n" + encoded + "\n" + request_only + "\n").preset == "haproxy");
    // A third {...} is no HAProxy field, nor is a block left open.
    const auto before_request = both.find(" \"GET");
    BOOST_TEST(name_of(parse("haproxy", both.substr(0, before_request) + " {x}" + both.substr(before_request)).error) ==
               std::string("bad_request"));
    BOOST_TEST(name_of(parse("haproxy", both.substr(0, both.find(" {")) + " {open \"GET / HTTP/1.1\"").error) ==
               std::string("bad_request"));
}

// Envoy's default format as it writes lines (UTC, milliseconds), moved to 2026-11-20T10:00:00:
// its docs' example request, one whose upstream could not be reached (UF: Envoy answered 503
// itself), and an HTTP/2 POST with a query string behind two proxies.
const std::string kEnvoyServed = R"([2026-11-20T10:00:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 )"
                                 R"("10.0.35.28" "nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" )"
                                 R"("tcp://10.0.2.1:80")";
const std::string kEnvoyUpstreamDown = R"([2026-11-20T10:00:01.004Z] "GET /cart HTTP/1.1" 503 UF 0 91 30 - "-" )"
                                       R"("curl/8.0" "e3f4-bb" "shop.example" "10.1.2.3:8080")";
const std::string kEnvoyQuery = R"([2026-11-20T10:00:02.999Z] "POST /orders?id=7 HTTP/2" 201 - 120 45 12 11 )"
                                R"x("203.0.113.9, 10.0.0.1" "Mozilla/5.0 (X11; Linux x86_64)" "aa-bb" "shop.example" )x"
                                R"("10.1.2.4:8080")";
// Istio's (1.9 on): its docs' example of a sidecar's line, and a request whose upstream reset.
const std::string kIstioServed = R"([2026-11-20T10:00:00.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 )"
                                 R"(135 4 4 "-" "curl/7.73.0-DEV" "84961386-6d84-929d-98bd-c5aee93b5c88" )"
                                 R"("httpbin:8000" )"
                                 R"("10.44.1.27:80" outbound|8000||httpbin.foo.svc.cluster.local 10.44.1.23:37652 )"
                                 R"(10.0.45.184:8000 10.44.1.23:46520 - default)";
const std::string kIstioReset = R"([2026-11-20T10:00:01.100Z] "POST /api/v1/orders HTTP/2" 503 UF )"
                                R"(upstream_reset_before_response_started{connection_failure} - "-" 120 91 30 - "-" )"
                                R"("Mozilla/5.0" "e3f4-bb" "shop.example" "10.44.1.28:8080" )"
                                R"(outbound|8080||shop.default.svc.cluster.local - 10.0.45.185:8080 )"
                                R"(10.44.1.23:46522 - default)";

BOOST_AUTO_TEST_CASE(the_envoy_and_istio_presets_read_their_default_lines) {
    // The response time is DURATION, in milliseconds; the host, the request's :authority.
    check_reads("envoy", {{kEnvoyServed, {kTen, "/api", 204, 0, 226000, "locations"}},
                          {kEnvoyUpstreamDown, {kTen + 1, "/cart", 503, 91, 30000, "shop.example"}},
                          {kEnvoyQuery, {kTen + 2, "/orders", 201, 45, 12000, "shop.example"}}});
    check_reads("istio", {{kIstioServed, {kTen, "/status", 418, 135, 4000, "httpbin:8000"}},
                          {kIstioReset, {kTen + 1, "/api", 503, 91, 30000, "shop.example"}}});
    LineParser envoy(compiled("auto"));
    BOOST_TEST(envoy.detect(kEnvoyServed + "\n" + kEnvoyUpstreamDown + "\n" + kEnvoyQuery + "\n").preset == "envoy");
    LineParser istio(compiled("auto"));
    BOOST_TEST(istio.detect(kIstioServed + "\n" + kIstioReset + "\n").preset == "istio");
    // As a container runtime stores a sidecar's standard output.
    LineParser pod(compiled("auto"));
    const std::string cri = "2026-11-20T10:00:00.409917351Z stdout F ";
    BOOST_TEST(pod.detect(cri + kIstioServed + "\n" + cri + kIstioReset + "\n").preset == "cri+istio");
    BOOST_TEST(name_of(parse("combined", kEnvoyServed).error) == std::string("looks_like_envoy"));
    BOOST_TEST(name_of(parse("envoy", kIstioServed).error) == std::string("looks_like_istio"));
    BOOST_TEST(name_of(parse("istio", kEnvoyServed).error) == std::string("looks_like_envoy"));
    // Envoy writes UTC: the server's zone changes nothing.
    LogFormat in_paris = compiled("envoy");
    in_paris.local_to_utc = [](UnixSeconds local_time) { return local_time - 3600; };
    BOOST_TEST(LineParser(in_paris).parse(kEnvoyServed).line.time == kTen);
}

BOOST_AUTO_TEST_CASE(a_request_that_got_no_response_is_said_to_be_one) {
    // Envoy writes status 0 when the client went away before a response began (DC), HAProxy -1
    // when there was none (the client aborted, a timeout), nginx 000; Envoy's JSON logs 0 too.
    // They were bad_status, "expected a 3-digit status from 100 to 999", as if the line were
    // garbled.
    const std::string envoy = R"([2026-11-20T10:00:02.000Z] "GET /healthz HTTP/1.1" 0 DC 0 0 1 - "-" )"
                              R"("kube-probe/1.27" "aa-bb" "10.44.1.23:15021" "-")";
    const std::string haproxy = R"(127.0.0.1:53790 [20/Nov/2026:10:00:03.000] http-in web/s1 0/0/0/-1/5001 -1 0 - - )"
                                R"(CH-- 1/1/0/0/0 0/0 "GET /slow HTTP/1.1")";
    const std::string nginx = R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /a HTTP/2.0" 000 0 "-" "curl/8")";
    const std::string json = R"({"time":"2026-11-20T10:00:00.000Z","path":"/a","status":0})";
    const std::string nginx_format(kNginxLogFormat);
    for (const auto& [format, line] : std::initializer_list<std::pair<std::string, std::string>>{
             {"envoy", envoy}, {"haproxy", haproxy}, {"combined", nginx}, {nginx_format, nginx}, {"json", json}}) {
        BOOST_TEST(name_of(parse(format, line).error) == std::string("no_response"), format << ": " << line);
    }
    // Envoy logs a TCP proxy's connection in the same format, "- - -" for the request: no
    // request went unanswered there (Istio's sidecars log every database connection so).
    const std::string tcp = R"([2026-11-20T10:00:04.000Z] "- - -" 0 - - - "-" 1234 5678 100 - "-" "-" "-" "-" )"
                            R"("10.44.1.27:3306" outbound|3306||mysql.default.svc.cluster.local 10.44.1.23:37652 )"
                            R"(10.0.45.184:3306 10.44.1.23:46520 - -)";
    BOOST_TEST(name_of(parse("istio", tcp).error) == std::string("tcp_connection"));
    LineParser mesh(compiled("auto"));
    BOOST_TEST(mesh.detect(kIstioServed + "\n" + kIstioReset + "\n").preset == "istio");
    BOOST_TEST(name_of(mesh.parse(tcp).error) == std::string("tcp_connection"));
    // Lines of the format all the same, to auto: a sidecar's log may begin with connections.
    LineParser database_first(compiled("auto"));
    const Detection found = database_first.detect(tcp + "\n" + tcp + "\n" + envoy + "\n" + kIstioServed + "\n");
    BOOST_TEST(found.preset == "istio");
    BOOST_TEST(found.matched == 3u);  // the Envoy line is not Istio's
    // A line of another format with no response is said to look like its own.
    BOOST_TEST(name_of(parse("combined", tcp).error) == std::string("looks_like_istio"));
    BOOST_TEST(describe(ParseError::no_response) ==
               std::string("no response was sent (status 0, 000 or -1: the client went away, or the server gave up, "
                           "first)"));
    // Other statuses out of range are what they were.
    const std::string head = R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" )";
    BOOST_TEST(name_of(parse("combined", head + "099 0").error) == std::string("bad_status"));
    BOOST_TEST(name_of(parse(nginx_format, head + R"(-2 0 "-" "x")").error) == std::string("bad_status"));
}

BOOST_AUTO_TEST_CASE(an_envoy_format_string_is_read_as_envoy_writes_it) {
    // A custom format, as an Envoy or Istio config gives it: START_TIME with a pattern of its own
    // (Envoy's %E3S: seconds and milliseconds; UTC whatever the server's zone), the path
    // without its query, :authority, a header cut to a length.
    LogFormat custom = compiled(R"([%START_TIME(%Y-%m-%d %H:%M:%E3S)%] %REQ(:METHOD)% )"
                                R"(%REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)% %RESPONSE_CODE% %BYTES_SENT% )"
                                R"(%DURATION% %REQ(:AUTHORITY)% "%REQ(USER-AGENT):16%")");
    custom.local_to_utc = [](UnixSeconds local_time) { return local_time - 3600; };
    test::check_read(LineParser(custom).parse(R"([2026-11-20 10:00:00.310] GET /a/b 200 5 7 shop.example "curl/8")"),
                     {kTen, "/a", 200, 5, 7000, "shop.example"});
    // Seconds since 1970 with milliseconds (%3f), and an X-Forwarded-For list not in quotes.
    const std::string epoch = "%START_TIME(%s.%3f)% %REQ(X-FORWARDED-FOR)% %REQ(:PATH)% %RESPONSE_CODE%";
    test::check_read(parse(epoch, "1795168800.310 203.0.113.9, 10.0.0.1 /x?y=1 404"), {kTen, "/x", 404, 0, -1, ""});
    // Copied from the YAML with its escapes and the newline Envoy's formats end in.
    test::check_read(parse(R"([%START_TIME%] \"%REQ(:METHOD)% %REQ(:PATH)% %PROTOCOL%\" %RESPONSE_CODE%\n)",
                           R"([2026-11-20T10:00:00.310Z] "GET /a/b HTTP/1.1" 200)"),
                     {kTen, "/a", 200, 0, -1, ""});
    // An operator hitwatch does not know is a field not read, and said; one that is not an
    // operator at all, or a ( never closed, is an error naming it.
    const CompiledFormat unknown = compile_format("[%START_TIME%] %REQ(:PATH)% %RESPONSE_CODE% %BYTES_SNET%");
    BOOST_TEST_REQUIRE(unknown.ok(), unknown.error);
    BOOST_TEST_REQUIRE(unknown.unknown.size() == 1u);
    BOOST_TEST(unknown.unknown.front().directive == "%BYTES_SNET%");
    BOOST_TEST(unknown.unknown.front().column == 45u);
    BOOST_TEST(compile_format("[%START_TIME%] %REQ(:PATH)% %RESPONSE_CODE").error ==
               "%RESPONSE_CODE at column 29 is not an Envoy command operator (%NAME% or %NAME(argument)%)");
    BOOST_TEST(compile_format("[%START_TIME%] %REQ(:PATH %RESPONSE_CODE%").error ==
               "%REQ( at column 16 opens ( and never closes it");
    BOOST_TEST(compile_format("[%START_TIME%] %REQ(:PATH)% %BYTES_SENT%").error ==
               "the format has no status field (%s, %>s, $status, %RESPONSE_CODE%)");
}

BOOST_AUTO_TEST_CASE(lists_of_addresses_and_upstream_figures_are_one_field) {
    // Behind a proxy the client is an X-Forwarded-For list ("203.0.113.9, 10.0.0.1"), and nginx
    // writes a figure of each upstream it tried ("0.004, 0.012"; "0.004 : 0.012" after an
    // internal redirect). Before: the list ended at its first space, so the pasted formats
    // below read none of their lines, and a list before $host made the next item the host.
    const std::string rest = R"( - - [20/Nov/2026:10:00:00 +0000] "GET /a/b HTTP/1.1" 200 5)";
    for (const std::string format : {R"(%{X-Forwarded-For}i %l %u %t "%r" %>s %b)",
                                     R"($http_x_forwarded_for - $remote_user [$time_local] "$request" $status $body_bytes_sent)"}) {
        // A list that ends in a comma (anyone can send "X-Forwarded-For: 203.0.113.9,") stops
        // there: before c4913d2 it took the "-" after it as an item, and the line was invalid.
        for (const std::string clients : {"203.0.113.9", "203.0.113.9, 10.0.0.1", "2001:db8::1, unknown, 10.0.0.1", "-",
                                          "203.0.113.9,", "203.0.113.9, 10.0.0.1,", "a, b, c, d, e, f,", "-,"}) {
            const std::string line = clients + rest;
            const auto r = parse(format, line);
            BOOST_TEST_REQUIRE(r.ok(), format << " on " << line << ": " << describe(r.error));
            BOOST_TEST(r.line.section == "/a");
            BOOST_TEST(r.line.bytes == 5u);
        }
    }
    const std::string upstream = R"($remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent )"
                                 R"($upstream_addr $upstream_response_time $host)";
    const std::string head = R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 502 5 )";
    for (const std::string tried : {"10.0.0.5:80 0.004", "10.0.0.5:80, 10.0.0.6:80 0.004, 0.012",
                                    "10.0.0.5:80 : 10.0.0.6:80 0.004 : 0.012"}) {
        const std::string line = head + tried + " shop.example";
        const auto r = parse(upstream, line);
        BOOST_TEST_REQUIRE(r.ok(), line << ": " << describe(r.error));
        BOOST_TEST(r.line.duration_us == 4000, line);
        BOOST_TEST(r.line.vhost == "shop.example", line);
    }
    // Other fields end at their first space, as before.
    BOOST_TEST(!parse(R"(%h %l %u %t "%r" %>s %b)", "203.0.113.9, 10.0.0.1" + rest).ok());
}

BOOST_AUTO_TEST_CASE(apaches_trailer_directives_are_fields_not_read) {
    // %^ti and %^to (Apache 2.4: the request's and response's trailers) were "not a directive",
    // and the whole format was refused.
    const auto r = parse(R"(%h %l %u %t "%r" %>s %b %^ti "%{Grpc-Status}^to" %D)",
                         R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 - "0" 1234)");
    BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
    BOOST_TEST(r.line.duration_us == 1234);
}

BOOST_AUTO_TEST_CASE(a_response_time_with_its_unit_or_minus_one_is_read) {
    // Traefik's common log ends in the request's duration with its unit ("5ms"). Before: a
    // format with %{ms}T or $request_time there read none of its lines (bad_duration).
    const std::string line = R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /a/b HTTP/1.1" 200 5 "-" "curl/8" )"
                             R"(1 "shop@docker" "http://172.17.0.3:80" 5ms)";
    for (const std::string last : {"%{ms}T", "%D", "%T"}) {
        const std::string format = R"(%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %k "%{router}e" "%{url}e" )" + last;
        const auto r = parse(format, line);
        BOOST_TEST_REQUIRE(r.ok(), format << ": " << describe(r.error));
        BOOST_TEST(r.line.duration_us == 5000, format);
    }
    // AWS's load balancers write -1 for a time never taken (no target answered): no duration,
    // and the line a hit. Before: bad_duration, and the 503s were the lines lost.
    const std::string alb = R"($type $time_iso8601 $elb $remote_addr $target $request_processing_time $request_time )"
                            R"($response_processing_time $status $target_status $received_bytes $body_bytes_sent "$request")";
    const auto r = parse(alb, R"(https 2026-11-20T10:00:00.186641Z app/lb/50dc 192.168.131.39:2817 - -1 -1 -1 503 - 34 366 )"
                              R"("GET https://www.example.com:443/api HTTP/1.1")");
    BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
    BOOST_TEST(r.line.status == 503);
    BOOST_TEST(r.line.duration_us == -1);
    BOOST_TEST(r.line.section == "/api");
}

BOOST_AUTO_TEST_CASE(a_time_written_in_parts_is_one_time) {
    // Apache's manual logs milliseconds so: "[%{%d/%b/%Y %T}t.%{msec_frac}t %{%z}t]". Before: the
    // zone alone was the last time read, and every line was dated 1970-01-01T00:00:00Z.
    const std::string rest = R"( "GET /a/b HTTP/1.1" 200 5)";
    for (const auto& [format, line] : std::vector<std::pair<std::string, std::string>>{
             {R"(%h [%{%d/%b/%Y %T}t.%{msec_frac}t %{%z}t] "%r" %>s %b)", "192.0.2.1 [20/Nov/2026 03:00:00.694 -0700]"},
             {R"(%h [%{%d/%b/%Y:%H:%M:%S}t.%{usec_frac}t %{%z}t] "%r" %>s %b)",
              "192.0.2.1 [20/Nov/2026:11:00:00.694123 +0100]"},
             {R"(%h %{%Y-%m-%d}t %{%T}t %{%z}t "%r" %>s %b)", "192.0.2.1 2026-11-20 10:00:00 +0000"},
             {R"(%h %{%Y-%m-%dT%H:%M:%S}t.%{usec_frac}t%{%z}t "%r" %>s %b)", "192.0.2.1 2026-11-20T11:00:00.123456+0100"},
             // A time of day beside a whole time: not read.
             {R"(%h %t %{%H:%M:%S}t "%r" %>s %b)", "192.0.2.1 [20/Nov/2026:10:00:00 +0000] 23:59:59"},
         }) {
        const std::string text = line + rest;  // the section is a view into it
        const auto r = parse(format, text);
        BOOST_TEST_REQUIRE(r.ok(), format << ": " << describe(r.error));
        BOOST_TEST(r.line.time == kTen, format);
        BOOST_TEST(r.line.section == "/a");
    }
    // A time of day or a zone alone cannot date a line: the format is refused, with why.
    const CompiledFormat c = compile_format(R"(%h [%{%H:%M:%S}t.%{msec_frac}t %{%z}t] "%r" %>s %b)");
    BOOST_TEST(!c.ok());
    BOOST_TEST(c.error.find("with a date") != std::string::npos, c.error);
}

BOOST_AUTO_TEST_CASE(a_host_and_the_path_right_after_it_are_two_fields) {
    // A full URL is a usual way to log what was asked for: "$scheme://$host$request_uri",
    // Apache's "%v%U%q". Before: "follows $host with nothing between them", and no format.
    const std::string nginx = R"($time_iso8601 $remote_addr $request_method $scheme://$host$request_uri )"
                              R"($server_protocol $status $bytes_sent $request_time "$sent_http_content_type")";
    for (const std::string target : {"/shop/item.html?q=a%20b", "/", "/shop"}) {
        const std::string line = "2026-12-05T06:16:51+00:00 127.0.0.1 GET https://shop.example:8443" + target +
                                 R"( HTTP/1.1 200 283 0.012 "text/html; charset=utf-8")";
        const auto r = parse(nginx, line);
        BOOST_TEST_REQUIRE(r.ok(), line << ": " << describe(r.error));
        BOOST_TEST(r.line.vhost == "shop.example:8443");
        BOOST_TEST(r.line.section == (target == "/" ? "/" : "/shop"));
        BOOST_TEST(r.line.duration_us == 12000);
    }
    const std::string apache = R"(%h %l %u %t "%m %{Host}i%U%q %H" %>s %b)";
    const auto r = parse(apache, R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET shop.example/a/b?c HTTP/1.1" 200 5)");
    BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
    BOOST_TEST(r.line.section == "/a");
    BOOST_TEST(compile_format(R"(%h %l %u %t "%m %v%U" %>s %b)").ok());
    // A request nginx could not read (it answered 400) has no path: a hit of no section.
    const auto bad = parse(nginx, R"(2026-12-05T06:44:28+00:00 127.0.0.1 - http://- - 400 309 0.000 "text/html")");
    BOOST_TEST_REQUIRE(bad.ok(), describe(bad.error));
    BOOST_TEST(bad.line.status == 400);
    BOOST_TEST(bad.line.section == kNoSection);
    // Other fields side by side still cannot be told apart.
    BOOST_TEST(!compile_format(R"($remote_addr$request_uri $time_local $status)").ok());
}

BOOST_AUTO_TEST_CASE(a_path_and_its_query_string_side_by_side_are_one_target) {
    // Apache's %U%q and nginx's $uri$is_args$args are the usual way to log the target without
    // the method. Before: "follows %U with nothing between them", and no format.
    for (const std::string format : {R"(%h %l %u %t "%m %U%q %H" %>s %b)",
                                     R"($remote_addr - $remote_user [$time_local] "$request_method $uri$is_args$args" $status $body_bytes_sent)"}) {
        BOOST_TEST_CONTEXT(format) {
            const CompiledFormat c = compile_format(format);
            BOOST_TEST_REQUIRE(c.ok(), c.error);
            const std::string head = R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET )";
            for (const std::string target : {"/shop/cart?id=7&x=y", "/shop/cart", "/", "/shop?"}) {
                const std::string line = head + target + R"( HTTP/1.1" 200 5)";
                const auto r = LineParser(c.format).parse(line);
                BOOST_TEST_REQUIRE(r.ok(), line << ": " << describe(r.error));
                BOOST_TEST(r.line.section == (target == "/" ? "/" : "/shop"), line);
            }
        }
    }
    // Two fields of other kinds side by side still cannot be told apart.
    BOOST_TEST(!compile_format(R"(%h%l %t "%r" %>s %b)").ok());
}
