#include "graphite_sink.h"

#include <algorithm>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include "logging.h"
#include "format/statsd_format.h"

namespace hitwatchd {

namespace {
constexpr std::chrono::seconds kMaxBackoff{30};
constexpr size_t kBatchBytes = 64 * 1024;
}  // namespace

GraphiteSink::GraphiteSink(boost::asio::io_context& io, std::string host, std::string port, std::string prefix)
    : resolver_(io), socket_(io), retry_(io), host_(std::move(host)), port_(std::move(port)), prefix_(std::move(prefix)) {
    connect();
}

GraphiteSink::~GraphiteSink() {
    const std::uint64_t unsent = queue_.size() + dropped_;
    if (unsent > 0) HW_LOG(warning) << "graphite: " << unsent << " metric lines not sent";
}

void GraphiteSink::on_report(const hitwatch::Report& report) {
    last_time_ = static_cast<std::uint64_t>(report.interval_end);
    for (auto& line : hitwatch::graphite_lines(report, prefix_)) enqueue(std::move(line) + "\n");
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
    if (connecting_ || connected_) return;
    connecting_ = true;
    resolver_.async_resolve(host_, port_, [this](boost::system::error_code ec,
                                                 boost::asio::ip::tcp::resolver::results_type results) {
        // Aborted: the sink is being destroyed (a reload, the exit); touch nothing of it.
        if (ec == boost::asio::error::operation_aborted) return;
        if (ec) return retry_later("cannot resolve " + host_ + ": " + ec.message());
        boost::asio::async_connect(socket_, results, [this](boost::system::error_code ec, const auto&) {
            if (ec == boost::asio::error::operation_aborted) return;
            if (ec) return retry_later("cannot connect to " + host_ + ":" + port_ + ": " + ec.message());
            connecting_ = false;
            connected_ = true;
            backoff_ = std::chrono::seconds(1);
            HW_LOG(info) << "graphite: connected to " << host_ << ":" << port_;
            write_some();
        });
    });
}

void GraphiteSink::retry_later(const std::string& why) {
    connecting_ = connected_ = writing_ = false;
    boost::system::error_code ignored;
    socket_.close(ignored);
    HW_LOG(warning) << "graphite: " << why << "; retrying in " << backoff_.count() << " s";
    retry_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    retry_.async_wait([this](boost::system::error_code ec) {
        if (!ec) connect();
    });
}

void GraphiteSink::write_some() {
    if (!connected_ || writing_) return;
    if (dropped_ > 0) {
        HW_LOG(warning) << "graphite: dropped " << dropped_ << " metric lines while disconnected";
        queue_.push_front(prefix_ + ".graphite.dropped " + std::to_string(dropped_) + " " + std::to_string(last_time_) +
                          "\n");
        dropped_ = 0;
    }
    if (queue_.empty()) return;
    batch_.clear();
    while (!queue_.empty() && batch_.size() < kBatchBytes) {
        batch_ += queue_.front();
        queue_.pop_front();
    }
    writing_ = true;
    boost::asio::async_write(socket_, boost::asio::buffer(batch_), [this](boost::system::error_code ec, size_t) {
        if (ec == boost::asio::error::operation_aborted) return;
        writing_ = false;
        if (ec) {
            // Part of it may have arrived: count it lost rather than risk sending it twice.
            dropped_ += static_cast<std::uint64_t>(std::count(batch_.begin(), batch_.end(), '\n'));
            return retry_later("lost the connection to " + host_ + ":" + port_ + ": " + ec.message());
        }
        write_some();
    });
}

}  // namespace hitwatchd
