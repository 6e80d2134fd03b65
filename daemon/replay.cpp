#include "replay.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "invalid_line_log.h"
#include "line_assembler.h"
#include "logging.h"
#include "monitor.h"

namespace hitwatchd {
namespace {

// Feeds lines to the monitor with the replay clock: the highest log time seen so far, so a
// line that Apache wrote late (with its request's start time) counts where the clock stands.
class ReplayFeed {
public:
    ReplayFeed(const Options& options, hitwatch::EventSink& sink, std::string source)
        : monitor_(settings(options), sink), invalid_log_(std::move(source)), max_line_(options.max_line) {}

    void line(std::string_view text) {
        ++line_number_;
        const hitwatch::ParseResult parsed = hitwatch::parse_line(text);
        if (parsed.ok()) {
            monitor_.advance_to(parsed.line.time);
        } else if (parsed.error != hitwatch::ParseError::blank) {
            invalid_log_.note(line_number_, parsed.error, text);
            ++invalid_;
        }
        monitor_.record(parsed);
    }

    void overlong() {
        ++line_number_;
        invalid_log_.note_overlong(line_number_, max_line_);
        monitor_.record_invalid();
        ++invalid_;
    }

    void finish() {
        monitor_.flush_partial();
        HW_LOG(info) << "replayed " << line_number_ << " lines: " << monitor_.total_hits()
                     << " hits, " << invalid_ << " invalid";
    }

private:
    static hitwatch::MonitorSettings settings(const Options& options) {
        hitwatch::MonitorSettings s = options.monitor;
        s.skip_quiet_gaps = true;
        return s;
    }

    hitwatch::Monitor monitor_;
    InvalidLineLog invalid_log_;
    size_t max_line_;
    std::uint64_t line_number_ = 0;
    std::uint64_t invalid_ = 0;
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
        const ssize_t n = ::read(fd, space.data(), space.size());
        if (n < 0 && errno == EINTR) continue;
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
