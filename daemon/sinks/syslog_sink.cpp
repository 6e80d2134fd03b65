// SPDX-License-Identifier: Apache-2.0
#include "sinks/syslog_sink.h"

#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <chrono>

#include "logging.h"

namespace hitwatchd {

SyslogSink::SyslogSink(boost::asio::io_context& io, Settings settings) : socket_(io), settings_(std::move(settings)) {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0) host_ = name;
}

bool SyslogSink::connect() {
    if (socket_.is_open()) return true;
    boost::system::error_code ec;
    socket_.open(boost::asio::local::datagram_protocol(), ec);
    if (!ec) socket_.connect(boost::asio::local::datagram_protocol::endpoint(settings_.socket_path), ec);
    if (!ec) socket_.non_blocking(true, ec);
    if (!ec) return true;
    if (!failing_) HW_LOG(warning) << "syslog: cannot connect to " << settings_.socket_path << ": " << ec.message() << "; will retry";
    failing_ = true;
    socket_.close(ec);
    return false;
}

void SyslogSink::on_alert(const hitwatch::AlertEvent& event) {
    if (!connect()) return;
    hitwatch::SyslogMessage m;
    m.facility = settings_.facility;
    m.severity = event.high ? hitwatch::kSeverityWarning : hitwatch::kSeverityNotice;
    m.time = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    m.host = host_;
    m.pid = static_cast<int>(::getpid());
    m.text = hitwatch::alert_message(event);
    boost::system::error_code ec;
    socket_.send(boost::asio::buffer(hitwatch::format_syslog(m, settings_.format)), 0, ec);
    if (ec) {
        if (!failing_) HW_LOG(warning) << "syslog: cannot send to " << settings_.socket_path << ": " << ec.message() << "; will retry";
        failing_ = true;
        socket_.close(ec);  // reconnect next time: syslogd may have restarted
        return;
    }
    if (failing_) HW_LOG(info) << "syslog: sending to " << settings_.socket_path << " again";
    failing_ = false;
}

}  // namespace hitwatchd
