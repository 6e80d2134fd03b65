// SPDX-License-Identifier: Apache-2.0
#include "follow/change_source.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "logging.h"

namespace hitwatchd {
namespace {

constexpr std::uint32_t kDirectoryEvents = IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_CREATE | IN_MOVED_TO |
                                           IN_MOVED_FROM | IN_DELETE | IN_MOVE_SELF | IN_DELETE_SELF;

constexpr std::uint32_t kNameEvents = IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE;

}  // namespace

std::shared_ptr<ChangeSource> ChangeSource::start(boost::asio::io_context& io, WatchMode mode,
                                                  const std::vector<std::string>& directories,
                                                  std::vector<std::string> names, OnChange on_change) {
    std::shared_ptr<ChangeSource> source(new ChangeSource(io, std::move(on_change)));
    source->names_ = std::move(names);
    if (mode == WatchMode::poll) {
        HW_LOG(info) << "watching by stat polling every " << kPollPeriod.count() << " ms (--watch poll)";
        source->polling_ = true;
        source->poll_later();
        return source;
    }
    std::string why;
    if (!source->watch(directories, why)) source->fall_back_to_polling(why);
    return source;
}

ChangeSource::ChangeSource(boost::asio::io_context& io, OnChange on_change)
    : descriptor_(io), poll_timer_(io), coalesce_timer_(io), on_change_(std::move(on_change)) {}

ChangeSource::~ChangeSource() { close_parked(); }

void ChangeSource::close_parked() {
    if (parked_ >= 0) ::close(parked_);
    parked_ = -1;
}

void ChangeSource::stop() {
    stopped_ = true;
    boost::system::error_code ignored;
    descriptor_.close(ignored);
    close_parked();
    poll_timer_.cancel();
    coalesce_timer_.cancel();
}

void ChangeSource::rewatch(const std::vector<std::string>& directories, std::vector<std::string> names) {
    names_ = std::move(names);
    if (polling_ || stopped_) return;
    std::string why;
    if (!watch(directories, why)) fall_back_to_polling(why);
}

bool ChangeSource::watch(const std::vector<std::string>& directories, std::string& why) {
    boost::system::error_code ignored;
    descriptor_.close(ignored);
    close_parked();
    ++generation_;  // completions of the descriptor just closed are not ours any more
    reads_in_flight_ = 0;
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        why = std::string("inotify unavailable: ") + std::strerror(errno);
        return false;
    }
    descriptor_.assign(fd);
    for (const auto& dir : directories) {
        if (::inotify_add_watch(fd, dir.c_str(), kDirectoryEvents) < 0) {
            if (errno == ENOENT) continue;  // a directory that does not exist yet: the tick looks
            why = "cannot watch " + dir + ": " + std::strerror(errno);
            if (errno == ENOSPC) why += " (inotify watch limit reached)";
            descriptor_.close(ignored);
            return false;
        }
    }
    read_events(generation_);
    return true;
}

bool ChangeSource::concerns_a_log(const char* name) const {
    for (const auto& log : names_) {
        if (std::strncmp(name, log.c_str(), log.size()) == 0) return true;
    }
    return false;
}

void ChangeSource::read_events(unsigned generation) {
    ++reads_in_flight_;
    descriptor_.async_read_some(boost::asio::buffer(buffer_), [self = shared_from_this(), generation](
                                                                  boost::system::error_code ec, size_t n) {
        if (generation == self->generation_) --self->reads_in_flight_;
        if (self->stopped_ || generation != self->generation_) return;
        if (ec) return self->fall_back_to_polling("cannot read inotify events: " + ec.message());
        bool relevant = false;
        for (size_t at = 0; at + sizeof(inotify_event) <= n;) {
            const auto* event = reinterpret_cast<const inotify_event*>(self->buffer_ + at);
            if (event->mask & IN_Q_OVERFLOW) return self->fall_back_to_polling("inotify event queue overflowed");
            // Events on the directory itself (no name), or on a file named like a log.
            if (event->len == 0 || self->concerns_a_log(event->name)) {
                relevant = true;
                if (event->mask & kNameEvents) {
                    ++self->name_events_;
                    self->eager_until_ = std::chrono::steady_clock::now() + kEager;
                }
            }
            at += sizeof(inotify_event) + event->len;
        }
        if (relevant && std::chrono::steady_clock::now() >= self->eager_until_) return self->change_after_a_while(generation);
        if (relevant) self->on_change_();
        if (self->stopped_ || generation != self->generation_) return;  // on_change_ may have rewatched
        self->read_events(generation);
    });
}

void ChangeSource::change_after_a_while(unsigned generation) {
    parked_ = descriptor_.release();  // no read in flight: this handler's has completed
    coalesce_timer_.expires_after(kCoalesce);
    coalesce_timer_.async_wait([self = shared_from_this(), generation](boost::system::error_code) {
        // A rewatch meanwhile (a reload) has its own read, and the reload reads the logs.
        if (self->stopped_ || generation != self->generation_) return;
        boost::system::error_code ec;
        self->descriptor_.assign(self->parked_, ec);
        if (ec) return self->fall_back_to_polling("cannot watch the inotify descriptor: " + ec.message());
        self->parked_ = -1;
        self->on_change_();
        if (self->stopped_ || generation != self->generation_) return;  // on_change_ may have rewatched
        self->read_events(generation);
    });
}

void ChangeSource::fall_back_to_polling(const std::string& why) {
    if (polling_ || stopped_) return;
    HW_LOG(warning) << why << "; falling back to stat polling every " << kPollPeriod.count() << " ms";
    boost::system::error_code ignored;
    descriptor_.close(ignored);
    close_parked();
    ++generation_;
    reads_in_flight_ = 0;
    polling_ = true;
    poll_later();
    ++name_events_;
    on_change_();  // whatever the lost events were about
}

void ChangeSource::poll_later() {
    poll_timer_.expires_after(kPollPeriod);
    poll_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (self->stopped_ || ec) return;
        self->on_change_();
        self->poll_later();
    });
}

}  // namespace hitwatchd
