// SPDX-License-Identifier: Apache-2.0
#include "core/log_format.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <string>

#include "core/pasted_format.h"

namespace hitwatch {
namespace {

struct Directive {
    Directive(Field f, bool k = true, std::string p = {}) : field(f), known(k), pattern(std::move(p)) {}
    Field field;
    bool known;  // false: a directive this does not know, skipped as a field
    std::string pattern;
    bool utc = false;  // a time_pattern written in UTC
};

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// %{argument}t: the request time in a form of its own.
Directive apache_time(std::string argument) {
    for (const std::string_view prefix : {"begin:", "end:"}) {
        if (argument.rfind(prefix, 0) == 0) argument.erase(0, prefix.size());
    }
    if (argument == "sec") return {Field::time_epoch};
    if (argument == "msec") return {Field::time_epoch_ms};
    if (argument == "usec") return {Field::time_epoch_us};
    // The fraction of a second: %f, read as digits, so that a time written in parts joins into
    // one pattern ("%{%d/%b/%Y:%T}t.%{msec_frac}t %{%z}t", as Apache's manual writes one).
    if (argument == "msec_frac" || argument == "usec_frac") return {Field::time_pattern, true, "%f"};
    return {Field::time_pattern, true, argument};
}

// Whether a %{...}t pattern writes a whole date (day, month and year, or seconds since 1970):
// a time of day or a zone alone cannot place a line in time.
bool has_a_date(std::string_view pattern) {
    bool day = false, month = false, year = false;
    for (size_t i = 0; i + 1 < pattern.size(); ++i) {
        if (pattern[i] != '%') continue;
        switch (pattern[++i]) {
            case 'd': case 'e': day = true; break;
            case 'm': case 'b': month = true; break;
            case 'Y': case 'y': year = true; break;
            case 'F': day = month = year = true; break;
            case 's': return true;
            default: break;
        }
    }
    return day && month && year;
}

// One Apache directive: its letter, the {argument} before it (if any).
Directive apache_directive(char letter, const std::string& argument, bool has_argument) {
    switch (letter) {
        case 't': return has_argument ? apache_time(argument) : Directive{Field::time_clf};
        case 'r': return {Field::request};
        case 'U': return {Field::target};
        case 's': return {Field::status};
        case 'b': case 'B': return {Field::bytes};
        case 'O': return {Field::sent_bytes};
        case 'v': case 'V': return {Field::vhost};
        case 'D': return {Field::duration_us};
        case 'T':
            if (argument == "ms") return {Field::duration_ms};
            if (argument == "us") return {Field::duration_us};
            return {Field::duration_s};
        case 'h': case 'a': case 'A': case 'l': case 'u': case 'm': case 'q': case 'H': case 'I': case 'S':
        case 'p': case 'P': case 'k': case 'L': case 'X': case 'R': case 'f': case 'e': case 'i': case 'o':
        case 'n': case 'C': case 'x': case 'c': case 'M':
            return {Field::skip};
        default: return {Field::skip, false};
    }
}

Directive nginx_variable(const std::string& name) {
    if (name == "time_local") return {Field::time_clf};
    if (name == "time_iso8601") return {Field::time_iso8601};
    if (name == "msec") return {Field::time_epoch};
    if (name == "request") return {Field::request};
    if (name == "request_uri" || name == "uri" || name == "document_uri") return {Field::target};
    if (name == "status") return {Field::status};
    if (name == "body_bytes_sent") return {Field::bytes};
    if (name == "bytes_sent") return {Field::sent_bytes};
    if (name == "request_time") return {Field::duration_s};
    if (name == "upstream_response_time") return {Field::upstream_duration};
    if (name == "host" || name == "server_name") return {Field::vhost};
    static const char* const kKnown[] = {
        "remote_addr", "remote_user", "request_method", "args", "query_string", "http_referer", "http_user_agent",
        "http_x_forwarded_for", "server_protocol", "scheme", "server_addr", "server_port", "remote_port",
        "connection", "connection_requests", "pipe", "request_length", "ssl_protocol", "ssl_cipher",
        "upstream_addr", "upstream_status", "upstream_connect_time", "upstream_header_time",
        "upstream_cache_status", "upstream_response_length", "request_id", "realip_remote_addr", "binary_remote_addr",
        "hostname", "pid", "gzip_ratio",
        // ingress-nginx's own, in its default format (the ingress_nginx preset)
        "proxy_upstream_name", "proxy_alternative_upstream_name", "req_id"};
    const bool known = std::any_of(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return name == k; }) ||
                       name.rfind("http_", 0) == 0 || name.rfind("sent_http_", 0) == 0 ||
                       name.rfind("cookie_", 0) == 0 || name.rfind("arg_", 0) == 0;
    return {Field::skip, known};
}

std::string lowered(std::string_view s) {
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower;
}

// Envoy's %START_TIME(...)% pattern as the pattern reader takes it: Envoy's fractions of a
// second (%3f, %6f, %9f; %E3S, seconds with 3 of them) as digits. (%E*S, whose fraction is left
// out when it is 0, is not.)
std::string envoy_time_pattern(std::string_view pattern) {
    std::string out;
    const auto digit = [&](size_t i) {
        return i < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[i]));
    };
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '%' && digit(i + 1) && i + 2 < pattern.size() && pattern[i + 2] == 'f') {
            out += "%f";
            i += 2;
        } else if (pattern.substr(i, 2) == "%E" && digit(i + 2) && i + 3 < pattern.size() && pattern[i + 3] == 'S') {
            out += "%S.%f";
            i += 3;
        } else {
            out += pattern[i];
            if (pattern[i] == '%' && i + 1 < pattern.size()) out += pattern[++i];
        }
    }
    return out;
}

// Whether every header REQ(A?B) names (the first of them the request has) is one of `names`.
bool names_only(const std::string& headers, std::initializer_list<std::string_view> names) {
    const std::string lower = lowered(headers);
    size_t from = 0;
    for (;;) {
        const size_t to = std::min(lower.find('?', from), lower.size());
        const std::string_view header = std::string_view(lower).substr(from, to - from);
        if (std::find(names.begin(), names.end(), header) == names.end()) return false;
        if (to == lower.size()) return true;
        from = to + 1;
    }
}

// One Envoy command operator: %NAME% or %NAME(argument)%.
Directive envoy_operator(const std::string& name, const std::string& argument) {
    if (name == "START_TIME" || name == "START_TIME_LOCAL") {
        if (argument.empty()) return {Field::time_iso8601};  // 2016-04-15T20:17:00.310Z
        Directive time{Field::time_pattern, true, envoy_time_pattern(argument)};
        time.utc = name == "START_TIME";
        return time;
    }
    if (name == "RESPONSE_CODE") return {Field::status};
    if (name == "BYTES_SENT") return {Field::bytes};
    if (name == "DURATION") return {Field::duration_ms};
    if (name == "REQ" || name == "REQ_WITHOUT_QUERY") {
        // X-ENVOY-ORIGINAL-PATH?:PATH: the path before a route rewrote it, if it did.
        if (names_only(argument, {":path", "x-envoy-original-path"})) return {Field::target};
        if (names_only(argument, {":authority", "host"})) return {Field::vhost};
        return {Field::skip};
    }
    static const char* const kKnown[] = {
        "PROTOCOL", "RESPONSE_FLAGS", "RESPONSE_FLAGS_LONG", "RESPONSE_CODE_DETAILS", "CONNECTION_TERMINATION_DETAILS",
        "BYTES_RECEIVED", "REQUEST_DURATION", "REQUEST_TX_DURATION", "RESPONSE_DURATION", "RESPONSE_TX_DURATION",
        "RESP", "TRAILER", "ROUTE_NAME", "VIRTUAL_CLUSTER_NAME", "REQUESTED_SERVER_NAME", "HOSTNAME", "ENVIRONMENT",
        "DYNAMIC_METADATA", "CLUSTER_METADATA", "FILTER_STATE", "CONNECTION_ID", "STREAM_ID", "GRPC_STATUS",
        "GRPC_STATUS_NUMBER", "REQUEST_HEADERS_BYTES", "RESPONSE_HEADERS_BYTES", "RESPONSE_TRAILERS_BYTES",
        "ACCESS_LOG_TYPE", "UNIQUE_ID", "TRACE_ID", "LOCAL_REPLY_BODY", "CEL", "METADATA"};
    const bool known = std::any_of(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return name == k; }) ||
                       name.rfind("UPSTREAM_", 0) == 0 || name.rfind("DOWNSTREAM_", 0) == 0;
    return {Field::skip, known};
}

bool fixed_width(Field field) { return field == Field::time_clf; }

// The reason of a line whose field `name` (of meaning `f`) does not fit: as the hand-written
// scanner names it, so a format string and its preset explain a line alike.
ParseError error_of(Field f, std::string_view name) {
    switch (f) {
        case Field::time_clf: case Field::time_iso8601: case Field::time_epoch: case Field::time_epoch_ms:
        case Field::time_epoch_us: case Field::time_pattern:
            return ParseError::bad_time;
        case Field::request: case Field::target: return ParseError::bad_request;
        case Field::status: return ParseError::bad_status;
        case Field::bytes: case Field::sent_bytes: return ParseError::bad_bytes;
        case Field::duration_us: case Field::duration_ms: case Field::duration_s: case Field::upstream_duration:
            return ParseError::bad_duration;
        default: break;
    }
    if (name == "%h" || name == "%a" || name == "$remote_addr") return ParseError::bad_host;
    if (name == "%l" || name == "%u" || name == "$remote_user") return ParseError::bad_ident_or_user;
    if (name == "%{Referer}i" || name == "$http_referer") return ParseError::bad_referer;
    if (name == "%{User-Agent}i" || name == "$http_user_agent") return ParseError::bad_user_agent;
    return ParseError::bad_field;
}

// Fields whose value may be a list: X-Forwarded-For ("203.0.113.9, 10.0.0.1", an address a
// proxy) and nginx's upstream figures ("0.004, 0.012", one an upstream tried; "0.004 : 0.012"
// after an internal redirect).
bool holds_a_list(std::string_view name) {
    const std::string lower = lowered(name);
    return lower == "%{x-forwarded-for}i" || lower == "$http_x_forwarded_for" || lower == "$proxy_add_x_forwarded_for" ||
           lower == "%req(x-forwarded-for)%" || lower.starts_with("$upstream_");
}

// A query string logged right after the path (Apache's %U%q, nginx's $uri$is_args$args): part
// of the target, which reads the section up to its '?'.
bool continues_the_path(const std::string& path, const std::string& name) {
    if (path == "%U") return name == "%q";
    return (path == "$uri" || path == "$document_uri") && (name == "$is_args" || name == "$args" || name == "$query_string");
}

// A host logged with the target right after it, as in a full URL ("$scheme://$host$request_uri",
// "%v%U"): the host ends at the '/' that begins the path.
bool host_before_path(const std::string& host, Field next) {
    const std::string lower = lowered(host);
    // (%v and %V alike, lowered.)
    const bool a_host =
        lower == "$host" || lower == "$http_host" || lower == "$server_name" || lower == "%v" || lower == "%{host}i";
    return a_host && next == Field::target;
}

// Builds the steps; `fail` names the directive and column.
class Compiler {
public:
    explicit Compiler(CompiledFormat& out) : out_(out) {}

    void text(char c) { literal_ += c; }

    void field(Directive d, std::string name, size_t column) {
        if (!out_.ok()) return;
        if (d.field == Field::time_pattern && steps().size() > 0 && steps().back().has_field &&
            steps().back().field == Field::time_pattern) {
            // One time written in parts (the date and time, then the fraction, then the zone):
            // one pattern, the text between them a part of it.
            FormatStep& time = steps().back();
            for (const char c : literal_) time.pattern += c == '%' ? "%%" : std::string(1, c);
            time.pattern += d.pattern;
            time.name += literal_ + name;
            literal_.clear();
            return;
        }
        // Right after the field before, with no text between them.
        const bool adjacent = steps().size() > 0 && literal_.empty() && steps().back().has_field;
        if (adjacent && continues_the_path(steps().back().name, name)) return;
        if (adjacent && host_before_path(steps().back().name, d.field)) {
            steps().back().path_follows = true;
        } else if (adjacent && !fixed_width(steps().back().field)) {
            fail(name, column, "follows " + steps().back().name + " with nothing between them, so where one ends "
                               "cannot be told");
            return;
        }
        if (!d.known) out_.unknown.push_back({name, column});
        FormatStep step;
        step.literal = std::move(literal_);
        literal_.clear();
        step.has_field = true;
        step.field = d.field;
        step.name = std::move(name);
        step.pattern = d.pattern;
        step.utc = d.utc;
        if (d.field == Field::time_clf && step.name == "%t") {
            // Apache's %t is the bracketed time: the brackets are text around the field.
            step.literal += '[';
            steps().push_back(std::move(step));
            literal_.assign(1, ']');
            return;
        }
        steps().push_back(std::move(step));
    }

    void fail(const std::string& name, size_t column, const std::string& why) {
        if (out_.ok()) out_.error = name + " at column " + std::to_string(column) + " " + why;
    }

    void finish() {
        if (!out_.ok()) return;
        // The newline a format ends in (Envoy's do: it adds none of its own) is the line's end,
        // which a line is read without.
        while (!literal_.empty() && literal_.back() == '\n') literal_.pop_back();
        FormatStep last;
        last.literal = std::move(literal_);
        steps().push_back(std::move(last));
        auto has = [&](Field f) {
            return std::any_of(steps().begin(), steps().end(), [f](const FormatStep& s) { return s.has_field && s.field == f; });
        };
        // A body size wins over the total sent; a request's own time over its upstream's.
        const bool body = has(Field::bytes), duration = has(Field::duration_s) || has(Field::duration_us) ||
                                                         has(Field::duration_ms);
        bool took_sent = body, took_upstream = duration;  // one of each at most
        // A 'Z' right after a time in parts ("...%{msec_frac}tZ") says UTC, as one in its pattern does.
        for (size_t i = 0; i + 1 < steps().size(); ++i) {
            std::string& next = steps()[i + 1].literal;
            if (steps()[i].field == Field::time_pattern && !next.empty() && next[0] == 'Z' &&
                (next.size() == 1 || !std::isalnum(static_cast<unsigned char>(next[1])))) {
                steps()[i].pattern += 'Z';
                steps()[i].name += 'Z';
                next.erase(0, 1);
            }
        }
        // A time of day, a fraction or a zone on its own: beside a whole time, a field not read;
        // alone, no time at all (said below), never a line placed on 1 January 1970.
        for (FormatStep& s : steps()) {
            if (s.field == Field::time_pattern && !has_a_date(s.pattern)) s.field = Field::skip;
        }
        for (FormatStep& s : steps()) {
            s.error = error_of(s.field, s.name);
            if (s.field == Field::sent_bytes) s.field = took_sent ? Field::skip : Field::bytes, took_sent = true;
            if (s.field == Field::upstream_duration) {
                s.field = took_upstream ? Field::skip : Field::duration_s, took_upstream = true;
            }
        }
        for (size_t i = 0; i + 1 < steps().size(); ++i) {
            FormatStep& s = steps()[i];
            const std::string& next = steps()[i + 1].literal;
            s.stop = s.path_follows ? '/' : next.empty() ? 0 : next[0];
            s.quoted = !s.literal.empty() && s.literal.back() == '"' && s.stop == '"';
            using Span = FormatStep::Span;
            s.span = s.field == Field::time_clf       ? Span::fixed_clf
                     : s.field == Field::time_pattern ? Span::pattern
                     : s.path_follows                 ? Span::to_path
                     : s.quoted                       ? Span::quoted
                     : s.stop == 0                    ? Span::to_end
                     : s.stop == ' ' && holds_a_list(s.name) ? Span::list
                                                             : Span::to_stop;
            // (Not a strftime time: it reads its own length, and the field switch does not.)
            s.before_tail = i + 2 == steps().size() && !next.empty() && s.span != Span::pattern;
        }
        const auto has_time = has(Field::time_clf) || has(Field::time_iso8601) || has(Field::time_epoch) ||
                              has(Field::time_epoch_ms) || has(Field::time_epoch_us) || has(Field::time_pattern);
        if (!has_time) {
            out_.error = "the format has no time field with a date (%t, $time_local, $time_iso8601, $msec, %{sec}t, "
                         "%START_TIME%, or %{...}t with a day, a month and a year)";
        } else if (!has(Field::request) && !has(Field::target)) {
            out_.error = "the format has no request field (%r, %U, $request, $request_uri, $uri, %REQ(:PATH)%)";
        } else if (!has(Field::status)) {
            out_.error = "the format has no status field (%s, %>s, $status, %RESPONSE_CODE%)";
        }
    }

private:
    std::vector<FormatStep>& steps() { return out_.format.steps; }
    CompiledFormat& out_;
    std::string literal_;
};

void compile_apache(std::string_view spec, CompiledFormat& out) {
    Compiler c(out);
    for (size_t i = 0; i < spec.size() && out.ok(); ++i) {
        if (spec[i] != '%') {
            c.text(spec[i]);
            continue;
        }
        const size_t column = i + 1;
        size_t j = i + 1;
        if (j < spec.size() && spec[j] == '%') {
            c.text('%');
            i = j;
            continue;
        }
        // %!200,304{...}x and %400,501{...}x: conditions on the status; %<s and %>s.
        while (j < spec.size() && (spec[j] == '!' || spec[j] == ',' || std::isdigit(static_cast<unsigned char>(spec[j])) ||
                                   spec[j] == '<' || spec[j] == '>')) {
            ++j;
        }
        std::string argument;
        bool has_argument = false;
        if (j < spec.size() && spec[j] == '{') {
            const size_t close = spec.find('}', j);
            if (close == std::string_view::npos) {
                c.fail(std::string(spec.substr(i, 2)), column, "opens { and never closes it");
                return;
            }
            argument = std::string(spec.substr(j + 1, close - j - 1));
            has_argument = true;
            j = close + 1;
        }
        // %^ti, %^to, %{Name}^ti: a request's or response's trailers (Apache 2.4), not read.
        const bool trailer = spec.substr(j, 3) == "^ti" || spec.substr(j, 3) == "^to";
        if (!trailer && (j >= spec.size() || !std::isalpha(static_cast<unsigned char>(spec[j])))) {
            c.fail(std::string(spec.substr(i, j - i + (j < spec.size()))), column, "is not a directive (a letter after %)");
            return;
        }
        if (trailer) j += 2;
        const std::string name(spec.substr(i, j - i + 1));
        c.field(trailer ? Directive{Field::skip} : apache_directive(spec[j], argument, has_argument), name, column);
        i = j;
    }
    c.finish();
}

void compile_nginx(std::string_view spec, CompiledFormat& out) {
    Compiler c(out);
    for (size_t i = 0; i < spec.size() && out.ok(); ++i) {
        const bool braced = spec[i] == '$' && i + 1 < spec.size() && spec[i + 1] == '{';
        if (spec[i] != '$' || (!braced && (i + 1 == spec.size() || !is_name_char(spec[i + 1])))) {
            c.text(spec[i]);
            continue;
        }
        const size_t column = i + 1;
        size_t start = i + 1 + braced, j = start;
        while (j < spec.size() && is_name_char(spec[j])) ++j;
        if (braced && (j >= spec.size() || spec[j] != '}')) {
            c.fail(std::string(spec.substr(i, j - i)), column, "opens { and never closes it");
            return;
        }
        const std::string name(spec.substr(start, j - start));
        c.field(nginx_variable(name), "$" + name, column);
        i = braced ? j : j - 1;
    }
    c.finish();
}

// Envoy's %NAME% and %NAME(argument)%, NAME in capitals: %START_TIME%, %REQ(:PATH)%.
void compile_envoy(std::string_view spec, CompiledFormat& out) {
    Compiler c(out);
    const auto name_char = [](char ch) {
        const auto byte = static_cast<unsigned char>(ch);
        return std::isupper(byte) || std::isdigit(byte) || ch == '_';
    };
    for (size_t i = 0; i < spec.size() && out.ok(); ++i) {
        if (spec[i] != '%') {
            c.text(spec[i]);
            continue;
        }
        const size_t column = i + 1;
        size_t j = i + 1;
        while (j < spec.size() && name_char(spec[j])) ++j;
        const std::string name(spec.substr(i + 1, j - i - 1));
        std::string argument;
        if (!name.empty() && j < spec.size() && spec[j] == '(') {
            const size_t close = spec.find(')', j);
            if (close == std::string_view::npos) {
                c.fail("%" + name + "(", column, "opens ( and never closes it");
                return;
            }
            argument = std::string(spec.substr(j + 1, close - j - 1));
            j = close + 1;
        }
        // %REQ(USER-AGENT):64%: the most of the value Envoy writes, which changes nothing here.
        if (j < spec.size() && spec[j] == ':') {
            ++j;
            while (j < spec.size() && std::isdigit(static_cast<unsigned char>(spec[j]))) ++j;
        }
        if (name.empty() || j >= spec.size() || spec[j] != '%') {
            c.fail(std::string(spec.substr(i, std::min(j + 1, spec.size()) - i)), column,
                   "is not an Envoy command operator (%NAME% or %NAME(argument)%)");
            return;
        }
        c.field(envoy_operator(name, argument), std::string(spec.substr(i, j - i + 1)), column);
        i = j;
    }
    c.finish();
}

// An operator of Envoy's, a name of two capitals or more between % and % or (: an Apache
// directive is one letter.
bool looks_envoy(std::string_view spec) {
    for (size_t i = 0; i < spec.size(); ++i) {
        if (spec[i] != '%') continue;
        size_t j = i + 1;
        while (j < spec.size() && (std::isupper(static_cast<unsigned char>(spec[j])) || spec[j] == '_')) ++j;
        if (j - i > 2 && j < spec.size() && (spec[j] == '%' || spec[j] == '(')) return true;
    }
    return false;
}

bool looks_apache(std::string_view spec) {
    for (size_t i = 0; i + 1 < spec.size(); ++i) {
        if (spec[i] == '%' && (std::isalpha(static_cast<unsigned char>(spec[i + 1])) || spec[i + 1] == '{' ||
                               spec[i + 1] == '>' || spec[i + 1] == '<')) {
            return true;
        }
    }
    return false;
}

const char* const kRoleNames[kJsonRoles] = {"time", "request", "target", "method", "status", "bytes", "duration", "host"};

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

JsonField::Unit json_unit_of_name(std::string_view name) {
    if (ends_with(name, "_ms")) return JsonField::Unit::ms;
    if (ends_with(name, "_us")) return JsonField::Unit::us;
    if (ends_with(name, "_ns") || name == "Duration") return JsonField::Unit::ns;  // Duration: Traefik's
    return JsonField::Unit::s;
}

JsonFields default_json_fields() {
    JsonFields f;
    // After nginx's names, Caddy's default access log's (ts, the request as an object), then
    // Traefik's JSON access log's (its time is the log's "time"; its Duration is in nanoseconds),
    // then Google Cloud's request log entries' (httpRequest, its latency "0.012s"), then
    // Envoy's and Istio's JSON access log's (start_time, response_code, authority; its duration
    // is in milliseconds, which the JSON parser knows by its response_code).
    f[static_cast<size_t>(JsonRole::time)].names = {"time",      "time_iso8601", "time_local", "@timestamp",
                                                    "timestamp", "msec",         "ts",         "start_time"};
    f[static_cast<size_t>(JsonRole::request)].names = {"request"};
    f[static_cast<size_t>(JsonRole::target)].names = {"request_uri", "uri",         "path",
                                                      "request.uri", "RequestPath", "httpRequest.requestUrl"};
    f[static_cast<size_t>(JsonRole::method)].names = {"request_method", "method", "request.method", "RequestMethod",
                                                      "httpRequest.requestMethod"};
    f[static_cast<size_t>(JsonRole::status)].names = {"status", "DownstreamStatus", "httpRequest.status",
                                                      std::string(kEnvoyJsonStatus)};
    f[static_cast<size_t>(JsonRole::bytes)].names = {"body_bytes_sent", "bytes_sent", "size",
                                                     "bytes", "DownstreamContentSize",
                                                     "httpRequest.responseSize"};
    f[static_cast<size_t>(JsonRole::duration)].names = {"request_time", "duration", "Duration", "httpRequest.latency"};
    f[static_cast<size_t>(JsonRole::host)].names = {"host", "request.host", "RequestHost", "authority"};
    return f;
}

std::string set_json_field(JsonFields& fields, std::string_view spec) {
    const size_t equals = spec.find('=');
    if (equals == std::string_view::npos) return "must be ROLE=NAME[:UNIT]";
    const std::string_view role = spec.substr(0, equals);
    std::string_view name = spec.substr(equals + 1);
    size_t index = kJsonRoles;
    for (size_t i = 0; i < kJsonRoles; ++i) {
        if (role == kRoleNames[i]) index = i;
    }
    if (index == kJsonRoles) {
        return "has no role '" + std::string(role) +
               "' (roles: time, request, target, method, status, bytes, duration, host)";
    }
    JsonField field;
    field.unit = json_unit_of_name(name);
    if (const size_t colon = name.rfind(':'); colon != std::string_view::npos) {
        const std::string_view unit = name.substr(colon + 1);
        if (unit == "s") field.unit = JsonField::Unit::s;
        else if (unit == "ms") field.unit = JsonField::Unit::ms;
        else if (unit == "us") field.unit = JsonField::Unit::us;
        else if (unit == "ns") field.unit = JsonField::Unit::ns;
        else return "has a unit '" + std::string(unit) + "' (units: s, ms, us, ns)";
        if (index != static_cast<size_t>(JsonRole::duration)) return "gives a unit to " + std::string(role) + ", which has none";
        name = name.substr(0, colon);
    }
    if (name.empty()) return "names no field";
    field.names = {std::string(name)};
    fields[index] = std::move(field);
    return "";
}

namespace {

CompiledFormat compile_format_string(std::string_view spec) {
    CompiledFormat out;
    out.format.name = std::string(spec);
    if (spec == "auto") {
        out.format.kind = LogFormat::Kind::auto_detect;
        return out;
    }
    if (spec == "json") {
        out.format.kind = LogFormat::Kind::json;
        return out;
    }
    if (spec == "common" || spec == "combined") {
        out.format.kind = LogFormat::Kind::classic;
        return out;
    }
    out.format.kind = LogFormat::Kind::fields;
    if (spec == "vhost_combined") {
        compile_apache(kVhostCombinedLogFormat, out);
    } else if (spec == "nginx") {
        compile_nginx(kNginxLogFormat, out);
    } else if (spec == "ingress_nginx") {
        compile_nginx(kIngressNginxLogFormat, out);
    } else if (spec == "alb") {
        compile_nginx(kAlbLogFormat, out);
    } else if (spec == "haproxy") {
        compile_apache(kHaproxyLogFormat, out);
        for (FormatStep& step : out.format.steps) {
            if (step.name == "%{queues}e") step.span = FormatStep::Span::then_captures;
        }
    } else if (spec == "envoy") {
        compile_envoy(kEnvoyLogFormat, out);
    } else if (spec == "istio") {
        compile_envoy(kIstioLogFormat, out);
    } else if (looks_envoy(spec)) {
        compile_envoy(spec, out);
    } else if (looks_apache(spec)) {
        compile_apache(spec, out);
    } else if (spec.find('$') != std::string_view::npos) {
        compile_nginx(spec, out);
    } else {
        out.error.assign(1, '"');
        out.error += spec;
        out.error += "\" is neither a preset (auto, ";
        out.error += kPresetNames;
        out.error += ") nor a format string "
                    "(Apache %h %t \"%r\" ..., nginx $remote_addr [$time_local] \"$request\" ... or Envoy "
                    "[%START_TIME%] \"%REQ(:METHOD)% %REQ(:PATH)% %PROTOCOL%\" %RESPONSE_CODE% ...)";
    }
    return out;
}

}  // namespace

CompiledFormat compile_format(std::string_view spec) {
    // cri+FORMAT, docker+FORMAT: a container runtime's lines with FORMAT inside; syslog+FORMAT
    // syslog's.
    for (const LineWrapper wrapper : {LineWrapper::cri, LineWrapper::docker, LineWrapper::syslog}) {
        const std::string prefix = std::string(name_of(wrapper)) + "+";
        if (spec.substr(0, prefix.size()) != prefix) continue;
        CompiledFormat inner = compile_format(spec.substr(prefix.size()));
        if (inner.format.kind == LogFormat::Kind::auto_detect) {
            inner.error = "\"" + std::string(spec) + "\": give the format inside (" + prefix + "combined); auto finds " +
                          std::string(name_of(wrapper)) + " lines by itself";
        }
        inner.format.wrapper = wrapper;
        inner.format.name = std::string(spec);
        return inner;
    }
    const std::optional<Unpasted> pasted = unpaste_format(spec);
    if (!pasted && spec.find('\\') != std::string_view::npos) {
        // Copied from inside the server's quotes, with their escapes.
        CompiledFormat out = compile_format_string(unescape_format(spec));
        out.format.name = std::string(spec);
        return out;
    }
    if (!pasted) return compile_format_string(spec);
    if (!pasted->error.empty()) {
        CompiledFormat out;
        out.format.name = std::string(spec);
        out.error = "the pasted format: " + pasted->error;
        return out;
    }
    return compile_format_string(pasted->format);
}

std::string expected_time(const LogFormat& format) {
    if (format.kind == LogFormat::Kind::json) {
        return "expected a time: an ISO 8601 time with its offset (2000-10-10T13:55:36-07:00), a "
               "[10/Oct/2000:13:55:36 -0700] time, or seconds since the epoch";
    }
    for (const FormatStep& step : format.steps) {
        if (!step.has_field) continue;
        switch (step.field) {
            case Field::time_iso8601: return "expected a time like 2000-10-10T13:55:36-07:00";
            case Field::time_epoch: return "expected a time in seconds since the epoch, like 971185336.123";
            case Field::time_epoch_ms: return "expected a time in milliseconds since the epoch";
            case Field::time_epoch_us: return "expected a time in microseconds since the epoch";
            case Field::time_pattern: return "expected a time as " + step.name + " writes it";
            default: break;
        }
    }
    return describe(ParseError::bad_time);  // the CLF time of the presets and of %t, $time_local
}

const std::vector<LogFormat>& detectable_presets() {
    // nginx's default format is combined's shape: lines in it are found as combined.
    static const std::vector<LogFormat> presets = {compile_format("combined").format,
                                                   compile_format("vhost_combined").format,
                                                   compile_format("json").format, compile_format("alb").format,
                                                   compile_format("haproxy").format, compile_format("envoy").format,
                                                   compile_format("istio").format};
    return presets;
}

}  // namespace hitwatch
