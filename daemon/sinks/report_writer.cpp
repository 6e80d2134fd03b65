// SPDX-License-Identifier: Apache-2.0
#include "sinks/report_writer.h"

#include "format/json_format.h"
#include "format/text_format.h"

namespace hitwatchd {

ReportWriter::~ReportWriter() {
    if (queued_) queued_->stop();
    write_held();
}

void ReportWriter::queue_on(boost::asio::io_context& io) {
    if (format_ != OutputFormat::none) queued_ = QueuedOutput::open(io, fd_, name_);
}

void ReportWriter::flush(boost::asio::io_context& io, std::chrono::milliseconds limit) {
    if (!queued_ || queued_->queued_bytes() == 0) return;
    const auto until = std::chrono::steady_clock::now() + limit;
    io.restart();
    while (queued_->queued_bytes() > 0 && !queued_->failed() && std::chrono::steady_clock::now() < until) {
        io.run_one_for(std::chrono::milliseconds(100));
    }
}

template <class Event>
void ReportWriter::show(const Event& event) {
    if (format_ == OutputFormat::none) return;  // not even serialized
    std::string text = format_ == OutputFormat::json ? hitwatch::to_json(event) + '\n' : hitwatch::to_text(event);
    if (queued_) return queued_->append(std::move(text));
    if (output_.add(fd_, text)) write_held();
}

void ReportWriter::on_report(const hitwatch::Report& report) { show(report); }
void ReportWriter::on_alert(const hitwatch::AlertEvent& event) { show(event); }
void ReportWriter::on_summary(const hitwatch::RunSummary& summary) { show(summary); }

}  // namespace hitwatchd
