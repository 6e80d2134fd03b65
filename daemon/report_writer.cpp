#include "report_writer.h"

#include <cerrno>
#include <cstring>

#include "format/json_format.h"
#include "format/text_format.h"
#include "logging.h"

namespace hitwatchd {

void ReportWriter::on_report(const hitwatch::Report& report) {
    write(format_ == OutputFormat::json ? hitwatch::to_json(report) + '\n' : hitwatch::to_text(report));
}

void ReportWriter::on_alert(const hitwatch::AlertEvent& event) {
    write(format_ == OutputFormat::json ? hitwatch::to_json(event) + '\n' : hitwatch::to_text(event));
}

void ReportWriter::on_summary(const hitwatch::RunSummary& summary) {
    write(format_ == OutputFormat::json ? hitwatch::to_json(summary) + '\n' : hitwatch::to_text(summary));
}

void ReportWriter::write(const std::string& text) {
    if (failed_ || format_ == OutputFormat::none) return;
    std::fwrite(text.data(), 1, text.size(), out_);
    if (flush_each_) std::fflush(out_);
    check();
}

bool ReportWriter::finish() {
    if (!failed_) {
        std::fflush(out_);
        check();
    }
    return !failed_;
}

void ReportWriter::check() {
    if (!std::ferror(out_)) return;
    failed_ = true;
    HW_LOG(error) << "cannot write reports to " << name_ << ": " << std::strerror(errno)
                  << "; the other outputs and the state file go on";
}

}  // namespace hitwatchd
