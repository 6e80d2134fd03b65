#include "replay.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/monitor.h"
#include "line_counter.h"
#include "logging.h"
#include "os/posix_io.h"
#include "tail/line_assembler.h"

namespace hitwatchd {
namespace {

// Feeds lines to the monitor with the replay clock: the highest log time seen so far, so a
// line that Apache wrote late (with its request's start time) counts where the clock stands.
class ReplayFeed {
public:
    ReplayFeed(const Options& options, hitwatch::EventSink& sink, std::string source)
        : monitor_(settings(options), sink),
          counter_(monitor_, std::move(source), options.max_line, LineCounter::Clock::log_time) {}

    // The line number in the input is the count of lines so far.
    void line(std::string_view text) { counter_.count(text, counter_.lines() + 1); }
    void overlong() { counter_.count_overlong(counter_.lines() + 1); }

    void finish() {
        monitor_.flush_partial();
        HW_LOG(info) << "replayed " << counter_.lines() << " lines: " << monitor_.total_hits() << " hits, "
                     << counter_.invalid() << " invalid";
    }

private:
    static hitwatch::MonitorSettings settings(const Options& options) {
        hitwatch::MonitorSettings s = options.monitor;
        s.skip_quiet_gaps = true;
        return s;
    }

    hitwatch::Monitor monitor_;
    LineCounter counter_;
};

}  // namespace

int run_replay(const Options& options, hitwatch::EventSink& sink) {
    const bool from_stdin = options.replay == "-";
    const std::string source = from_stdin ? "standard input" : options.replay;
    const int fd = from_stdin ? STDIN_FILENO : ::open(options.replay.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        HW_LOG(error) << "cannot open " << source << ": " << std::strerror(errno);
        return 1;
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

    ReplayFeed feed(options, sink, source);
    hitwatch::LineAssembler lines(options.max_line);
    const auto on_line = [&](std::string_view text) { feed.line(text); };
    const auto on_overlong = [&] { feed.overlong(); };
    int status = 0;
    for (;;) {
        const auto space = lines.free_space();
        const ssize_t n = hitwatch::os::read_some(fd, space.data(), space.size());
        if (n < 0) {
            HW_LOG(error) << "cannot read " << source << ": " << std::strerror(errno);
            status = 1;
            break;
        }
        if (n == 0) break;
        lines.commit(static_cast<size_t>(n), on_line, on_overlong);
    }
    if (!lines.pending().empty()) feed.line(lines.pending());  // a last line with no newline
    lines.drop_pending();
    feed.finish();
    if (!from_stdin) ::close(fd);
    return status;
}

}  // namespace hitwatchd
