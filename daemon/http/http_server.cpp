// SPDX-License-Identifier: Apache-2.0
#include "http/http_server.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <array>
#include <cctype>
#include <deque>

#include "logging.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using std::chrono::steady_clock;

namespace hitwatchd {

namespace {

constexpr std::size_t kHeadLimit = 8 * 1024;

// Whether a Host header names this machine's loopback: "localhost", 127.0.0.0/8 or [::1],
// with or without a port.
bool loopback_host(std::string_view host) {
    std::string name;
    if (!host.empty() && host.front() == '[') {
        const auto close = host.find(']');
        if (close == std::string_view::npos) return false;
        name = host.substr(1, close - 1);
    } else {
        name = host.substr(0, host.rfind(':'));
    }
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name == "localhost" || name == "localhost.") return true;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(name, ec);
    return !ec && address.is_loopback();
}

}  // namespace

// One client connection: reads a request head, answers it, and again while the client keeps
// the connection alive. Held by its pending operation's handler (shared_from_this); the
// server only holds it weakly, to close it.
class HttpServer::Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket socket, std::shared_ptr<HttpServer> server)
        : stream_(std::move(socket)), server_(std::move(server)) {}

    void start() { read(); }

    void close() {
        if (stopped_) return;
        stopped_ = true;
        boost::system::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.close();
    }
    bool stopped() const { return stopped_; }
    bool streaming() const { return streaming_; }

    // Queues `data` for an event stream's client, or drops the client if it is too far behind.
    void push(std::shared_ptr<const std::string> data) {
        if (stopped_) return;
        if (queued_bytes_ + data->size() > kStreamBacklog) {
            HW_LOG(warning) << "http: dropping an event stream client that is " << queued_bytes_ << " bytes behind";
            return close();
        }
        queued_bytes_ += data->size();
        queue_.push_back(std::move(data));
        if (queue_.size() == 1) write_queued();
    }
    // Waiting for a request, and since when.
    bool idle() const { return idle_; }
    steady_clock::time_point idle_since() const { return idle_since_; }

private:
    void read() {
        parser_.emplace();
        parser_->header_limit(kHeadLimit);
        idle_ = true;
        idle_since_ = steady_clock::now();
        stream_.expires_after(server_->settings_.idle_timeout);
        // The head alone: what is asked is judged before any body is read.
        http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (self->stopped_) return;
            self->idle_ = false;
            self->on_read(ec);
        });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
            return respond({431, "text/plain; charset=utf-8", "request head larger than 8 KiB\n"}, 11, false, false);
        }
        if (ec.category() == make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream) {
            return respond({400, "text/plain; charset=utf-8", "not an HTTP request: " + ec.message() + "\n"}, 11, false, false);
        }
        if (ec) return close();  // the client went, or the idle timeout passed
        const auto& request = parser_->get();
        const bool head = request.method() == http::verb::head;
        // A body is never read: the connection ends after the answer to a request with one.
        const bool keep_alive = request.keep_alive() && parser_->is_done();
        if (request.method() != http::verb::get && !head) {
            return respond({405, "text/plain; charset=utf-8", "only GET and HEAD\n"}, request.version(), keep_alive, false);
        }
        if (!parser_->is_done()) {
            return respond({413, "text/plain; charset=utf-8", "no request body is taken\n"}, request.version(), false, false);
        }
        if (request.count(http::field::host) > 1) {
            return respond({400, "text/plain; charset=utf-8", "more than one Host header\n"}, request.version(), false, false);
        }
        if (request.version() >= 11 && request.count(http::field::host) == 0) {
            return respond({400, "text/plain; charset=utf-8", "an HTTP/1.1 request needs a Host header\n"}, request.version(), false,
                           false);
        }
        if (server_->settings_.endpoint.address().is_loopback() && request.find(http::field::host) != request.end() &&
            !loopback_host(request[http::field::host])) {
            return respond({403, "text/plain; charset=utf-8",
                            "this server answers requests for localhost only (Host: " +
                                std::string(request[http::field::host]) + ")\n"},
                           request.version(), keep_alive, head);
        }
        std::string path(request.target());
        path = path.substr(0, path.find('?'));
        auto response = server_->routes_(path);
        if (!response) response = HttpResponse{404, "text/plain; charset=utf-8", "no such page: " + path + "\n"};
        if (response->event_stream && !head) return server_->start_stream(shared_from_this());
        respond(std::move(*response), request.version(), keep_alive, head);
    }

public:
    // The response head: the stream's length is not known, so it ends with the connection (no
    // Content-Length, Connection: close), as EventSource expects. Then a read kept pending: a
    // client sends nothing on a stream, so its end (or an error) is the client going.
    void begin_stream() {
        static const auto head = std::make_shared<const std::string>(
            "HTTP/1.1 200 OK\r\nServer: hitwatchd\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
            "X-Accel-Buffering: no\r\nConnection: close\r\n\r\n");
        streaming_ = true;
        push(head);
        watch_for_departure();
    }

private:
    void watch_for_departure() {
        stream_.socket().async_read_some(asio::buffer(sink_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (self->stopped_) return;
            if (ec) return self->close();
            self->watch_for_departure();  // whatever it sends is ignored
        });
    }

    void write_queued() {
        // A client that does not take what is sent within the timeout is dropped.
        stream_.expires_after(server_->settings_.idle_timeout);
        asio::async_write(stream_, asio::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (self->stopped_) return;
            if (ec) return self->close();
            self->queued_bytes_ -= self->queue_.front()->size();
            self->queue_.pop_front();
            if (!self->queue_.empty()) return self->write_queued();
            self->stream_.expires_never();
        });
    }

    void respond(HttpResponse answer, unsigned version, bool keep_alive, bool head) {
        auto response = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(answer.status), version);
        response->set(http::field::server, "hitwatchd");
        response->set(http::field::content_type, answer.content_type);
        response->set(http::field::cache_control, "no-store");
        if (answer.status == 405) response->set(http::field::allow, "GET, HEAD");
        response->keep_alive(keep_alive);
        const std::size_t length = answer.body.size();
        if (!head) response->body() = std::move(answer.body);
        response->content_length(length);
        // A client that does not take its answer within the timeout is dropped, not waited for.
        stream_.expires_after(server_->settings_.idle_timeout);
        http::async_write(stream_, *response, [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
            if (self->stopped_) return;
            if (ec || !response->keep_alive()) return self->close();
            self->read();
        });
    }

    beast::tcp_stream stream_;
    std::shared_ptr<HttpServer> server_;
    beast::flat_buffer buffer_{2 * kHeadLimit};
    std::optional<http::request_parser<http::empty_body>> parser_;
    std::deque<std::shared_ptr<const std::string>> queue_;  // an event stream's, not yet written
    std::size_t queued_bytes_ = 0;
    std::array<char, 512> sink_{};  // what a stream's client sends, read and dropped
    bool streaming_ = false;
    steady_clock::time_point idle_since_ = steady_clock::now();
    bool idle_ = false;
    bool stopped_ = false;
};

std::shared_ptr<HttpServer> HttpServer::start(asio::io_context& io, const HttpSettings& settings, HttpRoutes routes,
                                              std::string& error) {
    auto server = std::make_shared<HttpServer>(io, settings, std::move(routes));
    boost::system::error_code ec;
    server->acceptor_.open(settings.endpoint.protocol(), ec);
    if (!ec) server->acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) server->acceptor_.bind(settings.endpoint, ec);
    if (!ec) server->acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        error = ec.message();
        return nullptr;
    }
    server->accept();
    server->heartbeat();
    return server;
}

HttpServer::HttpServer(asio::io_context& io, const HttpSettings& settings, HttpRoutes routes)
    : settings_(settings), routes_(std::move(routes)), acceptor_(io), heartbeat_(io) {}

void HttpServer::accept() {
    acceptor_.async_accept([self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        if (self->stopped_) return;
        if (ec) {
            // Out of file descriptors, most likely: try again shortly rather than spin.
            HW_LOG(warning) << "http: accept failed: " << ec.message();
            auto timer = std::make_shared<asio::steady_timer>(self->acceptor_.get_executor(), std::chrono::milliseconds(100));
            return timer->async_wait([self, timer](boost::system::error_code) {
                if (!self->stopped_) self->accept();
            });
        }
        self->make_room();
        auto connection = std::make_shared<Connection>(std::move(socket), self);
        self->connections_.push_back(connection);
        connection->start();
        self->accept();
    });
}

std::size_t HttpServer::connections() {
    connections_.remove_if([](const std::weak_ptr<Connection>& c) {
        const auto connection = c.lock();
        return !connection || connection->stopped();
    });
    return connections_.size();
}

void HttpServer::make_room() {
    if (connections() < settings_.max_connections) return;
    // The longest idle one; if none waits for a request, the oldest.
    std::shared_ptr<Connection> victim;
    for (const auto& weak : connections_) {
        const auto connection = weak.lock();
        if (connection->idle() && (!victim || !victim->idle() || connection->idle_since() < victim->idle_since())) {
            victim = connection;
        }
    }
    if (!victim) victim = connections_.front().lock();
    victim->close();
    connections();
}

void HttpServer::start_stream(const std::shared_ptr<Connection>& connection) {
    streams();  // forget the ones gone
    streams_.push_back(connection);
    connection->begin_stream();
    for (const auto& [at, event] : history_) connection->push(event);
}

std::size_t HttpServer::streams() {
    streams_.remove_if([](const std::weak_ptr<Connection>& c) {
        const auto connection = c.lock();
        return !connection || connection->stopped();
    });
    return streams_.size();
}

void HttpServer::send_to_streams(const std::shared_ptr<const std::string>& data) {
    last_sent_ = steady_clock::now();
    for (const auto& weak : streams_) {
        if (const auto connection = weak.lock()) connection->push(data);
    }
    streams();
}

void HttpServer::publish(std::int64_t at, const std::string& json) {
    const auto event = std::make_shared<const std::string>("data: " + json + "\n\n");
    send_to_streams(event);
    history_.emplace_back(at, event);
    history_bytes_ += event->size();
    const std::int64_t newest = std::max(at, history_.back().first);
    while (!history_.empty() && (history_bytes_ > kHistoryBytes || history_.front().first < newest - kHistorySeconds)) {
        history_bytes_ -= history_.front().second->size();
        history_.pop_front();
    }
}

void HttpServer::heartbeat() {
    // A comment line to every stream when nothing else was sent for a while: a client that
    // went without a word fails the write, and proxies keep the stream open.
    heartbeat_.expires_after(kHeartbeat);
    heartbeat_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (self->stopped_ || ec) return;
        static const auto ping = std::make_shared<const std::string>(": ping\n\n");
        if (steady_clock::now() - self->last_sent_ >= kHeartbeat) self->send_to_streams(ping);
        self->heartbeat();
    });
}

void HttpServer::stop() {
    stopped_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (const auto& weak : connections_) {
        if (const auto connection = weak.lock()) connection->close();
    }
    connections_.clear();
    streams_.clear();
    heartbeat_.cancel();
}

}  // namespace hitwatchd
