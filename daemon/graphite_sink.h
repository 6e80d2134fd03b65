#pragma once
// Sends every report to Graphite (carbon's plaintext protocol) over TCP: reconnects with
// backoff, and while disconnected keeps a bounded queue that drops the oldest lines, counts
// them and reports the count once it is connected again.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <string>

#include "core/report.h"

namespace hitwatchd {

class GraphiteSink : public hitwatch::EventSink {
public:
    static constexpr size_t kMaxQueuedLines = 100000;

    GraphiteSink(boost::asio::io_context& io, std::string host, std::string port, std::string prefix);

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent&) override {}
    ~GraphiteSink() override;
    // Nothing more can be written now: all sent, or not connected (replay waits for this).
    bool drained() const { return !connected_ || (queue_.empty() && !writing_); }

private:
    void connect();
    void retry_later(const std::string& why);
    void write_some();
    void enqueue(std::string line);

    boost::asio::ip::tcp::resolver resolver_;
    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer retry_;
    std::string host_, port_, prefix_;
    std::deque<std::string> queue_;
    std::string batch_;  // being written
    bool connected_ = false, connecting_ = false, writing_ = false;
    std::chrono::seconds backoff_{1};
    std::uint64_t dropped_ = 0;  // lines dropped since last reported
    std::uint64_t last_time_ = 0;
};

}  // namespace hitwatchd
