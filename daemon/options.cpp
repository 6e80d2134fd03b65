#include "options.h"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <boost/version.hpp>
#include <sstream>

namespace po = boost::program_options;

namespace hitwatchd {
namespace {

// Option values read as text and checked in validate().
struct RawValues {
    std::string rule, output, watch, statsd, graphite, syslog_format, syslog_facility;
    bool no_syslog = false;
};

po::options_description describe_options(Options& o, RawValues& raw) {
    std::string& rule = raw.rule;
    std::string& output = raw.output;
    std::string& watch = raw.watch;
    po::options_description general("General");
    general.add_options()
        ("help,h", "show this help and exit")
        ("version", "show the version and exit")
        ("log", po::value(&o.logs)->value_name("PATH"),
         "follow this access log as it grows (repeat for several logs)")
        ("replay", po::value(&o.replay)->value_name("FILE"),
         "process an existing log (- for standard input) as fast as possible, then exit")
        ("from-start", po::bool_switch(&o.from_start),
         "read a log met for the first time from its start, not its end")
        ("state-file", po::value(&o.state_file)->default_value(o.state_file)->value_name("PATH"),
         "where read offsets and the alert window are kept across restarts")
        ("watch", po::value(&watch)->default_value("inotify")->value_name("inotify|poll"),
         "how to notice log changes: inotify, or stat polling every 250 ms")
        ("output", po::value(&output)->value_name("json|text"),
         "report format (default: text on a terminal, json otherwise)")
        ("interval", po::value(&o.monitor.alert.interval_s)->default_value(10)->value_name("S"),
         "report interval in seconds")
        ("top", po::value(&o.monitor.top)->default_value(10)->value_name("N"),
         "sections listed per report")
        ("max-line", po::value(&o.max_line)->default_value(64 * 1024)->value_name("BYTES"),
         "longer lines are counted invalid and skipped")
        ("log-level", po::value(&o.log_level)->default_value("info")->value_name("LEVEL"),
         "the daemon's own messages: debug, info, warning, error");
    po::options_description alert("Alert");
    alert.add_options()
        ("alert-rule", po::value(&rule)->default_value("baseline")->value_name("baseline|absolute"),
         "baseline: window above its running mean + margin; absolute: above a fixed rate")
        ("alert-window", po::value(&o.monitor.alert.window_s)->default_value(120)->value_name("S"),
         "alert window in seconds, a multiple of the interval")
        ("alert-threshold", po::value(&o.monitor.alert.threshold)->default_value(10)->value_name("RPS"),
         "absolute rule: requests per second, averaged over the window")
        ("alert-margin", po::value(&o.monitor.alert.margin)->default_value(10)->value_name("HITS"),
         "baseline rule: hits above the running mean");
    po::options_description sinks("Outputs");
    sinks.add_options()
        ("report-file", po::value(&o.report_file)->value_name("PATH"),
         "also append JSON reports and alerts to this file (reopened on SIGHUP)")
        ("statsd", po::value(&raw.statsd)->value_name("HOST:PORT"), "send metrics to statsd over UDP")
        ("statsd-prefix", po::value(&o.statsd_settings.prefix)->default_value("hitwatch")->value_name("NAME"),
         "metric name prefix (statsd and Graphite)")
        ("graphite", po::value(&raw.graphite)->value_name("HOST:PORT"),
         "send metrics to Graphite's plaintext port over TCP")
        ("statsd-max-packet", po::value(&o.statsd_settings.max_packet)->default_value(1432)->value_name("BYTES"),
         "largest datagram (1432 for the internet, 8932 for jumbo frames)")
        ("statsd-tags", po::bool_switch(&o.statsd_settings.tags),
         "DogStatsD tags: hitwatch.section.hits:12|c|#section:/api")
        ("no-syslog", po::bool_switch(&raw.no_syslog), "do not send alerts to syslog")
        ("syslog-socket", po::value(&o.syslog_socket)->default_value("/dev/log")->value_name("PATH"),
         "syslog's unix datagram socket (in replay, alerts go to syslog only when this is given)")
        ("syslog-format", po::value(&raw.syslog_format)->default_value("rfc5424")->value_name("rfc5424|rfc3164"),
         "syslog message format")
        ("syslog-facility", po::value(&raw.syslog_facility)->default_value("daemon")->value_name("NAME"),
         "syslog facility: daemon, user, local0..local7, ...");
    po::options_description all;
    all.add(general).add(alert).add(sinks);
    return all;
}

void check(bool ok, const std::string& message) {
    if (!ok) throw UsageError(message);
}

void validate(Options& o, const RawValues& raw, const po::variables_map& vm) {
    const std::string& rule = raw.rule;
    const std::string& output = raw.output;
    const std::string& watch = raw.watch;
    const auto& a = o.monitor.alert;
    check(a.interval_s > 0, "--interval must be a positive number of seconds");
    check(a.window_s > 0, "--alert-window must be a positive number of seconds");
    check(a.window_s % a.interval_s == 0,
          "--alert-window (" + std::to_string(a.window_s) + ") must be a multiple of --interval (" +
              std::to_string(a.interval_s) + ")");
    check(a.threshold >= 0, "--alert-threshold must be 0 or more requests per second");
    check(a.margin >= 0, "--alert-margin must be 0 or more hits");
    check(o.max_line >= 256, "--max-line must be at least 256 bytes");
    const auto kind = hitwatch::alert_rule_from_name(rule);
    check(kind.has_value(), "--alert-rule must be baseline or absolute, not '" + rule + "'");
    o.monitor.alert.rule = *kind;
    if (output.empty()) {
        o.output = isatty(STDOUT_FILENO) ? OutputFormat::text : OutputFormat::json;
    } else {
        check(output == "json" || output == "text", "--output must be json or text, not '" + output + "'");
        o.output = output == "json" ? OutputFormat::json : OutputFormat::text;
    }
    check(o.log_level == "debug" || o.log_level == "info" || o.log_level == "warning" ||
              o.log_level == "error",
          "--log-level must be debug, info, warning or error");
    check(watch == "inotify" || watch == "poll", "--watch must be inotify or poll, not '" + watch + "'");
    o.watch = watch == "poll" ? WatchMode::poll : WatchMode::inotify;
    check(!o.replay.empty() || !o.logs.empty(),
          "nothing to do: give --log PATH to follow a log, or --replay FILE to process one");
    check(o.replay.empty() || o.logs.empty(), "--replay and --log cannot be used together");
    if (!raw.statsd.empty()) {
        const auto statsd = parse_host_port(raw.statsd);
        check(statsd.has_value(), "--statsd must be HOST:PORT with a port from 1 to 65535, not '" + raw.statsd + "'");
        o.statsd = *statsd;
    }
    if (!raw.graphite.empty()) {
        const auto graphite = parse_host_port(raw.graphite);
        check(graphite.has_value(), "--graphite must be HOST:PORT with a port from 1 to 65535, not '" + raw.graphite + "'");
        o.graphite = *graphite;
    }
    check(o.statsd_settings.max_packet >= 64 && o.statsd_settings.max_packet <= 65000,
          "--statsd-max-packet must be from 64 to 65000 bytes");
    check(!o.statsd_settings.prefix.empty() && o.statsd_settings.prefix == hitwatch::tag_value(o.statsd_settings.prefix) &&
              o.statsd_settings.prefix.find('/') == std::string::npos,
          "--statsd-prefix may hold only letters, digits, '_', '-' and '.'");
    check(raw.syslog_format == "rfc5424" || raw.syslog_format == "rfc3164",
          "--syslog-format must be rfc5424 or rfc3164, not '" + raw.syslog_format + "'");
    o.syslog_format = raw.syslog_format == "rfc3164" ? hitwatch::SyslogFormat::rfc3164 : hitwatch::SyslogFormat::rfc5424;
    const auto facility = hitwatch::syslog_facility(raw.syslog_facility);
    check(facility.has_value(), "--syslog-facility must be a syslog facility such as daemon or local0, not '" +
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

CommandLine parse_command_line(int argc, const char* const argv[]) {
    CommandLine cl;
    RawValues raw;
    const po::options_description described = describe_options(cl.options, raw);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(described).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    if (vm.count("help")) {
        std::ostringstream text;
        text << "Usage: hitwatchd --log PATH [--log PATH...] [options]\n"
                "       hitwatchd --replay FILE [options]\n"
                "Counts HTTP access log hits per site section and alerts on abnormal traffic.\n"
             << described;
        cl.action = CommandLine::Action::help;
        cl.text = text.str();
        return cl;
    }
    if (vm.count("version")) {
        cl.action = CommandLine::Action::version;
        cl.text = "hitwatchd " HITWATCH_VERSION " (Boost " + std::to_string(BOOST_VERSION / 100000) +
                  "." + std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                  std::to_string(BOOST_VERSION % 100) + ")\n";
        return cl;
    }
    validate(cl.options, raw, vm);
    return cl;
}

}  // namespace hitwatchd
