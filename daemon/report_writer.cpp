#include "report_writer.h"

#include "format/json_format.h"
#include "format/text_format.h"

namespace hitwatchd {

void ReportWriter::on_report(const hitwatch::Report& report) {
    write(format_ == OutputFormat::json ? hitwatch::to_json(report) + '\n' : hitwatch::to_text(report));
}

void ReportWriter::on_alert(const hitwatch::AlertEvent& event) {
    write(format_ == OutputFormat::json ? hitwatch::to_json(event) + '\n' : hitwatch::to_text(event));
}

void ReportWriter::write(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), out_);
    if (flush_each_) std::fflush(out_);
}

}  // namespace hitwatchd
