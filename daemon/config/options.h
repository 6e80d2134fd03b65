// SPDX-License-Identifier: Apache-2.0
#pragma once
// What hitwatchd was asked to do: the command line over the config file. Every option is
// declared once, in option_table.cpp.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/line_parser.h"
#include "core/monitor.h"
#include "format/statsd_format.h"
#include "format/syslog_format.h"

namespace hitwatchd {

enum class OutputFormat { json, text, none };  // none: reports go to the report file and sinks only

enum class WatchMode { inotify, poll };

struct HostPort {
    std::string host;
    std::string port;
    bool empty() const { return host.empty(); }
    bool operator==(const HostPort&) const = default;
};

// Where syslog messages are received (--listen-syslog udp://HOST:PORT or tcp://HOST:PORT).
struct SyslogListen {
    bool tcp = false;
    HostPort address;
    bool operator==(const SyslogListen&) const = default;
};

// "host:port", "1.2.3.4:8125" or "[::1]:8125"; nullopt if it is not that shape.
std::optional<HostPort> parse_host_port(const std::string& text);
// Back to text, as parse_host_port reads it.
std::string to_string(const HostPort& address);

// How a log's lines are read: its format (a preset, a format string or auto) and how its
// sections are named.
struct Reading {
    std::string format = "auto";
    hitwatch::SectionRule sections;
    std::vector<std::string> json_fields;  // --json-field ROLE=NAME[:UNIT], checked already
    bool operator==(const Reading&) const = default;
};

// The format a reading names, compiled, with its JSON fields set.
hitwatch::LogFormat format_of(const Reading& reading);

// `log = syslog:TAG`: the prefix that makes a log a syslog sender's, not a path.
inline constexpr std::string_view kSyslogLogPrefix = "syslog:";

struct Options {
    std::string replay;             // a file, or "-" for standard input: the first of replay_files
    std::vector<std::string> replay_files;  // --replay's files, as given
    std::vector<std::string> logs;  // live mode: the logs to follow, absolute paths or globs
    // Logs received over syslog: `log = syslog:TAG` names the sender tag TAG's ("" for
    // `syslog:`, every tag no other names), each under the log name "syslog:TAG".
    std::vector<std::string> syslog_tags;
    std::vector<SyslogListen> listen_syslog;
    std::vector<std::string> exclude;  // file names a glob does not follow
    std::vector<std::string> olddirs;  // where else rotated files are (logrotate's olddir), as given
    std::string log_format = "auto";                 // every log's, unless it has its own
    std::map<std::string, std::string> log_formats;  // a log's own (`log = PATH format=NAME`), by path or glob
    hitwatch::SectionRule sections;                  // --section-by, --section-depth
    std::vector<std::string> json_fields;            // --json-field ROLE=NAME[:UNIT]
    bool from_start = false;
    std::string state_file;
    WatchMode watch = WatchMode::inotify;
    hitwatch::MonitorSettings monitor;
    std::optional<OutputFormat> output;  // none given: text on a terminal, else json
    std::size_t max_line = 64 * 1024;
    std::int64_t max_skew = 3600;  // replay: a line further ahead of the clock waits for the next
    bool all_intervals = false;    // replay: report intervals with no traffic too
    std::string report_html;       // replay: the HTML page to write ("" none)
    unsigned replay_threads = 0;   // replay: threads that parse (0: the machine's cores)
    // replay: what is reported is from `since` up to `until` (--since, --until, as given)
    std::optional<hitwatch::UnixSeconds> since, until;
    std::int64_t max_backfill = 3600;  // live: older backlog goes into one backfill report
    std::int64_t unhealthy_after = 60;    // live: a log not read for this long is a warning ...
    std::int64_t unhealthy_repeat = 600;  // ... repeated this often
    HostPort statsd;    // empty: no statsd
    HostPort graphite;  // empty: no Graphite
    hitwatch::StatsdSettings statsd_settings;
    std::string report_file;
    // replay: what it leaves out of the config's live outputs (report-file, statsd, syslog
    // socket), said so
    std::vector<std::string> replay_left_out;
    bool no_syslog = false;
    bool syslog = true;  // live: on unless --no-syslog; replay: only with --syslog-socket on its command line
    std::string syslog_socket;
    hitwatch::SyslogFormat syslog_format = hitwatch::SyslogFormat::rfc5424;
    int syslog_facility = 3;  // daemon
    std::string log_level;
    HostPort http;  // empty: no HTTP
    std::size_t http_max_connections = 64;
    std::int64_t http_idle_timeout_s = 60;
    std::size_t metrics_sections = 200;

    bool live() const { return !logs.empty() || !listen_syslog.empty(); }
    // A followed file's format: its own, or its glob's, or every log's.
    const std::string& format_of(const std::string& log) const;
    // How a followed file (or the replayed one) is read.
    Reading reading_of(const std::string& log) const { return {format_of(log), sections, json_fields}; }
    OutputFormat output_format() const;  // as given, or by what standard output is
};

// "format 'F': $x at column N is not a field hitwatch knows; it is skipped", one for each such
// directive of the formats the options name (a typo loses a field silently): said by
// --check-config, at the start of a run, and at a reload.
std::vector<std::string> format_warnings(const Options& o);

// A command line or config file that cannot be run; its message says where and what was
// expected. `option` names the option at fault, when one is.
struct UsageError : std::runtime_error {
    explicit UsageError(const std::string& message, std::string option = "")
        : std::runtime_error(message), option(std::move(option)) {}
    std::string option;
};

struct CommandLine {
    enum class Action { run, help, version, check_config } action = Action::run;
    std::string text;  // for help, version and check-config
    Options options;
    std::string config_path;  // the config file read, if any
};

constexpr const char* kDefaultConfig = "/etc/hitwatch/hitwatch.conf";

// The command line over the config file (--config, default kDefaultConfig if it exists):
// what was given on the command line wins. Throws UsageError.
CommandLine parse_command_line(int argc, const char* const argv[]);

}  // namespace hitwatchd
