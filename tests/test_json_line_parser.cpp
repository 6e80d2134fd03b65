// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE json_line_parser
// JSON logs: the default field names of nginx's escape=json logs and their kin, the names a
// user gives (Caddy's nested ones), units, numbers written as strings, and the reasons of
// lines that are not what the format says.
#include "core/json_line_parser.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "core/line_parser.h"
#include "read_line.h"

using namespace hitwatch;

namespace {

// Reasons print by their names in failure messages.
std::string reason(const ParseResult& r) { return name_of(r.error); }

constexpr UnixSeconds kTen = 1795168800;  // 2026-11-20T10:00:00Z

using test::check_read;

JsonFields with(std::initializer_list<const char*> specs) {
    JsonFields fields = default_json_fields();
    for (const char* spec : specs) BOOST_TEST_REQUIRE(set_json_field(fields, spec) == "", spec);
    return fields;
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_nginx_escape_json_line_with_the_default_names) {
    JsonLineParser parser;
    check_read(
        parser.parse(
            R"({"time_iso8601":"2026-11-20T11:00:00+01:00","remote_addr":"1.2.3.4","request":"GET /api/v1?x=\"1\" HTTP/1.1","status":"503","body_bytes_sent":"512","request_time":"0.120","host":"shop.example","http_user_agent":"a\u00e9"})"),
        {kTen, "/api", 503, 512, 120000, "shop.example"});
}

BOOST_AUTO_TEST_CASE(caddys_nested_fields_named_by_the_user) {
    JsonLineParser parser(with({"time=ts", "target=request.uri", "host=request.host"}), 2);
    const auto r = parser.parse(
        R"({"level":"info","ts":1795168800.52,"request":{"method":"GET","host":"localhost","uri":"/blog/2026/post?x"},"duration":0.000929,"size":10900,"status":200})");
    BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
    BOOST_TEST(r.line.time == kTen);
    BOOST_TEST(r.line.section == "/blog/2026");  // depth 2
    BOOST_TEST(r.line.duration_us == 929);
    BOOST_TEST(r.line.bytes == 10900u);
    BOOST_TEST(r.line.vhost == "localhost");
}

// Caddy's access log as Caddy writes it by default (its docs' example, with its request's
// headers and TLS): `auto` found no format in it ("no known format ... reading it as
// combined") and every line was invalid, unless the user named ts and request.uri.
BOOST_AUTO_TEST_CASE(caddys_default_access_log_is_read_and_detected_without_field_names) {
    const std::string line =
        R"({"level":"info","ts":1795168800.5241024,"logger":"http.log.access.log0","msg":"handled request",)"
        R"("request":{"remote_ip":"127.0.0.1","remote_port":"41342","client_ip":"127.0.0.1","proto":"HTTP/2.0",)"
        R"("method":"GET","host":"Shop.example","uri":"/api/users?id=1","headers":{"User-Agent":["curl/7.82.0"],)"
        R"("Accept":["*/*"]},"tls":{"resumed":false,"version":772,"cipher_suite":4865,"proto":"h2",)"
        R"("server_name":"localhost"}},"bytes_read":0,"user_id":"","duration":0.000929675,"size":10900,)"
        R"("status":200,"resp_headers":{"Server":["Caddy"],"Content-Type":["text/html; charset=utf-8"]}})";
    JsonLineParser parser;
    check_read(parser.parse(line), {kTen, "/api", 200, 10900, 930, "Shop.example"});
    LineParser detecting(compile_format("auto").format);
    const Detection found = detecting.detect(line + "\n" + line + "\n");
    BOOST_TEST(found.preset == "json");
    BOOST_TEST(found.matched == 2u);
    // nginx's own names still come first where a line has both.
    BOOST_TEST(parser.parse(R"({"time":"2026-11-20T10:00:01Z","ts":1,"request":"GET /a HTTP/1.1","status":200})")
                   .line.time == kTen + 1);
}

// Traefik's JSON access log (accessLog.format = json), as its docs show it: its status and
// path are DownstreamStatus and RequestPath, and every line was invalid (bad_status) unless
// the user named them. Its Duration is in nanoseconds.
BOOST_AUTO_TEST_CASE(traefiks_json_access_log_is_read_and_detected_without_field_names) {
    const std::string line =
        R"({"ClientAddr":"172.17.0.1:54832","ClientHost":"172.17.0.1","ClientPort":"54832","ClientUsername":"-",)"
        R"("DownstreamContentSize":19,"DownstreamStatus":404,"Duration":94300000,"OriginContentSize":19,)"
        R"("OriginDuration":65800,"OriginStatus":404,"Overhead":28500,"RequestAddr":"localhost:8000",)"
        R"("RequestContentSize":0,"RequestCount":1,"RequestHost":"localhost","RequestMethod":"GET",)"
        R"("RequestPath":"/whoami/x?y=1","RequestPort":"8000","RequestProtocol":"HTTP/1.1","RequestScheme":"http",)"
        R"("RetryAttempts":0,"StartLocal":"2026-11-20T09:59:59.987654321Z","StartUTC":"2026-11-20T09:59:59.987654321Z",)"
        R"("entryPointName":"web","level":"info","msg":"","time":"2026-11-20T10:00:00Z"})";
    check_read(JsonLineParser().parse(line), {kTen, "/whoami", 404, 19, 94300, "localhost"});
    LineParser detecting(compile_format("auto").format);
    BOOST_TEST(detecting.detect(line + "\n").preset == "json");
    // Nanoseconds named by a user too.
    JsonLineParser named(with({"duration=took:ns"}));
    BOOST_TEST(named.parse(R"({"time":"2026-11-20T10:00:00Z","path":"/a","status":200,"took":2500000})")
                   .line.duration_us == 2500);
    JsonLineParser suffixed(with({"duration=took_ns"}));
    BOOST_TEST(suffixed.parse(R"({"time":"2026-11-20T10:00:00Z","path":"/a","status":200,"took_ns":7000})")
                   .line.duration_us == 7);
}

// Istio's sidecars' JSON access log (accessLogEncoding: JSON), as Envoy's JSON formatter writes
// Istio's default keys: its time is start_time, its status response_code, its host authority,
// and its duration milliseconds. Every line was invalid (bad_time) unless the user named them.
BOOST_AUTO_TEST_CASE(envoys_json_access_log_as_istio_writes_it_is_read_without_field_names) {
    const std::string line =
        R"({"authority":"httpbin:8000","bytes_received":0,"bytes_sent":135,"connection_termination_details":null,)"
        R"("downstream_local_address":"10.0.45.184:8000","downstream_remote_address":"10.44.1.23:46520",)"
        R"("duration":4,"method":"GET","path":"/status/418","protocol":"HTTP/1.1",)"
        R"("request_id":"84961386-6d84-929d-98bd-c5aee93b5c88","requested_server_name":null,"response_code":418,)"
        R"("response_code_details":"via_upstream","response_flags":"-","route_name":"default",)"
        R"("start_time":"2026-11-20T10:00:00.409Z","upstream_cluster":"outbound|8000||httpbin.foo.svc.cluster.local",)"
        R"("upstream_host":"10.44.1.27:80","upstream_local_address":"10.44.1.23:37652","upstream_service_time":"4",)"
        R"("upstream_transport_failure_reason":null,"user_agent":"curl/7.73.0-DEV","x_forwarded_for":null})";
    check_read(JsonLineParser().parse(line), {kTen, "/status", 418, 135, 4000, "httpbin:8000"});
    LineParser detecting(compile_format("auto").format);
    BOOST_TEST(detecting.detect(line + "\n").preset == "json");
    // A client that went away first: status 0.
    BOOST_TEST(reason(JsonLineParser().parse(
                   R"({"start_time":"2026-11-20T10:00:00.409Z","path":"/a","response_code":0,"duration":1})")) ==
               "no_response");
    // Elsewhere "duration" is seconds, as nginx's and Caddy's are.
    BOOST_TEST(JsonLineParser().parse(R"({"time":"2026-11-20T10:00:00Z","path":"/a","status":200,"duration":0.004})")
                   .line.duration_us == 4000);
}

BOOST_AUTO_TEST_CASE(durations_are_seconds_unless_the_name_or_the_unit_says_otherwise) {
    JsonLineParser by_name(with({"duration=elapsed_ms"}));
    BOOST_TEST(by_name.parse(R"({"time":"2026-11-20T10:00:00Z","path":"/a","status":200,"elapsed_ms":12.5})").line.duration_us ==
               12500);
    JsonLineParser by_unit(with({"duration=Duration:us"}));
    BOOST_TEST(by_unit.parse(R"({"time":"2026-11-20T10:00:00Z","path":"/a","status":200,"Duration":"750"})").line.duration_us ==
               750);
    JsonFields fields = default_json_fields();
    BOOST_TEST(set_json_field(fields, "latency=x").find("has no role") != std::string::npos);
    BOOST_TEST(set_json_field(fields, "status=code:ms").find("has none") != std::string::npos);
    BOOST_TEST(set_json_field(fields, "duration=t:hours").find("units: s, ms, us") != std::string::npos);
    BOOST_TEST(set_json_field(fields, "status").find("ROLE=NAME") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(times_as_epoch_numbers_iso_strings_or_local_time) {
    JsonLineParser parser;
    const std::string rest = R"(,"path":"/a","status":200})";
    BOOST_TEST(parser.parse(R"({"msec":"1795168800.123")" + rest).line.time == kTen);
    BOOST_TEST(parser.parse(R"({"timestamp":1795168800123)" + rest).line.time == kTen);  // milliseconds
    BOOST_TEST(parser.parse(R"({"@timestamp":"2026-11-20T10:00:00.250Z")" + rest).line.time == kTen);
    BOOST_TEST(parser.parse(R"({"time_local":"20/Nov/2026:10:00:00 +0000")" + rest).line.time == kTen);
}

BOOST_AUTO_TEST_CASE(lines_that_are_not_what_the_format_says_have_their_reason) {
    JsonLineParser parser;
    BOOST_TEST(reason(parser.parse("not json")) == "bad_json");
    BOOST_TEST(reason(parser.parse(R"({"time":"2026-11-20T10:00:00Z","path":"/a","status":200)")) == "bad_json");
    BOOST_TEST(reason(parser.parse(R"({"path":"/a","status":200})")) == "bad_time");
    BOOST_TEST(reason(parser.parse(R"({"time":"2026-11-20T10:00:00Z","path":"/a","status":"ok"})")) == "bad_status");
    BOOST_TEST(reason(parser.parse(R"({"time":"2026-11-20T10:00:00Z","status":200})")) == "bad_request");
    BOOST_TEST(reason(parser.parse(R"({"time":"2026-11-20T10:00:00Z","path":"/a","status":200,"size":-1})")) ==
               "bad_bytes");
    BOOST_TEST(reason(parser.parse("")) == "blank");
    // A request that names no path is traffic, as in the other formats.
    BOOST_TEST(parser.parse(R"({"time":"2026-11-20T10:00:00Z","request":"-","status":408})").line.section == kNoSection);
}

BOOST_AUTO_TEST_CASE(json_logs_are_detected_and_named_when_another_format_was_given) {
    const std::string line = R"({"time":"2026-11-20T10:00:00Z","request":"GET /x HTTP/1.1","status":200})";
    LineParser detecting(compile_format("auto").format);
    BOOST_TEST(detecting.detect(line + "\n" + line + "\n").preset == "json");
    LineParser told(compile_format("combined").format);
    BOOST_TEST(reason(told.parse(line)) == "looks_like_json");
}

BOOST_AUTO_TEST_CASE(a_lines_strings_stay_valid_while_one_more_line_is_read) {
    JsonLineParser parser;
    const auto first = parser.parse(R"({"time":"2026-11-20T10:00:00Z","path":"/first","status":200,"host":"a"})");
    const auto second = parser.parse(R"({"time":"2026-11-20T10:00:00Z","path":"/second","status":200,"host":"b"})");
    BOOST_TEST(first.line.section == "/first");
    BOOST_TEST(first.line.vhost == "a");
    BOOST_TEST(second.line.section == "/second");
}

BOOST_AUTO_TEST_CASE(numbers_out_of_range_or_not_finite_are_invalid_lines) {
    // Before: "nan", "inf", 1e300 and -1 bytes were hits (a conversion past the range of the
    // integer: undefined, and 9223372036854775808 bytes in a Release build).
    JsonLineParser parser;
    const std::string head = R"({"time":"2026-11-20T10:00:00Z","request":"GET /a HTTP/1.1","status":200,)";
    for (const char* bytes : {R"("nan")", R"("inf")", R"("-inf")", "1e300", "-1", R"("9100000000000000")"}) {
        const auto r = parser.parse(head + R"("body_bytes_sent":)" + bytes + "}");
        BOOST_TEST(reason(r) == "bad_bytes", bytes);
    }
    for (const char* time : {R"("nan")", R"("inf")", "1e300", "-0.5", "1e12"}) {
        const auto r = parser.parse(head + R"("request_time":)" + time + "}");
        BOOST_TEST(reason(r) == "bad_duration", time);
    }
    const auto edge = parser.parse(head + R"("body_bytes_sent":9007199254740992,"request_time":3600})");
    BOOST_TEST_REQUIRE(edge.ok(), describe(edge.error));
    BOOST_TEST(edge.line.bytes == kMaxBytes);
    BOOST_TEST(edge.line.duration_us == 3600000000);
}

BOOST_AUTO_TEST_CASE(no_value_as_apache_and_nginx_write_it_is_no_bytes_and_no_duration) {
    // Apache's %b in a JSON LogFormat writes "-" for a response with no body; nginx's
    // escape=json writes "" for a variable with no value ($upstream_response_time of a
    // static file), where its default escaping writes "-". Before: "-" and "" bytes and ""
    // durations made the line invalid, "expected a byte count or -".
    JsonLineParser parser;
    const std::string head = R"({"time":"2026-11-20T10:00:00Z","request":"GET /a HTTP/1.1","status":304)";
    for (const char* none : {R"("-")", R"("")"}) {
        const auto bytes = parser.parse(head + R"(,"size":)" + none + "}");
        BOOST_TEST_REQUIRE(bytes.ok(), describe(bytes.error) << " for bytes " << none);
        BOOST_TEST(bytes.line.bytes == 0u);
        const auto duration = parser.parse(head + R"(,"request_time":)" + none + "}");
        BOOST_TEST_REQUIRE(duration.ok(), describe(duration.error) << " for a duration " << none);
        BOOST_TEST(duration.line.duration_us == parser.parse(head + "}").line.duration_us);  // none, as with no field
    }
    BOOST_TEST(reason(parser.parse(head + R"(,"size":"--"})")) == "bad_bytes");
    BOOST_TEST(reason(parser.parse(head + R"(,"request_time":" "})")) == "bad_duration");
}

BOOST_AUTO_TEST_CASE(apache_json_log_formats_are_read_with_their_bracketed_time_and_their_path) {
    // Apache's %t is "[20/Nov/2026:10:00:00 +0000]", brackets and all, in a JSON LogFormat as
    // anywhere ("time":"%t"), and such formats often log %U (the path) as the request and %b
    // ("-" for no body) as the size. Before: every such line was bad_time, and `auto` did not
    // take the log for JSON.
    const std::string line =
        R"({ "time":"[20/Nov/2026:10:00:00 +0000]", "remoteIP":"192.0.2.7", "request":"/shop/cart", "method":"GET",)"
        R"( "status":"304", "size":"-" })";
    JsonLineParser parser;
    const auto r = parser.parse(line);
    BOOST_TEST_REQUIRE(r.ok(), describe(r.error));
    BOOST_TEST(r.line.time == kTen);
    BOOST_TEST(r.line.section == "/shop");
    BOOST_TEST(r.line.bytes == 0u);
    LineParser detecting(compile_format("auto").format);
    BOOST_TEST(detecting.detect(line + "\n" + line + "\n").preset == "json");
    for (const char* time : {"[20/Nov/2026:10:00:00 +0000", "20/Nov/2026:10:00:00 +0000]", "[]", "["}) {
        BOOST_TEST(reason(parser.parse(std::string(R"({"time":")") + time + R"(","path":"/a","status":200})")) ==
                       "bad_time",
                   time);
    }
}

BOOST_AUTO_TEST_CASE(nginx_json_lines_with_any_bytes_a_client_sent_are_read) {
    // As a real nginx (1.22) writes a request with quotes, a backslash and bytes that are not
    // UTF-8 in its path and user agent. escape=json copies bytes from 0x80 as they are, so a
    // line may hold invalid UTF-8; nginx's default escaping, for a JSON-shaped log_format
    // without escape=json, writes '"', '\' and bytes outside printable ASCII as \xHH, which
    // JSON does not have. Before: both were bad_json, lost.
    JsonLineParser parser;
    const std::string head = R"({"time":"2026-12-05T04:01:21+00:00","remote_addr":"127.0.0.1","request":)";
    const std::string lines[] = {
        head + "\"GET /api/\\\"quoted\\\"\\\\x HTTP/1.1\",\"status\":200,\"http_user_agent\":\"Mozilla \\\"q\\\" \\\\ \xff\"}",
        head + "\"GET /api/\xff\xfe HTTP/1.1\",\"status\":200,\"http_user_agent\":\"\\u0001\\u001F\"}",
        head + R"("GET /api/\x22quoted\x22\x5Cx HTTP/1.1","status":200,"http_user_agent":"Mozilla \x22q\x22 \x5C \xFF"})",
        head + R"("GET /api/\xFF\xFE HTTP/1.1","status":200,"http_user_agent":"\x01\x1F"})",
        head + R"("GET /caf\xC3\xA9/x HTTP/1.1","status":404,"body_bytes_sent":153})",
    };
    for (const std::string& line : lines) {
        const auto r = parser.parse(line);
        BOOST_TEST_REQUIRE(r.ok(), describe(r.error) << ": " << line);
        BOOST_TEST((r.line.section == "/api" || r.line.section == "/caf\xC3\xA9"), r.line.section);
    }
    // Still not JSON: a \x with no two hex digits, and \x in a line that is broken elsewhere.
    BOOST_TEST(reason(parser.parse(head + R"("GET /a\xZZ HTTP/1.1","status":200})")) == "bad_json");
    BOOST_TEST(reason(parser.parse(head + R"("GET /a\x22 HTTP/1.1","status":200)")) == "bad_json");
}

BOOST_AUTO_TEST_CASE(auto_reads_a_json_log_with_the_names_the_user_gave) {
    // --json-field with the default format, auto: before, detection tried the JSON preset with
    // the default names only, and used it so. A log with its own names was read as combined
    // (every line invalid); one with the default names lost the duration the user named.
    const std::string own =
        R"({"http.url":"/shop/a?x=1","http.status_code":502,"timestamp":"2026-11-20T10:00:00+00:00","elapsed_ms":250})";
    const std::string usual = R"({"time":"2026-11-20T10:00:00Z","request":"GET /shop/a HTTP/1.1","status":502,)"
                              R"("elapsed_ms":250})";
    for (const bool own_names : {true, false}) {
        const std::string& line = own_names ? own : usual;
        LogFormat format = compile_format("auto").format;
        format.json = own_names ? with({"target=http.url", "status=http.status_code", "time=timestamp", "duration=elapsed_ms"})
                                : with({"duration=elapsed_ms"});
        LineParser parser(format);
        const Detection found = parser.detect(line + "\n" + line + "\n");
        BOOST_TEST(found.preset == "json", line);
        BOOST_TEST(found.matched == 2u, line);
        check_read(parser.parse(line), {kTen, "/shop", 502, 0, 250000, ""});
    }
    // JSON objects with none of the names: read as JSON (each line says what it lacks), not as
    // combined.
    LineParser parser(compile_format("auto").format);
    const Detection found = parser.detect(own + "\n" + own + "\n");
    BOOST_TEST(found.preset == "json");
    BOOST_TEST(found.matched == 0u);
    BOOST_TEST(reason(parser.parse(own)) == "bad_status");
}

BOOST_AUTO_TEST_CASE(google_clouds_request_log_and_durations_with_their_unit_are_read) {
    // A Google Cloud request log entry (a load balancer's, Cloud Run's): its fields under
    // httpRequest, its latency a protobuf Duration ("0.012345s"). Before: bad_status without
    // names given, and bad_duration with them, so no line was a hit.
    const std::string line =
        R"({"httpRequest":{"requestMethod":"GET","requestUrl":"https://shop.example.com/shop/item?id=1",)"
        R"("status":200,"responseSize":"1234","remoteIp":"203.0.113.9","latency":"0.012345s"},)"
        R"("timestamp":"2026-11-20T10:00:00.123456Z","severity":"INFO"})";
    JsonLineParser parser;
    // Its site is the URL's host (--section-by host).
    check_read(parser.parse(line), {kTen, "/shop", 200, 1234, 12345, "shop.example.com"});
    LineParser detecting(compile_format("auto").format);
    BOOST_TEST(detecting.detect(line + "\n").preset == "json");
    // Go's and protobuf's forms, under any duration name; a bare number keeps the name's unit.
    for (const auto& [text, micros] : std::vector<std::pair<std::string, std::int64_t>>{
             {"1.5s", 1500000}, {"12.3ms", 12300}, {"150\xC2\xB5s", 150}, {"150us", 150}, {"20ns", 0},
             {"1m30.5s", 90500000}, {"2h", 7200000000}, {"0s", 0}}) {
        const auto r = JsonLineParser(with({"duration=took"}))
                           .parse(R"({"time":"2026-11-20T10:00:00Z","request":"GET / HTTP/1.1","status":200,"took":")" +
                                  text + "\"}");
        BOOST_TEST_REQUIRE(r.ok(), text << ": " << describe(r.error));
        BOOST_TEST(r.line.duration_us == micros, text);
    }
    // -1, a time never taken (AWS's load balancers, HAProxy): no duration.
    for (const std::string took : {"-1", "\"-1\""}) {
        const auto r = JsonLineParser(with({"duration=took"}))
                           .parse(R"({"time":"2026-11-20T10:00:00Z","request":"GET / HTTP/1.1","status":503,"took":)" + took +
                                  "}");
        BOOST_TEST_REQUIRE(r.ok(), took << ": " << describe(r.error));
        BOOST_TEST(r.line.duration_us == -1);
    }
    for (const std::string text : {"1.5x", "s", "-1s", "1.5 s", "ms5"}) {
        const auto r = JsonLineParser(with({"duration=took"}))
                           .parse(R"({"time":"2026-11-20T10:00:00Z","request":"GET / HTTP/1.1","status":200,"took":")" +
                                  text + "\"}");
        BOOST_TEST(reason(r) == "bad_duration", text);
    }
}

BOOST_AUTO_TEST_CASE(a_json_log_without_a_bytes_field_is_told_and_bytes_is_a_name_looked_for) {
    // "bytes" is what many hand-written nginx JSON formats call $body_bytes_sent. Before, it was
    // not looked for: such a log counted 0 bytes and nothing said so.
    const std::string named_bytes = R"({"time":"2026-11-20T10:00:00Z","request":"GET /a HTTP/1.1","status":200,"bytes":512})";
    check_read(JsonLineParser().parse(named_bytes), {kTen, "/a", 200, 512, -1, ""});
    LineParser detecting(compile_format("auto").format);
    const std::string named_head = named_bytes + "\n" + named_bytes + "\n";
    BOOST_TEST(detecting.detect(named_head).preset == "json");
    BOOST_TEST(detecting.json_bytes_missing(named_head).empty());

    // Its bytes under a name not looked for: detection says which names it looked for, whether
    // `auto` found the format or it was given, and in a container runtime's lines too.
    const std::string other_name = R"({"time":"2026-11-20T10:00:00Z","request":"GET /a HTTP/1.1","status":200,"sent":512})";
    const std::string head = other_name + "\n" + other_name + "\n";
    for (const char* format : {"auto", "json"}) {
        LineParser parser(compile_format(format).format);
        parser.detect(head);
        const std::vector<std::string> missing = parser.json_bytes_missing(head);
        BOOST_TEST(missing == default_json_fields()[static_cast<size_t>(JsonRole::bytes)].names, format);
        BOOST_TEST((missing.size() > 3 ? missing[3] : "") == "bytes", format);
    }
    LineParser wrapped(compile_format("auto").format);
    const std::string cri = "2026-11-20T10:00:00.000000000Z stdout F " + other_name + "\n";
    BOOST_TEST(wrapped.detect(cri + cri).preset == "cri+json");
    BOOST_TEST(!wrapped.json_bytes_missing(cri + cri).empty());

    // A name the user gave is the one looked for; "-" (no body) is a bytes field; and one line
    // with the field is enough.
    const auto json_with = [](const char* spec) {
        LogFormat format = compile_format("json").format;
        format.json = with({spec});
        return format;
    };
    LineParser named(json_with("bytes=sent"));
    named.detect(head);
    BOOST_TEST(named.json_bytes_missing(head).empty());
    LineParser renamed(json_with("bytes=size_out"));
    renamed.detect(head);
    BOOST_TEST(renamed.json_bytes_missing(head) == std::vector<std::string>{"size_out"});
    // Not JSON: nothing to say.
    LineParser combined(compile_format("combined").format);
    BOOST_TEST(combined.json_bytes_missing(head).empty());
    const std::string no_body = R"({"time":"2026-11-20T10:00:00Z","request":"GET /a HTTP/1.1","status":304,"bytes":"-"})";
    LineParser with_no_body(compile_format("auto").format);
    with_no_body.detect(head + no_body + "\n");
    BOOST_TEST(with_no_body.json_bytes_missing(head + no_body + "\n").empty());
    // JSON lines none of which read (no status): no word about bytes, which the invalid lines say.
    const std::string no_status = R"({"time":"2026-11-20T10:00:00Z","request":"GET /a HTTP/1.1"})";
    LineParser no_status_read(compile_format("json").format);
    no_status_read.detect(no_status + "\n");
    BOOST_TEST(no_status_read.json_bytes_missing(no_status + "\n").empty());
}
