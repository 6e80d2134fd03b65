// SPDX-License-Identifier: Apache-2.0
#include "follow/followed_logs.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "follow/follow_decisions.h"
#include "follow/line_counter.h"
#include "logging.h"
#include "os/log_glob.h"
#include "os/posix_io.h"

namespace hitwatchd {

namespace {

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

}  // namespace

// One followed log: its tail, its counter, what it counted this interval, and its catch-up.
struct FollowedLogs::Log : hitwatch::TailListener {
    Log(const std::string& path, const Reading& reading, std::size_t max_line, hitwatch::Monitor& monitor)
        : tail(path, max_line), counter(monitor, path, max_line, LineCounter::Clock::arrival, reading) {}

    void on_line(std::string_view text, std::uint64_t line_number) override {
        // `auto` chooses by the log's first lines, from its start (this one if it was emptied).
        if (counter.needs_head()) {
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
    void on_read() override {
        // What was just read may have been written during a stall since the pass began.
        if (wall_clock == nullptr) return;
        now = (*wall_clock)();
        owner->catch_up_if_behind(*this, now);
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
    void on_late_file() override {
        // Its lines were written a while ago: they count by when, as a backlog.
        caught_up_at = kLongAgo;
        late_file = true;
    }
    // The first line read late: the log has fallen behind.
    void announce_late() const {
        if (late_file) {
            HW_LOG(info) << tail.path() << ": its rotated file is read late; its lines count by when they were written";
        } else if (caught_up_at == kLongAgo) {
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
    hitwatch::UnixSeconds now = 0;                  // of the read pass in progress, or its last read
    FollowedLogs* owner = nullptr;
    const WallClock* wall_clock = nullptr;  // while a pass reads it
    // Catching up: the backlog read so far, how many lines, and where the state file keeps
    // the log meanwhile.
    std::optional<hitwatch::Backfill> backfill;
    std::uint64_t late_lines = 0;
    hitwatch::SavedLog before_catch_up;
    bool late_file = false;  // the catch-up is a rotated file's that could not be read before
    std::uint64_t late_hits = 0;  // of the parts of the backlog handed on already
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
    log->tail.set_olddirs(olddirs_);
    log->matched = path.matched;
    log->owner = this;
    return log;
}

void FollowedLogs::set_olddirs(const std::vector<std::string>& olddirs) {
    olddirs_ = olddirs;
    for (auto& log : logs_) log->tail.set_olddirs(olddirs);
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
            // Kept, a glob's match too, should a later reload list it again: it resumes where
            // it was, not where the state file had it at the start. Its hits of this interval
            // are still this interval's.
            stopped_.push_back({log->tail.save(), std::min(log->caught_up_at, wall_now)});
            stopped_hits_[log->tail.path()] += log->hits;
        }
    }
    // The previous run counted what it read by its last report; a state file of an older
    // version says when it was saved, at least for its alert window.
    const std::optional<hitwatch::UnixSeconds> reported_until =
        saved.reported_until ? saved.reported_until
                             : saved.alert ? std::optional<hitwatch::UnixSeconds>(saved.alert->saved_at) : std::nullopt;
    NotNew not_new;
    hitwatch::BackupListings listings;
    for (const auto& listed : paths) {
        const std::string& path = listed.path;
        const auto followed = [&](const auto& log) { return log->tail.path() == path; };
        if (std::any_of(kept.begin(), kept.end(), followed)) continue;
        if (listed.matched && this->not_new(path, kept, false, now, not_new)) continue;  // a rotation
        if (following_) HW_LOG(info) << "now following " << path;
        auto log = start(listed, reading_of(path), max_line);
        const auto earlier = std::find_if(stopped_.begin(), stopped_.end(), [&](const auto& s) { return s.log.path == path; });
        // The checkpoint loaded at the start no longer speaks for a log followed since: what
        // this run knows of it is newer (stopped_, or gone and now a new file).
        const hitwatch::SavedLog* resume = followed_this_run_.count(path) != 0 ? nullptr : saved.find(path);
        StartFacts facts;
        facts.stopped_earlier = earlier != stopped_.end();
        if (facts.stopped_earlier) facts.stopped_at = earlier->at;
        facts.saved = resume != nullptr;
        facts.saved_read = resume && std::any_of(resume->files.begin(), resume->files.end(), [](const auto& f) { return !f.unread; });
        if (resume) facts.saved_catching_up_from = resume->catching_up_from;
        facts.reported_until = reported_until;
        facts.matched = listed.matched;
        if (listed.matched) facts.born = hitwatch::birth_time(path);
        facts.from_start = from_start;
        facts.now = wall_now;
        const StartPlan plan = plan_start(facts);
        log->caught_up_at = plan.caught_up_at;
        if (plan.created_while_down) {
            HW_LOG(info) << path << " matches a log glob and was created since the last run: reading it from its start";
        }
        switch (plan.from) {
            case StartFrom::stopped: {
                const Stopped resumed = *earlier;
                stopped_.erase(earlier);
                log->tail.start(&resumed.log, from_start, now, *log, &listings);
                break;
            }
            case StartFrom::saved: log->tail.start(resume, from_start, now, *log, &listings); break;
            case StartFrom::file_start: log->tail.start(nullptr, true, now, *log, &listings); break;
            case StartFrom::file_end: log->tail.start(nullptr, false, now, *log, &listings); break;
        }
        followed_this_run_.insert(path);
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
    hitwatch::BackupListings listings;
    for (const auto& listed : paths) {
        const auto followed = [&](const auto& log) { return log->tail.path() == listed.path; };
        if (!listed.matched || std::any_of(logs_.begin(), logs_.end(), followed)) continue;
        if (this->not_new(listed.path, logs_, true, now, not_new)) continue;
        HW_LOG(info) << "now following " << listed.path << ", new: from its start";
        auto log = start(listed, reading_of(listed.path), max_line);
        StartFacts facts;
        facts.matched = facts.appeared_while_running = true;
        facts.now = wall_now;
        const StartPlan plan = plan_start(facts);  // created since the last look: all of it written from then on
        log->caught_up_at = plan.caught_up_at;
        log->tail.start(nullptr, plan.from == StartFrom::file_start, now, *log, &listings);
        followed_this_run_.insert(listed.path);
        logs_.push_back(std::move(log));
        changed = true;
    }
    not_new_ = std::move(not_new);  // those gone, or naming another file now, forgotten
    return changed;
}

bool FollowedLogs::not_new(const std::string& path, const std::vector<std::unique_ptr<Log>>& logs, bool appeared,
                           Clock::time_point at, NotNew& now) const {
    // The facts, gathered with system calls; the decision is classify_match's.
    MatchFacts facts;
    facts.appeared_while_running = appeared;
    struct stat st {};
    facts.exists = ::stat(path.c_str(), &st) == 0;
    if (!facts.exists) {
        // A symlink to a followed log that points nowhere now: that log between its rotation's
        // rename and create (once the log is back, match_logs leaves it out).
        const std::string target = symlink_target(path);
        facts.dangling_to_followed = !target.empty() && std::any_of(logs.begin(), logs.end(), [&](const auto& log) {
                                         return log->tail.path() == target;
                                     });
        return classify_match(facts) != MatchIs::new_log;
    }
    const std::pair<std::uint64_t, std::uint64_t> file{st.st_dev, st.st_ino};
    const auto known = not_new_.rotations.find(path);
    facts.known_rotation = known != not_new_.rotations.end() && known->second == file;
    const auto reader = std::find_if(logs.begin(), logs.end(), [&](const auto& log) { return log->tail.reads(file.first, file.second); });
    facts.read_by_a_tail = reader != logs.end();
    facts.size = static_cast<std::uint64_t>(st.st_size);
    const Log* original = nullptr;
    if (appeared && !facts.known_rotation && !facts.read_by_a_tail) {
        const std::string head = hitwatch::os::read_head(path, hitwatch::FileIdentity::kHeadBytes);
        facts.head_bytes = head.size();
        facts.head_whole = head.size() >= hitwatch::FileIdentity::kHeadBytes;
        for (const auto& log : logs) {
            if (head.empty()) break;
            if (const auto read = log->tail.read_of_file_starting(head)) {
                original = log.get();
                facts.begins_as_followed = true;
                facts.read_of_original = *read;
                break;
            }
        }
        const auto last = not_new_.growing.find(path);
        facts.same_size_as_before = last != not_new_.growing.end() && last->second.bytes == facts.size;
        if (facts.same_size_as_before) {
            facts.settled_ms = std::chrono::duration_cast<std::chrono::milliseconds>(at - last->second.since).count();
        }
    }
    switch (classify_match(facts)) {
        case MatchIs::new_log: return false;
        case MatchIs::rotating: return true;
        case MatchIs::rotation:
            if (!facts.known_rotation) {
                HW_LOG(info) << path << " is " << (*reader)->tail.path() << " rotated (the same file): read as that log's "
                             << "rotation, not as a new log";
            }
            now.rotations.emplace(path, file);
            return true;
        case MatchIs::not_yet: {
            const auto last = not_new_.growing.find(path);
            now.growing.emplace(path, facts.same_size_as_before ? last->second : NotNew::Size{facts.size, at});
            return true;
        }
        case MatchIs::copy:
            HW_LOG(info) << path << " is a copy of " << original->tail.path() << " (its first bytes, as long as what was "
                         << "read of it): not a new log";
            now.rotations.emplace(path, file);
            return true;
    }
    return false;
}

std::size_t FollowedLogs::catch_up_if_behind(hitwatch::UnixSeconds wall_now) {
    std::size_t catching_up = 0;
    for (auto& log : logs_) {
        catch_up_if_behind(*log, wall_now);
        // One that cannot be read has nothing to catch up with yet.
        if (log->backfill && log->tail.state() == hitwatch::LogTail::State::reading) ++catching_up;
    }
    return catching_up;
}

void FollowedLogs::catch_up_if_behind(Log& log, hitwatch::UnixSeconds wall_now) {
    if (log.backfill || wall_now - log.caught_up_at <= catch_up_.interval_s) return;
    log.before_catch_up = log.tail.save();
    log.before_catch_up.catching_up_from = log.caught_up_at;
    log.late_lines = log.late_hits = 0;
    log.backfill.emplace(catch_up_.interval_s, catch_up_.max_sections, wall_now - catch_up_.max_backfill_s,
                         wall_now - catch_up_.window_s);
}

void FollowedLogs::clock_stepped(hitwatch::UnixSeconds wall_now) {
    for (auto& log : logs_) {
        if (!log->backfill && log->caught_up_at != kLongAgo) log->caught_up_at = wall_now;
    }
}

bool FollowedLogs::pump(std::size_t budget, Clock::time_point now, const WallClock& wall_clock) {
    const hitwatch::UnixSeconds wall_now = wall_clock();
    catch_up_if_behind(wall_now);
    bool all_read = true;
    // One budget for all the logs of a pass, each taking a share of it, from a different log
    // each pass: a handler never reads much more than `budget`, and no log waits behind a
    // busy one for long.
    const std::size_t share = std::max<std::size_t>(64 * 1024, budget / std::max<std::size_t>(1, logs_.size()));
    first_ = logs_.empty() ? 0 : (first_ + 1) % logs_.size();
    for (std::size_t i = 0; i < logs_.size(); ++i) {
        auto& log = logs_[(first_ + i) % logs_.size()];
        log->now = wall_now;
        log->wall_clock = &wall_clock;
        const bool read_all = log->tail.pump(log->backfill ? std::min(share, kCatchUpShare) : share, now, *log);
        log->wall_clock = nullptr;
        all_read &= read_all;
        if (log->backfill && log->backfill->full()) hand_on(*log, false);
        // Read to its end (or nothing there to read): what comes next was written from now on.
        const auto state = log->tail.state();
        if (!read_all || (state != hitwatch::LogTail::State::reading && state != hitwatch::LogTail::State::waiting)) continue;
        log->caught_up_at = log->now;
        if (log->backfill) end_catch_up(*log, log->now);
    }
    return all_read;
}

void FollowedLogs::end_catch_up(Log& log, hitwatch::UnixSeconds wall_now) {
    if (log.late_lines > 0) {
        HW_LOG(info) << log.tail.path() << " caught up at " << hitwatch::format_iso8601(wall_now) << ": " << log.late_lines
                     << " lines read late (" << log.late_hits + log.backfill->hits()
                     << " hits), counted by when they were written";
    }
    hand_on(log, true);
    log.backfill.reset();  // live from here on, and in the state file where it is now
    log.late_file = false;
}

void FollowedLogs::hand_on(Log& log, bool last) {
    if (log.backfill->empty() && !last) return;
    // Everything read so far is in this part: once it is handed on, a restart begins after it.
    hitwatch::SavedLog at = log.tail.save();
    if (!last) at.catching_up_from = log.caught_up_at;
    if (save_progress_ && !log.backfill->empty()) save_progress_(at);
    log.before_catch_up = at;
    hitwatch::Backfill part = std::exchange(*log.backfill, log.backfill->next_part());
    log.late_hits += part.hits();
    if (part.empty()) return;
    hitwatch::LiveFigures figures;
    figures.logs.push_back({log.tail.path(), 0, 0, 0, "reading", ""});
    monitor_.add_backfill(part, figures);
}

std::vector<hitwatch::SavedLog> FollowedLogs::positions() const {
    std::vector<hitwatch::SavedLog> all;
    for (const auto& log : logs_) all.push_back(log->backfill ? log->before_catch_up : log->tail.save());
    for (const auto& stopped : stopped_) all.push_back(stopped.log);
    return all;
}

hitwatch::LiveFigures FollowedLogs::take_figures() {
    hitwatch::LiveFigures live;
    for (auto& log : logs_) add_figures(*log, false, live);
    for (auto& log : gone_) add_figures(*log, true, live);
    gone_.clear();
    // The hits of logs a reload stopped this interval: with the same log's, if a later reload
    // followed it again, else as a log of their own, stopped.
    for (const auto& [path, hits] : stopped_hits_) {
        const auto same = std::find_if(live.logs.begin(), live.logs.end(), [&](const auto& l) { return l.path == path; });
        if (same != live.logs.end()) {
            same->hits += hits;
        } else {
            live.logs.push_back({path, hits, 0, 0, "stopped", ""});
        }
    }
    stopped_hits_.clear();
    return live;
}

void FollowedLogs::add_figures(Log& log, bool gone, hitwatch::LiveFigures& live) {
    const LogView v = view(log);
    const std::uint64_t lost = log.tail.take_lost_bytes();
    live.lag_bytes += v.lag_bytes;
    live.lost_bytes += lost;
    const std::uint64_t rotations = log.tail.take_rotations();
    live.rotations += rotations;
    log.rotations_before += rotations;
    live.truncations += log.tail.take_truncations();
    const bool healthy = v.reading() || gone;
    live.unhealthy += healthy ? 0 : 1;
    live.logs.push_back({v.path, std::exchange(log.hits, 0), v.lag_bytes, lost, gone ? "gone" : v.state, healthy ? "" : v.error});
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

std::uint64_t FollowedLogs::blank_lines() const {
    std::uint64_t blank = 0;
    for (const auto& log : logs_) blank += log->counter.blank_lines();
    return blank;
}

std::uint64_t FollowedLogs::lines() const {
    std::uint64_t lines = 0;
    for (const auto& log : logs_) lines += log->counter.lines();
    return lines;
}

InvalidCounts FollowedLogs::invalid_counts() const {
    InvalidCounts counts{};
    for (const auto& log : logs_) {
        add_to(counts, log->counter.invalid_lines().counts());
    }
    return counts;
}

LogView FollowedLogs::view(Log& log) {
    LogView v;
    v.path = log.tail.path();
    v.state = report_state(log.tail.state());
    if (log.tail.state() != hitwatch::LogTail::State::reading) v.error = log.tail.error();
    const hitwatch::SavedLog saved = log.tail.save();
    if (!saved.files.empty()) {
        const hitwatch::SavedFile& current = saved.files.back();
        v.device = current.identity.device;
        v.inode = current.identity.inode;
        v.offset = current.offset;
        v.size = current.size.value_or(current.offset);
    }
    v.lag_bytes = log.tail.lag_bytes();
    v.rotations = log.rotations_before + log.tail.rotations();
    return v;
}

std::vector<LogView> FollowedLogs::views() const {
    std::vector<LogView> all;
    for (const auto& log : logs_) all.push_back(view(*log));
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
