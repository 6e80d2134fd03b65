#pragma once
// A log format as users write it -- a preset name, an Apache LogFormat string or an nginx
// log_format string -- compiled once into the steps a field scanner follows for each line.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// Literal text, then a field (or, for the last step, only text).
struct FormatStep {
    std::string literal;
    bool has_field = false;
    Field field = Field::skip;
    // The field sits between double quotes: a quote escaped with a backslash is part of it.
    bool quoted = false;
    // The first byte of the next step's literal: where the field ends. 0: at the end of the
    // line.
    char stop = 0;
    std::string pattern;  // time_pattern: the strftime pattern
    std::string name;     // the directive as written, for messages
};

struct LogFormat {
    enum class Kind : std::uint8_t {
        classic,      // common/combined: the hand-written scanner (core/parser.h)
        fields,       // compiled steps
        auto_detect,  // chosen per log from its first lines
    };
    Kind kind = Kind::auto_detect;
    std::string name;  // the preset, or the format string
    std::vector<FormatStep> steps;
    bool has_duration = false;
    bool has_vhost = false;
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
// nginx; `auto`; anything else is an Apache or nginx format string.
CompiledFormat compile_format(std::string_view spec);

// The presets auto-detection tries, in order of preference when lines match several.
const std::vector<LogFormat>& detectable_presets();

// The Apache format strings of the presets, as Apache's own configuration writes them.
constexpr std::string_view kCombinedLogFormat = R"(%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i")";
constexpr std::string_view kVhostCombinedLogFormat =
    R"(%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i")";
constexpr std::string_view kNginxLogFormat =
    R"($remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent")";

}  // namespace hitwatch
