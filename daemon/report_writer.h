#pragma once
// Sends reports and alerts to standard output as JSON lines or the human text view.
#include <cstdio>

#include "options.h"
#include "core/report.h"

namespace hitwatchd {

class ReportWriter : public hitwatch::EventSink {
public:
    // flush_each: live mode shows every report as it happens; replay lets stdio buffer.
    ReportWriter(std::FILE* out, OutputFormat format, bool flush_each)
        : out_(out), format_(format), flush_each_(flush_each) {}

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent& event) override;

private:
    void write(const std::string& text);

    std::FILE* out_;
    OutputFormat format_;
    bool flush_each_;
};

}  // namespace hitwatchd
