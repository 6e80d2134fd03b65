// SPDX-License-Identifier: Apache-2.0
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
// - Event streams are the server's: it keeps their history (the last hour, at most
//   kHistoryBytes, newest kept) and sends it, shared, not copied, to each new client, then
//   every publish(). A client that falls more than kStreamBacklog behind is dropped; a read
//   kept pending and a heartbeat every kHeartbeat notice one that went away, and it is
//   forgotten at once. Streams count against the connection cap.
// - Bound to a loopback address, the Host header must name a loopback host: a page on another
//   site cannot reach the daemon through DNS rebinding.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include "config/http_endpoint.h"

namespace hitwatchd {

struct HttpResponse {
    unsigned status = 200;
    std::string content_type;
    std::string body;
    // The server-sent event stream: its history, then every publish() until the client goes.
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
    // An event (a report's or an alert's JSON) dated `at`: to every event stream's client as
    // "data: ...", and into the history new clients start with.
    void publish(std::int64_t at, const std::string& json);
    static constexpr std::size_t kStreamBacklog = 4 << 20;
    static constexpr std::size_t kHistoryBytes = 2 << 20;  // below the backlog: a new client is never dropped for it
    static constexpr std::int64_t kHistorySeconds = 3600;
    static constexpr std::chrono::seconds kHeartbeat{15};

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
    std::size_t connections();
    std::size_t streams();
    std::size_t history_bytes() const { return history_bytes_; }

    class Connection;

private:
    void accept();
    // Room for one more connection: the longest idle one is closed if the cap is reached.
    void make_room();
    void start_stream(const std::shared_ptr<Connection>& connection);
    void send_to_streams(const std::shared_ptr<const std::string>& data);
    void heartbeat();

    HttpSettings settings_;
    HttpRoutes routes_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer heartbeat_;
    std::list<std::weak_ptr<Connection>> connections_;
    std::list<std::weak_ptr<Connection>> streams_;  // held by their pending read, as every connection
    std::deque<std::pair<std::int64_t, std::shared_ptr<const std::string>>> history_;
    std::size_t history_bytes_ = 0;
    std::chrono::steady_clock::time_point last_sent_ = std::chrono::steady_clock::now();
    bool stopped_ = false;
};

}  // namespace hitwatchd
