#include "statsd_sink.h"

#include <boost/asio/buffer.hpp>

#include "logging.h"

namespace hitwatchd {

StatsdSink::StatsdSink(boost::asio::io_context& io, std::string host, std::string port,
                       hitwatch::StatsdSettings settings)
    : resolver_(io), socket_(io), host_(std::move(host)), port_(std::move(port)), settings_(std::move(settings)) {
    resolve();
}

void StatsdSink::resolve() {
    if (resolving_) return;
    resolving_ = true;
    resolver_.async_resolve(host_, port_, [this](boost::system::error_code ec,
                                                 boost::asio::ip::udp::resolver::results_type results) {
        if (ec == boost::asio::error::operation_aborted) return;  // the sink is gone (a reload)
        resolving_ = false;
        if (ec || results.empty()) {
            warn("cannot resolve " + host_ + ": " + ec.message());
            return;
        }
        boost::system::error_code ignored;
        socket_.close(ignored);
        const auto endpoint = results.begin()->endpoint();
        socket_.open(endpoint.protocol(), ec);
        // Connected, so an ICMP "port unreachable" comes back as an error on a later send.
        if (!ec) socket_.connect(endpoint, ec);
        if (!ec) socket_.non_blocking(true, ec);
        if (ec) {
            warn("cannot open a socket to " + host_ + ":" + port_ + ": " + ec.message());
            socket_.close(ignored);
        }
    });
}

void StatsdSink::on_report(const hitwatch::Report& report) {
    if (!socket_.is_open()) {
        resolve();  // still resolving, or it failed: try again; this report's metrics are lost
        return;
    }
    for (const auto& datagram : hitwatch::pack_datagrams(hitwatch::statsd_lines(report, settings_),
                                                         settings_.max_packet)) {
        boost::system::error_code ec;
        socket_.send(boost::asio::buffer(datagram), 0, ec);
        if (ec) {
            warn("cannot send to " + host_ + ":" + port_ + ": " + ec.message() + "; still trying");
            return;
        }
    }
}

void StatsdSink::warn(const std::string& what) {
    if (warnings_.allow(std::chrono::steady_clock::now())) HW_LOG(warning) << "statsd: " << what;
}

}  // namespace hitwatchd
