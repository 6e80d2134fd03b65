#include "report_writer.h"

#include "format/json_format.h"
#include "format/text_format.h"

namespace hitwatchd {

template <class Event>
void ReportWriter::show(const Event& event) {
    if (format_ == OutputFormat::none) return;  // not even serialized
    output_.append(fd_, format_ == OutputFormat::json ? hitwatch::to_json(event) + '\n' : hitwatch::to_text(event));
}

void ReportWriter::on_report(const hitwatch::Report& report) { show(report); }
void ReportWriter::on_alert(const hitwatch::AlertEvent& event) { show(event); }
void ReportWriter::on_summary(const hitwatch::RunSummary& summary) { show(summary); }

}  // namespace hitwatchd
