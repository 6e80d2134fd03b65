// SPDX-License-Identifier: Apache-2.0
#include "sd_notify.h"

#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <cstdlib>
#include <ctime>

#include "logging.h"

namespace hitwatchd {

std::shared_ptr<SdNotifier> SdNotifier::create(boost::asio::io_context& io) {
    return std::shared_ptr<SdNotifier>(new SdNotifier(io));
}

void SdNotifier::stop() {
    stopped_ = true;
    watchdog_.cancel();
}

SdNotifier::SdNotifier(boost::asio::io_context& io) : socket_(io), watchdog_(io) {
    const char* path = std::getenv("NOTIFY_SOCKET");
    if (path == nullptr || (path[0] != '/' && path[0] != '@')) return;
    std::string address = path;
    if (address[0] == '@') address[0] = '\0';  // Linux abstract namespace
    endpoint_ = boost::asio::local::datagram_protocol::endpoint(address);
    boost::system::error_code ec;
    socket_.open(boost::asio::local::datagram_protocol(), ec);
    if (!ec) socket_.non_blocking(true, ec);
    if (ec) {
        HW_LOG(warning) << "sd_notify: cannot open a socket: " << ec.message();
        return;
    }
    enabled_ = true;
    const char* usec = std::getenv("WATCHDOG_USEC");
    const char* pid = std::getenv("WATCHDOG_PID");
    if (usec != nullptr && (pid == nullptr || std::atol(pid) == static_cast<long>(::getpid()))) {
        watchdog_period_ = std::chrono::microseconds(std::atoll(usec) / 2);
    }
}

void SdNotifier::reloading() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const long long usec = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
    send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void SdNotifier::start_watchdog() {
    if (!enabled_ || watchdog_period_.count() <= 0) return;
    send("WATCHDOG=1");
    ping_later();
}

void SdNotifier::ping_later() {
    watchdog_.expires_after(watchdog_period_);
    watchdog_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (self->stopped_ || ec) return;
        self->send("WATCHDOG=1");
        self->ping_later();
    });
}

void SdNotifier::send(const std::string& message) {
    if (!enabled_) return;
    boost::system::error_code ec;
    socket_.send_to(boost::asio::buffer(message), endpoint_, 0, ec);
    if (ec) HW_LOG(debug) << "sd_notify: " << ec.message();
}

}  // namespace hitwatchd
