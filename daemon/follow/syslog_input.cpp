// SPDX-License-Identifier: Apache-2.0
#include "follow/syslog_input.h"

#include <boost/asio/ip/address.hpp>
#include <stdexcept>
#include <utility>

#include "core/line_wrapper.h"
#include "core/received_syslog.h"
#include "core/timestamp.h"
#include "format/printable_text.h"
#include "logging.h"

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace hitwatchd {

// One TCP sender: its framing, its reads. Holds the input; ends with its connection.
class SyslogInput::Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<SyslogInput> input)
        : socket_(std::move(socket)), input_(std::move(input)), framer_(input_->max_line_) {}

    void read() {
        socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
            if (self->input_->stopped_ || ec) return;  // closed, by either side
            self->input_->wake_up();
            self->framer_.feed(
                {self->buffer_, n}, [&](std::string_view message) { self->input_->on_message(message); },
                [&] { self->input_->on_overlong(); });
            self->input_->went_back_to_sleep();
            self->read();
        });
    }
    void close() {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }
    bool waiting() const {
        boost::system::error_code ignored;
        return socket_.available(ignored) > 0;
    }

private:
    tcp::socket socket_;
    std::shared_ptr<SyslogInput> input_;
    hitwatch::SyslogFramer framer_;
    char buffer_[64 * 1024];
};

SyslogInput::SyslogInput(asio::io_context& io, hitwatch::Monitor& monitor, hitwatch::MetricCounters* metrics)
    : io_(io), monitor_(monitor), metrics_(metrics), datagram_(65536, '\0') {}

std::shared_ptr<SyslogInput> SyslogInput::start(asio::io_context& io, const Options& options, hitwatch::Monitor& monitor,
                                                hitwatch::MetricCounters* metrics, FollowedLogs::WallClock wall_clock,
                                                FollowedLogs::CatchUp catch_up) {
    std::shared_ptr<SyslogInput> input(new SyslogInput(io, monitor, metrics));
    input->max_line_ = options.max_line;
    input->wall_clock_ = std::move(wall_clock);
    input->catch_up_ = catch_up;
    input->set_logs(options);
    for (const SyslogListen& listen : options.listen_syslog) {
        const std::string where = (listen.tcp ? "tcp://" : "udp://") + to_string(listen.address);
        try {
            const auto address = asio::ip::make_address(listen.address.host == "localhost" ? "127.0.0.1" : listen.address.host);
            const auto port = static_cast<unsigned short>(std::stoul(listen.address.port));
            if (listen.tcp) {
                input->tcp_.push_back(std::make_unique<tcp::acceptor>(io, tcp::endpoint(address, port)));
                input->accept(input->tcp_.size() - 1);
            } else {
                auto socket = std::make_unique<udp::socket>(io, udp::endpoint(address, port));
                // Room for a burst while the loop is busy elsewhere: a datagram that finds the
                // buffer full is lost (the kernel caps this at net.core.rmem_max).
                boost::system::error_code ignored;
                socket->set_option(udp::socket::receive_buffer_size(8 << 20), ignored);
                socket->non_blocking(true);
                input->udp_.push_back(std::move(socket));
                input->receive(input->udp_.size() - 1);
            }
        } catch (const std::exception& e) {
            throw std::runtime_error("cannot listen for syslog on " + where + ": " + e.what());
        }
        HW_LOG(info) << "receiving syslog messages on " << where;
    }
    return input;
}

void SyslogInput::set_logs(const Options& options) {
    catch_all_ = options.syslog_tags.empty();
    std::map<std::string, std::unique_ptr<LineCounter>, std::less<>> counters;
    std::vector<std::string> tags = options.syslog_tags;
    if (catch_all_) tags.push_back("");
    for (const std::string& tag : tags) {
        if (tag.empty()) catch_all_ = true;
        const std::string name = log_name(tag);
        const Reading reading = options.reading_of(name);
        auto kept = counters_.find(tag);
        if (kept != counters_.end() && kept->second->reading() == reading) {
            counters[tag] = std::move(kept->second);  // its counts and its detected format go on
        } else {
            counters[tag] = std::make_unique<LineCounter>(monitor_, name, options.max_line, LineCounter::Clock::arrival, reading);
        }
    }
    counters_ = std::move(counters);
}

void SyslogInput::stop() {
    if (backfill_) hand_on(true);
    stopped_ = true;
    boost::system::error_code ignored;
    for (auto& socket : udp_) socket->close(ignored);
    for (auto& acceptor : tcp_) acceptor->close(ignored);
    for (auto& weak : sessions_) {
        if (auto session = weak.lock()) session->close();
    }
}

std::uint64_t SyslogInput::lines() const {
    std::uint64_t n = 0;
    for (const auto& [tag, counter] : counters_) n += counter->lines();
    return n;
}

std::uint64_t SyslogInput::blank_lines() const {
    std::uint64_t n = 0;
    for (const auto& [tag, counter] : counters_) n += counter->blank_lines();
    return n;
}

InvalidCounts SyslogInput::invalid_counts() const {
    InvalidCounts all{};
    for (const auto& [tag, counter] : counters_) add_to(all, counter->invalid_lines().counts());
    return all;
}

void SyslogInput::receive(std::size_t which) {
    udp_[which]->async_wait(udp::socket::wait_read, [self = shared_from_this(), which](boost::system::error_code ec) {
        if (self->stopped_ || ec == asio::error::operation_aborted) return;
        self->wake_up();
        // What has arrived, a bounded number of datagrams before the loop goes on.
        for (int taken = 0; taken < 256 && !ec; ++taken) {
            const std::size_t n = self->udp_[which]->receive(asio::buffer(self->datagram_), 0, ec);
            if (ec) break;
            if (n > self->max_line_) self->on_overlong();
            else self->on_message({self->datagram_.data(), n});
        }
        self->went_back_to_sleep();
        self->receive(which);
    });
}

void SyslogInput::accept(std::size_t which) {
    tcp_[which]->async_accept([self = shared_from_this(), which](boost::system::error_code ec, tcp::socket socket) {
        if (self->stopped_) return;
        if (!ec) {
            std::erase_if(self->sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
            if (self->sessions_.size() < kMaxConnections) {
                auto session = std::make_shared<Session>(std::move(socket), self);
                self->sessions_.push_back(session);
                session->read();
            } else if (self->drop_warning_.allow(std::chrono::steady_clock::now())) {
                HW_LOG(warning) << "syslog: " << kMaxConnections << " TCP senders connected already; refusing more";
            }
        }
        self->accept(which);
    });
}

LineCounter* SyslogInput::counter_for(std::string_view tag) {
    if (const auto it = counters_.find(tag); it != counters_.end()) return it->second.get();
    if (catch_all_) return counters_.find("")->second.get();
    return nullptr;
}

void SyslogInput::on_message(std::string_view message) {
    const hitwatch::ReceivedSyslog m = hitwatch::parse_syslog(message);
    // Not syslog at all: the line itself, under the catch-all (an invalid line there, most likely).
    LineCounter* counter = counter_for(m.ok ? m.tag : std::string_view());
    if (counter == nullptr) {
        ++dropped_;
        if (drop_warning_.allow(std::chrono::steady_clock::now())) {
            const std::uint64_t held = drop_warning_.take_suppressed();
            HW_LOG(warning) << "syslog: a message tagged '" << hitwatch::printable_text(m.tag, 64)
                            << "', which no log = syslog:TAG names, is dropped (" << dropped_ << " dropped so far"
                            << (held > 0 ? ", " + std::to_string(held) + " since the last warning" : std::string()) << ")";
        }
        return;
    }
    std::string_view line = m.ok ? m.content : message;
    // A relay whose rsyslog reduces repeats sends "message repeated N times: [LINE]" for N more.
    const std::uint32_t repeats = m.ok ? hitwatch::take_repeated(line) : 1;
    if (!counter->format_decided()) counter->detect_format(line);
    if (!backfill_) {
        counter->count_repeated(line, 0, repeats);
    } else {
        ++late_messages_;
        for (std::uint32_t i = 0; i < repeats; ++i) counter->count_late(line, 0, *backfill_, backlog_from_, now_);
    }
    if (metrics_ != nullptr) metrics_->count(counter->last_parsed());
    if (backfill_ && backfill_->full()) hand_on(false);
}

void SyslogInput::on_overlong() {
    // Its tag was not read: it counts under the catch-all, else the first log named.
    LineCounter* counter = catch_all_ ? counters_.find("")->second.get() : counters_.begin()->second.get();
    if (backfill_) counter->count_overlong_late(0, *backfill_);
    else counter->count_overlong(0);
    if (metrics_ != nullptr) metrics_->count_overlong();
}

void SyslogInput::wake_up() {
    now_ = wall_clock_();
    if (stalled(now_)) begin_catch_up();
}

bool SyslogInput::keep_up(hitwatch::UnixSeconds now) {
    if (stopped_) return false;
    now_ = now;
    const bool waiting = anything_waiting();
    if (waiting && stalled(now)) {
        begin_catch_up();
    } else if (backfill_) {
        // What it read so far goes to the monitor now, before its clock moves on: a catch-up
        // under steady traffic can outlast the interval the clock waits (a socket is empty only
        // between two messages), and lines handed on after the clock passed their second
        // counted in the interval in progress (a second of 0 hits, under the sanitizers).
        hand_on(!waiting);
    }
    last_ran_ = now;
    return backfill_.has_value();
}

bool SyslogInput::anything_waiting() const {
    boost::system::error_code ignored;
    for (const auto& socket : udp_) {
        if (socket->available(ignored) > 0) return true;
    }
    for (const auto& weak : sessions_) {
        if (const auto session = weak.lock(); session && session->waiting()) return true;
    }
    return false;
}

void SyslogInput::begin_catch_up() {
    backlog_from_ = last_ran_;
    late_messages_ = late_hits_ = 0;
    backfill_.emplace(catch_up_.interval_s, catch_up_.max_sections, now_ - catch_up_.max_backfill_s,
                      now_ - catch_up_.window_s);
    HW_LOG(warning) << "syslog: the daemon did not run for " << now_ - last_ran_ << " s (it was stopped, stalled or "
                    << "slow): the messages that waited meanwhile count by when they were written";
}

void SyslogInput::hand_on(bool last) {
    hitwatch::Backfill part = std::exchange(*backfill_, backfill_->next_part());
    late_hits_ += part.hits();
    if (!part.empty()) monitor_.add_backfill(part, std::nullopt);
    if (!last) return;
    HW_LOG(info) << "syslog: caught up at " << hitwatch::format_iso8601(now_) << ": "
                 << counted(late_messages_, "message") << " read late (" << late_hits_
                 << " hits), counted by when they were written";
    backfill_.reset();
}

}  // namespace hitwatchd
