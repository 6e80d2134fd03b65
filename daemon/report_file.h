#pragma once
// --report-file: reports and alerts appended as JSON lines. Each line is one write(2) on an
// O_APPEND descriptor. When the disk is full (or the file at its size limit), the part of a
// line that got in is cut off again, so readers never meet half a line; the line is
// counted as lost, and the next report tries again: writing resumes once there is room,
// without waiting for a reload. The file is opened anew at each reload (logrotate moves it).
#include <cstdint>
#include <string>

#include "core/report.h"

namespace hitwatchd {

class ReportFile : public hitwatch::EventSink {
public:
    explicit ReportFile(std::string path);
    ~ReportFile() override;
    ReportFile(const ReportFile&) = delete;
    ReportFile& operator=(const ReportFile&) = delete;

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent& event) override;
    void on_summary(const hitwatch::RunSummary& summary) override;

private:
    void append(std::string line);
    void failed(int error);

    std::string path_;
    int fd_ = -1;
    std::uint64_t lost_ = 0;  // lines not written since the last one that was
};

}  // namespace hitwatchd
