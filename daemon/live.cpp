#include "live.h"

#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "state/checkpoint.h"
#include "inotify_watcher.h"
#include "line_counter.h"
#include "tail/log_tail.h"
#include "logging.h"
#include "core/monitor.h"
#include "rate_limiter.h"
#include "sd_notify.h"
#include "sinks.h"

namespace asio = boost::asio;
using std::chrono::steady_clock;
using std::chrono::system_clock;

namespace hitwatchd {
namespace {

// Bytes read from one log per pass before the loop lets timers and signals in.
constexpr size_t kReadBudget = 4 << 20;
constexpr auto kPollPeriod = std::chrono::milliseconds(250);

hitwatch::UnixSeconds wall_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()).count();
}

// One followed log with what it counted this interval.
struct FollowedLog : hitwatch::TailListener {
    FollowedLog(const std::string& path, size_t max_line, hitwatch::Monitor& monitor)
        : tail(path, max_line), counter(monitor, path, max_line, LineCounter::Clock::arrival) {}

    void on_line(std::string_view text) override { hits += counter.count(text); }
    void on_overlong() override { counter.count_overlong(); }
    void on_notice(bool warning, const std::string& message) override {
        if (warning) {
            HW_LOG(warning) << message;
        } else {
            HW_LOG(info) << message;
        }
    }

    hitwatch::LogTail tail;
    LineCounter counter;
    std::uint64_t hits = 0;  // this interval
};

class LiveDaemon : public hitwatch::EventSink {
public:
    LiveDaemon(const Options& options, asio::io_context& io, Sinks& sinks, Reread reread)
        : options_(options),
          sinks_(sinks),
          reread_(std::move(reread)),
          io_(io),
          notifier_(io),
          monitor_(options.monitor, *this),
          watcher_(io_, [this] { schedule_pump(); }, [this](const std::string& why) { fall_back_to_polling(why); }),
          tick_(io_),
          poll_(io_),
          signals_(io_, SIGTERM, SIGINT, SIGHUP) {
        for (const auto& path : options.logs) {
            logs_.push_back(std::make_unique<FollowedLog>(path, options.max_line, monitor_));
        }
    }

    int run() {
        const hitwatch::Checkpoint saved = load_checkpoint();
        for (auto& log : logs_) log->tail.start(saved.find(log->tail.path()), options_.from_start, *log);
        monitor_.advance_to(wall_seconds());
        if (saved.alert && monitor_.restore_alert(*saved.alert, wall_seconds())) {
            HW_LOG(info) << "alert window restored from " << options_.state_file;
        }
        start_watching();
        wait_for_signal();
        schedule_tick();
        schedule_pump();
        HW_LOG(info) << "following " << logs_.size() << " log(s); reports every "
                     << options_.monitor.alert.interval_s << " s";
        notifier_.ready();
        notifier_.start_watchdog();
        io_.run();
        return 0;
    }

    // The monitor's report, completed with what only the live daemon knows.
    void on_report(const hitwatch::Report& report) override {
        hitwatch::Report full = report;
        hitwatch::LiveFigures live;
        for (auto& log : logs_) {
            const std::uint64_t lag = log->tail.lag_bytes();
            live.lag_bytes += lag;
            live.rotations += log->tail.take_rotations();
            live.truncations += log->tail.take_truncations();
            live.logs.push_back({log->tail.path(), std::exchange(log->hits, 0), lag});
        }
        full.live = std::move(live);
        sinks_.on_report(full);
        reported_ = true;
        const auto seconds = std::max<std::int64_t>(1, report.interval_end - report.interval_start);
        notifier_.status(std::to_string(report.hits / static_cast<std::uint64_t>(seconds)) + " lines/s, alert " +
                         (report.alert_high ? "HIGH" : "normal") + ", lag " + std::to_string(full.live->lag_bytes) +
                         " bytes");
    }
    void on_alert(const hitwatch::AlertEvent& event) override {
        HW_LOG(warning) << hitwatch::alert_message(event);
        sinks_.on_alert(event);
    }

private:
    void wait_for_signal() {
        signals_.async_wait([this](boost::system::error_code ec, int signal) {
            if (ec) return;
            if (signal != SIGHUP) return stop(signal);
            reload();
            wait_for_signal();
        });
    }

    // SIGHUP: read the configuration again and apply it in place; an invalid one changes
    // nothing. Lines are read on this same loop, so none is lost or counted twice.
    void reload() {
        notifier_.reloading();
        HW_LOG(info) << "SIGHUP: reloading the configuration";
        if (const auto fresh = reread_()) apply(*fresh);
        notifier_.ready();
    }

    void apply(const Options& fresh) {
        pump();  // what is already written counts under the settings it was written under
        std::vector<std::unique_ptr<FollowedLog>> kept;
        for (auto& log : logs_) {
            if (std::find(fresh.logs.begin(), fresh.logs.end(), log->tail.path()) != fresh.logs.end()) {
                kept.push_back(std::move(log));
            } else {
                HW_LOG(info) << "reload: no longer following " << log->tail.path();
                retired_.push_back(log->tail.save());
            }
        }
        const hitwatch::Checkpoint saved = load_checkpoint();
        for (const auto& path : fresh.logs) {
            const bool following = std::any_of(kept.begin(), kept.end(), [&](const auto& l) { return l->tail.path() == path; });
            if (following) continue;
            HW_LOG(info) << "reload: now following " << path;
            auto log = std::make_unique<FollowedLog>(path, fresh.max_line, monitor_);
            const auto retired = std::find_if(retired_.begin(), retired_.end(), [&](const auto& r) { return r.path == path; });
            const hitwatch::SavedLog resume = retired != retired_.end() ? *retired : hitwatch::SavedLog{};
            if (retired != retired_.end()) retired_.erase(retired);
            log->tail.start(!resume.path.empty() ? &resume : saved.find(path), fresh.from_start, *log);
            kept.push_back(std::move(log));
        }
        logs_ = std::move(kept);
        if (!monitor_.reconfigure(fresh.monitor)) {
            HW_LOG(info) << "reload: the alert rule, window or interval changed; the alert window starts afresh";
        }
        sinks_.reconfigure(fresh);
        if (!polling_) {
            watcher_.stop();
            std::string why;
            if (!watcher_.start(fresh.logs, why)) fall_back_to_polling(why);
        }
        options_ = fresh;
        save_checkpoint();
        schedule_pump();
        HW_LOG(info) << "reload: done; following " << logs_.size() << " log(s)";
    }

    void start_watching() {
        if (options_.watch == WatchMode::poll) {
            HW_LOG(info) << "watching by stat polling every " << kPollPeriod.count() << " ms (--watch poll)";
            schedule_poll();
            return;
        }
        std::string why;
        if (!watcher_.start(options_.logs, why)) fall_back_to_polling(why);
    }

    void fall_back_to_polling(const std::string& why) {
        if (polling_) return;
        HW_LOG(warning) << why << "; falling back to stat polling every " << kPollPeriod.count() << " ms";
        watcher_.stop();
        schedule_poll();
        schedule_pump();  // whatever the lost events were about
    }

    void schedule_poll() {
        polling_ = true;
        poll_.expires_after(kPollPeriod);
        poll_.async_wait([this](boost::system::error_code ec) {
            if (ec) return;
            schedule_pump();
            schedule_poll();
        });
    }

    // Fires at each whole wall-clock second: moves the monitor's clock (reports, the alert
    // rule), and reads anything an event may have missed.
    void schedule_tick() {
        const auto now = system_clock::now();
        const auto next = std::chrono::ceil<std::chrono::seconds>(now + std::chrono::milliseconds(1));
        tick_.expires_after(next - now);
        tick_.async_wait([this](boost::system::error_code ec) {
            if (ec) return;
            advance_clock();
            schedule_pump();
            schedule_tick();
        });
    }

    void schedule_pump() {
        if (pump_scheduled_) return;
        pump_scheduled_ = true;
        asio::post(io_, [this] {
            pump_scheduled_ = false;
            pump();
        });
    }

    // Reads a bounded amount from every log; comes back later if there is more.
    void pump() {
        advance_clock();  // lines count at the second they arrive
        bool all_read = true;
        const auto now = steady_clock::now();
        for (auto& log : logs_) all_read &= log->tail.pump(kReadBudget, now, *log);
        if (!all_read) schedule_pump();
    }

    void advance_clock() {
        reported_ = false;
        monitor_.advance_to(wall_seconds());
        // Right after a report, the offsets are exactly the lines in emitted reports.
        if (reported_) save_checkpoint();
    }

    void stop(int signal) {
        HW_LOG(info) << "signal " << signal << ": final report, checkpoint, exit";
        notifier_.stopping();
        monitor_.advance_to(wall_seconds());
        const auto now = steady_clock::now();
        for (auto& log : logs_) {
            // What is already written, but not a writer that never stops.
            for (int pass = 0; pass < 64 && !log->tail.pump(kReadBudget, now, *log); ++pass) {
            }
        }
        monitor_.flush_partial();
        save_checkpoint();
        io_.stop();
    }

    hitwatch::Checkpoint load_checkpoint() {
        std::ifstream in(options_.state_file, std::ios::binary);
        if (!in) return {};
        std::stringstream text;
        text << in.rdbuf();
        std::string error;
        if (auto checkpoint = hitwatch::checkpoint_from_json(text.str(), error)) return *checkpoint;
        const std::string aside = options_.state_file + ".corrupt";
        std::error_code ec;
        std::filesystem::rename(options_.state_file, aside, ec);
        HW_LOG(warning) << "state file " << options_.state_file << " is unreadable (" << error << "); moved it to "
                        << aside << " and starting afresh";
        return {};
    }

    void save_checkpoint() {
        hitwatch::Checkpoint c;
        for (const auto& log : logs_) c.logs.push_back(log->tail.save());
        c.logs.insert(c.logs.end(), retired_.begin(), retired_.end());  // if they come back
        c.alert = monitor_.save_alert();
        std::string error;
        const std::filesystem::path dir = std::filesystem::path(options_.state_file).parent_path();
        std::error_code ignored;
        if (!dir.empty()) std::filesystem::create_directories(dir, ignored);
        if (!hitwatch::write_file_atomically(options_.state_file, hitwatch::to_json(c), error) &&
            state_errors_.allow(steady_clock::now())) {
            HW_LOG(error) << "cannot save the state file: " << error << "; still monitoring";
        }
    }

    Options options_;
    Sinks& sinks_;
    Reread reread_;
    asio::io_context& io_;
    SdNotifier notifier_;
    hitwatch::Monitor monitor_;
    std::vector<std::unique_ptr<FollowedLog>> logs_;
    std::vector<hitwatch::SavedLog> retired_;  // logs a reload stopped following
    InotifyWatcher watcher_;
    asio::steady_timer tick_;
    asio::steady_timer poll_;
    asio::signal_set signals_;
    hitwatch::RateLimiter<> state_errors_{std::chrono::seconds(10)};
    bool pump_scheduled_ = false;
    bool polling_ = false;
    bool reported_ = false;
};

}  // namespace

int run_live(const Options& options, asio::io_context& io, Sinks& sinks, Reread reread) {
    LiveDaemon daemon(options, io, sinks, std::move(reread));
    return daemon.run();
}

}  // namespace hitwatchd
