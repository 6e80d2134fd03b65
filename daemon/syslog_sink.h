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
    SyslogSink(boost::asio::io_context& io, std::string socket_path, hitwatch::SyslogFormat format, int facility);

    void on_report(const hitwatch::Report&) override {}
    void on_alert(const hitwatch::AlertEvent& event) override;

private:
    bool connect();

    boost::asio::local::datagram_protocol::socket socket_;
    std::string path_;
    hitwatch::SyslogFormat format_;
    int facility_;
    std::string host_;
    bool failing_ = false;
};

}  // namespace hitwatchd
