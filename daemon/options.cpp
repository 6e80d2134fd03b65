#include "options.h"

#include "config_file.h"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <boost/version.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace po = boost::program_options;

namespace hitwatchd {
namespace {

// Option values read as text and checked in validate().
struct RawValues {
    std::string rule, output, watch, statsd, graphite, syslog_format, syslog_facility;
    bool no_syslog = false;
};

// The option names: as written on the command line, or as config keys.
using Naming = std::string (*)(const std::string& option);

std::string command_line_name(const std::string& option) { return option; }

// "alert-rule" -> "alert.rule" ([alert] rule), "statsd" -> "statsd.address", ...
std::string config_key(const std::string& option) {
    if (option == "statsd" || option == "graphite") return option + ".address";
    if (option == "no-syslog") return "syslog.disabled";
    for (const std::string section : {"alert", "statsd", "syslog"}) {
        if (option.rfind(section + "-", 0) == 0) return section + "." + option.substr(section.size() + 1);
    }
    return option;
}

// Options that make sense only on a command line, never in the config file.
bool command_line_only(const std::string& option) {
    return option == "help" || option == "version" || option == "config" || option == "check-config" ||
           option == "replay";
}

// The options in the groups of the config file's sections, named by `name`.
po::options_description describe_options(Options& o, RawValues& raw, std::string& config, Naming name) {
    const auto n = [name](const char* option) {
        static thread_local std::vector<std::string> names;  // po keeps the char pointers only during add
        names.push_back(name(option));
        return names.back().c_str();
    };
    po::options_description general("General");
    general.add_options()
        (n("help"), "show this help and exit")
        (n("version"), "show the version and exit")
        (n("config"), po::value(&config)->default_value(kDefaultConfig)->value_name("PATH"),
         "the config file (the command line wins over it)")
        (n("check-config"), "check the configuration, then exit: 0 if valid, 2 if not")
        (n("log"), po::value(&o.logs)->composing()->value_name("PATH"),
         "follow this access log as it grows (repeat for several logs)")
        (n("replay"), po::value(&o.replay)->value_name("FILE"),
         "process an existing log (- for standard input) as fast as possible, then exit")
        (n("from-start"), po::bool_switch(&o.from_start),
         "read a log met for the first time from its start, not its end")
        (n("state-file"), po::value(&o.state_file)->default_value(o.state_file)->value_name("PATH"),
         "where read offsets and the alert window are kept across restarts")
        (n("watch"), po::value(&raw.watch)->default_value("inotify")->value_name("inotify|poll"),
         "how to notice log changes: inotify, or stat polling every 250 ms")
        (n("output"), po::value(&raw.output)->value_name("json|text"),
         "report format (default: text on a terminal, json otherwise)")
        (n("report-file"), po::value(&o.report_file)->value_name("PATH"),
         "also append JSON reports and alerts to this file (reopened on SIGHUP)")
        (n("interval"), po::value(&o.monitor.alert.interval_s)->default_value(10)->value_name("S"),
         "report interval in seconds")
        (n("top"), po::value(&o.monitor.top)->default_value(10)->value_name("N"), "sections listed per report")
        (n("max-line"), po::value(&o.max_line)->default_value(64 * 1024)->value_name("BYTES"),
         "longer lines are counted invalid and skipped")
        (n("log-level"), po::value(&o.log_level)->default_value("info")->value_name("LEVEL"),
         "the daemon's own messages: debug, info, warning, error");
    po::options_description alert("[alert]");
    alert.add_options()
        (n("alert-rule"), po::value(&raw.rule)->default_value("baseline")->value_name("baseline|absolute"),
         "baseline: window above its running mean + margin; absolute: above a fixed rate")
        (n("alert-window"), po::value(&o.monitor.alert.window_s)->default_value(120)->value_name("S"),
         "alert window in seconds, a multiple of the interval")
        (n("alert-threshold"), po::value(&o.monitor.alert.threshold)->default_value(10)->value_name("RPS"),
         "absolute rule: requests per second, averaged over the window")
        (n("alert-margin"), po::value(&o.monitor.alert.margin)->default_value(10)->value_name("HITS"),
         "baseline rule: hits above the running mean");
    po::options_description statsd("[statsd]");
    statsd.add_options()
        (n("statsd"), po::value(&raw.statsd)->value_name("HOST:PORT"), "send metrics to statsd over UDP ([statsd] address)")
        (n("statsd-prefix"), po::value(&o.statsd_settings.prefix)->default_value("hitwatch")->value_name("NAME"),
         "metric name prefix (statsd and Graphite)")
        (n("statsd-max-packet"), po::value(&o.statsd_settings.max_packet)->default_value(1432)->value_name("BYTES"),
         "largest datagram (1432 for the internet, 8932 for jumbo frames)")
        (n("statsd-tags"), po::bool_switch(&o.statsd_settings.tags),
         "DogStatsD tags: hitwatch.section.hits:12|c|#section:/api");
    po::options_description graphite("[graphite]");
    graphite.add_options()
        (n("graphite"), po::value(&raw.graphite)->value_name("HOST:PORT"),
         "send metrics to Graphite's plaintext port over TCP ([graphite] address)");
    po::options_description syslog("[syslog]");
    syslog.add_options()
        (n("no-syslog"), po::bool_switch(&raw.no_syslog), "do not send alerts to syslog ([syslog] disabled = true)")
        (n("syslog-socket"), po::value(&o.syslog_socket)->default_value("/dev/log")->value_name("PATH"),
         "syslog's unix datagram socket (in replay, alerts go to syslog only when this is given)")
        (n("syslog-format"), po::value(&raw.syslog_format)->default_value("rfc5424")->value_name("rfc5424|rfc3164"),
         "syslog message format")
        (n("syslog-facility"), po::value(&raw.syslog_facility)->default_value("daemon")->value_name("NAME"),
         "syslog facility: daemon, user, local0..local7, ...");
    po::options_description all;
    all.add(general).add(alert).add(statsd).add(graphite).add(syslog);
    return all;
}

void check(bool ok, const char* option, const std::string& message) {
    if (!ok) throw UsageError(message, option);
}

void validate(Options& o, const RawValues& raw, const po::variables_map& vm) {
    const std::string& rule = raw.rule;
    const std::string& output = raw.output;
    const std::string& watch = raw.watch;
    const auto& a = o.monitor.alert;
    check(a.interval_s > 0, "interval", "--interval must be a positive number of seconds");
    check(a.window_s > 0, "alert-window", "--alert-window must be a positive number of seconds");
    check(a.window_s % a.interval_s == 0, "alert-window",
          "--alert-window (" + std::to_string(a.window_s) + ") must be a multiple of --interval (" +
              std::to_string(a.interval_s) + ")");
    check(a.threshold >= 0, "alert-threshold", "--alert-threshold must be 0 or more requests per second");
    check(a.margin >= 0, "alert-margin", "--alert-margin must be 0 or more hits");
    check(o.max_line >= 256, "max-line", "--max-line must be at least 256 bytes");
    const auto kind = hitwatch::alert_rule_from_name(rule);
    check(kind.has_value(), "alert-rule", "--alert-rule must be baseline or absolute, not '" + rule + "'");
    o.monitor.alert.rule = *kind;
    if (output.empty()) {
        o.output = isatty(STDOUT_FILENO) ? OutputFormat::text : OutputFormat::json;
    } else {
        check(output == "json" || output == "text", "output", "--output must be json or text, not '" + output + "'");
        o.output = output == "json" ? OutputFormat::json : OutputFormat::text;
    }
    check(o.log_level == "debug" || o.log_level == "info" || o.log_level == "warning" ||
              o.log_level == "error", "log-level",
          "--log-level must be debug, info, warning or error");
    check(watch == "inotify" || watch == "poll", "watch", "--watch must be inotify or poll, not '" + watch + "'");
    o.watch = watch == "poll" ? WatchMode::poll : WatchMode::inotify;
    check(!o.replay.empty() || !o.logs.empty(), "log",
          "nothing to do: give --log PATH to follow a log, or --replay FILE to process one");
    check(o.replay.empty() || o.logs.empty(), "replay", "--replay and --log cannot be used together");
    if (!raw.statsd.empty()) {
        const auto statsd = parse_host_port(raw.statsd);
        check(statsd.has_value(), "statsd", "--statsd must be HOST:PORT with a port from 1 to 65535, not '" + raw.statsd + "'");
        o.statsd = *statsd;
    }
    if (!raw.graphite.empty()) {
        const auto graphite = parse_host_port(raw.graphite);
        check(graphite.has_value(), "graphite", "--graphite must be HOST:PORT with a port from 1 to 65535, not '" + raw.graphite + "'");
        o.graphite = *graphite;
    }
    check(o.statsd_settings.max_packet >= 64 && o.statsd_settings.max_packet <= 65000, "statsd-max-packet",
          "--statsd-max-packet must be from 64 to 65000 bytes");
    check(!o.statsd_settings.prefix.empty() && o.statsd_settings.prefix == hitwatch::tag_value(o.statsd_settings.prefix) &&
              o.statsd_settings.prefix.find('/') == std::string::npos, "statsd-prefix",
          "--statsd-prefix may hold only letters, digits, '_', '-' and '.'");
    check(raw.syslog_format == "rfc5424" || raw.syslog_format == "rfc3164", "syslog-format",
          "--syslog-format must be rfc5424 or rfc3164, not '" + raw.syslog_format + "'");
    o.syslog_format = raw.syslog_format == "rfc3164" ? hitwatch::SyslogFormat::rfc3164 : hitwatch::SyslogFormat::rfc5424;
    const auto facility = hitwatch::syslog_facility(raw.syslog_facility);
    check(facility.has_value(), "syslog-facility", "--syslog-facility must be a syslog facility such as daemon or local0, not '" +
                                    raw.syslog_facility + "'");
    o.syslog_facility = *facility;
    // Replaying an old log should not page anyone, unless a syslog socket is named.
    o.syslog = !raw.no_syslog && (o.replay.empty() || !vm["syslog-socket"].defaulted());
}

}  // namespace

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

namespace {

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

// Parses the config file with Boost.Program_options and stores what it sets into `vm`,
// under the command-line names, behind whatever the command line already stored there.
// Returns, per command-line option set by the file, its config key.
std::map<std::string, std::string> store_config(const ConfigFile& file, const std::string& text,
                                                const po::options_description& command_line,
                                                const po::options_description& by_key, po::variables_map& vm) {
    po::options_description allowed;
    std::map<std::string, std::string> option_of_key;
    std::vector<std::string> known_keys;
    for (const auto& option : by_key.options()) {
        const std::string& key = option->long_name();
        for (const auto& cli : command_line.options()) {
            if (config_key(cli->long_name()) == key && !command_line_only(cli->long_name())) {
                option_of_key[key] = cli->long_name();
                known_keys.push_back(key);
                allowed.add(option);
            }
        }
    }
    std::istringstream in(text);
    const po::parsed_options parsed = po::parse_config_file(in, allowed, true);
    po::parsed_options renamed(&command_line);
    std::map<std::string, std::string> key_of_option;
    for (po::option option : parsed.options) {
        if (option.unregistered) {
            throw UsageError(file.where(option.string_key) + ": unknown key; did you mean " +
                             display_key(nearest_key(option.string_key, known_keys)) + "?");
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

}  // namespace

CommandLine parse_command_line(int argc, const char* const argv[]) {
    CommandLine cl;
    RawValues raw;
    std::string config;
    const po::options_description described = describe_options(cl.options, raw, config, command_line_name);
    RawValues unused_raw;
    Options unused_options;
    std::string unused_config;
    const po::options_description by_key = describe_options(unused_options, unused_raw, unused_config, config_key);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(described).run(), vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    if (vm.count("help")) {
        std::ostringstream text;
        text << "Usage: hitwatchd --log PATH [--log PATH...] [options]\n"
                "       hitwatchd --replay FILE [options]\n"
                "       hitwatchd --check-config [--config PATH]\n"
                "Counts HTTP access log hits per site section and alerts on abnormal traffic.\n"
                "Every option but help, version, config, check-config and replay is also a key of the\n"
                "config file, in the [section] its group names (e.g. --alert-rule is [alert] rule).\n"
             << described;
        cl.action = CommandLine::Action::help;
        cl.text = text.str();
        return cl;
    }
    if (vm.count("version")) {
        cl.action = CommandLine::Action::version;
        cl.text = "hitwatchd " HITWATCH_VERSION " (Boost " + std::to_string(BOOST_VERSION / 100000) + "." +
                  std::to_string(BOOST_VERSION / 100 % 1000) + "." + std::to_string(BOOST_VERSION % 100) + ")\n";
        return cl;
    }

    const std::string config_path = vm["config"].as<std::string>();
    bool found = false;
    const std::string text = read_config_text(config_path, !vm["config"].defaulted(), found);
    std::optional<ConfigFile> file;
    std::map<std::string, std::string> from_file;
    if (found) {
        file.emplace(config_path, text);
        from_file = store_config(*file, text, described, by_key, vm);
        cl.config_path = config_path;
    }
    try {
        po::notify(vm);
        validate(cl.options, raw, vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    } catch (const UsageError& e) {
        // A value the file set (and the command line did not) is reported at its line.
        const auto key = from_file.find(e.option);
        if (file && key != from_file.end() && !e.option.empty()) throw UsageError(file->where(key->second) + ": " + e.what());
        throw;
    }
    if (vm.count("check-config")) {
        cl.action = CommandLine::Action::check_config;
        cl.text = (found ? config_path : std::string("the command line")) + ": configuration OK\n";
    }
    return cl;
}

}  // namespace hitwatchd
