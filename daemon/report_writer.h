#pragma once
// Sends reports and alerts to standard output as JSON lines or the human text view. A stream
// that fails (a closed pipe, a full disk) is one error message; the daemon goes on with its
// other outputs and its checkpoints.
#include <cstdio>
#include <string>

#include "core/report.h"
#include "options.h"

namespace hitwatchd {

class ReportWriter : public hitwatch::EventSink {
public:
    // flush_each: live mode shows every report as it happens; replay lets stdio buffer.
    ReportWriter(std::FILE* out, std::string name, OutputFormat format, bool flush_each)
        : out_(out), name_(std::move(name)), format_(format), flush_each_(flush_each) {}

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent& event) override;
    void on_summary(const hitwatch::RunSummary& summary) override;
    // Writes out what stdio still buffers; false if the stream failed at any point.
    bool finish();
    bool failed() const { return failed_; }

private:
    void write(const std::string& text);
    void check();

    std::FILE* out_;
    std::string name_;
    OutputFormat format_;
    bool flush_each_;
    bool failed_ = false;
};

}  // namespace hitwatchd
