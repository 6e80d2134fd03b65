// SPDX-License-Identifier: Apache-2.0
#include "format/prometheus_format.h"

#include <charconv>
#include <cmath>

namespace hitwatch {

namespace {

// A number as Prometheus reads it: integers as integers, others in their shortest exact form.
std::string sample_value(double value) {
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (std::isnan(value)) return "NaN";
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

class Exposition {
public:
    // "# HELP" and "# TYPE" once for each metric, before its samples.
    void family(const char* name, const char* type, const char* help) {
        out_ += "# HELP ";
        out_ += name;
        out_ += ' ';
        out_ += help;
        out_ += "\n# TYPE ";
        out_ += name;
        out_ += ' ';
        out_ += type;
        out_ += '\n';
    }
    // name{labels} value; `labels` already quoted ("section=\"/api\"") or empty.
    void sample(std::string_view name, const std::string& labels, const std::string& value) {
        out_ += name;
        if (!labels.empty()) {
            out_ += '{';
            out_ += labels;
            out_ += '}';
        }
        out_ += ' ';
        out_ += value;
        out_ += '\n';
    }
    void sample(std::string_view name, const std::string& labels, std::uint64_t value) { sample(name, labels, std::to_string(value)); }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

std::string label(const char* name, std::string_view value) {
    std::string text = name;
    text += "=\"";
    text += prometheus_label_value(value);
    text += '"';
    return text;
}

void requests(Exposition& out, const MetricCounters& counters) {
    out.family("hitwatch_requests_total", "counter",
               "Requests read from the logs, by section (\"(other)\": every section without a series of its own).");
    for (const auto& [section, series] : counters.sections()) out.sample("hitwatch_requests_total", label("section", section), series->requests);
    out.family("hitwatch_response_bytes_total", "counter", "Response bytes of the requests read (the %b or %O field).");
    out.sample("hitwatch_response_bytes_total", "", counters.bytes());
    out.family("hitwatch_responses_total", "counter", "Requests read, by exact status code.");
    for (std::size_t i = 0; i < counters.codes().size(); ++i) {
        if (counters.codes()[i] > 0) out.sample("hitwatch_responses_total", label("code", std::to_string(100 + i)), counters.codes()[i]);
    }
    out.family("hitwatch_invalid_lines_total", "counter", "Lines that are not a request in the log's format, by reason.");
    for (std::size_t reason = 0; reason < counters.invalid().size(); ++reason) {
        if (reason == static_cast<std::size_t>(ParseError::none) || reason == static_cast<std::size_t>(ParseError::blank)) continue;
        out.sample("hitwatch_invalid_lines_total", label("reason", reason_name(reason)), counters.invalid()[reason]);
    }
}

void durations(Exposition& out, const MetricCounters& counters) {
    if (!counters.has_durations()) return;
    out.family("hitwatch_request_duration_seconds", "histogram", "Response times of the requests read, by section.");
    for (const auto& [section, series] : counters.sections()) {
        const std::string name = label("section", section);
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b < kDurationBuckets.size(); ++b) {
            cumulative += series->durations.buckets[b];
            out.sample("hitwatch_request_duration_seconds_bucket", name + "," + label("le", sample_value(kDurationBuckets[b])), cumulative);
        }
        out.sample("hitwatch_request_duration_seconds_bucket", name + ",le=\"+Inf\"", series->durations.count);
        out.sample("hitwatch_request_duration_seconds_sum", name, sample_value(static_cast<double>(series->durations.sum_us) / 1e6));
        out.sample("hitwatch_request_duration_seconds_count", name, series->durations.count);
    }
}

void logs(Exposition& out, const std::vector<LogMetrics>& logs) {
    out.family("hitwatch_log_rotations_total", "counter", "Rotations of each log seen since start.");
    for (const auto& log : logs) out.sample("hitwatch_log_rotations_total", label("log", log.path), log.rotations);
    out.family("hitwatch_log_lag_bytes", "gauge", "Bytes written to each log and not read yet.");
    for (const auto& log : logs) out.sample("hitwatch_log_lag_bytes", label("log", log.path), log.lag_bytes);
    out.family("hitwatch_log_up", "gauge", "1 while the log is being read; 0 while it is missing or unreadable.");
    for (const auto& log : logs) out.sample("hitwatch_log_up", label("log", log.path), log.up ? 1 : 0);
}

}  // namespace

std::string prometheus_label_value(std::string_view value) {
    std::string text;
    text.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') {
            text += "\\\\";
        } else if (c == '"') {
            text += "\\\"";
        } else if (c == '\n') {
            text += "\\n";
        } else {
            text += c;
        }
    }
    return text;
}

std::string to_prometheus(const MetricsSnapshot& metrics) {
    Exposition out;
    requests(out, metrics.counters);
    durations(out, metrics.counters);
    logs(out, metrics.logs);
    out.family("hitwatch_alert_active", "gauge", "1 while the traffic alert is HIGH.");
    out.sample("hitwatch_alert_active", "", metrics.alert_active ? 1 : 0);
    out.family("hitwatch_alert_window_hits", "gauge", "Hits in the alert window (the last 2 minutes by default).");
    out.sample("hitwatch_alert_window_hits", "", metrics.alert_window_hits);
    out.family("hitwatch_alert_limit_hits", "gauge", "The window hits above which the alert rule goes HIGH.");
    out.sample("hitwatch_alert_limit_hits", "", sample_value(metrics.alert_limit_hits));
    out.family("hitwatch_alert_state", "gauge",
               "1 while an alert of the kind is on (traffic high, 5xx errors, slow responses, traffic low), else 0.");
    for (const AlertKind kind : kAllAlertKinds) {
        if (metrics.alert_kinds.has(kind)) {
            out.sample("hitwatch_alert_state", label("kind", std::string(name_of(kind))), metrics.alerts_on.has(kind) ? 1 : 0);
        }
    }
    out.family("hitwatch_backfill_active", "gauge", "1 while a log's backlog is being counted by when it was written.");
    out.sample("hitwatch_backfill_active", "", metrics.backfill_active ? 1 : 0);
    out.family("hitwatch_state_save_failures_total", "counter",
               "Saves of the state file that failed: while they fail, a crash would count again what was read since the last one.");
    out.sample("hitwatch_state_save_failures_total", "", metrics.state_save_failures);
    if (metrics.syslog) {
        out.family("hitwatch_syslog_dropped_total", "counter",
                   "Syslog messages dropped: their tag is not one a log = syslog:TAG names.");
        out.sample("hitwatch_syslog_dropped_total", "", metrics.syslog_dropped);
    }
    out.family("hitwatch_build_info", "gauge", "The running hitwatchd's version, and the git commit it was built from.");
    std::string build = label("version", metrics.version);
    if (!metrics.commit.empty()) build.append(",").append(label("commit", metrics.commit));
    out.sample("hitwatch_build_info", build, 1);
    out.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
    out.sample("process_cpu_seconds_total", "", sample_value(metrics.process.cpu_seconds));
    out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    out.sample("process_resident_memory_bytes", "", metrics.process.resident_bytes);
    out.family("process_open_fds", "gauge", "Number of open file descriptors.");
    out.sample("process_open_fds", "", metrics.process.open_fds);
    out.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
    out.sample("process_start_time_seconds", "", sample_value(metrics.process.start_time_seconds));
    return out.take();
}

}  // namespace hitwatch
