#pragma once
// Sends reports and alerts to standard output as JSON lines or the human text view
// (daemon/line_output.h says what a failed write does).
#include <string>

#include "core/report.h"
#include "line_output.h"
#include "options.h"

namespace hitwatchd {

class ReportWriter : public hitwatch::EventSink {
public:
    ReportWriter(int fd, std::string name, OutputFormat format) : fd_(fd), output_(std::move(name)), format_(format) {}

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent& event) override;
    void on_summary(const hitwatch::RunSummary& summary) override;
    // False if a write failed at any point (the exit status says so).
    bool finish() const { return !output_.ever_failed(); }

private:
    // A report, an alert or the summary, in the output's format.
    template <class Event>
    void show(const Event& event);

    int fd_;
    LineOutput output_;
    OutputFormat format_;
};

}  // namespace hitwatchd
