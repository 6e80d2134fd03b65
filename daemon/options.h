#pragma once
// The command line: what hitwatchd was asked to do.
#include <stdexcept>
#include <string>
#include <vector>

#include "monitor.h"

namespace hitwatchd {

enum class OutputFormat { json, text };

enum class WatchMode { inotify, poll };

struct Options {
    std::string replay;  // a file, or "-" for standard input
    std::vector<std::string> logs;  // live mode: the logs to follow
    bool from_start = false;
    std::string state_file = "/var/lib/hitwatch/state.json";
    WatchMode watch = WatchMode::inotify;
    hitwatch::MonitorSettings monitor;
    OutputFormat output = OutputFormat::json;
    size_t max_line = 64 * 1024;
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
