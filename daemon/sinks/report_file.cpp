// SPDX-License-Identifier: Apache-2.0
#include "sinks/report_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "format/json_format.h"

namespace hitwatchd {

ReportFile::~ReportFile() {
    write_held();
    if (fd_ >= 0) ::close(fd_);
}

void ReportFile::on_report(const hitwatch::Report& report) { append(hitwatch::to_json(report)); }
void ReportFile::on_alert(const hitwatch::AlertEvent& event) { append(hitwatch::to_json(event)); }
void ReportFile::on_summary(const hitwatch::RunSummary& summary) { append(hitwatch::to_json(summary)); }

bool ReportFile::open() {
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    return fd_ >= 0;
}

void ReportFile::append(std::string line) {
    line += '\n';
    if (!output_.holds()) {
        const bool opened = open();
        output_.append(fd_, line, opened ? 0 : errno);
        return;
    }
    if (output_.add(fd_, line)) write_held();
}

void ReportFile::write_held() {
    if (!output_.has_held()) return;  // not made before its first report
    const bool opened = open();
    output_.write_held(fd_, opened ? 0 : errno);
}

}  // namespace hitwatchd
