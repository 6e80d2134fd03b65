// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sends reports and alerts to standard output as JSON lines or the human text view: written
// at once (sinks/line_output.h says what a failed write does), held and written 64 KiB at a
// time (a replay of files into a file), or, for the live daemon and a reader that may stall,
// queued (sinks/queued_output.h).
#include <chrono>
#include <memory>
#include <string>

#include "config/options.h"
#include "core/report.h"
#include "sinks/line_output.h"
#include "sinks/queued_output.h"

namespace hitwatchd {

class ReportWriter : public hitwatch::EventSink {
public:
    ReportWriter(int fd, std::string name, OutputFormat format) : fd_(fd), name_(name), output_(std::move(name)), format_(format) {}
    ~ReportWriter();

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent& event) override;
    void on_summary(const hitwatch::RunSummary& summary) override;
    // From now on, queued on `io` when standard output is one that can stall (live mode).
    void queue_on(boost::asio::io_context& io);
    // From now on, held and written 64 KiB at a time, and at write_held() (the end, and
    // SIGUSR1's summary so far): for a replay of files into a file (line_output.h).
    void hold() { output_.hold(); }
    void write_held() { output_.write_held(fd_); }
    // At the end: lets what is queued go out, for at most `limit` (a reader that stalled for
    // good does not hold the exit up).
    void flush(boost::asio::io_context& io, std::chrono::milliseconds limit);
    // A replay's stop flag: once it is set, a reader that takes nothing is given up.
    void give_up_at(const volatile std::sig_atomic_t* stop) { output_.give_up_at(stop); }
    // Standard output's reader went away: nothing more is written to it.
    bool gone() const { return output_.gone(); }
    // False if a write failed at any point (the exit status says so).
    bool finish() const { return !output_.ever_failed() && !(queued_ && queued_->failed()); }

private:
    // A report, an alert or the summary, in the output's format.
    template <class Event>
    void show(const Event& event);

    int fd_;
    std::string name_;
    LineOutput output_;
    std::shared_ptr<QueuedOutput> queued_;
    OutputFormat format_;
};

}  // namespace hitwatchd
