#include "inotify_watcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "os/paths.h"

namespace hitwatchd {
namespace {

constexpr std::uint32_t kDirectoryEvents = IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_CREATE |
                                           IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_MOVE_SELF |
                                           IN_DELETE_SELF;

}  // namespace

InotifyWatcher::InotifyWatcher(boost::asio::io_context& io, OnChange on_change, OnFailure on_failure)
    : descriptor_(io), on_change_(std::move(on_change)), on_failure_(std::move(on_failure)) {}

bool InotifyWatcher::start(const std::vector<std::string>& paths, std::string& why) {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        why = std::string("inotify unavailable: ") + std::strerror(errno);
        return false;
    }
    descriptor_.assign(fd);
    names_.clear();
    failed_ = false;
    std::set<std::string> directories;
    for (const auto& path : paths) {
        directories.insert(hitwatch::directory_of(path));
        names_.push_back(hitwatch::file_name_of(path));
    }
    for (const auto& dir : directories) {
        if (::inotify_add_watch(fd, dir.c_str(), kDirectoryEvents) < 0) {
            why = "cannot watch " + dir + ": " + std::strerror(errno);
            if (errno == ENOSPC) why += " (inotify watch limit reached)";
            stop();
            return false;
        }
    }
    read_events();
    return true;
}

void InotifyWatcher::stop() {
    boost::system::error_code ignored;
    descriptor_.close(ignored);
}

bool InotifyWatcher::concerns_a_log(const char* name) const {
    for (const auto& log : names_) {
        if (std::strncmp(name, log.c_str(), log.size()) == 0) return true;
    }
    return false;
}

void InotifyWatcher::read_events() {
    descriptor_.async_read_some(boost::asio::buffer(buffer_), [this](boost::system::error_code ec, size_t n) {
        if (ec) {
            if (ec != boost::asio::error::operation_aborted && !failed_) {
                failed_ = true;
                on_failure_("cannot read inotify events: " + ec.message());
            }
            return;
        }
        bool relevant = false;
        for (size_t at = 0; at + sizeof(inotify_event) <= n;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer_ + at);
            if (event->mask & IN_Q_OVERFLOW) {
                failed_ = true;
                on_failure_("inotify event queue overflowed");
                return;
            }
            // Events on the directory itself (no name), or on a file named like a log.
            if (event->len == 0 || concerns_a_log(event->name)) relevant = true;
            at += sizeof(inotify_event) + event->len;
        }
        if (relevant) on_change_();
        read_events();
    });
}

}  // namespace hitwatchd
