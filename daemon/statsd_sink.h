#pragma once
// Sends every report to statsd over UDP. Never blocks: a datagram that cannot go now is
// dropped with a (rate-limited) warning, and an unresolvable or refusing server is retried.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <string>

#include "rate_limiter.h"
#include "core/report.h"
#include "format/statsd_format.h"

namespace hitwatchd {

class StatsdSink : public hitwatch::EventSink {
public:
    StatsdSink(boost::asio::io_context& io, std::string host, std::string port, hitwatch::StatsdSettings settings);

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent&) override {}

private:
    void resolve();
    void warn(const std::string& what);

    boost::asio::ip::udp::resolver resolver_;
    boost::asio::ip::udp::socket socket_;
    std::string host_, port_;
    hitwatch::StatsdSettings settings_;
    bool resolving_ = false;
    hitwatch::RateLimiter<> warnings_{std::chrono::seconds(60)};
};

}  // namespace hitwatchd
