// SPDX-License-Identifier: Apache-2.0
#pragma once
// Access log lines received over syslog (--listen-syslog udp://... or tcp://..., on the one
// io_context): nginx's `access_log syslog:server=127.0.0.1:5514,tag=shop combined;` or an
// rsyslog forwarding. Each sender tag named by `log = syslog:TAG` is a log of its own; with
// no tag named, every message counts under the log `syslog:`; else a message whose tag no
// log names is dropped (counted, and warned of at most once a minute), so that a sender
// cannot make logs at will. Nothing is checkpointed: what was sent while the daemon was
// down is the sender's to keep.
//
// Lives in a shared_ptr; its handlers and its TCP sessions' hold it and do nothing once it
// is stopped.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/options.h"
#include "core/metric_counters.h"
#include "core/monitor.h"
#include "follow/line_counter.h"
#include "rate_limiter.h"

namespace hitwatchd {

class SyslogInput : public std::enable_shared_from_this<SyslogInput> {
public:
    static constexpr std::size_t kMaxConnections = 256;

    // Binds every --listen-syslog address; throws std::runtime_error naming one that cannot be.
    static std::shared_ptr<SyslogInput> start(boost::asio::io_context& io, const Options& options,
                                              hitwatch::Monitor& monitor, hitwatch::MetricCounters* metrics);
    // A reload: the tags and their formats (the addresses need a restart).
    void set_logs(const Options& options);
    void stop();

    std::uint64_t dropped() const { return dropped_; }
    std::uint64_t lines() const;
    std::uint64_t blank_lines() const;
    // Invalid lines by reason, over every tag's log.
    InvalidCounts invalid_counts() const;
    // The log a message goes to by its tag: "syslog:shop", or "syslog:" for the catch-all.
    static std::string log_name(const std::string& tag) { return std::string(kSyslogLogPrefix) + tag; }

private:
    class Session;
    SyslogInput(boost::asio::io_context& io, hitwatch::Monitor& monitor, hitwatch::MetricCounters* metrics);
    void receive(std::size_t which);
    void accept(std::size_t which);
    // One message (a datagram, or a TCP frame).
    void on_message(std::string_view message);
    // One too long for --max-line.
    void on_overlong();
    LineCounter* counter_for(std::string_view tag);

    boost::asio::io_context& io_;
    hitwatch::Monitor& monitor_;
    hitwatch::MetricCounters* metrics_;
    std::size_t max_line_ = 64 * 1024;
    std::vector<std::unique_ptr<boost::asio::ip::udp::socket>> udp_;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> tcp_;
    std::vector<std::weak_ptr<Session>> sessions_;
    std::string datagram_;  // a datagram's bytes (the largest UDP can carry)
    std::map<std::string, std::unique_ptr<LineCounter>, std::less<>> counters_;  // by tag
    bool catch_all_ = true;  // no tag named (or `syslog:` itself): every tag counts under "syslog:"
    std::uint64_t dropped_ = 0;
    RateLimiter<> drop_warning_{std::chrono::minutes(1)};
    bool stopped_ = false;
};

}  // namespace hitwatchd
