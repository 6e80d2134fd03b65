// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where reports and alerts go besides standard output: a JSON report file, statsd,
// Graphite, syslog.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>

#include "core/report.h"
#include "sinks/graphite_sink.h"
#include "config/options.h"
#include "sinks/report_file.h"
#include "sinks/statsd_sink.h"
#include "sinks/syslog_sink.h"

namespace hitwatchd {

class Sinks : public hitwatch::EventSink {
public:
    // `out` is standard output's writer; the others come from the options.
    Sinks(boost::asio::io_context& io, const Options& options, hitwatch::EventSink& out);
    ~Sinks() override;  // stops the sinks that run operations on the loop

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent& event) override;
    void on_summary(const hitwatch::RunSummary& summary) override;  // standard output, the report file
    // A reload (SIGHUP): a sink whose settings did not change is kept as it is (the Graphite
    // queue of a server that is down included); the others are stopped and made anew. The
    // report file is reopened (logrotate may have moved it away).
    void reconfigure(const Options& options);
    // Replay, before the first report: statsd's name resolved and Graphite connected, waiting
    // `patience` for them, and longer for statsd's name (every report would be lost, unsaid,
    // while it resolves), which is said. A Graphite that is down is not waited for: its sink
    // warns and goes on without it.
    void wait_for_servers(std::chrono::seconds patience);
    // Replay: lets the network sinks send what is queued, for at most `limit`.
    void drain(std::chrono::milliseconds limit);
    // No output but standard output: no report file, statsd, Graphite or syslog.
    bool only_standard_output() const { return !report_file_ && !statsd_ && !graphite_ && !syslog_; }
    // Whether the report file missed a report or alert it was given.
    bool report_file_failed() const { return report_file_ && report_file_->ever_failed(); }
    // A replay: the report file's reports are held and written 64 KiB at a time, and at
    // write_held() (the end, and SIGUSR1's summary so far).
    void hold_report_file() {
        if (report_file_) report_file_->hold();
    }
    void write_held() {
        if (report_file_) report_file_->write_held();
    }

private:
    hitwatch::EventSink& out_;
    boost::asio::io_context& io_;
    bool replay_;
    std::unique_ptr<ReportFile> report_file_;
    std::shared_ptr<StatsdSink> statsd_;
    std::shared_ptr<GraphiteSink> graphite_;
    std::unique_ptr<SyslogSink> syslog_;
};

}  // namespace hitwatchd
