// SPDX-License-Identifier: Apache-2.0
#include "sinks/statsd_sink.h"

#include <boost/asio/buffer.hpp>

#include "logging.h"

namespace hitwatchd {

std::shared_ptr<StatsdSink> StatsdSink::start(boost::asio::io_context& io, Settings settings) {
    std::shared_ptr<StatsdSink> sink(new StatsdSink(io, std::move(settings)));
    sink->resolve();
    return sink;
}

StatsdSink::StatsdSink(boost::asio::io_context& io, Settings settings)
    : resolver_(io), socket_(io), settings_(std::move(settings)) {}

void StatsdSink::stop() {
    stopped_ = true;
    resolver_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void StatsdSink::resolve() {
    if (resolving_ || stopped_) return;
    resolving_ = true;
    resolver_.async_resolve(settings_.host, settings_.port,
                            [self = shared_from_this()](boost::system::error_code ec,
                                                        boost::asio::ip::udp::resolver::results_type results) {
                                if (self->stopped_) return;
                                self->resolving_ = false;
                                if (ec || results.empty()) return self->warn("cannot resolve " + self->settings_.host + ": " + ec.message());
                                self->use(results.begin()->endpoint());
                            });
}

void StatsdSink::use(const boost::asio::ip::udp::endpoint& endpoint) {
    boost::system::error_code ec, ignored;
    socket_.close(ignored);
    socket_.open(endpoint.protocol(), ec);
    // Connected, so an ICMP "port unreachable" comes back as an error on a later send.
    if (!ec) socket_.connect(endpoint, ec);
    if (!ec) socket_.non_blocking(true, ec);
    if (ec) {
        warn("cannot open a socket to " + settings_.host + ":" + settings_.port + ": " + ec.message());
        socket_.close(ignored);
    }
}

void StatsdSink::on_report(const hitwatch::Report& report) {
    if (stopped_) return;
    if (!socket_.is_open()) {
        resolve();  // still resolving, or it failed: try again; this report's metrics are lost
        return;
    }
    for (const auto& datagram :
         hitwatch::pack_datagrams(hitwatch::statsd_lines(report, settings_.format), settings_.format.max_packet)) {
        boost::system::error_code ec;
        socket_.send(boost::asio::buffer(datagram), 0, ec);
        if (ec) {
            warn("cannot send to " + settings_.host + ":" + settings_.port + ": " + ec.message() + "; still trying");
            return;
        }
    }
}

void StatsdSink::warn(const std::string& what) {
    if (warnings_.allow(std::chrono::steady_clock::now())) HW_LOG(warning) << "statsd: " << what;
}

}  // namespace hitwatchd
