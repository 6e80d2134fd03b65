#include "report_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "format/json_format.h"
#include "logging.h"
#include "os/posix_io.h"

namespace hitwatchd {

ReportFile::ReportFile(std::string path) : path_(std::move(path)) {}

ReportFile::~ReportFile() {
    if (fd_ >= 0) ::close(fd_);
}

void ReportFile::on_report(const hitwatch::Report& report) { append(hitwatch::to_json(report)); }
void ReportFile::on_alert(const hitwatch::AlertEvent& event) { append(hitwatch::to_json(event)); }
void ReportFile::on_summary(const hitwatch::RunSummary& summary) { append(hitwatch::to_json(summary)); }

void ReportFile::append(std::string line) {
    line += '\n';
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0) return failed(errno);
    const off_t before = ::lseek(fd_, 0, SEEK_END);
    if (!hitwatch::os::write_all(fd_, line.data(), line.size())) {
        const int error = errno;
        if (before >= 0) (void)::ftruncate(fd_, before);  // the part that got in
        return failed(error);
    }
    if (lost_ > 0) {
        HW_LOG(info) << "writing to the report file " << path_ << " again; " << lost_
                     << " report(s) or alert(s) could not be written to it";
        lost_ = 0;
    }
}

void ReportFile::failed(int error) {
    if (lost_++ == 0) {
        HW_LOG(error) << "cannot write to the report file " << path_ << ": " << std::strerror(error)
                      << "; trying again at each report (standard output, the sinks and the state file go on)";
    }
}

}  // namespace hitwatchd
