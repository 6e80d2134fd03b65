// SPDX-License-Identifier: Apache-2.0
#include "config/option_table.h"

#include "config/http_endpoint.h"

#include <charconv>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <sstream>
#include <type_traits>

#include "core/log_format.h"
#include "core/timestamp.h"
#include "os/local_time.h"
#include "os/log_glob.h"

namespace hitwatchd {
namespace {

using Spec = OptionSpec;
using Kind = OptionSpec::Kind;

std::string shortest(double v) {
    char buf[32];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    return std::string(buf, end);
}

// An option with its name, key, group, value name, default and help; the setters below
// give it its kind and type.
Spec option(std::string name, std::string key, std::string group, std::string value_name, std::string default_value,
            std::string help, bool reloadable = true) {
    Spec s;
    s.name = std::move(name);
    s.key = std::move(key);
    s.group = std::move(group);
    s.value_name = std::move(value_name);
    s.default_value = std::move(default_value);
    s.help = std::move(help);
    s.reloadable = reloadable;
    return s;
}

// `field` is a generic lambda giving the option's member of an Options, const or not.
template <class Field>
std::function<void(Options&, const Options&)> keeping(Field field) {
    return [=](Options& fresh, const Options& running) { field(fresh) = field(running); };
}

template <class Field>
Spec integer(Spec s, long long low, long long high, Field field) {
    s.set = [=](Options& o, const std::string& v) -> std::string {
        long long n = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc() || end != v.data() + v.size() || n < low || n > high) {
            return "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high);
        }
        field(o) = static_cast<std::remove_reference_t<decltype(field(o))>>(n);
        return "";
    };
    s.get = [=](const Options& o) { return std::to_string(field(o)); };
    s.keep = keeping(field);
    return s;
}

template <class Field>
Spec number(Spec s, double low, double high, Field field) {
    s.set = [=](Options& o, const std::string& v) -> std::string {
        double n = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(n) || n < low || n > high) {
            return "must be a number from " + shortest(low) + " to " + shortest(high);
        }
        field(o) = n;
        return "";
    };
    s.get = [=](const Options& o) { return shortest(field(o)); };
    s.keep = keeping(field);
    return s;
}

template <class Field>
Spec flag(Spec s, Field field) {
    s.kind = Kind::flag;
    s.default_value = "false";
    s.set = [=](Options& o, const std::string& v) -> std::string {
        if (v != "true" && v != "false") return "must be true or false";
        field(o) = v == "true";
        return "";
    };
    s.get = [=](const Options& o) { return field(o) ? std::string("true") : std::string("false"); };
    s.keep = keeping(field);
    return s;
}

// A value checked by `check` (which returns what was expected, or "" if it is good) and
// stored as text.
template <class Field, class Check>
Spec text(Spec s, Field field, Check check) {
    s.set = [=](Options& o, const std::string& v) -> std::string {
        if (std::string expected = check(v); !expected.empty()) return expected;
        field(o) = v;
        return "";
    };
    s.get = [=](const Options& o) { return std::string(field(o)); };
    s.keep = keeping(field);
    return s;
}

std::string any_text(const std::string&) { return ""; }

// A time as parse_given_time() reads it, in the machine's zone unless it names one, and one relative
// to now ("-2h", "yesterday") from when the command line is read; shown in UTC.
template <class Field>
Spec moment(Spec s, Field field) {
    s.set = [=](Options& o, const std::string& v) -> std::string {
        const auto time = hitwatch::parse_given_time(v, hitwatch::os::local_to_utc, std::time(nullptr));
        if (!time) {
            return "must be a time: 2026-12-06, 2026-12-06 02:30, 2026-12-06T02:30:15+01:00 (no zone: the "
                   "machine's), 06/Dec/2026:02:30:15 +0100, @UNIX_SECONDS, or one relative to now as journalctl "
                   "reads it: -2h, -1h30min, 90min ago, yesterday, today 02:30, now";
        }
        field(o) = *time;
        return "";
    };
    s.get = [=](const Options& o) { return field(o) ? hitwatch::format_iso8601(*field(o)) : std::string(); };
    s.keep = keeping(field);
    return s;
}

// Words separated by spaces, as a list option shows its values.
std::string joined(const std::vector<std::string>& words) {
    std::string all;
    for (const auto& word : words) all += (all.empty() ? "" : " ") + word;
    return all;
}

// A repeatable value checked by `check`, each one kept, in order.
template <class Field, class Check>
Spec list(Spec s, Field field, Check check) {
    s.kind = Kind::list;
    s.set = [=](Options& o, const std::string& v) -> std::string {
        if (std::string expected = check(v); !expected.empty()) return expected;
        field(o).push_back(v);
        return "";
    };
    s.get = [=](const Options& o) { return joined(field(o)); };
    return s;
}

std::string a_path(const std::string& v) { return v.empty() || v.find('\0') != std::string::npos ? "must be a path" : ""; }

// A preset or a format string that compiles; else what is wrong with it.
std::string a_format(const std::string& v) {
    const hitwatch::CompiledFormat compiled = hitwatch::compile_format(v);
    return compiled.ok() ? ""
                         : "must be a log format (auto, " + std::string(hitwatch::kPresetNames) +
                               ", or an Apache LogFormat, nginx log_format or Envoy format string): " + compiled.error;
}

// Text in double quotes (a backslash escapes the next character), or up to the end.
std::string unquoted(std::string_view v) {
    if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
        if (v[i] == '\\' && i + 2 < v.size()) ++i;
        out += v[i];
    }
    return out;
}

// "PATH", "\"PATH\"" or either followed by " format=FORMAT" (FORMAT quoted if it has spaces).
struct LogWithFormat {
    std::string path;
    std::string format;  // empty: the default
};
LogWithFormat split_log(const std::string& v) {
    LogWithFormat log;
    std::string_view rest = v;
    if (!rest.empty() && rest.front() == '"') {
        size_t close = 1;
        while (close < rest.size() && rest[close] != '"') close += rest[close] == '\\' ? 2 : 1;
        log.path = unquoted(rest.substr(0, std::min(close + 1, rest.size())));
        rest.remove_prefix(std::min(close + 1, rest.size()));
    } else {
        const size_t at = rest.rfind(" format=");
        log.path = std::string(rest.substr(0, at));
        rest.remove_prefix(at == std::string_view::npos ? rest.size() : at);
    }
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.rfind("format=", 0) == 0) {
        log.format = unquoted(rest.substr(7));
        if (log.format.empty()) log.format = "\n";  // "format=" with nothing: caught as a bad format
    } else if (!rest.empty()) {
        log.format = "\n";
        log.path.clear();  // text after a quoted path that is not format=...
    }
    return log;
}

std::string absolute(const std::string& path) {
    if (path.empty() || path == "-") return path;
    std::error_code ec;
    const auto abs = std::filesystem::absolute(path, ec);
    return ec ? path : abs.lexically_normal().string();
}

// One of a few words, each with its value.
template <class T, class Field>
Spec choice(Spec s, std::vector<std::pair<std::string, T>> words, Field field) {
    std::string all;
    for (const auto& [word, value] : words) all += (all.empty() ? "" : ", ") + word;
    if (s.value_name.empty()) {
        for (const auto& [word, value] : words) s.value_name += (s.value_name.empty() ? "" : "|") + word;
    }
    s.set = [=](Options& o, const std::string& v) -> std::string {
        for (const auto& [word, value] : words) {
            if (v == word) {
                field(o) = value;
                return "";
            }
        }
        return "must be one of " + all;
    };
    s.get = [=](const Options& o) {
        for (const auto& [word, value] : words) {
            if (field(o) == value) return word;
        }
        return std::string();
    };
    s.keep = keeping(field);
    return s;
}

template <class Field>
Spec address(Spec s, Field field) {
    s.set = [=](Options& o, const std::string& v) -> std::string {
        if (v.empty()) {
            field(o) = HostPort{};
            return "";
        }
        const auto parsed = parse_host_port(v);
        if (!parsed) return "must be HOST:PORT with a port from 1 to 65535";
        field(o) = *parsed;
        return "";
    };
    s.get = [=](const Options& o) { return to_string(field(o)); };
    s.keep = keeping(field);
    return s;
}

// A command-line-only action (help, version, check-config, config, replay): the parser
// reads it itself.
Spec action(Spec s, Kind kind) {
    s.kind = kind;
    s.set = [](Options&, const std::string&) { return std::string(); };
    s.get = [](const Options&) { return std::string(); };
    return s;
}

std::vector<Spec> make_table() {
    const std::string G = "General", P = "[replay]", A = "[alert]", S = "[statsd]", R = "[graphite]", L = "[syslog]", H = "[http]";
    std::vector<Spec> t;
    t.push_back(action(option("help", "", G, "", "", "show this help and exit"), Kind::flag));
    t.push_back(action(option("version", "", G, "", "", "show the version and exit"), Kind::flag));
    t.push_back(action(option("config", "", G, "PATH", kDefaultConfig, "the config file (the command line wins over it)"),
                       Kind::value));
    t.push_back(action(option("check-config", "", G, "", "", "check the configuration, then exit: 0 if valid, 2 if not"),
                       Kind::flag));
    {
        Spec s = option("log", "log", G, "PATH", "",
                        "follow this access log as it grows (repeat for several logs); \"PATH format=FORMAT\" gives it "
                        "a format of its own (a path with spaces in double quotes); *, ? and [...] in the file name "
                        "follow every matching file, those that appear later too");
        s.kind = Kind::list;
        s.set = [](Options& o, const std::string& v) -> std::string {
            const LogWithFormat log = split_log(v);
            if (log.path.empty()) return "must be PATH or \"PATH\", then optionally format=FORMAT";
            if (log.path.rfind(kSyslogLogPrefix, 0) == 0) {  // a sender tag's log, not a path
                if (!log.format.empty()) {
                    if (std::string expected = a_format(log.format); !expected.empty()) return "format= " + expected;
                    o.log_formats[log.path] = log.format;
                }
                o.syslog_tags.push_back(log.path.substr(kSyslogLogPrefix.size()));
                return "";
            }
            if (std::string expected = a_path(log.path); !expected.empty()) return expected;
            if (hitwatch::has_glob_directory(log.path)) {
                return "may have wildcards (*, ? and [...]) in its file name only, not in its directory";
            }
            if (!log.format.empty()) {
                if (std::string expected = a_format(log.format); !expected.empty()) return "format= " + expected;
            }
            const std::string path = absolute(log.path);
            o.logs.push_back(path);
            if (!log.format.empty()) o.log_formats[path] = log.format;
            return "";
        };
        s.get = [](const Options& o) {
            std::string all;
            std::vector<std::string> logs = o.logs;
            for (const auto& tag : o.syslog_tags) logs.push_back(std::string(kSyslogLogPrefix) + tag);
            for (const auto& log : logs) {
                all += (all.empty() ? "" : " ") + log;
                if (o.log_formats.count(log)) all += " format=" + o.log_formats.at(log);
            }
            return all;
        };
        t.push_back(std::move(s));
    }
    {
        Spec s = option("listen-syslog", "listen-syslog", G, "udp://ADDR:PORT|tcp://ADDR:PORT", "",
                        "receive access log lines over syslog on this address (repeatable): RFC 3164 or 5424, over "
                        "TCP octet-counted or a line each; log = syslog:TAG names a sender tag's log",
                        false);
        s.kind = Kind::list;
        s.set = [](Options& o, const std::string& v) -> std::string {
            SyslogListen listen;
            std::string rest;
            if (v.rfind("udp://", 0) == 0) rest = v.substr(6);
            else if (v.rfind("tcp://", 0) == 0) listen.tcp = true, rest = v.substr(6);
            else return "must be udp://ADDR:PORT or tcp://ADDR:PORT";
            const auto parsed = parse_host_port(rest);
            if (!parsed || !http_endpoint(parsed->host, parsed->port)) {
                return "must be udp:// or tcp:// and ADDR:PORT with a numeric address or localhost "
                       "(udp://127.0.0.1:5514)";
            }
            listen.address = *parsed;
            o.listen_syslog.push_back(listen);
            return "";
        };
        s.get = [](const Options& o) {
            std::string all;
            for (const auto& l : o.listen_syslog) {
                all.append(all.empty() ? "" : " ").append(l.tcp ? "tcp://" : "udp://").append(to_string(l.address));
            }
            return all;
        };
        s.keep = keeping([](auto& o) -> auto& { return o.listen_syslog; });
        t.push_back(std::move(s));
    }
    {
        Spec s = option("exclude", "exclude", G, "PATTERNS", joined(hitwatch::kDefaultExcludes),
                        "file names a log glob does not follow, separated by spaces (by default the names logrotate "
                        "gives rotated logs, which are read as their log's rotations); empty: none");
        s.set = [](Options& o, const std::string& v) -> std::string {
            std::vector<std::string> patterns;
            std::istringstream words(v);
            for (std::string word; words >> word;) {
                if (word.find('/') != std::string::npos) return "must be file-name patterns, without a /";
                patterns.push_back(word);
            }
            o.exclude = std::move(patterns);
            return "";
        };
        s.get = [](const Options& o) { return joined(o.exclude); };
        t.push_back(std::move(s));
    }
    t.push_back(list(option("olddir", "olddir", G, "DIR", "",
                            "also look for rotated logs in this directory (repeatable), as logrotate's olddir puts "
                            "them: relative to each log's directory unless absolute; rotated files beside the log are "
                            "always looked for"),
                     [](auto& o) -> auto& { return o.olddirs; },
                     [](const std::string& v) { return a_path(v).empty() ? "" : "must be a directory"; }));
    t.push_back(action(option("replay", "", G, "FILE", "",
                              "process an existing log (- for standard input) as fast as possible, then exit; several "
                              "files (a.log.2.gz a.log.1 a.log, in any order) are read as one log, oldest first, gzip "
                              "inflated"),
                       Kind::list));
    t.push_back(text(option("log-format", "format", G, "FORMAT", "auto",
                            "the format of every log without one of its own: auto (chosen from its first lines), a "
                            "preset (" + std::string(hitwatch::kPresetNames) +
                                "), or an Apache LogFormat, nginx log_format or Envoy format string"),
                     [](auto& o) -> auto& { return o.log_format; }, a_format));
    t.push_back(list(option("json-field", "json-field", G, "ROLE=NAME[:UNIT]", "",
                            "JSON logs: where a role's value is (roles: time, request, target, method, status, bytes, "
                            "duration, host; a.b reaches into objects; a duration's UNIT is s, ms, us or ns, else "
                            "by the name's _ms/_us/_ns ending, else s); repeat for several roles"),
                     [](auto& o) -> auto& { return o.json_fields; },
                     [](const std::string& v) {
                         hitwatch::JsonFields fields = hitwatch::default_json_fields();
                         return hitwatch::set_json_field(fields, v);
                     }));
    t.push_back(choice(option("section-by", "section-by", G, "", "path",
                              "what names a section: path (/ and the first path segments), or host (the virtual "
                              "host, then the path: shop.example/api; with no host field, an absolute URL's host; "
                              "lines with neither are named by path)"),
                       std::vector<std::pair<std::string, bool>>{{"path", false}, {"host", true}},
                       [](auto& o) -> auto& { return o.sections.by_host; }));
    t.push_back(integer(option("section-depth", "section-depth", G, "N", "1",
                               "path segments in a section name: 1 gives /api, 2 gives /api/v1"),
                        1, 16, [](auto& o) -> auto& { return o.sections.depth; }));
    t.push_back(flag(option("from-start", "from-start", G, "", "", "read a log met for the first time from its start, not its end"),
                     [](auto& o) -> auto& { return o.from_start; }));
    {
        Spec s = text(option("state-file", "state-file", G, "PATH", "/var/lib/hitwatch/state.json",
                             "where read offsets and the alert window are kept across restarts", false),
                      [](auto& o) -> auto& { return o.state_file; }, a_path);
        const auto check = s.set;
        s.set = [check](Options& o, const std::string& v) {
            std::string expected = check(o, v);
            if (expected.empty()) o.state_file = absolute(v);
            return expected;
        };
        t.push_back(std::move(s));
    }
    t.push_back(choice<WatchMode>(option("watch", "watch", G, "", "inotify",
                                         "how to notice log changes: inotify, or stat polling every 250 ms", false),
                                  {{"inotify", WatchMode::inotify}, {"poll", WatchMode::poll}},
                                  [](auto& o) -> auto& { return o.watch; }));
    {
        Spec s = choice<std::optional<OutputFormat>>(
            option("output", "output", G, "json|text|none", "",
                   "report format on standard output (none: reports go to the report file and the sinks only; "
                   "a replay ignores a config's none)",
                   false),
            {{"json", OutputFormat::json}, {"text", OutputFormat::text}, {"none", OutputFormat::none}},
            [](auto& o) -> auto& { return o.output; });
        s.default_shown = "text on a terminal, else json";
        t.push_back(std::move(s));
    }
    t.push_back(text(option("report-file", "report-file", G, "PATH", "",
                            "also append JSON reports and alerts to this file (reopened on SIGHUP; a replay "
                            "ignores a config's: it is the live daemon's)"),
                     [](auto& o) -> auto& { return o.report_file; }, any_text));
    t.push_back(integer(option("interval", "interval", G, "S", "10", "report interval in seconds, aligned to the epoch"), 1,
                        86400, [](auto& o) -> auto& { return o.monitor.alert.interval_s; }));
    t.push_back(integer(option("top", "top", G, "N", "10", "sections listed per report"), 0, 10000,
                        [](auto& o) -> auto& { return o.monitor.top; }));
    t.push_back(integer(option("max-line", "max-line", G, "BYTES", "65536", "longer lines are counted invalid and skipped",
                               false),
                        256, 16 << 20, [](auto& o) -> auto& { return o.max_line; }));
    t.push_back(integer(option("max-sections", "max-sections", G, "N", "10000",
                               "distinct sections an interval counts exactly; past that, the busiest are "
                               "estimated within a stated error"),
                        10, 1000000, [](auto& o) -> auto& { return o.monitor.max_sections; }));
    t.push_back(integer(option("max-skew", "max-skew", G, "S", "3600",
                               "replay: a line dated further ahead of the log's clock moves it only if the next "
                               "valid line confirms the jump"),
                        1, 10 * 365 * 86400LL, [](auto& o) -> auto& { return o.max_skew; }));
    t.push_back(flag(option("all-intervals", "all-intervals", G, "", "",
                            "replay: also report intervals with no traffic and no alert change"),
                     [](auto& o) -> auto& { return o.all_intervals; }));
    t.push_back(text(option("report-html", "report-html", G, "FILE", "",
                            "replay: also write this self-contained HTML page of the whole log (charts of hits with "
                            "the alerts, sections, status codes and response times; the alerts; invalid lines)"),
                     [](auto& o) -> auto& { return o.report_html; }, a_path));
    t.push_back(moment(option("since", "", G, "TIME", "",
                              "replay: report only from TIME on (2026-12-06 02:30, in the machine's zone unless one "
                              "is given; or as journalctl reads it: -2h, yesterday, today 02:30); the alert rules "
                              "learn from the 24 --alert-horizon before it, and the lines before those are not read"),
                       [](auto& o) -> auto& { return o.since; }));
    t.push_back(moment(option("until", "", G, "TIME", "",
                              "replay: report only up to TIME; reading stops where the log reaches it"),
                       [](auto& o) -> auto& { return o.until; }));
    {
        Spec s = integer(option("threads", "replay.threads", P, "N", "",
                                "replay: threads that parse a log, part each; its lines are counted in the log's "
                                "order, so the output is the same for any number (live mode ignores it)"),
                         1, 256, [](auto& o) -> auto& { return o.replay_threads; });
        s.default_shown = "the cores it may run on, or its cgroup's CPU quota if less";
        t.push_back(std::move(s));
    }
    t.push_back(integer(option("max-backfill", "max-backfill", G, "S", "3600",
                               "live: a backlog older than this (after downtime, or read from the start) is "
                               "reported in one backfill report, not interval by interval"),
                        0, 10 * 365 * 86400LL, [](auto& o) -> auto& { return o.max_backfill; }));
    t.push_back(integer(option("unhealthy-after", "unhealthy-after", G, "S", "60",
                               "live: a log not read for this long (missing, unreadable) is a warning"),
                        1, 86400, [](auto& o) -> auto& { return o.unhealthy_after; }));
    t.push_back(integer(option("unhealthy-repeat", "unhealthy-repeat", G, "S", "600",
                               "live: how often that warning is repeated while it lasts"),
                        1, 86400, [](auto& o) -> auto& { return o.unhealthy_repeat; }));
    t.push_back(text(option("log-level", "log-level", G, "debug|info|warning|error", "info",
                            "the daemon's own messages from this level up"),
                     [](auto& o) -> auto& { return o.log_level; },
                     [](const std::string& v) {
                         return v == "debug" || v == "info" || v == "warning" || v == "error"
                                    ? std::string()
                                    : std::string("must be one of debug, info, warning, error");
                     }));

    t.push_back(choice<hitwatch::AlertRuleKind>(
        option("alert-rule", "alert.rule", A, "", "adaptive",
               "adaptive: above the learned normal by more than its noise; baseline: the old tool's "
               "running mean + margin; absolute: above a fixed rate"),
        {{"adaptive", hitwatch::AlertRuleKind::adaptive},
         {"baseline", hitwatch::AlertRuleKind::baseline},
         {"absolute", hitwatch::AlertRuleKind::absolute}},
        [](auto& o) -> auto& { return o.monitor.alert.rule; }));
    t.push_back(integer(option("alert-window", "alert.window", A, "S", "120", "alert window in seconds, a multiple of the interval"),
                        1, 86400, [](auto& o) -> auto& { return o.monitor.alert.window_s; }));
    t.push_back(number(option("alert-threshold", "alert.threshold", A, "RPS", "10",
                              "absolute rule: requests per second, averaged over the window"),
                       0, 1e9, [](auto& o) -> auto& { return o.monitor.alert.threshold; }));
    t.push_back(number(option("alert-margin", "alert.margin", A, "HITS", "10",
                              "baseline rule: hits above the running mean; adaptive rule: the least margin"),
                       0, 1e12, [](auto& o) -> auto& { return o.monitor.alert.margin; }));
    t.push_back(number(option("alert-sensitivity", "alert.sensitivity", A, "SD", "5",
                              "adaptive rule: how improbable a window must be to alert, in standard deviations of "
                              "its noise at the normal level"),
                       1, 100, [](auto& o) -> auto& { return o.monitor.alert.sensitivity; }));
    t.push_back(integer(option("alert-horizon", "alert.horizon", A, "S", "3600",
                               "adaptive rule: how long it takes to learn a new normal (95 % of a lasting change)"),
                        60, 30 * 86400, [](auto& o) -> auto& { return o.monitor.alert.horizon_s; }));
    {
        Spec s = option("alert-min-change", "alert.min-change", A, "PERCENT", "20",
                        "adaptive rule and the errors, latency and drop alerts: the least change from the normal "
                        "that alerts, in percent (so a certain +2.5 % never pages)");
        s.set = [](Options& o, const std::string& v) -> std::string {
            std::string_view text = v;
            while (!text.empty() && (text.back() == '%' || text.back() == ' ')) text.remove_suffix(1);
            double n = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(n) || n < 0 || n > 1000) {
                return "must be a percentage from 0 to 1000";
            }
            o.monitor.alert.min_change = n / 100;
            return "";
        };
        s.get = [](const Options& o) { return shortest(o.monitor.alert.min_change * 100); };
        t.push_back(std::move(s));
    }
    {
        Spec s = option("alert-kinds", "alert.kinds", A, "LIST", "traffic,errors,latency,drop",
                        "the kinds of alert raised, separated by commas (none: no alert): traffic (too many requests, "
                        "by --alert-rule), errors (a wave of 5xx), latency (slow responses, for logs with response "
                        "times), drop (traffic falling away)");
        s.set = [](Options& o, const std::string& v) -> std::string {
            std::string error;
            const auto kinds = hitwatch::AlertKinds::parse(v, error);
            if (!kinds) return error;
            o.monitor.alert.kinds = *kinds;
            return "";
        };
        s.get = [](const Options& o) { return o.monitor.alert.kinds.text(); };
        t.push_back(std::move(s));
    }
    t.push_back(integer(option("alert-errors-min", "alert.errors-min", A, "N", "10",
                               "errors alert: the least 5xx in the window that can alert"),
                        1, 1000000000, [](auto& o) -> auto& { return o.monitor.alert.errors_min; }));
    t.push_back(number(option("alert-latency-min-ms", "alert.latency-min-ms", A, "MS", "100",
                              "latency alert: the least p99 response time, in milliseconds, that can alert"),
                       0, 1e9, [](auto& o) -> auto& { return o.monitor.alert.latency_min_ms; }));
    t.push_back(number(option("alert-drop-min", "alert.drop-min", A, "HITS", "60",
                              "drop alert: armed only while the normal window holds at least this many hits"),
                       0, 1e12, [](auto& o) -> auto& { return o.monitor.alert.drop_min; }));

    t.push_back(address(option("statsd", "statsd.address", S, "HOST:PORT", "",
                               "send metrics to statsd over UDP (a replay ignores a config's: statsd would count "
                               "the log's history as traffic now)"),
                        [](auto& o) -> auto& { return o.statsd; }));
    t.push_back(text(option("statsd-prefix", "statsd.prefix", S, "NAME", "hitwatch", "metric name prefix (statsd and Graphite)"),
                     [](auto& o) -> auto& { return o.statsd_settings.prefix; },
                     [](const std::string& v) {
                         const bool ok = !v.empty() && v.size() <= 128 && v == hitwatch::tag_value(v) &&
                                         v.find('/') == std::string::npos;
                         return ok ? std::string() : std::string("may hold only letters, digits, '_', '-' and '.'");
                     }));
    t.push_back(integer(option("statsd-max-packet", "statsd.max-packet", S, "BYTES", "1432",
                               "largest datagram (1432 for the internet, 8932 for jumbo frames)"),
                        64, 65000, [](auto& o) -> auto& { return o.statsd_settings.max_packet; }));
    t.push_back(flag(option("statsd-tags", "statsd.tags", S, "", "", "DogStatsD tags: hitwatch.section.hits:12|c|#section:/api"),
                     [](auto& o) -> auto& { return o.statsd_settings.tags; }));

    t.push_back(address(option("graphite", "graphite.address", R, "HOST:PORT", "",
                               "send metrics to Graphite's plaintext port over TCP"),
                        [](auto& o) -> auto& { return o.graphite; }));

    {
        Spec s = option("http", "http.listen", H, "ADDR:PORT|off", "off",
                        "serve /metrics (Prometheus), /status and the dashboard on this address (never in replay)",
                        false);
        s.set = [](Options& o, const std::string& v) -> std::string {
            if (v == "off" || v.empty()) {
                o.http = HostPort{};
                return "";
            }
            const auto parsed = parse_host_port(v);
            if (!parsed || !http_endpoint(parsed->host, parsed->port)) {
                return "must be ADDR:PORT with a numeric address or localhost (127.0.0.1:9366, [::1]:9366, "
                       "0.0.0.0:9366) or off";
            }
            o.http = *parsed;
            return "";
        };
        s.get = [](const Options& o) { return o.http.empty() ? std::string("off") : to_string(o.http); };
        s.keep = keeping([](auto& o) -> auto& { return o.http; });
        t.push_back(std::move(s));
    }
    t.push_back(integer(option("http-max-connections", "http.max-connections", H, "N", "64",
                               "open HTTP connections at most; past it the longest idle one is closed", false),
                        2, 10000, [](auto& o) -> auto& { return o.http_max_connections; }));
    t.push_back(integer(option("http-idle-timeout", "http.idle-timeout", H, "S", "60",
                               "an HTTP connection that sends no complete request for this long is closed", false),
                        1, 3600, [](auto& o) -> auto& { return o.http_idle_timeout_s; }));
    t.push_back(integer(option("metrics-sections", "http.metrics-sections", H, "N", "200",
                               "sections with series of their own in /metrics (the rest count in section=\"(other)\")",
                               false),
                        1, 100000, [](auto& o) -> auto& { return o.metrics_sections; }));

    t.push_back(flag(option("no-syslog", "syslog.disabled", L, "", "", "do not send alerts to syslog"),
                     [](auto& o) -> auto& { return o.no_syslog; }));
    t.push_back(text(option("syslog-socket", "syslog.socket", L, "PATH", "/dev/log",
                            "syslog's unix datagram socket (in replay, alerts go to syslog only when the command "
                            "line gives this)"),
                     [](auto& o) -> auto& { return o.syslog_socket; }, a_path));
    t.push_back(choice<hitwatch::SyslogFormat>(
        option("syslog-format", "syslog.format", L, "", "rfc5424", "syslog message format"),
        {{"rfc5424", hitwatch::SyslogFormat::rfc5424}, {"rfc3164", hitwatch::SyslogFormat::rfc3164}},
        [](auto& o) -> auto& { return o.syslog_format; }));
    {
        Spec s = option("syslog-facility", "syslog.facility", L, "NAME", "daemon",
                        "syslog facility: daemon, user, local0..local7, ...");
        s.set = [](Options& o, const std::string& v) -> std::string {
            const auto facility = hitwatch::syslog_facility(v);
            if (!facility) return "must be a syslog facility such as daemon, user or local0..local7";
            o.syslog_facility = *facility;
            return "";
        };
        s.get = [](const Options& o) { return std::string(hitwatch::syslog_facility_name(o.syslog_facility)); };
        t.push_back(std::move(s));
    }
    return t;
}

}  // namespace

const std::vector<OptionSpec>& option_table() {
    static const std::vector<OptionSpec> table = make_table();
    return table;
}

const OptionSpec* find_option(const std::string& name) {
    for (const auto& spec : option_table()) {
        if (spec.name == name) return &spec;
    }
    return nullptr;
}

void keep_what_needs_a_restart(const Options& running, Options& fresh) {
    for (const auto& spec : option_table()) {
        if (!spec.reloadable && !spec.key.empty()) spec.keep(fresh, running);
    }
}

std::vector<std::string> changes_needing_restart(const Options& running, const Options& fresh) {
    std::vector<std::string> names;
    for (const auto& spec : option_table()) {
        if (!spec.reloadable && !spec.key.empty() && spec.get(running) != spec.get(fresh)) names.push_back(spec.name);
    }
    return names;
}

namespace {

// A table cell's text: '|' would end the cell.
std::string cell(std::string text) {
    for (size_t at = 0; (at = text.find('|', at)) != std::string::npos; at += 2) text.replace(at, 1, "\\|");
    return text;
}

}  // namespace

std::string options_markdown() {
    std::ostringstream out;
    out << "| key (section) | command line | default | on reload | meaning |\n"
           "|---|---|---|---|---|\n";
    for (const auto& spec : option_table()) {
        if (spec.key.empty()) continue;
        const size_t dot = spec.key.find('.');
        const std::string key = dot == std::string::npos ? "`" + spec.key + "`"
                                                         : "`[" + spec.key.substr(0, dot) + "] " + spec.key.substr(dot + 1) + "`";
        out << "| " << key << (spec.kind == Kind::list ? " (repeat)" : "") << " | `--" << spec.name
            << (spec.value_name.empty() ? "" : " " + cell(spec.value_name)) << "` | " << cell(spec.shown_default())
            << " | " << (spec.reloadable ? "applied" : "needs a restart") << " | " << cell(spec.help) << " |\n";
    }
    return out.str();
}

}  // namespace hitwatchd
