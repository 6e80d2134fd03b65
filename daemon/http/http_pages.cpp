// SPDX-License-Identifier: Apache-2.0
#include "http/http_pages.h"

#include <boost/json.hpp>

#include "format/json_format.h"
#include "format/prometheus_format.h"
#include "config/option_table.h"
#include "os/process_stats.h"
#include "version.h"

namespace json = boost::json;

namespace hitwatchd {

namespace {

double seconds_since_epoch(std::chrono::system_clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// The effective configuration: every option that has a config key, as --check-config shows it.
json::object config_of(const Options& options) {
    json::object config;
    for (const OptionSpec& spec : option_table()) {
        if (spec.key.empty() || spec.key == "log") continue;
        config[spec.key] = spec.get(options);
    }
    json::array logs;
    for (const auto& log : options.logs) logs.emplace_back(json::object{{"path", log}, {"format", options.format_of(log)}});
    config["log"] = std::move(logs);
    return config;
}

// Each kind of alert as it stands: {"traffic": {...}, "errors": {...}, ...}.
json::object alerts_by_kind(const PageSources& sources, const json::object& traffic) {
    const hitwatch::AlertKinds enabled = sources.options.monitor.alert.kinds;
    json::object kinds;
    kinds["traffic"] = {{"enabled", enabled.has(hitwatch::AlertKind::traffic)},
                        {"state", sources.monitor.rule().high() ? "high" : "normal"},
                        {"value", traffic.at("window_hits")},
                        {"normal", traffic.at("normal_hits")},
                        {"limit", traffic.at("limit_hits")},
                        {"learning", traffic.at("learning")},
                        {"learning_left_s", traffic.at("learning_left_s")}};
    for (const hitwatch::KindStatus& s : sources.monitor.kind_statuses()) {
        const auto figure = [](const std::optional<double>& v) -> json::value { return v ? json::value(*v) : json::value(nullptr); };
        kinds[hitwatch::name_of(s.kind)] = {
            {"enabled", s.enabled},
            {"state", s.active ? (s.kind == hitwatch::AlertKind::drop ? "low" : "high") : "normal"},
            {"value", figure(s.value)},
            {"normal", figure(s.normal)},
            {"limit", figure(s.limit)},
            {"learning", s.learning_left_s > 0},
            {"learning_left_s", s.learning_left_s}};
    }
    return kinds;
}

}  // namespace

std::string metrics_page(const PageSources& sources) {
    const hitwatch::AlertRule& rule = sources.monitor.rule();
    const auto process = hitwatch::os::process_stats();
    hitwatch::MetricsSnapshot snapshot(sources.metrics);
    for (const LogView& log : sources.logs) snapshot.logs.push_back({log.path, log.rotations, log.lag_bytes, log.reading()});
    snapshot.alert_active = rule.high();
    snapshot.alert_window_hits = rule.window_hits();
    snapshot.alert_limit_hits = rule.limit_hits();
    const hitwatch::Report now = sources.monitor.interval_so_far();
    snapshot.alert_kinds = now.alert_kinds;
    snapshot.alerts_on = now.alerts_on;
    snapshot.backfill_active = sources.catching_up;
    snapshot.state_save_failures = sources.state.save_failures;
    snapshot.syslog_dropped = sources.syslog_dropped;
    snapshot.syslog = !sources.options.listen_syslog.empty();
    snapshot.version = kVersion;
    snapshot.commit = kCommit;
    snapshot.process = {process.cpu_seconds, process.resident_bytes, process.open_fds,
                        process.start_time_seconds > 0 ? process.start_time_seconds : seconds_since_epoch(sources.started)};
    return hitwatch::to_prometheus(snapshot);
}

std::string status_page(const PageSources& sources) {
    json::object status;
    status["version"] = kVersion;
    if (*kCommit) status["commit"] = kCommit;
    status["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - sources.began).count();
    status["config"] = config_of(sources.options);
    json::array logs;
    for (const LogView& log : sources.logs) {
        logs.emplace_back(json::object{{"path", log.path}, {"state", log.state}, {"error", log.error},
                                       {"device", log.device}, {"inode", log.inode}, {"offset", log.offset},
                                       {"size", log.size}, {"lag_bytes", log.lag_bytes}, {"rotations", log.rotations}});
    }
    status["logs"] = std::move(logs);
    status["state_file"] = {{"path", sources.state.path},
                            {"checkpointed", sources.state.checkpointed},
                            {"save_failures_total", sources.state.save_failures}};
    status["interval"] = hitwatch::to_json_value(sources.monitor.interval_so_far());
    const hitwatch::AlertRule& rule = sources.monitor.rule();
    const std::int64_t learning_left = rule.learning_left_s();
    json::object alert{{"rule", std::string(hitwatch::name_of(rule.settings().rule))},
                       {"state", rule.high() ? "HIGH" : "normal"},
                       {"since", nullptr},
                       {"window_hits", rule.window_hits()},
                       {"normal_hits", rule.normal_hits()},
                       {"limit_hits", rule.limit_hits()},
                       {"learning", learning_left > 0},
                       {"learning_left_s", learning_left}};
    // Since the traffic alert's last change of state seen in this run (null before the first).
    for (auto it = sources.alerts.rbegin(); it != sources.alerts.rend(); ++it) {
        if (it->kind != hitwatch::AlertKind::traffic) continue;
        alert["since"] = hitwatch::format_iso8601(it->at);
        break;
    }
    status["alert"] = alert;
    status["alerts"] = alerts_by_kind(sources, alert);
    json::array recent;
    for (const auto& event : sources.alerts) recent.push_back(hitwatch::to_json_value(event));
    status["recent_alerts"] = std::move(recent);
    json::object invalid;
    const hitwatch::ReasonCounts& counts = sources.metrics.invalid();
    for (std::size_t reason = 0; reason < counts.size(); ++reason) {
        if (counts[reason] > 0) invalid[hitwatch::reason_name(reason)] = counts[reason];
    }
    status["invalid_reasons"] = std::move(invalid);
    return hitwatch::to_json_text(status) + "\n";
}

}  // namespace hitwatchd
