#pragma once
// Tells when something happens to the files in the logs' directories: appends, rotation,
// truncation, deletion. One inotify descriptor read asynchronously on the event loop.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>
#include <string>
#include <vector>

namespace hitwatchd {

class InotifyWatcher {
public:
    using OnChange = std::function<void()>;
    // Called once when inotify can no longer be trusted (queue overflow, watch limit).
    using OnFailure = std::function<void(const std::string& why)>;

    InotifyWatcher(boost::asio::io_context& io, OnChange on_change, OnFailure on_failure);

    // Starts watching the directories of `paths` for events on files named like them;
    // false with `why` set if inotify is unavailable.
    bool start(const std::vector<std::string>& paths, std::string& why);
    void stop();

private:
    void read_events();
    bool concerns_a_log(const char* name) const;

    boost::asio::posix::stream_descriptor descriptor_;
    OnChange on_change_;
    OnFailure on_failure_;
    std::vector<std::string> names_;  // base names of the logs
    alignas(8) char buffer_[64 * 1024];
    bool failed_ = false;
};

}  // namespace hitwatchd
