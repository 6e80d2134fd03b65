// SPDX-License-Identifier: Apache-2.0
#pragma once
// --report-file: reports and alerts appended as JSON lines (daemon/line_output.h says what a
// full disk does). The file is opened at its first report, and anew at each reload
// (logrotate moves it); one that cannot be opened is tried again at each report.
#include <string>

#include "core/report.h"
#include "sinks/line_output.h"

namespace hitwatchd {

class ReportFile : public hitwatch::EventSink {
public:
    explicit ReportFile(std::string path) : path_(std::move(path)), output_("the report file " + path_) {}
    ~ReportFile() override;
    ReportFile(const ReportFile&) = delete;
    ReportFile& operator=(const ReportFile&) = delete;

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent& event) override;
    void on_summary(const hitwatch::RunSummary& summary) override;
    // Whether a report or alert could not be written (a replay's exit status says so).
    bool ever_failed() const { return output_.ever_failed(); }
    // From now on, held and written 64 KiB at a time, and at write_held() (the end, and
    // SIGUSR1's summary so far): for a replay of files (line_output.h).
    void hold() { output_.hold(); }
    void write_held();

private:
    void append(std::string line);
    // The file, opened if it is not: false if it cannot be (errno says why).
    bool open();

    std::string path_;
    LineOutput output_;
    int fd_ = -1;
};

}  // namespace hitwatchd
