// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sockets that take what hitwatchd sends, for the integration tests: a statsd server's on the
// loopback (UDP), and a syslog socket's (a unix datagram socket at a path).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstring>
#include <string>

namespace test {

class DatagramListener {
public:
    ~DatagramListener() { ::close(fd_); }
    DatagramListener(const DatagramListener&) = delete;
    DatagramListener& operator=(const DatagramListener&) = delete;
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

protected:
    explicit DatagramListener(int domain) : fd_(::socket(domain, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
        timeval timeout{0, 200000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    int fd_;
};

class StatsdListener : public DatagramListener {
public:
    StatsdListener() : DatagramListener(AF_INET) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        BOOST_TEST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        socklen_t length = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length);
        port_ = ntohs(addr.sin_port);
    }
    int port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

private:
    int port_ = 0;
};

class SyslogSocketListener : public DatagramListener {
public:
    explicit SyslogSocketListener(const std::string& path) : DatagramListener(AF_UNIX) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        BOOST_TEST_REQUIRE(path.size() < sizeof addr.sun_path);
        std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
        BOOST_TEST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
};

}  // namespace test
