#pragma once
// Where reports and alerts go besides standard output: a JSON report file, statsd, syslog.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "options.h"
#include "core/report.h"

namespace hitwatchd {

class GraphiteSink;

class Sinks : public hitwatch::EventSink {
public:
    // `out` is standard output's writer; the others come from the options.
    Sinks(boost::asio::io_context& io, const Options& options, hitwatch::EventSink& out);
    ~Sinks() override;

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent& event) override;
    // A reload (SIGHUP): statsd, Graphite and syslog sinks are made anew (resolved,
    // connected again) and the report file reopened (logrotate may have moved it away).
    void reconfigure(const Options& options);
    // Replay: lets the network sinks send what is queued, for at most `limit`.
    void drain(std::chrono::milliseconds limit);

private:
    void build(const Options& options);

    class ReportFile;
    hitwatch::EventSink& out_;
    boost::asio::io_context& io_;
    bool replay_;
    GraphiteSink* graphite_ = nullptr;
    std::vector<hitwatch::EventSink*> all_;
    std::unique_ptr<ReportFile> report_file_;
    std::vector<std::unique_ptr<hitwatch::EventSink>> owned_;
};

}  // namespace hitwatchd
