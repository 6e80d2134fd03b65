#include "followed_logs.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "line_counter.h"
#include "logging.h"
#include "os/log_glob.h"
#include "os/posix_io.h"

namespace hitwatchd {

namespace {

// "Long ago": a log never read, whose every line counts by its own time.
constexpr hitwatch::UnixSeconds kLongAgo = -(1LL << 40);

// Where the symlink `path` leads, through any symlinks after it, whether that exists or
// not; empty if `path` is no symlink.
std::string symlink_target(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path at = path;
    for (int hop = 0; hop < 8 && fs::is_symlink(fs::symlink_status(at, ec)); ++hop) {
        const fs::path next = fs::read_symlink(at, ec);
        if (ec) return {};
        at = (next.is_absolute() ? next : at.parent_path() / next).lexically_normal();
    }
    return at == fs::path(path) ? std::string() : at.string();
}

// A glob's match that the last run did not know, created after its last report: the last
// run would have followed it from its start had it seen it.
bool created_since(const hitwatchd::LogPath& log, hitwatch::UnixSeconds reported_until) {
    if (!log.matched || reported_until == kLongAgo) return false;  // no last run
    const auto born = hitwatch::birth_time(log.path);
    return born && *born >= reported_until;
}

}  // namespace

// One followed log: its tail, its counter, what it counted this interval, and its catch-up.
struct FollowedLogs::Log : hitwatch::TailListener {
    Log(const std::string& path, const Reading& reading, std::size_t max_line, hitwatch::Monitor& monitor)
        : tail(path, max_line), counter(monitor, path, max_line, LineCounter::Clock::arrival, reading) {}

    void on_line(std::string_view text, std::uint64_t line_number) override {
        // `auto` chooses by the log's first lines, from its start (this one if it was emptied).
        if (!counter.format_decided()) {
            const std::string head = hitwatch::os::read_head(tail.path(), 64 * 1024);
            counter.detect_format(head.empty() ? text : std::string_view(head), matched);
        }
        if (counter.not_an_access_log()) return;  // a glob's error.log
        if (!backfill) {
            hits += counter.count(text, line_number);
        } else {
            if (late_lines++ == 0) announce_late();
            counter.count_late(text, line_number, *backfill, caught_up_at, now);
        }
        if (metrics != nullptr) metrics->count(counter.last_parsed());
    }
    void on_overlong(std::uint64_t line_number) override {
        if (counter.not_an_access_log()) return;
        if (metrics != nullptr) metrics->count_overlong();
        if (!backfill) return counter.count_overlong(line_number);
        if (late_lines++ == 0) announce_late();
        counter.count_overlong_late(line_number, *backfill);
    }
    void on_notice(Level level, const std::string& message) override {
        // A glob's match that goes (old logs cleaned up, renamed away) is news, not a warning.
        if (matched && level == Level::warning && tail.state() == hitwatch::LogTail::State::waiting) level = Level::info;
        switch (level) {
            case Level::info: HW_LOG(info) << message; break;
            case Level::warning: HW_LOG(warning) << message; break;
            case Level::error: HW_LOG(error) << message; break;
        }
    }
    // The first line read late: the log has fallen behind.
    void announce_late() const {
        if (caught_up_at == kLongAgo) {
            HW_LOG(info) << "reading " << tail.path() << " from its start: its lines count by when they were "
                         << "written, those before this run in reports marked backfill";
        } else {
            HW_LOG(warning) << tail.path() << " is " << now - caught_up_at << " s behind (the daemon was stopped, "
                            << "stalled or slow): its backlog counts by when it was written, the part written "
                            << "before this run in reports marked backfill";
        }
    }

    hitwatch::LogTail tail;
    LineCounter counter;
    std::uint64_t hits = 0;  // this interval
    std::uint64_t rotations_before = 0;  // in the intervals reported
    bool matched = false;  // by a glob: dropped once gone
    hitwatch::MetricCounters* metrics = nullptr;  // lines also count here (HTTP on)
    std::optional<Clock::time_point> not_reading_since;
    std::optional<Clock::time_point> warned;  // last health warning
    hitwatch::UnixSeconds caught_up_at = kLongAgo;  // when last read to its end
    hitwatch::UnixSeconds now = 0;                  // of the read pass in progress
    // Catching up: the backlog read so far, how many lines, and where the state file keeps
    // the log meanwhile.
    std::optional<hitwatch::Backfill> backfill;
    std::uint64_t late_lines = 0;
    hitwatch::SavedLog before_catch_up;
};

namespace {

// A log's state as reports name it: a path that is no log file cannot be read either.
const char* report_state(hitwatch::LogTail::State state) {
    return state == hitwatch::LogTail::State::not_a_log ? "unreadable" : hitwatch::name_of(state).data();
}

}  // namespace

FollowedLogs::FollowedLogs(hitwatch::Monitor& monitor, CatchUp catch_up) : monitor_(monitor), catch_up_(catch_up) {}
FollowedLogs::~FollowedLogs() = default;

std::unique_ptr<FollowedLogs::Log> FollowedLogs::start(const LogPath& path, const Reading& reading,
                                                        std::size_t max_line) {
    auto log = std::make_unique<Log>(path.path, reading, max_line, monitor_);
    log->metrics = metrics_;
    log->matched = path.matched;
    return log;
}

void FollowedLogs::follow(const std::vector<LogPath>& paths, const ReadingOf& reading_of,
                          const hitwatch::Checkpoint& saved, bool from_start, std::size_t max_line,
                          Clock::time_point now, hitwatch::UnixSeconds wall_now) {
    std::vector<std::unique_ptr<Log>> kept;
    for (auto& log : logs_) {
        const auto listed = std::find_if(paths.begin(), paths.end(), [&](const LogPath& p) { return p.path == log->tail.path(); });
        if (listed != paths.end()) {
            const Reading reading = reading_of(log->tail.path());
            if (reading.format != log->counter.reading().format) {
                HW_LOG(info) << log->tail.path() << ": format now " << reading.format;
            }
            log->counter.set_reading(reading);
            log->matched = listed->matched;
            kept.push_back(std::move(log));
        } else {
            HW_LOG(info) << "no longer following " << log->tail.path();
            if (log->backfill) end_catch_up(*log, wall_now);  // what it read counts before it goes
            if (!log->matched) stopped_.push_back({log->tail.save(), std::min(log->caught_up_at, wall_now)});
        }
    }
    // The previous run counted what it read by its last report; a state file of an older
    // version says when it was saved, at least for its alert window.
    const hitwatch::UnixSeconds reported_until = saved.reported_until ? *saved.reported_until
                                                 : saved.alert             ? saved.alert->saved_at
                                                                           : kLongAgo;
    NotNew not_new;
    for (const auto& listed : paths) {
        const std::string& path = listed.path;
        const auto followed = [&](const auto& log) { return log->tail.path() == path; };
        if (std::any_of(kept.begin(), kept.end(), followed)) continue;
        if (listed.matched && this->not_new(path, kept, false, now, not_new)) continue;  // a rotation
        if (following_) HW_LOG(info) << "now following " << path;
        auto log = start(listed, reading_of(path), max_line);
        const auto earlier = std::find_if(stopped_.begin(), stopped_.end(), [&](const auto& s) { return s.log.path == path; });
        if (earlier != stopped_.end()) {
            const Stopped resume = *earlier;
            stopped_.erase(earlier);
            log->caught_up_at = resume.at;
            log->tail.start(&resume.log, from_start, now, *log);
        } else if (const hitwatch::SavedLog* resume = saved.find(path)) {
            log->caught_up_at = std::min(reported_until, wall_now);
            log->tail.start(resume, from_start, now, *log);
        } else if (created_since(listed, reported_until)) {
            // A glob's match created while the daemon was down: all of it is new since then.
            HW_LOG(info) << path << " matches a log glob and was created since the last run: reading it from its start";
            log->caught_up_at = std::min(reported_until, wall_now);
            log->tail.start(nullptr, true, now, *log);
        } else {
            // First met: at its end there is nothing old to read; from its start, all is old.
            log->caught_up_at = from_start ? kLongAgo : wall_now;
            log->tail.start(nullptr, from_start, now, *log);
        }
        kept.push_back(std::move(log));
    }
    logs_ = std::move(kept);
    not_new_ = std::move(not_new);
    following_ = true;
}

bool FollowedLogs::rematch(const std::vector<LogPath>& paths, const ReadingOf& reading_of, std::size_t max_line,
                           Clock::time_point now, hitwatch::UnixSeconds wall_now) {
    bool changed = false;
    for (auto it = logs_.begin(); it != logs_.end();) {
        Log& log = **it;
        const bool listed =
            std::any_of(paths.begin(), paths.end(), [&](const LogPath& p) { return p.path == log.tail.path(); });
        if (listed || !log.matched || !log.tail.idle()) {
            ++it;
            continue;
        }
        if (log.backfill) end_catch_up(log, wall_now);
        HW_LOG(info) << log.tail.path() << " is gone and was read to its end; no longer following it";
        gone_.push_back(std::move(*it));  // in this interval's report, as "gone"
        it = logs_.erase(it);
        changed = true;
    }
    NotNew not_new;
    for (const auto& listed : paths) {
        const auto followed = [&](const auto& log) { return log->tail.path() == listed.path; };
        if (!listed.matched || std::any_of(logs_.begin(), logs_.end(), followed)) continue;
        if (this->not_new(listed.path, logs_, true, now, not_new)) continue;
        HW_LOG(info) << "now following " << listed.path << ", new: from its start";
        auto log = start(listed, reading_of(listed.path), max_line);
        // Created since the last look: all of it was written from then on.
        log->caught_up_at = wall_now;
        log->tail.start(nullptr, true, now, *log);
        logs_.push_back(std::move(log));
        changed = true;
    }
    not_new_ = std::move(not_new);  // those gone, or naming another file now, forgotten
    return changed;
}

bool FollowedLogs::not_new(const std::string& path, const std::vector<std::unique_ptr<Log>>& logs, bool appeared,
                           Clock::time_point at, NotNew& now) const {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        // A symlink to a followed log that points nowhere now: that log between its rotation's
        // rename and create, not a new log (once the log is back, match_logs leaves it out).
        const std::string target = symlink_target(path);
        const auto followed = [&](const auto& log) { return log->tail.path() == target; };
        return !target.empty() && std::any_of(logs.begin(), logs.end(), followed);
    }
    const std::pair<std::uint64_t, std::uint64_t> file{st.st_dev, st.st_ino};
    const auto known = not_new_.rotations.find(path);
    if (known != not_new_.rotations.end() && known->second == file) {
        now.rotations.insert(*known);
        return true;
    }
    const auto reader = std::find_if(logs.begin(), logs.end(),
                                     [&](const auto& log) { return log->tail.reads(file.first, file.second); });
    if (reader != logs.end()) {
        HW_LOG(info) << path << " is " << (*reader)->tail.path() << " rotated (the same file): read as that log's "
                     << "rotation, not as a new log";
        now.rotations.emplace(path, file);
        return true;
    }
    // A copy of a file a followed log reads: its first bytes are that file's. Only for a file
    // that appeared while running: at a start or reload two logs may begin alike (the same
    // health checks at the same second), and each has its own place to resume.
    if (!appeared) return false;
    const std::string head = hitwatch::os::read_head(path, hitwatch::FileIdentity::kHeadBytes);
    const Log* original = nullptr;
    std::uint64_t read = 0;
    if (!head.empty()) {
        for (const auto& log : logs) {
            if (const auto r = log->tail.read_of_file_starting(head)) {
                original = log.get();
                read = *r;
                break;
            }
        }
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    // Settled: the same size for a second (two looks close together say nothing).
    const auto last = not_new_.growing.find(path);
    const bool same = last != not_new_.growing.end() && last->second.bytes == size;
    if (!(same && at - last->second.since >= std::chrono::seconds(1)) && (head.empty() || original != nullptr)) {
        now.growing.emplace(path, same ? last->second : NotNew::Size{size, at});
        return true;
    }
    // Whole now: a copy if its first KiB is the file's (not a few lines two logs may share)
    // and it is as long as what was read of that file.
    if (original == nullptr || head.size() < hitwatch::FileIdentity::kHeadBytes || size < read) return false;
    HW_LOG(info) << path << " is a copy of " << original->tail.path() << " (its first bytes, as long as what was read "
                 << "of it): not a new log";
    now.rotations.emplace(path, file);
    return true;
}

std::size_t FollowedLogs::catch_up_if_behind(hitwatch::UnixSeconds wall_now) {
    std::size_t catching_up = 0;
    for (auto& log : logs_) {
        if (!log->backfill && wall_now - log->caught_up_at > catch_up_.interval_s) {
            log->before_catch_up = log->tail.save();
            log->late_lines = 0;
            log->backfill.emplace(catch_up_.interval_s, catch_up_.max_sections, wall_now - catch_up_.max_backfill_s,
                                  wall_now - catch_up_.window_s);
        }
        // One that cannot be read has nothing to catch up with yet.
        if (log->backfill && log->tail.state() == hitwatch::LogTail::State::reading) ++catching_up;
    }
    return catching_up;
}

void FollowedLogs::clock_stepped(hitwatch::UnixSeconds wall_now) {
    for (auto& log : logs_) {
        if (!log->backfill && log->caught_up_at != kLongAgo) log->caught_up_at = wall_now;
    }
}

bool FollowedLogs::pump(std::size_t budget, Clock::time_point now, hitwatch::UnixSeconds wall_now) {
    catch_up_if_behind(wall_now);
    bool all_read = true;
    for (auto& log : logs_) {
        log->now = wall_now;
        const bool read_all = log->tail.pump(budget, now, *log);
        all_read &= read_all;
        // Read to its end (or nothing there to read): what comes next was written from now on.
        const auto state = log->tail.state();
        if (!read_all || (state != hitwatch::LogTail::State::reading && state != hitwatch::LogTail::State::waiting)) continue;
        log->caught_up_at = wall_now;
        if (log->backfill) end_catch_up(*log, wall_now);
    }
    return all_read;
}

void FollowedLogs::end_catch_up(Log& log, hitwatch::UnixSeconds wall_now) {
    const hitwatch::Backfill backfill = std::move(*log.backfill);
    log.backfill.reset();  // live from here on, and in the state file where it is now
    if (log.late_lines == 0) return;
    hitwatch::LiveFigures figures;
    figures.logs.push_back({log.tail.path(), 0, 0, 0, "reading", ""});
    monitor_.add_backfill(backfill, figures);
    HW_LOG(info) << log.tail.path() << " caught up at " << hitwatch::format_iso8601(wall_now) << ": " << log.late_lines
                 << " lines read late (" << backfill.hits() << " hits), counted by when they were written";
}

std::vector<hitwatch::SavedLog> FollowedLogs::positions() const {
    std::vector<hitwatch::SavedLog> all;
    for (const auto& log : logs_) all.push_back(log->backfill ? log->before_catch_up : log->tail.save());
    for (const auto& stopped : stopped_) all.push_back(stopped.log);
    return all;
}

hitwatch::LiveFigures FollowedLogs::take_figures() {
    hitwatch::LiveFigures live;
    for (auto& log : logs_) add_figures(*log, report_state(log->tail.state()), live);
    for (auto& log : gone_) add_figures(*log, "gone", live);
    gone_.clear();
    return live;
}

void FollowedLogs::add_figures(Log& log, const char* state, hitwatch::LiveFigures& live) {
    const std::uint64_t lag = log.tail.lag_bytes();
    const std::uint64_t lost = log.tail.take_lost_bytes();
    live.lag_bytes += lag;
    live.lost_bytes += lost;
    const std::uint64_t rotations = log.tail.take_rotations();
    live.rotations += rotations;
    log.rotations_before += rotations;
    live.truncations += log.tail.take_truncations();
    const bool healthy = log.tail.state() == hitwatch::LogTail::State::reading || std::string_view(state) == "gone";
    live.unhealthy += healthy ? 0 : 1;
    live.logs.push_back({log.tail.path(), std::exchange(log.hits, 0), lag, lost, state, healthy ? std::string() : log.tail.error()});
}

std::vector<std::string> FollowedLogs::directories() const {
    std::vector<std::string> all;
    for (const auto& log : logs_) {
        for (auto& dir : log->tail.directories()) {
            if (std::find(all.begin(), all.end(), dir) == all.end()) all.push_back(std::move(dir));
        }
    }
    return all;
}

std::vector<std::string> FollowedLogs::file_names() const {
    std::vector<std::string> all;
    for (const auto& log : logs_) {
        for (auto& name : log->tail.file_names()) all.push_back(std::move(name));
    }
    return all;
}

std::size_t FollowedLogs::check_health(Clock::time_point now, Clock::duration after, Clock::duration repeat) {
    std::size_t unhealthy = 0;
    for (auto& log : logs_) {
        if (log->tail.state() == hitwatch::LogTail::State::reading) {
            if (log->warned) HW_LOG(info) << log->tail.path() << " is being read again";
            log->not_reading_since.reset();
            log->warned.reset();
            continue;
        }
        ++unhealthy;
        if (!log->not_reading_since) log->not_reading_since = now;
        if (now - *log->not_reading_since < after || (log->warned && now - *log->warned < repeat)) continue;
        log->warned = now;
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - *log->not_reading_since).count();
        HW_LOG(warning) << log->tail.path() << " has not been read for " << seconds << " s ("
                        << report_state(log->tail.state()) << ": " << log->tail.error() << "); its reports show 0 hits";
    }
    return unhealthy;
}

std::size_t FollowedLogs::count(hitwatch::LogTail::State state) const {
    return static_cast<std::size_t>(
        std::count_if(logs_.begin(), logs_.end(), [state](const auto& log) { return log->tail.state() == state; }));
}

std::uint64_t FollowedLogs::lines() const {
    std::uint64_t lines = 0;
    for (const auto& log : logs_) lines += log->counter.lines();
    return lines;
}

InvalidCounts FollowedLogs::invalid_counts() const {
    InvalidCounts counts{};
    for (const auto& log : logs_) {
        for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += log->counter.invalid_lines().counts()[i];
    }
    return counts;
}

std::vector<hitwatch::LogMetrics> FollowedLogs::log_metrics() const {
    std::vector<hitwatch::LogMetrics> all;
    for (const LogStatus& log : status()) all.push_back({log.path, log.rotations, log.lag_bytes, log.state == "reading"});
    return all;
}

std::vector<FollowedLogs::LogStatus> FollowedLogs::status() const {
    std::vector<LogStatus> all;
    for (const auto& log : logs_) {
        LogStatus s;
        s.path = log->tail.path();
        s.state = report_state(log->tail.state());
        if (log->tail.state() != hitwatch::LogTail::State::reading) s.error = log->tail.error();
        const hitwatch::SavedLog saved = log->tail.save();
        if (!saved.files.empty()) {
            const hitwatch::SavedFile& current = saved.files.back();
            s.device = current.identity.device;
            s.inode = current.identity.inode;
            s.offset = current.offset;
            s.size = current.size.value_or(current.offset);
        }
        s.lag_bytes = log->tail.lag_bytes();
        s.rotations = log->rotations_before + log->tail.rotations();
        all.push_back(std::move(s));
    }
    return all;
}

bool FollowedLogs::catching_up() const {
    return std::any_of(logs_.begin(), logs_.end(), [](const auto& log) { return log->backfill.has_value(); });
}

std::uint64_t FollowedLogs::lag_bytes() const {
    std::uint64_t lag = 0;
    for (const auto& log : logs_) lag += log->tail.lag_bytes();
    return lag;
}

}  // namespace hitwatchd
