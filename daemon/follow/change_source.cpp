// SPDX-License-Identifier: Apache-2.0
#include "follow/change_source.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "logging.h"

namespace hitwatchd {
namespace {

// A directory is watched for its names; writes are watched on the files named like a log
// (a write to any other file in the directory then wakes nothing). IN_ATTRIB stays on the
// directory: a log made readable by chmod can be watched only then.
constexpr std::uint32_t kDirectoryEvents =
    IN_ATTRIB | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_MOVE_SELF | IN_DELETE_SELF;
constexpr std::uint32_t kFileEvents = IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB;

constexpr std::uint32_t kNameEvents = IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE;

// Rotated copies compressed are never written again: no watch (each counts against the
// user's inotify watch limit, and logrotate may keep 52 of them a log).
bool compressed(const std::string_view name) {
    for (const std::string_view ending : {".gz", ".bz2", ".xz", ".zst", ".Z", ".lz4"}) {
        if (name.size() > ending.size() && name.substr(name.size() - ending.size()) == ending) return true;
    }
    return false;
}

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
    directories_.clear();
    for (const auto& dir : directories) {
        const int wd = ::inotify_add_watch(fd, dir.c_str(), kDirectoryEvents);
        if (wd < 0) {
            if (errno == ENOENT) continue;  // a directory that does not exist yet: the tick looks
            why = "cannot watch " + dir + ": " + std::strerror(errno);
            if (errno == ENOSPC) why += " (inotify watch limit reached)";
            descriptor_.close(ignored);
            return false;
        }
        directories_.emplace_back(wd, dir);
        // The files there now; a file named later is watched when its name event is read.
        std::error_code error;  // (a listing cut short: the tick reads what it missed)
        for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
            if (it->is_directory(error)) continue;  // a watched directory's mask would be replaced
            if (!watch_file(dir, it->path().filename().string(), why)) {
                descriptor_.close(ignored);
                return false;
            }
        }
    }
    read_events(generation_);
    return true;
}

bool ChangeSource::watch_file(const std::string& dir, const std::string& name, std::string& why) {
    if (!concerns_a_log(name.c_str()) || compressed(name)) return true;
    const std::string path = dir + "/" + name;
    if (::inotify_add_watch(descriptor_.native_handle(), path.c_str(), kFileEvents) >= 0) return true;
    // Gone already (its name event follows), or unreadable (so not read either; a chmod shows
    // on the directory): the logs read it as they can.
    if (errno != ENOSPC) return true;
    why = "cannot watch " + path + ": inotify watch limit reached";
    return false;
}

const std::string* ChangeSource::directory_of(int wd) const {
    for (const auto& [watch, dir] : directories_) {
        if (watch == wd) return &dir;
    }
    return nullptr;
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
            // Events on a directory itself or a watched file (no name), or a log's name.
            if (event->len == 0 || self->concerns_a_log(event->name)) {
                relevant = true;
                if (event->mask & kNameEvents) {
                    ++self->name_events_;
                    self->eager_until_ = std::chrono::steady_clock::now() + kEager;
                }
                const std::string* dir = event->len ? self->directory_of(event->wd) : nullptr;
                std::string why;
                if (dir && (event->mask & (IN_CREATE | IN_MOVED_TO | IN_ATTRIB)) && !(event->mask & IN_ISDIR) &&
                    !self->watch_file(*dir, event->name, why)) {
                    return self->fall_back_to_polling(why);
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
