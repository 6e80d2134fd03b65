// SPDX-License-Identifier: Apache-2.0
#include "live.h"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>

#include "follow/change_source.h"
#include "follow/follow_decisions.h"
#include "follow/followed_logs.h"
#include "config/log_matches.h"
#include "format/json_format.h"
#include "format/prometheus_format.h"
#include "http/dashboard_page.h"
#include "http/http_pages.h"
#include "http/http_server.h"
#include "logging.h"
#include "config/option_table.h"
#include "sd_notify.h"
#include "sinks/sinks.h"
#include "follow/state_file.h"
#include "follow/syslog_input.h"
#include "wall_clock.h"

namespace asio = boost::asio;
using std::chrono::steady_clock;
using std::chrono::system_clock;

namespace hitwatchd {
namespace {

// Bytes read from one log per pass before the loop lets timers and signals in.
constexpr size_t kReadBudget = 4 << 20;

hitwatch::UnixSeconds seconds_of(system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
hitwatch::UnixSeconds wall_seconds() { return seconds_of(system_clock::now()); }

// The logs to follow at a start or a reload, saying which listed paths are left out because
// another names the same file.
std::vector<LogPath> logs_to_follow(const Options& options, const std::vector<std::string>& remembered = {}) {
    std::vector<SameFile> same;
    std::vector<LogPath> logs = match_logs(options, remembered, &same);
    for (const auto& s : same) HW_LOG(info) << read_once_text(s);
    return logs;
}

FollowedLogs::CatchUp catch_up_settings(const Options& options) {
    const hitwatch::AlertSettings& alert = options.monitor.alert;
    return {alert.interval_s, alert.window_s, options.monitor.max_sections, options.max_backfill};
}

// The event loop's owner: the followed logs, the monitor, the state file, the change source,
// the per-second tick, signals and reloads. Every handler holds it by shared_from_this() and
// does nothing once it has stopped.
class LiveDaemon : public hitwatch::EventSink, public std::enable_shared_from_this<LiveDaemon> {
public:
    LiveDaemon(const Options& options, asio::io_context& io, Sinks& sinks, Reread reread)
        : options_(options),
          io_(io),
          sinks_(sinks),
          reread_(std::move(reread)),
          notifier_(SdNotifier::create(io)),
          monitor_(options.monitor, *this),
          logs_(monitor_, catch_up_settings(options)),
          state_(options.state_file),
          clock_(options.monitor.alert.interval_s),
          tick_(io),
          signals_(io, SIGTERM, SIGINT, SIGHUP),
          metrics_(options.metrics_sections) {
        signals_.add(SIGUSR1);
    }

    int run() {
        if (std::string error; !state_.lock(error)) {
            HW_LOG(error) << error;
            return 1;
        }
        if (!options_.http.empty() && !serve_http()) return 1;
        if (!options_.listen_syslog.empty()) {
            try {
                syslog_ = SyslogInput::start(io_, options_, monitor_, http_ ? &metrics_ : nullptr, wall_seconds,
                                             catch_up_settings(options_));
            } catch (const std::exception& e) {
                HW_LOG(error) << e.what();
                return 1;
            }
        }
        const hitwatch::Checkpoint& saved = saved_ = last_checkpoint_ = state_.load();
        logs_.set_save_progress([this](const hitwatch::SavedLog& log) { save_progress(log); });
        const auto start = system_clock::now();
        clock_.step(start, steady_clock::now());
        monitor_.advance_to(seconds_of(start));
        if (saved.alert && monitor_.restore_alert(*saved.alert)) {
            HW_LOG(info) << "alert window restored from " << state_.path() << ", aged by the "
                         << std::max<std::int64_t>(0, monitor_.now() - saved.alert->saved_at) << " s since it was saved";
        }
        std::vector<std::string> remembered;
        for (const auto& log : saved.logs) remembered.push_back(log.path);
        logs_.set_olddirs(options_.olddirs);
        logs_.follow(logs_to_follow(options_, remembered), reading_of(options_), saved, options_.from_start,
                     options_.max_line, steady_clock::now(), wall_seconds());
        std::weak_ptr<LiveDaemon> weak = weak_from_this();
        changes_ = ChangeSource::start(io_, options_.watch, watched_directories(), watched_names(), [weak] {
            if (auto self = weak.lock()) self->schedule_pump();
        });
        wait_for_signal();
        schedule_tick();
        schedule_pump();
        HW_LOG(info) << "following " << describe_logs() << "; reports every " << options_.monitor.alert.interval_s << " s";
        notifier_->ready();
        notifier_->start_watchdog();
        io_.run();
        return exit_code_;
    }

    // The monitor's report, completed with what only the live daemon knows. The state file is
    // saved first, here and nowhere else, marking the interval as reported, and then the
    // report goes out: a crash between the two loses that interval's output, but nothing is
    // ever counted twice (a report that went out is never made again after a restart). A
    // report made while saves fail says so ("checkpointed": false). (A backfill report,
    // history, comes with its log's figures, and is followed by the interval's report before
    // anything is saved.)
    void on_report(const hitwatch::Report& report) override {
        metrics_.list(report.sections);
        if (report.backfill) {
            publish(report.interval_end, hitwatch::to_json(report));
            return sinks_.on_report(report);
        }
        hitwatch::Report full = report;
        full.live = logs_.take_figures();
        hitwatch::Checkpoint checkpoint;
        checkpoint.logs = logs_.positions();
        checkpoint.alert = monitor_.save_alert();
        checkpoint.reported_until = report.interval_end;
        last_save_ok_ = state_.save_after_report(checkpoint);
        last_checkpoint_ = std::move(checkpoint);
        full.live->checkpointed = last_save_ok_;
        if (report.hits > 0) die_here_if_told("HITWATCH_TEST_DIE_AFTER_CHECKPOINT");
        sinks_.on_report(full);
        publish(report.interval_end, hitwatch::to_json(full));
        const auto seconds = std::max<std::int64_t>(1, report.interval_end - report.interval_start);
        const std::uint64_t unhealthy = full.live->unhealthy;
        notifier_->status(std::to_string(report.hits / static_cast<std::uint64_t>(seconds)) + " lines/s, alert " +
                          (report.alert_high ? "HIGH" : "normal") + ", lag " + std::to_string(full.live->lag_bytes) +
                          " bytes" +
                          (unhealthy > 0 ? ", " + std::to_string(unhealthy) + " log(s) not reading" : std::string()));
    }
    void on_alert(const hitwatch::AlertEvent& event) override {
        HW_LOG(warning) << hitwatch::alert_message(event);
        sinks_.on_alert(event);
        alerts_.push_back(event);
        if (alerts_.size() > kStatusAlerts) alerts_.pop_front();
        publish(event.at, hitwatch::to_json(event));
    }

private:
    // A log's catch-up goes on: before a part of its backlog is handed on, the state file is
    // saved with that log where the part ends, and every other log where the last report had
    // it (their lines since are in no report yet).
    void save_progress(const hitwatch::SavedLog& log) {
        auto& logs = last_checkpoint_.logs;
        const auto same = std::find_if(logs.begin(), logs.end(), [&](const auto& l) { return l.path == log.path; });
        if (same != logs.end()) {
            *same = log;
        } else {
            logs.push_back(log);
        }
        ++progress_saves_;
        die_here_if_told("HITWATCH_TEST_DIE_BEFORE_PROGRESS", progress_saves_);
        last_save_ok_ = state_.save_after_report(last_checkpoint_);
        die_here_if_told("HITWATCH_TEST_DIE_AFTER_PROGRESS", progress_saves_);
    }

    // A crash, for the tests that check what it costs: SIGKILL when `variable` is set to `n`.
    // HITWATCH_TEST_DIE_AFTER_CHECKPOINT=1: between the checkpoint and the first report with
    // hits. HITWATCH_TEST_DIE_BEFORE_PROGRESS=N: in a catch-up, before the Nth part of the
    // backlog is checkpointed (parts before it are reported); ..._AFTER_PROGRESS=N: between
    // that checkpoint and the part's reports. Read by tests only; no configuration reaches them.
    static void die_here_if_told(const char* variable, std::uint64_t n = 1) {
        const char* told = std::getenv(variable);
        if (told != nullptr && std::strtoull(told, nullptr, 10) == n) ::raise(SIGKILL);
    }

    // Listens before anything else starts, so an address that cannot be bound ends the run
    // with nothing done; lines count into the metrics from the first one read.
    bool serve_http() {
        const auto endpoint = http_endpoint(options_.http.host, options_.http.port);
        std::string error;
        std::weak_ptr<LiveDaemon> weak = weak_from_this();
        if (endpoint) {
            http_ = HttpServer::start(io_,
                                      {*endpoint, options_.http_max_connections, std::chrono::seconds(options_.http_idle_timeout_s)},
                                      [weak](const std::string& path) -> std::optional<HttpResponse> {
                                          const auto self = weak.lock();
                                          if (!self || self->stopped_) return HttpResponse{503, "text/plain", "stopping\n"};
                                          return self->page(path);
                                      },
                                      error);
        }
        if (!http_) {
            HW_LOG(error) << "--http " << to_string(options_.http) << ": cannot listen: " << (endpoint ? error : "not an address");
            return false;
        }
        logs_.set_metrics(&metrics_);
        HW_LOG(info) << "serving the dashboard, /metrics, /status and /events on http://" << to_string(options_.http) << "/";
        return true;
    }

    // A report or an alert to the event streams' clients, and into the history they start with.
    void publish(hitwatch::UnixSeconds at, const std::string& json) {
        if (http_) http_->publish(at, json);
    }

    std::optional<HttpResponse> page(const std::string& path) {
        if (path == "/") return HttpResponse{200, "text/html; charset=utf-8", dashboard_html()};
        if (path == "/events") return HttpResponse{200, "text/event-stream", "", true};
        const PageSources sources{options_, logs_.views(), logs_.catching_up(), state_.view(), monitor_, metrics_, alerts_,
                                  started_, began_, syslog_ ? syslog_->dropped() : 0};
        if (path == "/metrics") return HttpResponse{200, hitwatch::kPrometheusContentType, metrics_page(sources)};
        if (path == "/status") return HttpResponse{200, "application/json", status_page(sources)};
        return std::nullopt;
    }

    std::string describe_logs() const {
        using State = hitwatch::LogTail::State;
        std::string text = std::to_string(logs_.size()) + " log(s)";
        const std::size_t reading = logs_.count(State::reading);
        if (reading != logs_.size()) {
            text += ": " + std::to_string(reading) + " reading";
            const std::pair<State, const char*> others[] = {
                {State::waiting, "waiting to exist"}, {State::unreadable, "unreadable"}, {State::not_a_log, "not log files"}};
            for (const auto& [state, what] : others) {
                if (const std::size_t n = logs_.count(state)) text += ", " + std::to_string(n) + " " + what;
            }
        }
        // A glob that matches nothing is no log yet, but is waited for all the same.
        std::vector<std::string> followed;
        for (const LogView& log : logs_.views()) followed.push_back(log.path);
        for (const auto& pattern : unmatched_globs(options_, followed)) text += "; no file matches " + pattern + " yet";
        return text;
    }

    void wait_for_signal() {
        signals_.async_wait([self = shared_from_this()](boost::system::error_code ec, int signal) {
            if (self->stopped_ || ec) return;
            if (signal == SIGHUP) {
                self->reload();
            } else if (signal == SIGUSR1) {
                self->log_status();
            } else {
                return self->stop(signal);
            }
            self->wait_for_signal();
        });
    }

    // Invalid lines by reason, of the followed logs and the syslog ones.
    InvalidCounts invalid_counts() const {
        InvalidCounts all = logs_.invalid_counts();
        if (syslog_) add_to(all, syslog_->invalid_counts());
        return all;
    }

    // SIGUSR1: one line saying how things stand, and the summary since start (reported intervals).
    void log_status() {
        HW_LOG(info) << "status: following " << describe_logs() << "; " << monitor_.total_hits() << " hits since start; alert "
                     << (monitor_.rule().high() ? "HIGH" : "normal") << " (" << monitor_.rule().window_hits()
                     << " hits in the window); lag " << logs_.lag_bytes() << " bytes";
        const hitwatch::RunSummary summary =
            run_summary(monitor_, logs_.lines() + (syslog_ ? syslog_->lines() : 0),
                        logs_.blank_lines() + (syslog_ ? syslog_->blank_lines() : 0), invalid_counts(),
                        steady_clock::now() - began_);
        HW_LOG(info) << "summary since start: " << hitwatch::to_json(summary);
    }

    // SIGHUP: read the configuration again and apply it in place; an invalid one changes
    // nothing. Lines are read on this same loop, so none is lost or counted twice.
    void reload() {
        notifier_->reloading();
        HW_LOG(info) << "SIGHUP: reloading the configuration";
        if (const auto fresh = reread_()) apply(*fresh);
        notifier_->ready();
    }

    void apply(Options fresh) {
        rematch();  // files created since the last look are new ones, read from their start
        pump();  // what is already written counts under the settings it was written under
        // What needs a restart keeps its running value, each named in one warning.
        std::string kept;
        for (const auto& name : changes_needing_restart(options_, fresh)) {
            kept += (kept.empty() ? "" : ", ") + name + " (keeping " + find_option(name)->get(options_) + ")";
        }
        if (!kept.empty()) HW_LOG(warning) << "reload: needs a restart: " << kept;
        for (const auto& warning : format_warnings(fresh)) HW_LOG(warning) << "reload: " << warning;
        keep_what_needs_a_restart(options_, fresh);
        logs_.set_catch_up(catch_up_settings(fresh));
        if (syslog_) {
            syslog_->set_logs(fresh);
            syslog_->set_catch_up(catch_up_settings(fresh));
        }
        logs_.set_olddirs(fresh.olddirs);
        logs_.follow(logs_to_follow(fresh), reading_of(fresh), saved_, fresh.from_start, fresh.max_line,
                     steady_clock::now(), wall_seconds());
        switch (monitor_.reconfigure(fresh.monitor)) {
            case hitwatch::AlertCarry::kept: break;
            case hitwatch::AlertCarry::fresh:
                HW_LOG(info) << "reload: the alert rule, window or interval changed; the alert window starts afresh";
                break;
            case hitwatch::AlertCarry::ended:
                HW_LOG(warning) << "reload: the alert rule, window or interval changed while the alert was HIGH; the "
                                   "new rule cannot judge the window yet, so the alert ends with a recovery and the "
                                   "alert window starts afresh";
                break;
            case hitwatch::AlertCarry::carried:
                HW_LOG(warning) << "reload: the alert rule changed while the alert was HIGH; the new rule finds the "
                                   "same window high, so the alert goes on";
                break;
        }
        clock_.set_tolerance(fresh.monitor.alert.interval_s);
        sinks_.reconfigure(fresh);
        set_log_level(fresh.log_level);
        options_ = fresh;
        changes_->rewatch(watched_directories(), watched_names());
        schedule_pump();
        HW_LOG(info) << "reload: done; following " << describe_logs();
    }

    // Fires at each whole wall-clock second (waiting at most a second of steady time, so a
    // step of the wall clock cannot stall it): moves the monitor's clock (reports, the alert
    // rule), and reads anything an event may have missed.
    void schedule_tick() {
        const auto now = system_clock::now();
        const auto next = std::chrono::ceil<std::chrono::seconds>(now + std::chrono::milliseconds(1));
        tick_.expires_after(std::min<steady_clock::duration>(next - now, std::chrono::seconds(1)));
        tick_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (self->stopped_ || ec) return;
            self->rematch();
            self->pump();
            self->logs_.check_health(steady_clock::now(), std::chrono::seconds(self->options_.unhealthy_after),
                                     std::chrono::seconds(self->options_.unhealthy_repeat));
            self->schedule_tick();
        });
    }

    void schedule_pump() {
        if (pump_scheduled_ || stopped_) return;
        pump_scheduled_ = true;
        asio::post(io_, [self = shared_from_this()] {
            self->pump_scheduled_ = false;
            if (!self->stopped_) self->pump();
        });
    }

    // The globs' matches as they are now (each second, and when a name changed in their
    // directories).
    void rematch() {
        name_events_seen_ = changes_->name_events();
        if (glob_directories(options_).empty()) return;
        if (logs_.rematch(match_logs(options_), reading_of(options_), options_.max_line, steady_clock::now(),
                          wall_seconds())) {
            changes_->rewatch(watched_directories(), watched_names());
        }
    }

    static FollowedLogs::ReadingOf reading_of(const Options& options) {
        return [&options](const std::string& path) { return options.reading_of(path); };
    }

    // Where changes concern the logs: beside each followed file, and where globs look.
    std::vector<std::string> watched_directories() const {
        std::vector<std::string> all = logs_.directories();
        for (auto& dir : glob_directories(options_)) {
            if (std::find(all.begin(), all.end(), dir) == all.end()) all.push_back(std::move(dir));
        }
        return all;
    }
    std::vector<std::string> watched_names() const {
        std::vector<std::string> all = logs_.file_names();
        for (auto& prefix : glob_prefixes(options_)) all.push_back(std::move(prefix));
        return all;
    }

    // Reads a bounded amount from every log; comes back later if there is more.
    void pump() {
        if (changes_->name_events() != name_events_seen_) rematch();
        notice_clock_step();
        // Lines count at the second they arrive; but while logs read a backlog (after a
        // stall), the clock waits for them, an interval at most, so what they read counts in
        // the seconds and intervals it was written in, not as history.
        const hitwatch::UnixSeconds wall = wall_seconds();
        const std::size_t catching_up = logs_.catch_up_if_behind(wall) + (syslog_ && syslog_->keep_up(wall) ? 1 : 0);
        std::optional<std::int64_t> held_for;
        if (held_since_) held_for = std::chrono::duration_cast<std::chrono::seconds>(steady_clock::now() - *held_since_).count();
        if (clock_moves_on(catching_up, held_for, options_.monitor.alert.interval_s)) advance_clock();
        if (catching_up == 0) {
            held_since_.reset();
        } else if (!held_since_) {
            held_since_ = steady_clock::now();
        }
        if (!logs_.pump(kReadBudget, steady_clock::now(), wall_seconds)) schedule_pump();
        // The seconds of a backlog still being read are not in the window yet.
        if (logs_.catching_up() || (syslog_ && syslog_->catching_up())) monitor_.window_incomplete();
    }

    // The monitor's clock follows the wall clock.
    void advance_clock() {
        notice_clock_step();
        monitor_.advance_to(wall_seconds());
    }

    // A step of the wall clock (more than an interval off what the steady clock saw pass) is
    // a discontinuity, not hours of empty reports; noticed before any log is judged behind,
    // or the lines after a forward step would look as old as the step is long.
    void notice_clock_step() {
        const auto wall = system_clock::now();
        const std::int64_t stepped = clock_.step(wall, steady_clock::now());
        if (stepped == 0) return;
        logs_.clock_stepped(seconds_of(wall));
        if (syslog_) syslog_->clock_stepped(seconds_of(wall));
        HW_LOG(warning) << "the wall clock jumped " << (stepped > 0 ? "forward" : "back") << " by "
                        << (stepped > 0 ? stepped : -stepped) << " s, to " << hitwatch::format_iso8601(seconds_of(wall))
                        << "; the interval in progress ends here as partial, and counting goes on from the new time";
        monitor_.jump_to(seconds_of(wall));
    }

    void stop(int signal) {
        HW_LOG(info) << "signal " << signal << ": final report, checkpoint, exit";
        notifier_->stopping();
        advance_clock();
        // What is already written, but not a writer that never stops.
        for (int pass = 0; pass < 64 && !logs_.pump(kReadBudget, steady_clock::now(), wall_seconds);
             ++pass) {
        }
        if (syslog_) syslog_->stop();  // a backlog it was catching up on counts in the last report
        monitor_.flush_partial();  // a report, so the state file is saved right after it
        if (!last_save_ok_) exit_code_ = 1;
        stopped_ = true;
        if (http_) http_->stop();
        changes_->stop();
        notifier_->stop();
        tick_.cancel();
        signals_.cancel();
        io_.stop();
    }

    Options options_;
    asio::io_context& io_;
    Sinks& sinks_;
    Reread reread_;
    std::shared_ptr<SdNotifier> notifier_;
    hitwatch::Monitor monitor_;
    FollowedLogs logs_;
    StateFile state_;
    // As loaded at the start: where a log a reload adds resumes if this run never followed it
    // (FollowedLogs keeps the place of those it followed).
    hitwatch::Checkpoint saved_;
    hitwatch::Checkpoint last_checkpoint_;  // the last one saved (or tried): as reports went out
    std::uint64_t progress_saves_ = 0;       // parts of backlogs checkpointed
    WallClockWatch clock_;
    std::shared_ptr<ChangeSource> changes_;
    asio::steady_timer tick_;
    asio::signal_set signals_;
    std::optional<steady_clock::time_point> held_since_;  // the clock waits for a catch-up
    const steady_clock::time_point began_ = steady_clock::now();  // for the summary's lines per second
    const system_clock::time_point started_ = system_clock::now();
    hitwatch::MetricCounters metrics_;            // counted only while HTTP is on
    std::deque<hitwatch::AlertEvent> alerts_;     // the last kStatusAlerts
    std::shared_ptr<HttpServer> http_;
    std::shared_ptr<SyslogInput> syslog_;  // --listen-syslog
    std::uint64_t name_events_seen_ = 0;  // of changes_: a name came or went since the last rematch
    bool pump_scheduled_ = false;
    bool stopped_ = false;
    bool last_save_ok_ = true;
    int exit_code_ = 0;
};

}  // namespace

int run_live(const Options& options, asio::io_context& io, Sinks& sinks, Reread reread) {
    const auto daemon = std::make_shared<LiveDaemon>(options, io, sinks, std::move(reread));
    return daemon->run();
}

}  // namespace hitwatchd
