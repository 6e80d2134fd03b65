// SPDX-License-Identifier: Apache-2.0
#pragma once
// Tells when something may have happened to the logs: inotify on their directories for names
// (every kind of rotation shows there) and on the files there named like a log for writes (a
// busy file beside a quiet log wakes nothing: read as they came, its events cost 6-16 us of
// CPU each), or stat polling every 250 ms (--watch poll, and from the moment inotify fails or
// its queue overflows). Lives in a shared_ptr; its handlers hold it and do nothing once it is
// stopped, and a completion of an earlier watch set (before a reload) is recognized and
// dropped, so there is only ever one read in flight.
//
// Wake-ups are coalesced: after an event the descriptor is left unread for kCoalesce, and
// out of the event loop (Asio's epoll is edge-triggered: each event the kernel queues would
// wake it, and events on two files, access.log and other_vhosts_access.log, never merge),
// and then the logs are read once for all of them. A server writing each request with its
// own write(2) (nginx without `buffer=`, Apache) so costs 50 wake-ups a second, not one per
// request; reports and the alert clock count whole seconds, so 20 ms later costs nothing.
// But for kEager after a name event (a file created, renamed or deleted: a rotation under
// way) every event is looked at at once: logrotate's copytruncate makes its copy, then
// truncates the log, and a writer may fill it past its old size within 20 ms; seen only then,
// with the same first lines, the truncation would pass for growth and the new lines' start
// would be lost.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/options.h"

namespace hitwatchd {

class ChangeSource : public std::enable_shared_from_this<ChangeSource> {
public:
    static constexpr auto kPollPeriod = std::chrono::milliseconds(250);
    static constexpr auto kCoalesce = std::chrono::milliseconds(20);
    static constexpr auto kEager = std::chrono::seconds(1);
    using OnChange = std::function<void()>;

    // Watches `directories` for events on files whose names start with one of `names`.
    static std::shared_ptr<ChangeSource> start(boost::asio::io_context& io, WatchMode mode,
                                               const std::vector<std::string>& directories,
                                               std::vector<std::string> names, OnChange on_change);
    // Another set of directories and names (a reload).
    void rewatch(const std::vector<std::string>& directories, std::vector<std::string> names);
    void stop();
    bool polling() const { return polling_; }
    // Reads of the current inotify descriptor started and not completed yet: never more
    // than one.
    int reads_in_flight() const { return reads_in_flight_; }
    // How many times a file concerning the logs was created, deleted or renamed (or events
    // were lost): a glob may match other files now.
    std::uint64_t name_events() const { return name_events_; }

    ~ChangeSource();
    ChangeSource(const ChangeSource&) = delete;
    ChangeSource& operator=(const ChangeSource&) = delete;

private:
    ChangeSource(boost::asio::io_context& io, OnChange on_change);
    void close_parked();
    bool watch(const std::vector<std::string>& directories, std::string& why);
    // Watches writes to `name` in `dir` if it is named like a log; false (and why) only when
    // the user's inotify watch limit is reached.
    bool watch_file(const std::string& dir, const std::string& name, std::string& why);
    const std::string* directory_of(int wd) const;  // a watched directory's path, or null
    void read_events(unsigned generation);
    void change_after_a_while(unsigned generation);
    bool concerns_a_log(const char* name) const;
    void fall_back_to_polling(const std::string& why);
    void poll_later();

    boost::asio::posix::stream_descriptor descriptor_;
    boost::asio::steady_timer poll_timer_;
    boost::asio::steady_timer coalesce_timer_;
    OnChange on_change_;
    std::vector<std::string> names_;
    std::vector<std::pair<int, std::string>> directories_;  // watch descriptor, path
    unsigned generation_ = 0;  // of the inotify descriptor being read
    int reads_in_flight_ = 0;
    std::uint64_t name_events_ = 0;
    std::chrono::steady_clock::time_point eager_until_{};  // after a name event: no coalescing
    bool polling_ = false;
    bool stopped_ = false;
    int parked_ = -1;  // the inotify descriptor while a coalescing wait lasts, out of the loop
    alignas(8) char buffer_[64 * 1024];
};

}  // namespace hitwatchd
