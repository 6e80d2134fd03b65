// SPDX-License-Identifier: Apache-2.0
#pragma once
// The systemd notify protocol over $NOTIFY_SOCKET (a path, or an abstract "@name"), sent as
// datagrams from the event loop: READY, RELOADING, STOPPING, STATUS and the watchdog ping.
// Written with Asio rather than libsystemd: a dozen lines, and one dependency fewer. Lives
// in a shared_ptr: the watchdog's timer handler holds it and does nothing once stopped.
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/datagram_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

namespace hitwatchd {

class SdNotifier : public std::enable_shared_from_this<SdNotifier> {
public:
    // Reads NOTIFY_SOCKET and WATCHDOG_USEC/WATCHDOG_PID; without them every call is a no-op.
    static std::shared_ptr<SdNotifier> create(boost::asio::io_context& io);

    void ready() { send("READY=1"); }
    // Before a reload: RELOADING=1 with the monotonic time systemd expects, then ready().
    void reloading();
    void stopping() { send("STOPPING=1"); }
    void status(const std::string& text) { send("STATUS=" + text); }
    // Pings WATCHDOG=1 every half of WATCHDOG_USEC from the loop, so a stuck loop is restarted.
    void start_watchdog();
    void stop();

private:
    explicit SdNotifier(boost::asio::io_context& io);
    void send(const std::string& message);
    void ping_later();

    boost::asio::local::datagram_protocol::socket socket_;
    boost::asio::local::datagram_protocol::endpoint endpoint_;
    boost::asio::steady_timer watchdog_;
    std::chrono::microseconds watchdog_period_{0};
    bool enabled_ = false;
    bool stopped_ = false;
};

}  // namespace hitwatchd
