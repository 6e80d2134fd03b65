#include "options.h"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <boost/version.hpp>
#include <sstream>

namespace po = boost::program_options;

namespace hitwatchd {
namespace {

po::options_description describe_options(Options& o, std::string& rule, std::string& output,
                                         std::string& watch) {
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
    po::options_description all;
    all.add(general).add(alert);
    return all;
}

void check(bool ok, const std::string& message) {
    if (!ok) throw UsageError(message);
}

void validate(Options& o, const std::string& rule, const std::string& output, const std::string& watch) {
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
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const argv[]) {
    CommandLine cl;
    std::string rule, output, watch;
    const po::options_description described = describe_options(cl.options, rule, output, watch);
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
    validate(cl.options, rule, output, watch);
    return cl;
}

}  // namespace hitwatchd
