// SPDX-License-Identifier: Apache-2.0
#pragma once
// A log format as users write it -- a preset name, an Apache LogFormat string or an nginx
// log_format string -- compiled once into the steps a field scanner follows for each line.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/line_wrapper.h"
#include "core/parser.h"

namespace hitwatch {

// What a field of a line means to hitwatch. Fields it has no use for are `skip`.
enum class Field : std::uint8_t {
    skip,
    time_clf,       // 10/Oct/2000:13:55:36 -0700 (%t without its brackets, $time_local)
    time_iso8601,   // 2000-10-10T13:55:36-07:00 ($time_iso8601; Z and a fraction too)
    time_epoch,     // seconds with an optional fraction ($msec, %{sec}t)
    time_epoch_ms,  // %{msec}t
    time_epoch_us,  // %{usec}t
    time_pattern,   // %{strftime pattern}t
    request,        // GET /path HTTP/1.1 (%r, $request)
    target,         // /path?query (%U, $request_uri, $uri)
    status,         // %s, %>s, $status
    bytes,          // %b, %B, $body_bytes_sent; %O, $bytes_sent when the format has no body size
    duration_us,    // %D, %{us}T
    duration_ms,    // %{ms}T
    duration_s,     // %T, $request_time, $upstream_response_time ("0.012", "-", "0.1, 0.2")
    vhost,          // %v, %V, $host, $server_name
    // Until a format is compiled: stand-ins that become `bytes` or `duration_s` when the format
    // has no better field, and `skip` when it has.
    sent_bytes,         // %O, $bytes_sent: a body size (%b, $body_bytes_sent) is preferred
    upstream_duration,  // $upstream_response_time: $request_time is preferred
};

enum class JsonRole : std::uint8_t { time, request, target, method, status, bytes, duration, host };
constexpr size_t kJsonRoles = 8;

// Where a role's value is: the first of `names` the object has ("a.b" reaches into nested
// objects); a duration's unit.
struct JsonField {
    std::vector<std::string> names;
    enum class Unit : std::uint8_t { s, ms, us, ns } unit = Unit::s;
    bool operator==(const JsonField&) const = default;
};
using JsonFields = std::array<JsonField, kJsonRoles>;

// The names of the issue's defaults: time, time_iso8601, time_local, @timestamp, timestamp,
// msec; request (a request line) or request_uri, uri, path; status; body_bytes_sent,
// bytes_sent, size, bytes; request_time, duration (seconds unless the name ends in _ms, _us or _ns);
// host. Then Caddy's (ts, request.uri, request.method, request.host) and Traefik's
// (RequestPath, RequestMethod, DownstreamStatus, DownstreamContentSize, Duration in
// nanoseconds, RequestHost), Google Cloud's (httpRequest.*) and Envoy's (start_time,
// response_code, authority).
JsonFields default_json_fields();
// The status's name in Envoy's JSON access logs (Istio's default JSON): a line with it has its
// "duration" in milliseconds, not in seconds as nginx's and Caddy's have.
constexpr std::string_view kEnvoyJsonStatus = "response_code";

// A duration's unit by its field's name: milliseconds for *_ms, microseconds for *_us, else
// seconds.
JsonField::Unit json_unit_of_name(std::string_view name);

// "ROLE=NAME[:UNIT]" onto `fields`: "" if it applies, else what is wrong with it.
std::string set_json_field(JsonFields& fields, std::string_view spec);

// Literal text, then a field (or, for the last step, only text).
struct FormatStep {
    std::string literal;
    bool has_field = false;
    Field field = Field::skip;
    // The field sits between double quotes: a quote escaped with a backslash is part of it.
    bool quoted = false;
    // How the field's end is found, decided when the format is compiled.
    enum class Span : std::uint8_t {
        fixed_clf,  // 26 bytes
        pattern,    // as far as the time pattern reads
        quoted,     // at its closing quote
        to_stop,    // at the first `stop`
        to_end,     // at the end of the line
        list,       // at the first space that does not part items: "a, b" or "a : b"
        to_path,    // at the first '/' or space: a host with the path after it
        // At the first space, and past HAProxy's captured headers after it: up to two " {...}"
        // (the haproxy preset's queues field; see kHaproxyLogFormat).
        then_captures,
    } span = Span::to_stop;
    // The field before the format's last text: when the line ends in that text, the field
    // ends where it begins (a user-agent is not looked through).
    bool before_tail = false;
    // The first byte of the next step's literal: where the field ends. 0: at the end of the
    // line.
    char stop = 0;
    ParseError error = ParseError::bad_field;  // a line's reason when this step does not fit
    std::string pattern;  // time_pattern: the strftime pattern
    bool utc = false;     // time_pattern: written in UTC, whatever the format's local_to_utc (Envoy's)
    std::string name;     // the directive as written, for messages
    bool path_follows = false;  // a host with a target right after it ($host$request_uri)
};

struct LogFormat {
    enum class Kind : std::uint8_t {
        classic,      // common/combined: the hand-written scanner (core/parser.h)
        fields,       // compiled steps
        auto_detect,  // chosen per log from its first lines
        json,         // one JSON object a line (core/json_line_parser.h)
    };
    Kind kind = Kind::auto_detect;
    std::string name;  // the preset, or the format string
    std::vector<FormatStep> steps;
    JsonFields json = default_json_fields();  // json: where each role's value is
    // A %{...}t time with no %z is the server's local time: converted by this (none: UTC).
    LocalToUtc local_to_utc = nullptr;
    // Lines wrapped by a container runtime or syslog (`cri+combined`, `docker+nginx`,
    // `syslog+combined`): this format is what is inside.
    LineWrapper wrapper = LineWrapper::none;
};

struct FormatWarning {
    std::string directive;
    size_t column;  // 1-based
};

struct CompiledFormat {
    LogFormat format;
    std::string error;  // empty if it compiled; else names the directive and its column
    std::vector<FormatWarning> unknown;  // directives skipped as fields
    bool ok() const { return error.empty(); }
};

// Presets: common, combined (both the hand-written scanner, which takes either), vhost_combined,
// nginx, ingress_nginx, alb, haproxy, envoy, istio, json; `auto`; anything else is an Apache,
// nginx or Envoy format string.
CompiledFormat compile_format(std::string_view spec);
// The presets' names, as messages and --help list them.
constexpr std::string_view kPresetNames =
    "common, combined, vhost_combined, nginx, ingress_nginx, alb, haproxy, envoy, istio, json";

// The reason a line whose time does not fit is invalid, in the shape `format` reads:
// "expected a time like [10/Oct/2000:13:55:36 -0700]", "... as %{%F %T}t writes it", ...
std::string expected_time(const LogFormat& format);

// The presets auto-detection tries, in order of preference when lines match several.
const std::vector<LogFormat>& detectable_presets();

// The Apache format strings of the presets, as Apache's own configuration writes them.
constexpr std::string_view kCombinedLogFormat = R"(%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i")";
constexpr std::string_view kVhostCombinedLogFormat =
    R"(%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i")";
constexpr std::string_view kNginxLogFormat =
    R"($remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent")";
// The Kubernetes ingress-nginx controller's default log-format-upstream.
constexpr std::string_view kIngressNginxLogFormat =
    R"($remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" )"
    R"($request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr )"
    R"($upstream_response_length $upstream_response_time $upstream_status $req_id)";
// An AWS Application Load Balancer's access log entry (as stored in S3), in nginx's words: type
// time elb client:port target:port request_processing_time target_processing_time
// response_processing_time elb_status_code target_status_code received_bytes sent_bytes
// "request" "user_agent", and more fields after them, not read. Its response time is the
// target's (-1, none, where no target answered); its status the load balancer's.
constexpr std::string_view kAlbLogFormat =
    R"($scheme $time_iso8601 $server_addr $remote_addr:$remote_port $upstream_addr $upstream_connect_time )"
    R"($request_time $upstream_header_time $status $upstream_status $request_length $bytes_sent "$request" )"
    R"("$http_user_agent")";
// HAProxy's `option httplog` line (as `log stdout format raw` writes it, or inside syslog's), in
// Apache's words: client:port [accept date, local time, with milliseconds] frontend
// backend/server TR/Tw/Tc/Tr/Ta status bytes_read request_cookie response_cookie
// termination_state actconn/feconn/beconn/srv_conn/retries srv_queue/backend_queue "request".
// Its response time is Ta, the request's whole time (Tt before HAProxy 1.9). Headers captured
// (`capture request header`, `capture response header`) add a {...} field for each direction
// before the request, with `{`, `}`, `|` and `"` in them written #XX: the preset passes over
// them (Span::then_captures), as HAProxy writes them only when they are configured.
constexpr std::string_view kHaproxyLogFormat =
    R"(%a:%{remote}p [%{%d/%b/%Y:%H:%M:%S}t.%{msec_frac}t] %{frontend}e %{backend}e )"
    R"(%{TR}e/%{Tw}e/%{Tc}e/%{Tr}e/%{ms}T %>s %B %{request_cookie}e %{response_cookie}e %{termination}e )"
    R"(%{connections}e %{queues}e "%r")";
// Envoy's default access log format (what it writes when its config gives none), in its own
// words: its time is UTC with milliseconds, its DURATION (the response time) milliseconds; a
// RESPONSE_CODE of 0 means no response was sent (the client went away first).
constexpr std::string_view kEnvoyLogFormat =
    R"([%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% )"
    R"(%RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% )"
    R"("%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%")";
// Istio's sidecars' and gateways' default (EnvoyTextLogFormat, Istio 1.9 on): Envoy's, with why
// a response came or a connection ended, and upstream and downstream addresses after it.
constexpr std::string_view kIstioLogFormat =
    R"([%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% )"
    R"(%RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% )"
    R"("%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% )"
    R"(%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" )"
    R"("%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% )"
    R"(%DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%)";

}  // namespace hitwatch
