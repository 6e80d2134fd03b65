#include "sinks.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "graphite_sink.h"
#include "logging.h"
#include "report_writer.h"
#include "statsd_sink.h"
#include "syslog_sink.h"

namespace hitwatchd {

// --report-file: JSON lines appended to a file (opened anew at each reload, for logrotate).
class Sinks::ReportFile : public hitwatch::EventSink {
public:
    explicit ReportFile(const std::string& path) : file_(std::fopen(path.c_str(), "ae")) {
        if (!file_) {
            HW_LOG(error) << "cannot open the report file " << path << ": " << std::strerror(errno);
            return;
        }
        writer_ = std::make_unique<ReportWriter>(file_, OutputFormat::json, true);
    }
    ~ReportFile() override {
        if (file_) std::fclose(file_);
    }

    void on_report(const hitwatch::Report& report) override {
        if (writer_) writer_->on_report(report);
    }
    void on_alert(const hitwatch::AlertEvent& event) override {
        if (writer_) writer_->on_alert(event);
    }

private:
    std::FILE* file_;
    std::unique_ptr<ReportWriter> writer_;
};

Sinks::Sinks(boost::asio::io_context& io, const Options& o, hitwatch::EventSink& out)
    : out_(out), io_(io), replay_(o.logs.empty()) {
    build(o);
}

void Sinks::build(const Options& o) {
    all_ = {&out_};
    owned_.clear();
    report_file_.reset();
    graphite_ = nullptr;
    if (!o.report_file.empty()) {
        report_file_ = std::make_unique<ReportFile>(o.report_file);
        all_.push_back(report_file_.get());
    }
    if (!o.statsd.host.empty()) {
        owned_.push_back(std::make_unique<StatsdSink>(io_, o.statsd.host, o.statsd.port, o.statsd_settings));
    }
    if (!o.graphite.host.empty()) {
        auto graphite = std::make_unique<GraphiteSink>(io_, o.graphite.host, o.graphite.port, o.statsd_settings.prefix);
        graphite_ = graphite.get();
        owned_.push_back(std::move(graphite));
    }
    if (o.syslog) owned_.push_back(std::make_unique<SyslogSink>(io_, o.syslog_socket, o.syslog_format, o.syslog_facility));
    for (const auto& sink : owned_) all_.push_back(sink.get());
}

void Sinks::reconfigure(const Options& options) { build(options); }

Sinks::~Sinks() = default;

void Sinks::on_report(const hitwatch::Report& report) {
    for (auto* sink : all_) sink->on_report(report);
    if (graphite_ && replay_) {
        io_.restart();  // nothing else runs the loop in replay: let queued writes go on
        io_.poll();
    }
}

void Sinks::on_alert(const hitwatch::AlertEvent& event) {
    for (auto* sink : all_) sink->on_alert(event);
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
