// SPDX-License-Identifier: Apache-2.0
#include "config/options.h"

#include <unistd.h>

#include <boost/make_shared.hpp>
#include <boost/program_options.hpp>
#include <boost/version.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <filesystem>
#include <grp.h>
#include <sys/stat.h>
#include <sstream>

#include "config/config_file.h"
#include "config/log_matches.h"
#include "config/log_sample_check.h"
#include "core/log_format.h"
#include "os/local_time.h"
#include "version.h"
#include "os/log_glob.h"
#include "os/paths.h"
#include "config/option_table.h"

namespace po = boost::program_options;

namespace hitwatchd {

const std::string& Options::format_of(const std::string& log) const {
    if (const auto own = log_formats.find(log); own != log_formats.end()) return own->second;
    for (const auto& [pattern, format] : log_formats) {
        if (hitwatch::is_glob(pattern) && hitwatch::glob_matches(pattern, log, exclude)) return format;
    }
    return log_format;
}

OutputFormat Options::output_format() const {
    if (output) return *output;
    return isatty(STDOUT_FILENO) ? OutputFormat::text : OutputFormat::json;
}

std::optional<HostPort> parse_host_port(const std::string& text) {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    std::string host = text.substr(0, colon);
    const std::string port = text.substr(colon + 1);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') return std::nullopt;
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
        return std::nullopt;  // an IPv6 address needs brackets
    }
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const int number = std::stoi(port);
    if (number < 1 || number > 65535) return std::nullopt;
    return HostPort{host, port};
}

std::string to_string(const HostPort& address) {
    if (address.empty()) return "";
    const bool v6 = address.host.find(':') != std::string::npos;
    return (v6 ? "[" + address.host + "]" : address.host) + ":" + address.port;
}

namespace {

// The options as Program_options knows them, named on the command line (--name) or by
// their config key, every value read as text and checked by the table.
po::options_description describe(bool by_key) {
    std::vector<std::string> groups;
    for (const auto& spec : option_table()) {
        if (std::find(groups.begin(), groups.end(), spec.group) == groups.end()) groups.push_back(spec.group);
    }
    po::options_description all;
    for (const auto& group : groups) {
        po::options_description part(group);
        for (const auto& spec : option_table()) {
            if (spec.group != group || (by_key && spec.key.empty())) continue;
            const std::string& name = by_key ? spec.key : spec.name;
            std::string help = spec.help;
            if (!spec.shown_default().empty() && spec.kind != OptionSpec::Kind::flag) {
                help += " (default: " + spec.shown_default() + ")";
            }
            if (!by_key && !spec.key.empty() && spec.key.find('.') != std::string::npos &&
                spec.key.substr(spec.key.find('.') + 1) != spec.name.substr(spec.name.find('-') + 1)) {
                help += " ([" + spec.key.substr(0, spec.key.find('.')) + "] " + spec.key.substr(spec.key.find('.') + 1) + ")";
            }
            po::value_semantic* semantic = nullptr;
            switch (spec.kind) {
                case OptionSpec::Kind::flag: semantic = po::bool_switch(); break;
                case OptionSpec::Kind::value: semantic = po::value<std::string>()->value_name(spec.value_name); break;
                case OptionSpec::Kind::list:  // --replay a b c, --log a --log b
                    semantic = po::value<std::vector<std::string>>()->composing()->multitoken()->value_name(spec.value_name);
                    break;
            }
            part.add(boost::make_shared<po::option_description>(name.c_str(), semantic, help.c_str()));
        }
        all.add(part);
    }
    return all;
}

std::string read_config_text(const std::string& path, bool must_exist, bool& found) {
    std::ifstream in(path, std::ios::binary);
    found = static_cast<bool>(in);
    if (!found) {
        if (must_exist) throw UsageError("cannot read the config file " + path + ": " + std::strerror(errno), "config");
        return "";
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A value in matching quotes, without them, if it holds no other quote of that kind (an nginx
// log_format of several quoted parts keeps its quotes).
std::string unquoted(const std::string& value) {
    if (value.size() < 2 || (value.front() != '"' && value.front() != '\'') || value.back() != value.front()) return value;
    if (value.find(value.front(), 1) != value.size() - 1) return value;
    return value.substr(1, value.size() - 2);
}

// Parses the config file and stores what it sets into `vm` under the command-line names,
// behind whatever the command line already stored there. Returns, per option set by the
// file, its config key.
std::map<std::string, std::string> store_config(const ConfigFile& file, const std::string& text,
                                                const po::options_description& command_line, po::variables_map& vm) {
    std::map<std::string, std::string> option_of_key, key_of_option;
    std::vector<std::string> known_keys;
    for (const auto& spec : option_table()) {
        if (spec.key.empty()) continue;
        option_of_key[spec.key] = spec.name;
        known_keys.push_back(spec.key);
    }
    std::istringstream in(text);
    const po::parsed_options parsed = po::parse_config_file(in, describe(true), true);
    po::parsed_options renamed(&command_line);
    for (po::option option : parsed.options) {
        if (option.unregistered) {
            throw UsageError(file.where(option.string_key) + ": unknown key; did you mean " +
                             suggested_key(option.string_key, known_keys) + "?");
        }
        // key = "value" or 'value' means the value (a log's own syntax reads its quotes itself).
        if (option.string_key != "log") {
            for (auto& value : option.value) value = unquoted(value);
        }
        key_of_option[option_of_key[option.string_key]] = option.string_key;
        option.string_key = option_of_key[option.string_key];
        renamed.options.push_back(std::move(option));
    }
    try {
        po::store(renamed, vm);
    } catch (const po::error_with_option_name& e) {
        std::string option = e.get_option_name();
        option.erase(0, option.find_first_not_of('-'));
        const auto key = key_of_option.find(option);
        throw UsageError((key == key_of_option.end() ? file.path() : file.where(key->second)) + ": " + e.what());
    }
    return key_of_option;
}

// Each option's default, then what was given for it.
Options apply(const po::variables_map& vm) {
    Options o;
    for (const auto& spec : option_table()) {
        if (!spec.default_value.empty()) spec.set(o, spec.default_value);
    }
    for (const auto& spec : option_table()) {
        if (!vm.count(spec.name) || vm[spec.name].defaulted()) continue;
        std::vector<std::string> values;
        switch (spec.kind) {
            case OptionSpec::Kind::flag: values = {vm[spec.name].as<bool>() ? "true" : "false"}; break;
            case OptionSpec::Kind::value: values = {vm[spec.name].as<std::string>()}; break;
            case OptionSpec::Kind::list: values = vm[spec.name].as<std::vector<std::string>>(); break;
        }
        for (const auto& value : values) {
            if (const std::string expected = spec.set(o, value); !expected.empty()) {
                throw UsageError("--" + spec.name + " " + expected + ", not '" + value + "'", spec.name);
            }
        }
    }
    return o;
}

void check(bool ok, const char* option, const std::string& message) {
    if (!ok) throw UsageError(message, option);
}

// What no single option can check alone. `from_file_only`: of the options only a live daemon
// or only a replay uses, those the config file set and the command line did not;
// `config_found`: there is a config file.
void validate(Options& o, const po::variables_map& vm, const std::set<std::string>& from_file_only, bool config_found) {
    if (vm.count("replay")) o.replay_files = vm["replay"].as<std::vector<std::string>>();
    // An empty path (`--replay "$LOG"` with LOG unset) was no replay at all: "nothing to do".
    check(std::none_of(o.replay_files.begin(), o.replay_files.end(), [](const std::string& f) { return f.empty(); }),
          "replay", "--replay takes the paths of the logs to read (- for standard input), and one is empty");
    if (!o.replay_files.empty()) o.replay = o.replay_files.front();
    check(o.replay_files.size() < 2 || std::find(o.replay_files.begin(), o.replay_files.end(), "-") == o.replay_files.end(),
          "replay", "--replay - (standard input) cannot be one of several files");
    // A replay takes formats, rules and sinks from the config, but not what only a live
    // daemon uses: its logs, the quiet stdout of a service, its report file and statsd (below;
    // the state file and the HTTP listener are never used by a replay).
    if (!o.replay.empty() && from_file_only.count("log")) o.logs.clear(), o.syslog_tags.clear();
    if (!o.replay.empty() && from_file_only.count("listen-syslog")) o.listen_syslog.clear();
    check(o.replay.empty() || o.listen_syslog.empty(), "listen-syslog", "--replay and --listen-syslog cannot be used together");
    for (const auto& log : o.logs) {
        check(!is_report_file(o, log), "report-file",
              "report-file " + o.report_file + " is a log it follows (log " + log + "): its reports would be read as "
              "that log's lines; name another file");
    }
    if (!o.replay.empty() && from_file_only.count("output") && o.output == OutputFormat::none) o.output.reset();
    // The config's report file and statsd take the live daemon's reports as they happen. A
    // replay's history appended to the one, or sent to the other as this moment's counters,
    // would read as traffic now (the installed config appends to /var/log/hitwatch). Graphite
    // stamps each report with its own time, so the config's Graphite is kept.
    const auto leave_out = [&o](const char* key, const std::string& value, const char* instead) {
        o.replay_left_out.push_back(std::string("the config's ").append(key).append(" = ").append(value)
                                        .append(" is the live daemon's: ").append(instead));
    };
    if (!o.replay.empty() && from_file_only.count("report-file") && !o.report_file.empty()) {
        leave_out("report-file", o.report_file, "a replay does not append to it (give --report-file to)");
        o.report_file.clear();
    }
    if (!o.replay.empty() && from_file_only.count("statsd") && !o.statsd.empty()) {
        leave_out("[statsd] address", to_string(o.statsd), "a replay does not send to it (give --statsd to)");
        o.statsd = {};
    }
    const auto& a = o.monitor.alert;
    check(a.window_s % a.interval_s == 0, "alert-window",
          "--alert-window (" + std::to_string(a.window_s) + ") must be a multiple of --interval (" +
              std::to_string(a.interval_s) + ")");
    check(o.syslog_tags.empty() || !o.listen_syslog.empty() || !o.replay.empty(), "log",
          "log = syslog:... needs listen-syslog = udp://ADDR:PORT or tcp://ADDR:PORT to receive it");
    check(!o.replay.empty() || !o.logs.empty() || !o.listen_syslog.empty(), "log",
          config_found ? std::string("nothing to do: the config names no log; give --log PATH to follow a log, or "
                                     "--replay FILE to process one")
                       : std::string("nothing to do: no config file at ") + kDefaultConfig +
                             " and no --log; give --log PATH to follow a log (or write log = PATH into " +
                             kDefaultConfig + ", see man hitwatchd), or --replay FILE to process one");
    check(o.replay.empty() || o.logs.empty(), "replay", "--replay and --log cannot be used together");
    // A config shared with replays may name their page; a live command line that asks for one
    // would wait for a page that never comes.
    check(!o.replay.empty() || o.report_html.empty() || from_file_only.count("report-html") > 0, "report-html",
          "--report-html is a replay's page (--replay FILE); the live daemon's is the dashboard (--http)");
    for (const char* bound : {"since", "until"}) {
        check(!o.replay.empty() || !vm.count(bound), bound,
              std::string("--") + bound + " picks the lines of a replay (--replay FILE); the live daemon counts what "
                                          "is written from now on");
    }
    check(!o.since || !o.until || *o.since < *o.until, "until",
          "--until (" + (o.until ? hitwatch::format_iso8601(*o.until) : "") + ") must be after --since (" +
              (o.since ? hitwatch::format_iso8601(*o.since) : "") + ")");
    // Replaying an old log should not page anyone, unless its command line names a syslog
    // socket: the config's is the live daemon's.
    const bool socket_given = vm.count("syslog-socket") && !vm["syslog-socket"].defaulted();
    const bool config_socket = from_file_only.count("syslog-socket") > 0;
    o.syslog = !o.no_syslog && (o.replay.empty() || (socket_given && !config_socket));
    if (!o.replay.empty() && !o.no_syslog && socket_given && config_socket) {
        leave_out("[syslog] socket", o.syslog_socket, "a replay's alerts page nobody (give --syslog-socket to)");
    }
}

// What --check-config finds on disk that would fail at run time: a log that is a directory
// (an error), a state or report file whose directory is missing (an error, but for the two
// the systemd unit creates), a log the unit's user could not read or a glob that matches
// nothing (warnings).
struct PathFindings {
    std::string errors, warnings;
};
PathFindings check_paths(const Options& o) {
    namespace fs = std::filesystem;
    PathFindings found;
    std::error_code ec;
    std::vector<SameFile> same;
    const std::vector<LogPath> logs = match_logs(o, {}, &same);
    std::vector<std::string> paths;
    for (const auto& log : logs) paths.push_back(log.path);
    for (const auto& s : same) {
        paths.push_back(s.path);  // a match all the same
        found.warnings += "warning: log " + s.path + " names the same file as " + s.as +
                          " (a symlink or a hard link); it is followed once, as " + s.as + "\n";
    }
    for (const auto& pattern : unmatched_globs(o, paths)) {
        found.warnings += "warning: log " + pattern + " matches no file now; files that come to match it will be "
                          "followed from their start\n";
    }
    for (const auto& [log, matched] : logs) {
        if (fs::is_directory(log, ec)) {
            found.errors += "log " + log + " is a directory, not a log file\n";
            continue;
        }
        struct stat info {};
        if (::stat(log.c_str(), &info) != 0) {  // waited for, as documented; but it may be a typo
            if (errno == ENOENT && !matched) {
                found.warnings += "warning: log " + log + " does not exist now; it will be followed from its start once "
                                  "it appears\n";
            }
            continue;
        }
        const group* adm = ::getgrnam("adm");
        const bool by_adm = adm != nullptr && info.st_gid == adm->gr_gid && (info.st_mode & S_IRGRP);
        if (!(info.st_mode & S_IROTH) && !by_adm) {
            found.warnings += "warning: log " + log + " is not readable by group adm or others: the systemd unit runs as "
                              "the dynamic user hitwatch (in group adm), which will not read it\n";
        }
    }
    // An olddir that is not there is looked in once it is (logrotate's createolddir makes it
    // at the first rotation); but it may be a typo.
    std::set<std::string> olddirs;
    for (const auto& log : logs) {
        const fs::path target = fs::canonical(log.path, ec);  // a symlink's rotations are its target's
        const std::string file = ec ? log.path : target.string();
        for (const auto& olddir : o.olddirs) olddirs.insert(hitwatch::olddir_of(hitwatch::directory_of(file), olddir));
    }
    for (const auto& olddir : olddirs) {
        if (!fs::is_directory(olddir, ec)) {
            found.warnings += "warning: olddir " + olddir + " is not a directory now; rotated logs are looked for "
                              "in it once it is\n";
        }
    }
    const auto check_directory = [&](const std::string& option, const std::string& path) {
        if (path.empty()) return;
        const std::string directory = fs::path(path).parent_path().string();
        if (directory.empty() || directory == "/var/lib/hitwatch" || directory == "/var/log/hitwatch") return;
        if (!fs::is_directory(directory, ec)) found.errors += option + " " + path + ": the directory " + directory + " does not exist\n";
    };
    check_directory("state-file", o.state_file);
    check_directory("report-file", o.report_file);
    return found;
}

// `--replay --output json`: boost takes a missing value from the next word even when that
// word is an option (it looks the word up with its dashes, and so never finds it), and the
// replay opened "--output" and "json". A file named so is given as a path: ./--output.
void refuse_options_as_values(const po::parsed_options& parsed, const po::options_description& described) {
    for (const po::option& given : parsed.options) {
        if (given.value.empty()) continue;
        const std::string& first = given.value.front();
        if (first.rfind("--", 0) != 0) continue;
        const std::size_t equals = first.find('=');
        const std::string name = first.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
        if (described.find_nothrow(name, false) == nullptr) continue;
        throw UsageError(std::string("--").append(given.string_key).append(" needs a value, and '").append(first).append(
            "' is an option (a file named so is given as ./").append(first).append(")"));
    }
}

}  // namespace

std::vector<std::string> format_warnings(const Options& o) {
    std::set<std::string> formats = {o.log_format};
    for (const auto& [log, format] : o.log_formats) formats.insert(format);
    std::vector<std::string> warnings;
    for (const auto& format : formats) {
        for (const auto& unknown : hitwatch::compile_format(format).unknown) {
            warnings.push_back("format '" + format + "': " + unknown.directive + " at column " +
                               std::to_string(unknown.column) + " is not a field hitwatch knows; it is skipped");
        }
    }
    return warnings;
}

hitwatch::LogFormat format_of(const Reading& reading) {
    hitwatch::LogFormat format = hitwatch::compile_format(reading.format).format;
    format.local_to_utc = hitwatch::os::local_to_utc;  // what Apache writes %{...}t in
    for (const auto& field : reading.json_fields) hitwatch::set_json_field(format.json, field);
    return format;
}

CommandLine parse_command_line(int argc, const char* const argv[]) {
    CommandLine cl;
    const po::options_description described = describe(false);
    po::variables_map vm;
    try {
        const po::parsed_options parsed = po::command_line_parser(argc, argv).options(described).run();
        // A word that is no option's value (--replay a.log --threads 2 b.log: b.log follows
        // --threads' value) was dropped without a word, and its file never read.
        const auto stray = po::collect_unrecognized(parsed.options, po::include_positional);
        if (!stray.empty()) {
            throw UsageError(std::string("'").append(stray.front()).append(
                "' is not the value of an option: files go right after --replay or --log (--replay a.log b.log "
                "--threads 2)"));
        }
        refuse_options_as_values(parsed, described);
        po::store(parsed, vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    if (vm.count("help") && vm["help"].as<bool>()) {
        std::ostringstream text;
        text << "Usage: hitwatchd --log PATH [--log PATH...] [options]\n"
                "       hitwatchd --replay FILE [FILE...] [options]\n"
                "       hitwatchd --check-config [--config PATH] [--log PATH]\n"
                "Counts HTTP access log hits per site section and alerts on abnormal traffic.\n"
                "Every option but help, version, config, check-config and replay is also a key of the\n"
                "config file, in the [section] its group names (e.g. --alert-rule is [alert] rule).\n"
             << described;
        cl.action = CommandLine::Action::help;
        cl.text = text.str();
        return cl;
    }
    if (vm.count("version") && vm["version"].as<bool>()) {
        cl.action = CommandLine::Action::version;
        // "hitwatchd 1.0.0 (commit 0123456789ab, Boost 1.81.0)": the version first, as scripts
        // and the package test read it.
        cl.text = std::string("hitwatchd ") + kVersion + " (" + (*kCommit ? std::string("commit ") + kCommit + ", " : "") +
                  "Boost " + std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) +
                  "." + std::to_string(BOOST_VERSION % 100) + ")\n";
        return cl;
    }

    // Options the command line gave: the config's value of a live-only one is not ignored then.
    std::set<std::string> on_command_line;
    for (const auto& [name, value] : vm) on_command_line.insert(name);
    const bool config_given = vm.count("config") > 0;
    const std::string config_path = config_given ? vm["config"].as<std::string>() : kDefaultConfig;
    bool found = false;
    const std::string text = read_config_text(config_path, config_given, found);
    std::optional<ConfigFile> file;
    std::map<std::string, std::string> from_file;
    try {
        if (found) {
            file.emplace(config_path, text);
            from_file = store_config(*file, text, described, vm);
            cl.config_path = config_path;
        }
        po::notify(vm);
        cl.options = apply(vm);
        std::set<std::string> from_file_only;
        for (const char* name :
             {"log", "output", "listen-syslog", "report-file", "statsd", "syslog-socket", "report-html"}) {
            if (from_file.count(name) && !on_command_line.count(name)) from_file_only.insert(name);
        }
        validate(cl.options, vm, from_file_only, found);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    } catch (const UsageError& e) {
        // A value the file set (and the command line did not) is reported at its line.
        const auto key = from_file.find(e.option);
        if (file && key != from_file.end() && !e.option.empty()) throw UsageError(file->where(key->second) + ": " + e.what());
        throw;
    }
    if (vm.count("check-config") && vm["check-config"].as<bool>()) {
        cl.action = CommandLine::Action::check_config;
        cl.text = (found ? config_path : std::string("the command line")) + ": configuration OK\n";
        const PathFindings paths = check_paths(cl.options);
        if (!paths.errors.empty()) {
            std::string message = paths.errors;
            message.pop_back();
            throw UsageError((found ? config_path : std::string("the command line")) + ": " + message);
        }
        const SampleFindings samples = check_log_samples(cl.options);
        if (!samples.errors.empty()) {
            std::string message = samples.errors;
            message.pop_back();
            throw UsageError((found ? config_path : std::string("the command line")) + ": " + message);
        }
        for (const auto& warning : format_warnings(cl.options)) cl.text += "warning: " + warning + "\n";
        cl.text += paths.warnings + samples.notes;
    }
    return cl;
}

}  // namespace hitwatchd
