// SPDX-License-Identifier: Apache-2.0
#include "core/json_line_parser.h"

#include <boost/json/value.hpp>
#include <charconv>
#include <cmath>

#include "core/duration_text.h"
#include "core/section.h"

namespace hitwatch {
namespace {

namespace json = boost::json;

// The value at a dotted name, or nullptr.
const json::value* find(const json::object& object, std::string_view name) {
    if (const json::value* v = object.if_contains(name)) return v;  // "@timestamp", or a name with dots
    const json::object* at = &object;
    for (;;) {
        const size_t dot = name.find('.');
        const json::value* v = at->if_contains(name.substr(0, dot));
        if (dot == std::string_view::npos || v == nullptr) return v;
        at = v->if_object();
        if (at == nullptr) return nullptr;
        name.remove_prefix(dot + 1);
    }
}

// A role's value: the first of its names the object has, and that name (a duration's unit
// may go by it).
struct Found {
    const json::value* value = nullptr;
    std::string_view name;
};
Found find(const json::object& object, const JsonField& field) {
    for (const auto& name : field.names) {
        if (const json::value* v = find(object, name); v != nullptr && !v->is_null()) return {v, name};
    }
    return {};
}

// A JSON number or a numeric string ("200", "0.012"); false for anything else.
bool number_of(const json::value& v, double& out) {
    if (v.is_number()) {
        out = v.to_number<double>();
        return true;
    }
    const json::string* s = v.if_string();
    if (s == nullptr || s->empty()) return false;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    return ec == std::errc() && end == s->data() + s->size();
}

// What a client sent is in the line as nginx's escape=json leaves it: bytes from 0x80 as they
// are, which need not be UTF-8.
json::parse_options any_bytes() {
    json::parse_options options;
    options.allow_invalid_utf8 = true;
    return options;
}

// nginx's default escaping, in a JSON-shaped log_format without escape=json, writes '"', '\'
// and bytes outside printable ASCII as \xHH, which JSON does not have: `text` with those as JSON
// escapes, or as the bytes they stand for. False if it has no \x.
bool nginx_hex_as_json(std::string_view text, std::string& out) {
    if (text.find("\\x") == std::string_view::npos) return false;
    const auto hex = [](char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    };
    out.clear();
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\' || i + 1 == text.size()) {
            out += text[i];
            continue;
        }
        const int high = i + 3 < text.size() && text[i + 1] == 'x' ? hex(text[i + 2]) : -1;
        const int low = high < 0 ? -1 : hex(text[i + 3]);
        if (low < 0) {  // a JSON escape, kept
            out.append(text.substr(i, 2));
            ++i;
            continue;
        }
        const auto byte = static_cast<unsigned char>(high * 16 + low);
        if (byte == '"' || byte == '\\') {
            out += '\\';
            out += static_cast<char>(byte);
        } else if (byte < 0x20 || byte == 0x7F) {
            static constexpr char kDigits[] = "0123456789abcdef";
            out += "\\u00";
            out += kDigits[byte >> 4];
            out += kDigits[byte & 15];
        } else {
            out += static_cast<char>(byte);
        }
        i += 3;
    }
    return true;
}

// What a server writes for a field with no value: Apache "-" (%b of a response with no body),
// nginx "-", or "" with escape=json (an $upstream_response_time that was never set).
bool no_value(const json::value& v) {
    const json::string* s = v.if_string();
    return s != nullptr && (s->empty() || *s == "-");
}

// A string with its unit, as Go and protobuf write a duration ("0.012345s", "12ms").
std::optional<std::int64_t> micros_of(const json::value& v) {
    const json::string* s = v.if_string();
    return s == nullptr ? std::nullopt : micros_of_duration_text({s->data(), s->size()});
}

// An epoch number (seconds; milliseconds or microseconds when that large), an ISO 8601 time,
// or Apache/nginx's local time (in brackets or not).
bool time_of(const json::value& v, UnixSeconds& time) {
    if (const json::string* s = v.if_string()) {
        std::string_view text(s->data(), s->size());
        if (const auto t = parse_iso8601_time(text)) return time = *t, true;
        // Apache's %t brings its brackets into a JSON LogFormat: "time":"%t".
        if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
        if (const auto t = parse_clf_time(text)) return time = *t, true;
    }
    double n = 0;
    if (!number_of(v, n) || !(n >= 0 && n <= 1e18)) return false;
    if (n > 1e14) n /= 1e6;
    else if (n > 1e11) n /= 1e3;
    time = static_cast<UnixSeconds>(n);
    return true;
}

}  // namespace

JsonLineParser::JsonLineParser(JsonFields fields, int depth)
    : fields_(std::move(fields)), depth_(depth), parser_({}, any_bytes()) {}

ParseResult JsonLineParser::parse(std::string_view text) {
    ParseResult r;
    r.error = scan(text, r.line);
    return r;
}

ParseError JsonLineParser::scan(std::string_view text, LogLine& line) {
    had_bytes_field_ = false;
    text = trim_line(text);
    if (text.empty()) return ParseError::blank;
    if (text.front() != '{') return ParseError::bad_json;
    json::monotonic_resource memory(buffer_, sizeof buffer_);
    parser_.reset(&memory);
    boost::system::error_code ec;
    parser_.write(text.data(), text.size(), ec);
    if (ec) {
        if (!nginx_hex_as_json(text, as_json_)) return ParseError::bad_json;
        parser_.reset(&memory);
        ec = {};
        parser_.write(as_json_.data(), as_json_.size(), ec);
        if (ec) return ParseError::bad_json;
    }
    const json::value value = parser_.release();
    const json::object* object = value.if_object();
    if (object == nullptr) return ParseError::bad_json;
    const auto found = [&](JsonRole role) { return find(*object, fields_[static_cast<size_t>(role)]); };
    const auto field = [&](JsonRole role) { return found(role).value; };

    const json::value* time = field(JsonRole::time);
    if (time == nullptr && time_when_none_ > 0) {
        line.time = time_when_none_;
    } else if (time == nullptr || !time_of(*time, line.time)) {
        return ParseError::bad_time;
    }

    double status = 0;
    const Found status_found = found(JsonRole::status);
    const json::value* status_value = status_found.value;
    const bool a_number = status_value != nullptr && number_of(*status_value, status);
    if (!a_number || status < 100 || status > 999 || status != std::floor(status)) {
        return a_number && (status == 0 || status == -1) ? ParseError::no_response : ParseError::bad_status;
    }
    line.status = static_cast<int>(status);

    // The section: from the target, else from the request line; kept in this turn's buffer.
    turn_ = !turn_;
    std::string& section = strings_[turn_][0];
    std::string& host = strings_[turn_][1];
    line.section = kNoSection;
    const json::value* target = field(JsonRole::target);
    const bool by_target = target != nullptr && target->is_string();
    const json::value* path = by_target ? target : field(JsonRole::request);
    if (target == nullptr && path == nullptr) return ParseError::bad_request;
    std::string_view asked;  // the target or the request line
    if (path != nullptr && path->is_string()) {
        const std::string_view text(path->get_string().data(), path->get_string().size());
        asked = text;
        LogLine read;
        // A request that is only a path: Apache JSON LogFormats often log %U as "request".
        const bool a_target = by_target || (!text.empty() && text.front() == '/');
        if (a_target ? read_target_section(text, read) : read_request_section(text, read)) {
            section.assign(extend_section(read.section, text.data() + text.size(), depth_));
            line.section = section;
        }
    }

    const json::value* bytes = field(JsonRole::bytes);
    had_bytes_field_ = bytes != nullptr;
    if (bytes != nullptr && !no_value(*bytes)) {
        double n = 0;
        // "nan", "inf", 1e300 and -1 are numbers to from_chars and JSON, not byte counts; the
        // range is checked before the conversion, which past it is undefined.
        if (!number_of(*bytes, n) || !(n >= 0 && n <= static_cast<double>(kMaxBytes))) return ParseError::bad_bytes;
        line.bytes = static_cast<std::uint64_t>(n);
    }
    if (const Found d = found(JsonRole::duration); d.value != nullptr) {
        const json::value* duration = d.value;
        double n = 0;
        const auto& how = fields_[static_cast<size_t>(JsonRole::duration)];
        // A field found under one of the default names has that name's unit; Envoy's "duration"
        // is in milliseconds.
        const bool envoy = status_found.name == kEnvoyJsonStatus && d.name == "duration";
        const JsonField::Unit unit = how.names.size() <= 1 ? how.unit
                                     : envoy              ? JsonField::Unit::ms
                                                          : json_unit_of_name(d.name);
        const bool number = number_of(*duration, n);
        // -1: a time never taken, as AWS's load balancers and HAProxy write one.
        if (!no_value(*duration) && !(number && n == -1)) {
            const double scale = unit == JsonField::Unit::s    ? 1e6
                                 : unit == JsonField::Unit::ms ? 1e3
                                 : unit == JsonField::Unit::us ? 1
                                                               : 1e-3;
            if (number) {
                if (!(n >= 0 && n * scale <= static_cast<double>(kMaxDurationMicros))) return ParseError::bad_duration;
                line.duration_us = static_cast<std::int64_t>(std::llround(n * scale));
            } else if (const auto micros = micros_of(*duration)) {  // "0.012s", with its unit
                line.duration_us = *micros;
            } else {
                return ParseError::bad_duration;
            }
        }
    }
    if (const json::value* h = field(JsonRole::host); h != nullptr && h->is_string()) {
        host.assign(h->get_string().data(), h->get_string().size());
        line.vhost = host;
    } else if (const std::string_view url_host = by_target ? host_of_absolute(asked) : host_of_absolute_request(asked);
               !url_host.empty()) {
        host.assign(url_host);  // an absolute URL's, for a line with no host field
        line.vhost = host;
    }
    return ParseError::none;
}

}  // namespace hitwatch
