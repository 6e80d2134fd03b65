#include "report_writer.h"

#include "format/json_format.h"
#include "format/text_format.h"

namespace hitwatchd {

void ReportWriter::on_report(const hitwatch::Report& report) {
    if (format_ == OutputFormat::none) return;
    write(format_ == OutputFormat::json ? hitwatch::to_json(report) + '\n' : hitwatch::to_text(report));
}

void ReportWriter::on_alert(const hitwatch::AlertEvent& event) {
    if (format_ == OutputFormat::none) return;
    write(format_ == OutputFormat::json ? hitwatch::to_json(event) + '\n' : hitwatch::to_text(event));
}

void ReportWriter::on_summary(const hitwatch::RunSummary& summary) {
    if (format_ == OutputFormat::none) return;
    write(format_ == OutputFormat::json ? hitwatch::to_json(summary) + '\n' : hitwatch::to_text(summary));
}

void ReportWriter::write(const std::string& text) { output_.append(fd_, text); }

}  // namespace hitwatchd
