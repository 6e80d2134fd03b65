#pragma once
// The command line: what hitwatchd was asked to do.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "monitor.h"
#include "statsd_format.h"
#include "syslog_format.h"

namespace hitwatchd {

enum class OutputFormat { json, text };

enum class WatchMode { inotify, poll };

struct HostPort {
    std::string host;
    std::string port;
};

// "host:port", "1.2.3.4:8125" or "[::1]:8125"; nullopt if it is not that shape.
std::optional<HostPort> parse_host_port(const std::string& text);

struct Options {
    std::string replay;  // a file, or "-" for standard input
    std::vector<std::string> logs;  // live mode: the logs to follow
    bool from_start = false;
    std::string state_file = "/var/lib/hitwatch/state.json";
    WatchMode watch = WatchMode::inotify;
    hitwatch::MonitorSettings monitor;
    OutputFormat output = OutputFormat::json;
    size_t max_line = 64 * 1024;
    HostPort statsd;    // empty host: no statsd
    HostPort graphite;  // empty host: no Graphite
    hitwatch::StatsdSettings statsd_settings;
    std::string report_file;
    bool syslog = true;  // live: on unless --no-syslog; replay: only with --syslog-socket
    std::string syslog_socket = "/dev/log";
    hitwatch::SyslogFormat syslog_format = hitwatch::SyslogFormat::rfc5424;
    int syslog_facility = 3;  // daemon
    std::string log_level = "info";
};

// A command line that cannot be run; its message says which option and what was expected.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct CommandLine {
    enum class Action { run, help, version } action = Action::run;
    std::string text;  // for help and version
    Options options;
};

// Throws UsageError.
CommandLine parse_command_line(int argc, const char* const argv[]);

}  // namespace hitwatchd
