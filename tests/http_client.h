// SPDX-License-Identifier: Apache-2.0
#pragma once
// A plain HTTP/1.1 client for the tests, on blocking sockets: what a scraper or a browser
// sends, and what a misbehaving client does (idle connections, huge heads).
#include <map>
#include <string>

namespace test {

struct HttpReply {
    int status = 0;  // 0: no reply (refused, closed, timed out)
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
};

// A request as written (method, path, extra header lines), "Connection: close", the whole reply.
HttpReply http_request(int port, const std::string& method, const std::string& path, const std::string& extra_headers = "");
inline HttpReply http_get(int port, const std::string& path) { return http_request(port, "GET", path); }

// A TCP connection to 127.0.0.1:port that sends nothing (or what it is told); closed when it goes.
class RawConnection {
public:
    explicit RawConnection(int port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;
    bool connected() const { return fd_ >= 0; }
    // Sends as much of `data` as the peer takes; false once it refuses more (closed).
    bool send(const std::string& data);
    // What arrives within a second.
    std::string receive();

private:
    int fd_ = -1;
};

}  // namespace test
