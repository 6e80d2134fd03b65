#include "followed_logs.h"

#include <algorithm>
#include <optional>

#include "line_counter.h"
#include "logging.h"

namespace hitwatchd {

// One followed log: its tail, its counter, and what it counted this interval.
struct FollowedLogs::Log : hitwatch::TailListener {
    Log(const std::string& path, std::size_t max_line, hitwatch::Monitor& monitor)
        : tail(path, max_line), counter(monitor, path, max_line, LineCounter::Clock::arrival) {}

    void on_line(std::string_view text, std::uint64_t line_number) override {
        hits += counter.count(text, line_number);
    }
    void on_overlong(std::uint64_t line_number) override { counter.count_overlong(line_number); }
    void on_notice(Level level, const std::string& message) override {
        switch (level) {
            case Level::info: HW_LOG(info) << message; break;
            case Level::warning: HW_LOG(warning) << message; break;
            case Level::error: HW_LOG(error) << message; break;
        }
    }

    hitwatch::LogTail tail;
    LineCounter counter;
    std::uint64_t hits = 0;  // this interval
    std::optional<Clock::time_point> not_reading_since;
    std::optional<Clock::time_point> warned;  // last health warning
};

namespace {

// A log's state as reports name it: a path that is no log file cannot be read either.
const char* report_state(hitwatch::LogTail::State state) {
    return state == hitwatch::LogTail::State::not_a_log ? "unreadable" : hitwatch::name_of(state).data();
}

}  // namespace

FollowedLogs::FollowedLogs(hitwatch::Monitor& monitor) : monitor_(monitor) {}
FollowedLogs::~FollowedLogs() = default;

void FollowedLogs::follow(const std::vector<std::string>& paths, const hitwatch::Checkpoint& saved, bool from_start,
                          std::size_t max_line, Clock::time_point now) {
    std::vector<std::unique_ptr<Log>> kept;
    for (auto& log : logs_) {
        if (std::find(paths.begin(), paths.end(), log->tail.path()) != paths.end()) {
            kept.push_back(std::move(log));
        } else {
            HW_LOG(info) << "no longer following " << log->tail.path();
            stopped_.push_back(log->tail.save());
        }
    }
    for (const auto& path : paths) {
        const auto followed = [&](const auto& log) { return log->tail.path() == path; };
        if (std::any_of(kept.begin(), kept.end(), followed)) continue;
        if (following_) HW_LOG(info) << "now following " << path;
        auto log = std::make_unique<Log>(path, max_line, monitor_);
        const auto earlier = std::find_if(stopped_.begin(), stopped_.end(), [&](const auto& s) { return s.path == path; });
        if (earlier != stopped_.end()) {
            const hitwatch::SavedLog resume = *earlier;
            stopped_.erase(earlier);
            log->tail.start(&resume, from_start, now, *log);
        } else {
            log->tail.start(saved.find(path), from_start, now, *log);
        }
        kept.push_back(std::move(log));
    }
    logs_ = std::move(kept);
    following_ = true;
}

bool FollowedLogs::pump(std::size_t budget, Clock::time_point now) {
    bool all_read = true;
    for (auto& log : logs_) all_read &= log->tail.pump(budget, now, *log);
    return all_read;
}

std::vector<hitwatch::SavedLog> FollowedLogs::positions() const {
    std::vector<hitwatch::SavedLog> all;
    for (const auto& log : logs_) all.push_back(log->tail.save());
    all.insert(all.end(), stopped_.begin(), stopped_.end());
    return all;
}

hitwatch::LiveFigures FollowedLogs::take_figures() {
    hitwatch::LiveFigures live;
    for (auto& log : logs_) {
        const std::uint64_t lag = log->tail.lag_bytes();
        const std::uint64_t lost = log->tail.take_lost_bytes();
        live.lag_bytes += lag;
        live.lost_bytes += lost;
        live.rotations += log->tail.take_rotations();
        live.truncations += log->tail.take_truncations();
        const bool reading = log->tail.state() == hitwatch::LogTail::State::reading;
        live.unhealthy += reading ? 0 : 1;
        live.logs.push_back({log->tail.path(), std::exchange(log->hits, 0), lag, lost, report_state(log->tail.state()),
                             reading ? std::string() : log->tail.error()});
    }
    return live;
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

std::uint64_t FollowedLogs::lag_bytes() const {
    std::uint64_t lag = 0;
    for (const auto& log : logs_) lag += log->tail.lag_bytes();
    return lag;
}

}  // namespace hitwatchd
