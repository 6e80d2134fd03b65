// SPDX-License-Identifier: Apache-2.0
#include "format/json_format.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>

namespace hitwatch {

namespace {

// Milliseconds to the microsecond.
boost::json::object latency_ms(const LatencySummary& l) {
    const auto ms = [](double v) { return std::round(v * 1000) / 1000; };
    return {{"p50", ms(l.p50_ms)}, {"p90", ms(l.p90_ms)}, {"p99", ms(l.p99_ms)}, {"max", ms(l.max_ms)}};
}

// {"2xx": n, ...}: the classes with hits.
boost::json::object status_object(const std::array<std::uint64_t, kStatusClasses>& classes) {
    boost::json::object status;
    for (size_t i = 0; i < classes.size(); ++i) {
        if (classes[i] == 0) continue;
        const char name[] = {static_cast<char>('1' + i), 'x', 'x', '\0'};
        status[name] = classes[i];
    }
    return status;
}

// {"200": n, ...}: the codes with hits.
boost::json::object codes_object(const StatusCodes& codes) {
    boost::json::object out;
    for (size_t i = 0; i < codes.size(); ++i) {
        if (codes[i] != 0) out[std::to_string(100 + i)] = codes[i];
    }
    return out;
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
    boost::json::object reasons;
    for (const auto& [reason, count] : s.invalid_reasons) reasons[reason] = count;
    out["invalid_reasons"] = std::move(reasons);
    out["status"] = status_object(s.status_classes);
    out["codes"] = codes_object(s.codes);
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

boost::json::object to_json_value(const Report& report) {
    boost::json::array sections;
    sections.reserve(report.sections.size());
    for (const auto& s : report.sections) {
        boost::json::object section{{"section", s.section}, {"hits", s.hits}};
        // Truncated: each listed count is a lower bound, with its error; "(other)" is the rest.
        if (report.sections_truncated && s.section != IntervalCounts::kOtherSection) section["error"] = s.error;
        if (s.latency) section["latency_ms"] = latency_ms(*s.latency);
        sections.push_back(std::move(section));
    }
    boost::json::object out;
    out["type"] = "report";
    out["interval_start"] = format_iso8601(report.interval_start);
    out["interval_end"] = format_iso8601(report.interval_end);
    if (report.partial) out["partial"] = true;
    if (report.backfill) out["backfill"] = true;
    out["hits"] = report.hits;
    out["bytes"] = report.bytes;
    out["invalid"] = report.invalid;
    out["sections"] = std::move(sections);
    if (report.sections_truncated) out["sections_truncated"] = true;
    out["status"] = status_object(report.status_classes);
    out["codes"] = codes_object(report.codes);
    if (report.latency) out["latency_ms"] = latency_ms(*report.latency);
    out["total_hits"] = report.total_hits;
    if (report.live) {
        const LiveFigures& live = *report.live;
        out["lag_bytes"] = live.lag_bytes;
        out["lost_bytes"] = live.lost_bytes;
        out["rotations"] = live.rotations;
        out["truncations"] = live.truncations;
        out["checkpointed"] = live.checkpointed;
        boost::json::array logs;
        for (const auto& log : live.logs) {
            boost::json::object entry{{"path", log.path},
                                      {"hits", log.hits},
                                      {"lag_bytes", log.lag_bytes},
                                      {"lost_bytes", log.lost_bytes},
                                      {"state", log.state}};
            if (!log.error.empty()) entry["error"] = log.error;
            logs.push_back(std::move(entry));
        }
        out["logs"] = std::move(logs);
    }
    return out;
}

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

namespace {

void write_json(std::string& out, const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::double_: {
            const double d = v.get_double();
            if (!std::isfinite(d)) {  // not a JSON number; never a figure of ours
                out += "null";
                return;
            }
            char digits[32];
            out.append(digits, std::to_chars(digits, digits + sizeof digits, d).ptr);
            return;
        }
        case boost::json::kind::object: {
            out += '{';
            for (const auto& member : v.get_object()) {
                if (out.back() != '{') out += ',';
                out += boost::json::serialize(member.key());
                out += ':';
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
        default: out += boost::json::serialize(v);  // strings, integers, booleans, null
    }
}

}  // namespace

std::string to_json_text(const boost::json::value& v) {
    std::string out;
    write_json(out, v);
    return out;
}

std::string to_json(const Report& report) { return to_json_text(to_json_value(report)); }
std::string to_json(const AlertEvent& event) { return to_json_text(to_json_value(event)); }
std::string to_json(const RunSummary& summary) { return to_json_text(to_json_value(summary)); }

}  // namespace hitwatch
