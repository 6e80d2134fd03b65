#pragma once
// A small HTTP/1.1 server on the daemon's one io_context (Boost.Beast), for /metrics,
// /status and the dashboard: fixed routes, no file-system access, and nothing a client does
// can block the loop or grow memory without bound.
//
// - GET and HEAD only (405 for the rest); a request head of at most 8 KiB (431 past it), no
//   request body.
// - At most `max_connections` open; a new one past that closes the longest-idle one first, so
//   idle connections cannot lock out a scrape. A connection that sends no complete request
//   within the idle timeout is closed, and so is one that does not take a response within it.
// - An event stream's client that falls more than kStreamBacklog behind is dropped: what it
//   has not taken is never buffered without bound.
// - Bound to a loopback address, the Host header must name a loopback host: a page on another
//   site cannot reach the daemon through DNS rebinding.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include "http_endpoint.h"

namespace hitwatchd {

struct HttpResponse {
    unsigned status = 200;
    std::string content_type;
    std::string body;
    // A server-sent event stream: `body` is what it starts with (the history), then every
    // broadcast() follows until the client goes.
    bool event_stream = false;
};

// The response to a GET of `path` (without its query); nullopt: 404.
using HttpRoutes = std::function<std::optional<HttpResponse>(const std::string& path)>;

struct HttpSettings {
    boost::asio::ip::tcp::endpoint endpoint;
    std::size_t max_connections = 64;
    std::chrono::seconds idle_timeout{60};
};

class HttpServer : public std::enable_shared_from_this<HttpServer> {
public:
    // Listening, or nullptr with `error` saying why (the address is in use, not this machine's).
    static std::shared_ptr<HttpServer> start(boost::asio::io_context& io, const HttpSettings& settings, HttpRoutes routes,
                                             std::string& error);
    HttpServer(boost::asio::io_context& io, const HttpSettings& settings, HttpRoutes routes);
    void stop();
    // Sends `data` ("data: ...\n\n") to every event stream's client.
    void broadcast(const std::string& data);
    static constexpr std::size_t kStreamBacklog = 4 << 20;

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
    std::size_t connections();

    class Connection;

private:
    void accept();
    // Room for one more connection: the longest idle one is closed if the cap is reached.
    void make_room();

    HttpSettings settings_;
    HttpRoutes routes_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::list<std::weak_ptr<Connection>> connections_;
    // Event streams wait for broadcasts with no operation pending: held here, not by a handler.
    std::list<std::shared_ptr<Connection>> streams_;
    bool stopped_ = false;
};

}  // namespace hitwatchd
