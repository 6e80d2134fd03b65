// SPDX-License-Identifier: Apache-2.0
#include "sinks/graphite_sink.h"

#include <algorithm>

#include <boost/asio/write.hpp>

#include "format/statsd_format.h"
#include "logging.h"

namespace hitwatchd {

namespace {
constexpr std::chrono::seconds kMaxBackoff{30};
constexpr size_t kBatchBytes = 64 * 1024;
}  // namespace

std::shared_ptr<GraphiteSink> GraphiteSink::start(boost::asio::io_context& io, Settings settings) {
    std::shared_ptr<GraphiteSink> sink(new GraphiteSink(io, std::move(settings)));
    sink->connect();
    return sink;
}

GraphiteSink::GraphiteSink(boost::asio::io_context& io, Settings settings)
    : resolver_(io), stream_(io), retry_(io), settings_(std::move(settings)) {}

void GraphiteSink::stop() {
    if (stopped_) return;
    stopped_ = true;
    const std::uint64_t unsent = queue_.size() + dropped_;
    if (unsent > 0) HW_LOG(warning) << "graphite: " << unsent << " metric lines not sent";
    resolver_.cancel();
    retry_.cancel();
    stream_.close();
}

void GraphiteSink::on_report(const hitwatch::Report& report) {
    if (stopped_) return;
    last_time_ = static_cast<std::uint64_t>(report.interval_end);
    for (auto& line : hitwatch::graphite_lines(report, settings_.prefix)) enqueue(std::move(line) + "\n");
    write_some();
}

void GraphiteSink::enqueue(std::string line) {
    if (queue_.size() >= kMaxQueuedLines) {
        queue_.pop_front();
        ++dropped_;
    }
    queue_.push_back(std::move(line));
}

void GraphiteSink::connect() {
    if (connecting_ || connected_ || stopped_) return;
    connecting_ = true;
    resolver_.async_resolve(settings_.host, settings_.port, [self = shared_from_this()](boost::system::error_code ec,
                                                             boost::asio::ip::tcp::resolver::results_type results) {
        if (self->stopped_) return;
        if (ec) return self->retry_later("cannot resolve " + self->settings_.host + ": " + ec.message());
        self->stream_.expires_after(kConnectDeadline);
        self->stream_.async_connect(results, [self](boost::system::error_code ec, const auto&) {
            if (self->stopped_) return;
            if (ec) return self->retry_later("cannot connect to " + self->settings_.host + ":" + self->settings_.port + ": " + ec.message());
            self->connecting_ = false;
            self->connected_ = true;
            self->backoff_ = std::chrono::seconds(1);
            HW_LOG(info) << "graphite: connected to " << self->settings_.host << ":" << self->settings_.port;
            self->write_some();
        });
    });
}

void GraphiteSink::retry_later(const std::string& why) {
    connecting_ = connected_ = writing_ = false;
    stream_.close();
    HW_LOG(warning) << "graphite: " << why << "; retrying in " << backoff_.count() << " s";
    retry_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    retry_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (self->stopped_ || ec) return;
        self->connect();
    });
}

void GraphiteSink::write_some() {
    if (!connected_ || writing_ || stopped_) return;
    if (dropped_ > 0) {
        HW_LOG(warning) << "graphite: dropped " << dropped_ << " metric lines while disconnected";
        queue_.push_front(settings_.prefix + ".graphite.dropped " + std::to_string(dropped_) + " " +
                          std::to_string(last_time_) + "\n");
        dropped_ = 0;
    }
    if (queue_.empty()) return;
    batch_.clear();
    while (!queue_.empty() && batch_.size() < kBatchBytes) {
        batch_ += queue_.front();
        queue_.pop_front();
    }
    writing_ = true;
    stream_.expires_after(kWriteDeadline);
    boost::asio::async_write(stream_, boost::asio::buffer(batch_), [self = shared_from_this()](boost::system::error_code ec, size_t) {
        if (self->stopped_) return;
        self->writing_ = false;
        if (ec) {
            // Part of it may have arrived: count it lost rather than risk sending it twice.
            self->dropped_ += static_cast<std::uint64_t>(std::count(self->batch_.begin(), self->batch_.end(), '\n'));
            return self->retry_later("lost the connection to " + self->settings_.host + ":" + self->settings_.port + ": " +
                                     ec.message());
        }
        self->write_some();
    });
}

}  // namespace hitwatchd
