// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sends every report to Graphite (carbon's plaintext protocol) over TCP: reconnects with
// backoff, and while disconnected keeps a bounded queue that drops the oldest lines, counts
// them and reports the count once it is connected again. A connection must be made within
// kConnectDeadline and each write take no longer than kWriteDeadline, or it is closed and
// made again: a server that stops reading cannot hold the queue for ever. Lives in a
// shared_ptr (see sink.h).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include "sinks/sink.h"

namespace hitwatchd {

class GraphiteSink : public AsyncSink, public std::enable_shared_from_this<GraphiteSink> {
public:
    static constexpr size_t kMaxQueuedLines = 100000;
    static constexpr std::chrono::seconds kConnectDeadline{5};
    static constexpr std::chrono::seconds kWriteDeadline{10};

    struct Settings {
        std::string host, port, prefix;
        bool operator==(const Settings&) const = default;
    };

    static std::shared_ptr<GraphiteSink> start(boost::asio::io_context& io, Settings settings);

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent&) override {}
    // Gives up: what is still queued is reported as not sent.
    void stop() override;
    // Nothing more can be written now: all sent, or not connected (replay waits for this).
    bool drained() const { return !connected_ || (queue_.empty() && !writing_); }
    size_t queued() const { return queue_.size(); }
    const Settings& settings() const { return settings_; }

private:
    GraphiteSink(boost::asio::io_context& io, Settings settings);
    void connect();
    void retry_later(const std::string& why);
    void write_some();
    void enqueue(std::string line);

    boost::asio::ip::tcp::resolver resolver_;
    boost::beast::tcp_stream stream_;
    boost::asio::steady_timer retry_;
    Settings settings_;
    std::deque<std::string> queue_;
    std::string batch_;  // being written
    bool connected_ = false, connecting_ = false, writing_ = false, stopped_ = false;
    std::chrono::seconds backoff_{1};
    std::uint64_t dropped_ = 0;  // lines dropped since last reported
    std::uint64_t last_time_ = 0;
};

}  // namespace hitwatchd
