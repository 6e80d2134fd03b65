// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sends every report to statsd over UDP. Never blocks: a datagram that cannot go now is
// dropped with a (rate-limited) warning, and an unresolvable or refusing server is retried.
// Lives in a shared_ptr: its resolve handler keeps it alive and does nothing once stopped,
// so a reload can drop it while a resolve is running.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <string>

#include "format/statsd_format.h"
#include "rate_limiter.h"
#include "sinks/sink.h"

namespace hitwatchd {

class StatsdSink : public AsyncSink, public std::enable_shared_from_this<StatsdSink> {
public:
    struct Settings {
        std::string host, port;
        hitwatch::StatsdSettings format;
        bool operator==(const Settings& other) const {
            return host == other.host && port == other.port && format.prefix == other.format.prefix &&
                   format.max_packet == other.format.max_packet && format.tags == other.format.tags;
        }
    };

    static std::shared_ptr<StatsdSink> start(boost::asio::io_context& io, Settings settings);

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent&) override {}
    void stop() override;
    const Settings& settings() const { return settings_; }
    // Its server's name is being resolved: a report now is not sent.
    bool resolving() const { return resolving_; }

private:
    StatsdSink(boost::asio::io_context& io, Settings settings);
    void resolve();
    void use(const boost::asio::ip::udp::endpoint& endpoint);
    void warn(const std::string& what);

    boost::asio::ip::udp::resolver resolver_;
    boost::asio::ip::udp::socket socket_;
    Settings settings_;
    bool resolving_ = false;
    bool stopped_ = false;
    RateLimiter<> warnings_{std::chrono::seconds(60)};
};

}  // namespace hitwatchd
