// SPDX-License-Identifier: Apache-2.0
#include "sinks/sinks.h"

#include "logging.h"
#include "sinks/report_file.h"

namespace hitwatchd {

namespace {

StatsdSink::Settings statsd_settings(const Options& o) { return {o.statsd.host, o.statsd.port, o.statsd_settings}; }
GraphiteSink::Settings graphite_settings(const Options& o) {
    return {o.graphite.host, o.graphite.port, o.statsd_settings.prefix};
}
SyslogSink::Settings syslog_settings(const Options& o) { return {o.syslog_socket, o.syslog_format, o.syslog_facility}; }

// Keeps `sink` if it was made with `settings`, else stops it and makes one with them (none
// if `wanted` is false).
template <class Sink, class Settings, class Make>
void keep_or_remake(std::shared_ptr<Sink>& sink, bool wanted, const Settings& settings, Make make) {
    if (sink && wanted && sink->settings() == settings) return;
    if (sink) sink->stop();
    sink = wanted ? make() : nullptr;
}

}  // namespace

Sinks::Sinks(boost::asio::io_context& io, const Options& o, hitwatch::EventSink& out)
    : out_(out), io_(io), replay_(!o.live()) {
    reconfigure(o);
}

void Sinks::reconfigure(const Options& o) {
    report_file_ = o.report_file.empty() ? nullptr : std::make_unique<ReportFile>(o.report_file);
    keep_or_remake(statsd_, !o.statsd.empty(), statsd_settings(o),
                   [&] { return StatsdSink::start(io_, statsd_settings(o)); });
    keep_or_remake(graphite_, !o.graphite.empty(), graphite_settings(o),
                   [&] { return GraphiteSink::start(io_, graphite_settings(o)); });
    if (!o.syslog) {
        syslog_.reset();
    } else if (!syslog_ || !(syslog_->settings() == syslog_settings(o))) {
        syslog_ = std::make_unique<SyslogSink>(io_, syslog_settings(o));
    }
}

Sinks::~Sinks() {
    if (statsd_) statsd_->stop();
    if (graphite_) graphite_->stop();
}

void Sinks::on_report(const hitwatch::Report& report) {
    out_.on_report(report);
    if (report_file_) report_file_->on_report(report);
    if (statsd_) statsd_->on_report(report);
    if (graphite_) {
        graphite_->on_report(report);
        if (replay_) {
            io_.restart();  // nothing else runs the loop in replay: let queued writes go on
            io_.poll();
        }
    }
}

void Sinks::on_alert(const hitwatch::AlertEvent& event) {
    out_.on_alert(event);
    if (report_file_) report_file_->on_alert(event);
    if (syslog_) syslog_->on_alert(event);
}

void Sinks::on_summary(const hitwatch::RunSummary& summary) {
    out_.on_summary(summary);
    if (report_file_) report_file_->on_summary(summary);
}

void Sinks::wait_for_servers(std::chrono::seconds patience) {
    io_.run_for(patience);
    if (!statsd_ || !statsd_->resolving()) return;
    HW_LOG(warning) << "statsd: " << statsd_->settings().host << " is not resolved after " << patience.count()
                    << " s; the replay waits for it";
    io_.restart();
    while (statsd_->resolving() && io_.run_one() > 0) {
    }
}

void Sinks::drain(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    io_.restart();
    while (graphite_ && !graphite_->drained() && std::chrono::steady_clock::now() < until) {
        io_.run_one_for(std::chrono::milliseconds(100));
    }
    io_.poll();
}

}  // namespace hitwatchd
