// SPDX-License-Identifier: Apache-2.0
#pragma once
// Access log lines received over syslog (--listen-syslog udp://... or tcp://..., on the one
// io_context): nginx's `access_log syslog:server=127.0.0.1:5514,tag=shop combined;` or an
// rsyslog forwarding. Each sender tag named by `log = syslog:TAG` is a log of its own; with
// no tag named, every message counts under the log `syslog:`; else a message whose tag no
// log names is dropped (counted, and warned of at most once a minute), so that a sender
// cannot make logs at will. Nothing is checkpointed: what was sent while the daemon was
// down is the sender's to keep.
// What waited in the sockets while the daemon did not run (SIGSTOP, a paused VM, a loop held
// up) is a backlog, as a log's is after a stall: it counts by when each line was written, not
// in the second it is read, and the monitor's clock waits for it (keep_up).
//
// Lives in a shared_ptr; its handlers and its TCP sessions' hold it and do nothing once it
// is stopped.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/options.h"
#include "core/backfill.h"
#include "core/metric_counters.h"
#include "core/monitor.h"
#include "follow/followed_logs.h"
#include "follow/line_counter.h"
#include "rate_limiter.h"

namespace hitwatchd {

class SyslogInput : public std::enable_shared_from_this<SyslogInput> {
public:
    static constexpr std::size_t kMaxConnections = 256;

    // Binds every --listen-syslog address; throws std::runtime_error naming one that cannot be.
    static std::shared_ptr<SyslogInput> start(boost::asio::io_context& io, const Options& options,
                                              hitwatch::Monitor& monitor, hitwatch::MetricCounters* metrics,
                                              FollowedLogs::WallClock wall_clock, FollowedLogs::CatchUp catch_up);
    // A reload: the tags and their formats (the addresses need a restart), and the catch-up's
    // settings.
    void set_logs(const Options& options);
    void set_catch_up(FollowedLogs::CatchUp catch_up) { catch_up_ = catch_up; }
    // Each pass of the event loop, at `now`: messages that waited through a stall of the daemon
    // begin a catch-up, and once nothing waits it ends (what it counted is handed to the
    // monitor). True while one is on: the monitor's clock waits for it, as for a log's.
    bool keep_up(hitwatch::UnixSeconds now);
    bool catching_up() const { return backfill_.has_value(); }
    // The wall clock stepped: the time since the input last ran is no stall.
    void clock_stepped(hitwatch::UnixSeconds now) { last_ran_ = now; }
    // Hands on what a catch-up counted, then stops receiving.
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
    // Before and after the messages of one wake-up (datagrams, or a TCP read): the wall clock
    // they are read at, and whether the daemon ran in the interval before.
    void wake_up();
    void went_back_to_sleep() { last_ran_ = now_; }
    // One message (a datagram, or a TCP frame).
    void on_message(std::string_view message);
    // One too long for --max-line.
    void on_overlong();
    LineCounter* counter_for(std::string_view tag);
    // Whether a socket holds something not read yet.
    bool anything_waiting() const;
    // Longer than an interval since the input last ran, and no catch-up on: the daemon did not
    // run (a pass of the event loop looks every second), and what the sockets hold waited.
    bool stalled(hitwatch::UnixSeconds now) const {
        return !backfill_ && last_ran_ != 0 && now - last_ran_ > catch_up_.interval_s;
    }
    void begin_catch_up();
    // `last`: the catch-up ends with this part.
    void hand_on(bool last);

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
    FollowedLogs::WallClock wall_clock_;
    FollowedLogs::CatchUp catch_up_;
    hitwatch::UnixSeconds now_ = 0;       // when the messages being counted were read
    hitwatch::UnixSeconds last_ran_ = 0;  // when the input last read or looked (0: not yet)
    // A catch-up: the backlog counted so far, since when it was written, how many messages.
    std::optional<hitwatch::Backfill> backfill_;
    hitwatch::UnixSeconds backlog_from_ = 0;
    std::uint64_t late_messages_ = 0;
    std::uint64_t late_hits_ = 0;  // of the parts handed on already
    bool stopped_ = false;
};

}  // namespace hitwatchd
