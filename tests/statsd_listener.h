// SPDX-License-Identifier: Apache-2.0
#pragma once
// A statsd server's socket on the loopback, for the integration tests: the datagrams
// hitwatchd sends to it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>

namespace test {

class StatsdListener {
public:
    StatsdListener() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        BOOST_TEST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        socklen_t length = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length);
        port_ = ntohs(addr.sin_port);
        timeval timeout{0, 200000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    ~StatsdListener() { ::close(fd_); }
    StatsdListener(const StatsdListener&) = delete;
    StatsdListener& operator=(const StatsdListener&) = delete;
    int port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    // What arrives in `how_long`, a datagram a line.
    std::string receive(std::chrono::milliseconds how_long) {
        std::string all;
        const auto until = std::chrono::steady_clock::now() + how_long;
        char buf[65536];
        while (std::chrono::steady_clock::now() < until) {
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n > 0) all.append(buf, static_cast<size_t>(n)).append("\n");
        }
        return all;
    }

private:
    int fd_;
    int port_ = 0;
};

}  // namespace test
