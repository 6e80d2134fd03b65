// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sends each alert and recovery to syslog through a unix datagram socket (/dev/log).
// Never blocks: if the socket is absent or full, the message is dropped with one warning,
// and the next alert tries again.
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/datagram_protocol.hpp>
#include <string>

#include "core/report.h"
#include "format/syslog_format.h"

namespace hitwatchd {

class SyslogSink : public hitwatch::EventSink {
public:
    struct Settings {
        std::string socket_path;
        hitwatch::SyslogFormat format = hitwatch::SyslogFormat::rfc5424;
        int facility = 3;
        bool operator==(const Settings&) const = default;
    };

    SyslogSink(boost::asio::io_context& io, Settings settings);
    const Settings& settings() const { return settings_; }

    void on_report(const hitwatch::Report&) override {}
    void on_alert(const hitwatch::AlertEvent& event) override;

private:
    bool connect();

    boost::asio::local::datagram_protocol::socket socket_;
    Settings settings_;
    std::string host_;
    bool failing_ = false;
};

}  // namespace hitwatchd
