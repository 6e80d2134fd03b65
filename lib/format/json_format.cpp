// SPDX-License-Identifier: Apache-2.0
#include "format/json_format.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <string_view>

namespace hitwatch {

namespace {

// A string as Boost.JSON writes one: '"' and '\\' escaped, control characters as \b \t \n \f
// \r or \u00xx, every other byte as it is. Here rather than boost::json::serialize, which
// makes a std::string of each key and each value: a month of 10 s intervals is 259,200 reports.
void write_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t copied = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + copied, i - copied);
        copied = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\f': out += "\\f"; break;
            case '\r': out += "\\r"; break;
            default: {
                const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
                out.append(escaped, sizeof escaped);
            }
        }
    }
    out.append(s.data() + copied, s.size() - copied);
    out += '"';
}

template <class Integer>
void write_integer(std::string& out, Integer n) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

// The shortest digits that read back exactly, plain where that is shorter (see to_json_text).
void write_double(std::string& out, double d) {
    if (!std::isfinite(d)) {  // not a JSON number; never a figure of ours
        out += "null";
        return;
    }
    char digits[32];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, d).ptr);
}

// `"name":`, after a comma if the object has members before it.
void write_key(std::string& out, std::string_view name) {
    if (out.back() != '{') out += ',';
    write_string(out, name);
    out += ':';
}

template <class Integer>
void write_field(std::string& out, std::string_view name, Integer n) {
    write_key(out, name);
    write_integer(out, n);
}

void write_text_field(std::string& out, std::string_view name, std::string_view text) {
    write_key(out, name);
    write_string(out, text);
}

void write_json(std::string& out, const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::double_: return write_double(out, v.get_double());
        case boost::json::kind::object: {
            out += '{';
            for (const auto& member : v.get_object()) {
                write_key(out, member.key());
                write_json(out, member.value());
            }
            out += '}';
            return;
        }
        case boost::json::kind::array: {
            out += '[';
            for (const auto& element : v.get_array()) {
                if (out.back() != '[') out += ',';
                write_json(out, element);
            }
            out += ']';
            return;
        }
        case boost::json::kind::string: return write_string(out, v.get_string());
        case boost::json::kind::int64: return write_integer(out, v.get_int64());
        case boost::json::kind::uint64: return write_integer(out, v.get_uint64());
        case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; return;
        case boost::json::kind::null: out += "null"; return;
    }
}

// Milliseconds to the microsecond.
double ms(double v) { return std::round(v * 1000) / 1000; }

void write_latency_ms(std::string& out, const LatencySummary& l) {
    out += R"({"p50":)";
    write_double(out, ms(l.p50_ms));
    out += R"(,"p90":)";
    write_double(out, ms(l.p90_ms));
    out += R"(,"p99":)";
    write_double(out, ms(l.p99_ms));
    out += R"(,"max":)";
    write_double(out, ms(l.max_ms));
    out += '}';
}

// {"2xx": n, ...}: the classes with hits.
void write_status(std::string& out, const std::array<std::uint64_t, kStatusClasses>& classes) {
    out += '{';
    for (size_t i = 0; i < classes.size(); ++i) {
        if (classes[i] == 0) continue;
        if (out.back() != '{') out += ',';
        const char name[] = {'"', static_cast<char>('1' + i), 'x', 'x', '"', ':'};
        out.append(name, sizeof name);
        write_integer(out, classes[i]);
    }
    out += '}';
}

// {"200": n, ...}: the codes with hits, which add up to `hits`.
void write_codes(std::string& out, const StatusCodes& codes, std::uint64_t hits) {
    out += '{';
    for (size_t i = 0, end = codes_end(codes, hits); i < end; ++i) {
        if (codes[i] == 0) continue;
        if (out.back() != '{') out += ',';
        out += '"';
        write_integer(out, 100 + i);
        out += "\":";
        write_integer(out, codes[i]);
    }
    out += '}';
}

// JSON text this file wrote, as a document. A path's bytes are the file system's, not always
// UTF-8: read back as they were written.
boost::json::object object_of(const std::string& text) {
    boost::json::parse_options bytes_as_written;
    bytes_as_written.allow_invalid_utf8 = true;
    return boost::json::parse(text, {}, bytes_as_written).as_object();
}

// What `write` writes into a string, as a document: the summary's status classes and codes,
// as a report writes them.
template <class Write>
boost::json::object object_written(Write write) {
    std::string text;
    write(text);
    return object_of(text);
}

}  // namespace

boost::json::object to_json_value(const RunSummary& s) {
    boost::json::object out;
    out["type"] = "summary";
    out["first"] = format_iso8601(s.first);
    out["last"] = format_iso8601(s.last);
    out["lines"] = s.lines;
    out["hits"] = s.hits;
    out["bytes"] = s.bytes;
    out["invalid"] = s.invalid;
    out["blank"] = s.blank;
    out["pending"] = s.pending;
    if (s.window) {
        if (s.window->since) out["since"] = format_iso8601(*s.window->since);
        if (s.window->until) out["until"] = format_iso8601(*s.window->until);
        out["outside_window"] = s.window->outside;
    }
    boost::json::object reasons;
    for (const auto& [reason, count] : s.invalid_reasons) reasons[reason] = count;
    out["invalid_reasons"] = std::move(reasons);
    out["status"] = object_written([&](std::string& text) { write_status(text, s.status_classes); });
    out["codes"] = object_written([&](std::string& text) { write_codes(text, s.codes, s.hits); });
    boost::json::array sections;
    for (const auto& section : s.sections) {
        boost::json::object entry{{"section", section.section}, {"hits", section.hits}};
        if (s.sections_truncated && section.section != IntervalCounts::kOtherSection) entry["error"] = section.error;
        sections.push_back(std::move(entry));
    }
    out["sections"] = std::move(sections);
    if (s.sections_truncated) out["sections_truncated"] = true;
    if (s.most_popular_section) {
        out["most_popular_section"] = *s.most_popular_section;
    } else {
        out["most_popular_section"] = nullptr;
    }
    out["alerts"] = s.alerts;
    out["alert_seconds"] = s.alert_seconds;
    boost::json::object by_kind, seconds_by_kind;
    for (const AlertKind kind : kAllAlertKinds) {
        by_kind[name_of(kind)] = s.alerts_by_kind[static_cast<size_t>(kind)];
        seconds_by_kind[name_of(kind)] = s.alert_seconds_by_kind[static_cast<size_t>(kind)];
    }
    out["alerts_by_kind"] = std::move(by_kind);
    out["alert_seconds_by_kind"] = std::move(seconds_by_kind);
    out["lines_per_s"] = static_cast<std::int64_t>(s.lines_per_s + 0.5);
    out["unterminated_last_line"] = s.unterminated_last_line;
    if (s.stopped_by_signal != 0) out["stopped_by_signal"] = s.stopped_by_signal;
    if (!s.unread.empty()) out["unread"] = boost::json::array(s.unread.begin(), s.unread.end());
    return out;
}

// The report written as text straight away, with no tree of values to build and free first
// (a month of 10 s intervals is 259,200 reports): in the order, and with the text, that
// to_json_text() would write of the same object.
std::string to_json(const Report& report) {
    std::string out;
    out.reserve(512 + 96 * report.sections.size());
    out += R"({"type":"report")";
    write_text_field(out, "interval_start", format_iso8601(report.interval_start));
    write_text_field(out, "interval_end", format_iso8601(report.interval_end));
    if (report.partial) out += R"(,"partial":true)";
    if (report.backfill) out += R"(,"backfill":true)";
    write_field(out, "hits", report.hits);
    write_field(out, "bytes", report.bytes);
    write_field(out, "invalid", report.invalid);
    out += R"(,"sections":[)";
    for (const auto& s : report.sections) {
        if (out.back() != '[') out += ',';
        out += R"({"section":)";
        write_string(out, s.section);
        write_field(out, "hits", s.hits);
        // Truncated: each listed count is a lower bound, with its error; "(other)" is the rest.
        if (report.sections_truncated && s.section != IntervalCounts::kOtherSection) write_field(out, "error", s.error);
        if (s.latency) {
            write_key(out, "latency_ms");
            write_latency_ms(out, *s.latency);
        }
        out += '}';
    }
    out += ']';
    if (report.sections_truncated) out += R"(,"sections_truncated":true)";
    write_key(out, "status");
    write_status(out, report.status_classes);
    write_key(out, "codes");
    write_codes(out, report.codes, report.hits);
    if (report.latency) {
        write_key(out, "latency_ms");
        write_latency_ms(out, *report.latency);
    }
    write_field(out, "total_hits", report.total_hits);
    if (report.live) {
        const LiveFigures& live = *report.live;
        write_field(out, "lag_bytes", live.lag_bytes);
        write_field(out, "lost_bytes", live.lost_bytes);
        write_field(out, "rotations", live.rotations);
        write_field(out, "truncations", live.truncations);
        out += live.checkpointed ? R"(,"checkpointed":true)" : R"(,"checkpointed":false)";
        out += R"(,"logs":[)";
        for (const auto& log : live.logs) {
            if (out.back() != '[') out += ',';
            out += R"({"path":)";
            write_string(out, log.path);
            write_field(out, "hits", log.hits);
            write_field(out, "lag_bytes", log.lag_bytes);
            write_field(out, "lost_bytes", log.lost_bytes);
            write_text_field(out, "state", log.state);
            if (!log.error.empty()) write_text_field(out, "error", log.error);
            out += '}';
        }
        out += ']';
    }
    out += '}';
    return out;
}

// The status page holds the report in a document: read back from the text, which is rare.
boost::json::object to_json_value(const Report& report) { return object_of(to_json(report)); }

boost::json::object to_json_value(const AlertEvent& event) {
    const auto micro = [](double v) { return std::round(v * 1000) / 1000; };
    boost::json::object out;
    out["type"] = "alert";
    out["kind"] = name_of(event.kind);
    out["state"] = state_name(event);
    out["rule"] = name_of(event.rule);
    switch (event.kind) {
        case AlertKind::traffic:
            out["hits"] = event.hits;
            out["window_s"] = event.window_s;
            out["threshold"] = event.threshold;
            out["limit_hits"] = event.limit_hits;
            if (event.rule != AlertRuleKind::absolute) out["normal_hits"] = event.normal_hits;
            break;
        case AlertKind::errors:
            out["errors"] = event.errors;
            out["requests"] = event.requests;
            out["error_ratio"] = event.error_ratio;
            out["normal_error_ratio"] = event.normal_error_ratio;
            out["limit_error_ratio"] = event.limit_error_ratio;
            out["window_s"] = event.window_s;
            break;
        case AlertKind::latency:
            out["p99_ms"] = micro(event.p99_ms);
            out["normal_p99_ms"] = micro(event.normal_p99_ms);
            out["limit_p99_ms"] = micro(event.limit_p99_ms);
            out["window_s"] = event.window_s;
            break;
        case AlertKind::drop:
            out["hits"] = event.hits;
            out["normal_hits"] = event.normal_hits;
            out["limit_hits"] = event.limit_hits;
            out["window_s"] = event.window_s;
            break;
    }
    out["at"] = format_iso8601(event.at);
    if (!event.high) out["duration_s"] = event.duration_s;
    if (event.ended_by_reload) out["ended_by"] = "reload";
    if (event.high && event.kind == AlertKind::traffic) {
        boost::json::array grew;
        for (const SectionGrowth& g : event.grew_most) {
            grew.push_back({{"section", g.section}, {"hits", g.hits}, {"normal", std::round(g.normal)}});
        }
        out["grew_most"] = std::move(grew);
        if (!event.slowest.empty()) {
            boost::json::array slow;
            for (const SlowSection& s : event.slowest) {
                slow.push_back({{"section", s.section}, {"hits", s.hits}, {"p99_ms", micro(s.p99_ms)}});
            }
            out["slowest"] = std::move(slow);
        }
    }
    out["message"] = alert_message(event);
    return out;
}

std::string to_json_text(const boost::json::value& v) {
    std::string out;
    write_json(out, v);
    return out;
}

std::string to_json(const AlertEvent& event) { return to_json_text(to_json_value(event)); }
std::string to_json(const RunSummary& summary) { return to_json_text(to_json_value(summary)); }

}  // namespace hitwatch
