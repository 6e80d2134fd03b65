#include "http_server.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
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
        parser_->body_limit(0);
        idle_ = true;
        idle_since_ = steady_clock::now();
        stream_.expires_after(server_->settings_.idle_timeout);
        http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (self->stopped_) return;
            self->idle_ = false;
            self->on_read(ec);
        });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
            return respond({431, "text/plain; charset=utf-8", "request head larger than 8 KiB\n"}, 11, false, false);
        }
        if (ec == http::error::body_limit) return respond({413, "text/plain; charset=utf-8", "no request body is taken\n"}, 11, false, false);
        if (ec.category() == make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream) {
            return respond({400, "text/plain; charset=utf-8", "not an HTTP request: " + ec.message() + "\n"}, 11, false, false);
        }
        if (ec) return close();  // the client went, or the idle timeout passed
        const auto& request = parser_->get();
        const bool keep_alive = request.keep_alive();
        const bool head = request.method() == http::verb::head;
        if (request.method() != http::verb::get && !head) {
            return respond({405, "text/plain; charset=utf-8", "only GET and HEAD\n"}, request.version(), keep_alive, false);
        }
        if (request.count(http::field::host) > 1) {
            return respond({400, "text/plain; charset=utf-8", "more than one Host header\n"}, request.version(), false, false);
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
        if (response->event_stream && !head) return start_stream(std::move(response->body));
        respond(std::move(*response), request.version(), keep_alive, head);
    }

    // The response head, then the stream: its length is not known, so it ends with the
    // connection (no Content-Length, Connection: close), as EventSource expects.
    void start_stream(std::string history) {
        server_->streams_.push_back(shared_from_this());
        push(std::make_shared<const std::string>(
            "HTTP/1.1 200 OK\r\nServer: hitwatchd\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
            "X-Accel-Buffering: no\r\nConnection: close\r\n\r\n" +
            std::move(history)));
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
    return server;
}

HttpServer::HttpServer(asio::io_context& io, const HttpSettings& settings, HttpRoutes routes)
    : settings_(settings), routes_(std::move(routes)), acceptor_(io) {}

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

void HttpServer::broadcast(const std::string& data) {
    const auto shared = std::make_shared<const std::string>(data);
    streams_.remove_if([&](const std::shared_ptr<Connection>& connection) {
        connection->push(shared);
        return connection->stopped();
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
}

}  // namespace hitwatchd
