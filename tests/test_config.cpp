// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE config
// The config file and --check-config, through the real hitwatchd.
#include <boost/test/unit_test.hpp>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <regex>
#include <set>
#include <string>

#include "process.h"
#include "datagram_listener.h"

using test::run;

namespace {

const std::string kExample = SOURCE_DIR "/config/hitwatch.conf";

test::Finished check(const test::TempDir& dir, const std::string& text) {
    test::write_file(dir.file("hitwatch.conf"), text);
    return run({test::hitwatchd(), "--check-config", "--config", dir.file("hitwatch.conf")});
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_example_is_valid_and_names_every_option) {
    const auto r = run({test::hitwatchd(), "--check-config", "--config", kExample});
    BOOST_TEST(r.exit_code == 0, r.err);
    // OK; and warnings only, such as its Apache log not being on this machine.
    BOOST_TEST(r.out.rfind(kExample + ": configuration OK\n", 0) == 0u, r.out);
    BOOST_TEST(std::regex_match(r.out.substr(r.out.find('\n') + 1), std::regex("((warning: |log )[^\n]*\n)*")), r.out);
    // Every option in --help but the command-line-only ones has its key in the example.
    const std::string help = run({test::hitwatchd(), "--help"}).out;
    const std::string example = test::read_file(kExample);
    const std::regex option("  --([a-z-]+)");
    std::set<std::string> sections_seen;
    for (auto it = std::sregex_iterator(help.begin(), help.end(), option); it != std::sregex_iterator(); ++it) {
        std::string name = (*it)[1];
        if (name == "help" || name == "version" || name == "config" || name == "check-config" || name == "replay" ||
            name == "since" || name == "until") {
            continue;
        }
        std::string key = name, section;
        if (name == "statsd" || name == "graphite") {
            section = name, key = "address";
        } else if (name == "http") {
            section = "http", key = "listen";
        } else if (name == "metrics-sections") {
            section = "http", key = "metrics-sections";
        } else if (name == "log-format") {
            key = "format";
        } else if (name == "threads") {
            section = "replay";
        } else if (name == "no-syslog") {
            section = "syslog", key = "disabled";
        } else {
            for (const std::string s : {"alert", "statsd", "syslog", "http"}) {
                if (name.rfind(s + "-", 0) == 0) section = s, key = name.substr(s.size() + 1);
            }
        }
        const size_t at = section.empty() ? 0 : example.find("[" + section + "]");
        BOOST_TEST_REQUIRE(at != std::string::npos, section);
        const size_t end = example.find("\n[", at + 1);
        const std::string part = example.substr(at, end == std::string::npos ? std::string::npos : end - at);
        BOOST_TEST(std::regex_search(part, std::regex("\\n(# )?" + key + " =")), name << " as " << section << " " << key);
    }
}

BOOST_AUTO_TEST_CASE(errors_name_the_file_line_key_and_what_was_expected) {
    test::TempDir dir;
    const std::string file = dir.file("hitwatch.conf");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"log = /x\n[alert]\nrule = absolute\nthreshhold = 5\n",
         file + ":4: [alert] threshhold: unknown key; did you mean [alert] threshold?"},
        {"log = /x\nintervall = 10\n", file + ":2: intervall: unknown key; did you mean interval?"},
        // A right key under the wrong [section] names where it belongs.
        {"log = /x\n[http]\nlisten = 127.0.0.1:9000\ntop = 3\n",
         file + ":4: [http] top: unknown key; did you mean top, before the first [section]?"},
        {"log = /x\nrule = absolute\n", file + ":2: rule: unknown key; did you mean [alert] rule?"},
        {"log = /x\n[alert]\nwindow = 125\n",
         file + ":3: [alert] window: --alert-window (125) must be a multiple of --interval (10)"},
        {"log = /x\ninterval = -5\n", file + ":2: interval: --interval must be a whole number from 1 to 86400, not '-5'"},
        {"log = /x\ntop = many\n", file + ":2: top: --top must be a whole number from 0 to 10000, not 'many'"},
        {"log = /x\n[statsd]\naddress = localhost\n",
         file + ":3: [statsd] address: --statsd must be HOST:PORT with a port from 1 to 65535, not 'localhost'"},
        {"log = /x\n[graphite]\naddress = host:99999\n",
         file + ":3: [graphite] address: --graphite must be HOST:PORT with a port from 1 to 65535, not 'host:99999'"},
        {"log = /x\n\n[syslog\n", file + ":3: expected [section], got '[syslog'"},
        {"log = /x\njust words\n", file + ":2: expected key = value, got 'just words'"},
        {"[alert]\nrule = absolute\n", "nothing to do: the config names no log; give --log PATH"},
    };
    for (const auto& [text, message] : cases) {
        const auto r = check(dir, text);
        BOOST_TEST(r.exit_code == 2, text);
        BOOST_TEST(r.err.find("hitwatchd: " + message) == 0u, text << "\n got: " << r.err);
        BOOST_TEST(r.out.empty());
    }
    const auto missing = run({test::hitwatchd(), "--check-config", "--config", dir.file("absent.conf")});
    BOOST_TEST(missing.exit_code == 2);
    BOOST_TEST(missing.err.find("cannot read the config file " + dir.file("absent.conf")) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_command_line_wins_over_the_file) {
    test::TempDir dir;
    test::write_file(dir.file("hitwatch.conf"), "top = 2\noutput = text\n[alert]\nwindow = 125\n");
    // The file's bad window is overridden, so the configuration is valid.
    const auto r = run({test::hitwatchd(), "--config", dir.file("hitwatch.conf"), "--alert-window", "60", "--top", "3",
                        "--output", "json", "--replay", CORPUS "/apache_logs"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("{\"type\":\"report\"") == 0u);
    BOOST_TEST(r.out.find("{\"section\":\"/presentations\",\"hits\":") != std::string::npos);
    const auto two = run({test::hitwatchd(), "--config", dir.file("hitwatch.conf"), "--alert-window", "60", "--output", "json",
                          "--replay", CORPUS "/apache_logs"});
    // top = 2 from the file: no report lists a third section
    BOOST_TEST(!std::regex_search(two.out, std::regex("\"sections\":\\[(\\{[^}]*\\},){2}\\{")));
    BOOST_TEST(std::regex_search(r.out, std::regex("\"sections\":\\[(\\{[^}]*\\},){2}\\{")));
}

BOOST_AUTO_TEST_CASE(formats_are_checked_with_the_directive_and_column_at_fault) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    // A log of its own format (quoted: its path has a space), and a format string for the rest.
    auto ok = check(dir, "log = \"" + dir.file("my site.log") + "\" format=vhost_combined\nlog = " + log +
                             "\nformat = %h %l %u %t \"%r\" %>s %b %{X-Thing}e %Q\n");
    BOOST_TEST(ok.exit_code == 0, ok.err);
    BOOST_TEST(ok.out.find("%Q at column 37 is not a field hitwatch knows") != std::string::npos, ok.out);
    // A run says so too (before, only --check-config did, and a typo lost its field silently).
    test::write_file(log, "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 5 0.012\n");
    const std::string typo = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent $reqeust_time";
    const auto replay = run({test::hitwatchd(), "--replay", log, "--output", "json", "--log-format", typo});
    BOOST_TEST(replay.exit_code == 0, replay.err);
    BOOST_TEST(replay.err.find("warning: format '$remote_addr - $remote_user [$time_local] \"$request\" $status "
                               "$body_bytes_sent $reqeust_time': $reqeust_time at column 79 is not a field hitwatch "
                               "knows; it is skipped") != std::string::npos, replay.err);
    auto bad = check(dir, "log = " + log + " format=%h%u %t \"%r\" %>s\n");
    BOOST_TEST(bad.exit_code == 2);
    BOOST_TEST(bad.err.find("hitwatch.conf:1") != std::string::npos, bad.err);
    BOOST_TEST(bad.err.find("%u at column 3 follows %h with nothing between them") != std::string::npos, bad.err);
    auto no_time = run({test::hitwatchd(), "--check-config", "--log", log, "--log-format", "$remote_addr \"$request\" $status"});
    BOOST_TEST(no_time.exit_code == 2);
    BOOST_TEST(no_time.err.find("no time field") != std::string::npos, no_time.err);
}

BOOST_AUTO_TEST_CASE(a_replay_takes_formats_and_rules_from_the_config_but_not_its_logs_or_listener) {
    // The installed package's config names a live log and an HTTP address; a replay beside it
    // must work, read by the config's format and rules, and never listen.
    test::TempDir dir;
    const int port = test::free_port();
    test::write_file(dir.file("hitwatch.conf"), "log = /var/log/apache2/access.log\nformat = combined\ntop = 2\n"
                                                "state-file = " + dir.file("state.json") + "\n[http]\nlisten = 127.0.0.1:" +
                                                    std::to_string(port) + "\n");
    const auto r = run({test::hitwatchd(), "--config", dir.file("hitwatch.conf"), "--replay", CORPUS "/apache_logs", "--output", "json"});
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("\"type\":\"summary\"") != std::string::npos);
    BOOST_TEST(r.out.find("\"sections\":[{\"section\":\"/images\",\"hits\":") != std::string::npos);  // top = 2 applies
    BOOST_TEST(!test::listening(port));
    BOOST_TEST(!std::filesystem::exists(dir.file("state.json")));
    // Logs on the command line and a replay are still two different things.
    const auto both = run({test::hitwatchd(), "--config", dir.file("hitwatch.conf"), "--replay", CORPUS "/apache_logs", "--log", "/tmp/x.log"});
    BOOST_TEST(both.exit_code == 2);
    BOOST_TEST(both.err.find("--replay and --log cannot be used together") != std::string::npos, both.err);
}

// `hitwatchd --replay a.log --threads 2 b.log`: b.log follows --threads' value, and was
// dropped without a word (boost's parser keeps such words apart, and nothing asked for them):
// the replay said nothing of the file it never read. It is a usage error now.
BOOST_AUTO_TEST_CASE(a_word_that_is_no_options_value_is_a_usage_error_not_dropped) {
    test::TempDir dir;
    test::write_file(dir.file("a.log"), "");
    for (const std::vector<std::string>& argv :
         {std::vector<std::string>{test::hitwatchd(), "--replay", dir.file("a.log"), "--threads", "2", dir.file("b.log")},
          {test::hitwatchd(), "--check-config", "--config", "/dev/null", dir.file("b.log")}}) {
        const auto r = run(argv);
        BOOST_TEST(r.exit_code == 2, r.err);
        // (Appended, not "'" + file: GCC 12 warns of an overlap, -Wrestrict, that is not there.)
        const std::string said = std::string("'").append(dir.file("b.log")).append(
            "' is not the value of an option: files go right after --replay or --log (--replay a.log b.log --threads 2)");
        BOOST_TEST(r.err.find(said) != std::string::npos, r.err);
    }
}

// `hitwatchd --replay --output json < a.log` opened the files "--output" and "json", and
// `--log --threads 2` followed two logs of those names, waiting for them to appear (and
// --check-config passed it): boost's
// parser takes an option's missing value from the next word even when that word is one of
// the options (its check for that looks the name up with its dashes, and never finds it).
BOOST_AUTO_TEST_CASE(an_option_is_not_taken_as_the_value_of_the_one_before_it) {
    test::TempDir dir;
    test::write_file(dir.file("a.log"), "");
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{test::hitwatchd(), "--replay", "--output", "json"}, "--replay needs a value, and '--output' is an option"},
        {{test::hitwatchd(), "--check-config", "--log", "--threads", "2"}, "--log needs a value, and '--threads' is an option"},
        {{test::hitwatchd(), "--replay", dir.file("a.log"), "--report-file", "--output=json"},
         "--report-file needs a value, and '--output=json' is an option"},
    };
    for (const auto& [argv, said] : cases) {
        const auto r = run(argv);
        BOOST_TEST(r.exit_code == 2, r.err);
        BOOST_TEST(r.err.find(said) != std::string::npos, r.err);
        BOOST_TEST(r.err.find("cannot open") == std::string::npos, r.err);
    }
    // A file whose name begins with dashes is still read, given as a path.
    test::write_file(dir.file("--output"), "");
    const auto dashed = run({test::hitwatchd(), "--replay", dir.file("--output")});
    BOOST_TEST(dashed.exit_code == 0, dashed.err);
}

BOOST_AUTO_TEST_CASE(a_replay_leaves_the_live_daemons_report_file_and_statsd_alone) {
    // The installed config appends the service's reports to /var/log/hitwatch/reports.json,
    // and a site's config names its statsd. A replay beside it appended a month of history to
    // the one and sent it to the other as this moment's counters: traffic now, to whatever
    // reads them. Named on the command line, they are the replay's own and are used.
    using namespace std::chrono_literals;
    test::TempDir dir;
    test::StatsdListener statsd;
    const std::string service_reports = dir.file("reports.json");
    test::write_file(dir.file("hitwatch.conf"),
                     "log = /var/log/apache2/access.log\noutput = none\nreport-file = " + service_reports +
                         "\n[statsd]\naddress = " + statsd.address() + "\n");
    const auto r = run({test::hitwatchd(), "--config", dir.file("hitwatch.conf"), "--replay", CORPUS "/apache_logs"});
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("\"type\":\"summary\"") != std::string::npos);
    BOOST_TEST(!std::filesystem::exists(service_reports));
    BOOST_TEST(statsd.receive(500ms) == "");
    BOOST_TEST(r.err.find("the config's report-file = " + service_reports +
                          " is the live daemon's: a replay does not append to it (give --report-file to)") !=
                   std::string::npos,
               r.err);
    BOOST_TEST(r.err.find("the config's [statsd] address = " + statsd.address() +
                          " is the live daemon's: a replay does not send to it (give --statsd to)") !=
                   std::string::npos,
               r.err);

    const std::string own_reports = dir.file("replay.json");
    const auto given = run({test::hitwatchd(), "--config", dir.file("hitwatch.conf"), "--replay", CORPUS "/apache_logs",
                            "--report-file", own_reports, "--statsd", statsd.address()});
    BOOST_TEST(given.exit_code == 0, given.err);
    BOOST_TEST(test::read_file(own_reports) == given.out);
    BOOST_TEST(statsd.receive(500ms).find("hitwatch.hits:") != std::string::npos);
    BOOST_TEST(given.err.find("is the live daemon's") == std::string::npos, given.err);
}

BOOST_AUTO_TEST_CASE(a_replay_waits_for_statsds_name_however_slowly_it_resolves) {
    // A name server slower than the 3 s a replay gave statsd's name before its first report (a
    // first nameserver that is down, say): every report was dropped, and nothing said so.
    using namespace std::chrono_literals;
    test::TempDir dir;
    test::StatsdListener statsd;
    std::istringstream corpus(test::read_file(CORPUS "/apache_logs"));
    std::string log, line;
    for (int i = 0; i < 200 && std::getline(corpus, line); ++i) log += line + "\n";
    test::write_file(dir.file("access.log"), log);
    test::Spawn how;
    how.env = {"LD_PRELOAD=" SLOW_GETADDRINFO, "HITWATCH_SLOW_NAME=statsd.slow.test", "HITWATCH_SLOW_SECONDS=4",
               "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1"};
    test::Background replay({test::hitwatchd(), "--replay", dir.file("access.log"), "--output", "none", "--statsd",
                             "statsd.slow.test:" + std::to_string(statsd.port())},
                            dir.file("out"), dir.file("err"), how);
    BOOST_TEST_REQUIRE(replay.wait() == 0, test::read_file(dir.file("err")));
    const std::string err = test::read_file(dir.file("err"));
    BOOST_TEST(err.find("statsd: statsd.slow.test is not resolved after 3 s; the replay waits for it") !=
                   std::string::npos,
               err);
    const std::string sent = statsd.receive(500ms);
    std::uint64_t hits = 0;
    std::istringstream metrics(sent);
    for (std::string metric; std::getline(metrics, metric);) {
        if (metric.rfind("hitwatch.hits:", 0) == 0) hits += std::stoull(metric.substr(14));  // "N|c"
    }
    BOOST_TEST(hits == 200u, "statsd was sent:\n" << sent);
}

BOOST_AUTO_TEST_CASE(a_replay_beside_a_config_with_a_syslog_socket_pages_nobody) {
    // A replay's alerts go to syslog only when its command line names a socket. A socket
    // named in the config (a container's rsyslog, say) sent a replay's historical alerts to
    // it, stamped with the time of the replay: someone paged for last month's incident.
    using namespace std::chrono_literals;
    test::TempDir dir;
    const std::string log = dir.file("burst.log");
    BOOST_TEST_REQUIRE(run({GENLOG, "--out", log, "--rate", "5", "--duration", "900", "--start", "1763632800",
                            "--burst", "300:60:30"}).exit_code == 0);
    const std::string socket = dir.file("syslog.sock");
    test::SyslogSocketListener syslog(socket);
    test::write_file(dir.file("hitwatch.conf"), "[alert]\nrule = absolute\n[syslog]\nsocket = " + socket + "\n");
    const auto r = run({test::hitwatchd(), "--config", dir.file("hitwatch.conf"), "--replay", log, "--output", "json"});
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("\"type\":\"alert\"") != std::string::npos);  // an alert there was to send
    BOOST_TEST(syslog.receive(500ms) == "");
    BOOST_TEST(r.err.find("the config's [syslog] socket = " + socket +
                          " is the live daemon's: a replay's alerts page nobody (give --syslog-socket to)") !=
                   std::string::npos,
               r.err);
    const auto given = run({test::hitwatchd(), "--config", dir.file("hitwatch.conf"), "--replay", log, "--output",
                            "none", "--syslog-socket", socket});
    BOOST_TEST(given.exit_code == 0, given.err);
    BOOST_TEST(syslog.receive(500ms).find("High traffic generated an alert") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(nothing_to_do_says_where_the_config_is_expected_and_how_to_start) {
    test::TempDir dir;
    test::write_file(dir.file("hitwatch.conf"), "top = 3\n");
    const auto no_log = run({test::hitwatchd(), "--config", dir.file("hitwatch.conf")});
    BOOST_TEST(no_log.exit_code == 2);
    BOOST_TEST(no_log.err.find("nothing to do: the config names no log; give --log PATH") != std::string::npos, no_log.err);
    if (!std::filesystem::exists("/etc/hitwatch/hitwatch.conf")) {
        const auto bare = run({test::hitwatchd()});
        BOOST_TEST(bare.exit_code == 2);
        BOOST_TEST(bare.err.find("no config file at /etc/hitwatch/hitwatch.conf and no --log") != std::string::npos, bare.err);
    }
}

BOOST_AUTO_TEST_CASE(the_man_page_has_examples_and_names_every_output_field) {
    const std::string man = test::read_file(SOURCE_DIR "/docs/hitwatchd.8");
    BOOST_TEST(man.find("\n.SH EXAMPLES\n") != std::string::npos);
    BOOST_TEST(man.find("\n.SH OUTPUT\n") != std::string::npos);
    // Every field of a replay's reports, alerts and summary (roff escapes '-' in names: none has one).
    const auto r = run({test::hitwatchd(), "--replay", CORPUS "/apache_logs", "--output", "json", "--alert-rule", "absolute",
                        "--alert-threshold", "1"});
    // The top-level fields of each object, and those of the objects its lists hold.
    std::set<std::string> fields;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        const boost::json::value object = boost::json::parse(line);
        for (const auto& [name, value] : object.as_object()) {
            fields.insert(std::string(name));
            if (!value.is_array()) continue;
            for (const auto& item : value.as_array()) {
                if (!item.is_object()) continue;
                for (const auto& inner : item.as_object()) fields.insert(std::string(inner.key()));
            }
        }
    }
    BOOST_TEST(fields.size() > 20u);
    for (const auto& field : fields) {
        if (field == "hits" || field.size() <= 2) continue;
        BOOST_TEST(man.find(field) != std::string::npos, "docs/hitwatchd.8 does not name the output field " << field);
    }
}

BOOST_AUTO_TEST_CASE(check_config_catches_what_would_fail_at_run_time) {
    test::TempDir dir;
    test::write_file(dir.file("access.log"), "");
    // Quoted values are their values, as docs/configuration.md says.
    auto r = check(dir, "log = \"" + dir.file("access.log") + "\"\ntop = \"3\"\n[alert]\nrule = 'absolute'\n");
    BOOST_TEST(r.exit_code == 0, r.err);
    // A directory named as a log, a state file's directory that does not exist: errors.
    r = check(dir, "log = " + dir.path() + "\nstate-file = " + dir.file("missing/state.json") + "\n");
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("log " + dir.path() + " is a directory, not a log file") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("state-file " + dir.file("missing/state.json") + ": the directory " + dir.file("missing") +
                          " does not exist") != std::string::npos, r.err);
    r = check(dir, "log = " + dir.file("access.log") + "\nreport-file = " + dir.file("missing/reports.json") + "\n");
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("report-file") != std::string::npos, r.err);
    // A log the unit's user could not read: a warning, the config is still good.
    ::chmod(dir.file("access.log").c_str(), 0600);
    r = check(dir, "log = " + dir.file("access.log") + "\n");
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("warning: log " + dir.file("access.log") + " is not readable by group adm or others") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("runs as the dynamic user hitwatch (in group adm)") != std::string::npos, r.out);
    // A log that is not there (yet, or a typo): waited for, so a warning that says so.
    r = check(dir, "log = " + dir.file("acess.log") + "\n");
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("warning: log " + dir.file("acess.log") + " does not exist now; it will be followed from its "
                          "start once it appears") != std::string::npos, r.out);
    // An olddir that is not there (a typo, or made at the first rotation): a warning. A
    // relative one is the log's directory's.
    std::filesystem::create_directories(dir.file("old"));
    r = check(dir, "log = " + dir.file("access.log") + "\nolddir = old\nolddir = /nowhere/old\nolddir = archive\n");
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("warning: olddir /nowhere/old is not a directory now; rotated logs are looked for in it "
                          "once it is") != std::string::npos,
               r.out);
    BOOST_TEST(r.out.find("warning: olddir " + dir.file("archive") + " is not") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("olddir " + dir.file("old")) == std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(check_config_says_which_paths_name_one_file_and_how_it_is_followed) {
    test::TempDir dir;
    test::write_file(dir.file("app-1.log"), "");
    std::filesystem::create_symlink("app-1.log", dir.file("current.log"));
    const auto r = check(dir, "log = " + dir.file("*.log") + "\n");
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("warning: log " + dir.file("current.log") + " names the same file as " + dir.file("app-1.log") +
                          " (a symlink or a hard link); it is followed once, as " + dir.file("app-1.log")) != std::string::npos,
               r.out);
}

BOOST_AUTO_TEST_CASE(check_config_looks_at_what_a_glob_matches_and_warns_of_one_that_matches_nothing) {
    test::TempDir dir;
    std::filesystem::create_directory(dir.file("logs"));
    // Nothing matches yet: a warning, not an error (files may come).
    auto r = check(dir, "log = " + dir.file("logs/*.log") + "\n");
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("warning: log " + dir.file("logs/*.log") + " matches no file now") != std::string::npos, r.out);
    // A rotated sibling is not a match by default; with `exclude =` (none) it is.
    test::write_file(dir.file("logs/access.log.1"), "");
    ::chmod(dir.file("logs/access.log.1").c_str(), 0600);
    r = check(dir, "log = " + dir.file("logs/access.log*") + "\n");
    BOOST_TEST(r.out.find("matches no file now") != std::string::npos, r.out);
    r = check(dir, "log = " + dir.file("logs/access.log*") + "\nexclude =\n");
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("matches no file now") == std::string::npos, r.out);
    // Each match is checked as a named log is.
    BOOST_TEST(r.out.find("warning: log " + dir.file("logs/access.log.1") + " is not readable") != std::string::npos, r.out);
    // Wildcards in the directory: an error naming the line.
    r = check(dir, "log = " + dir.file("*/access.log") + "\n");
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("may have wildcards (*, ? and [...]) in its file name only") != std::string::npos, r.err);
    BOOST_TEST(r.err.find(":1:") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(check_config_reads_a_logs_first_lines_and_names_the_first_that_does_not_match) {
    // An nginx.conf log_format pasted with its quoted pieces made every line invalid, and
    // --check-config said "configuration OK".
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const std::string good =
        R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 612 "-" "ab/2.3" 0.012 0.010 shop.example)";
    const std::string bad =
        R"(192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /api/x HTTP/1.1" 2x0 612 "-" "ab/2.3" 0.012 0.010 shop.example)";
    test::write_file(log, good + "\n" + bad + "\n" + good + "\n");
    const std::string pasted =
        "format = log_format main '$remote_addr - $remote_user [$time_local] ' '\"$request\" $status "
        "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time $upstream_response_time $host';\n";
    const auto some = check(dir, "log = " + log + "\n" + pasted);
    BOOST_TEST(some.exit_code == 0, some.err);
    BOOST_TEST(some.out.find("warning: log " + log + ": 2 of its first 3 lines match") != std::string::npos, some.out);
    BOOST_TEST(some.out.find("the first that does not is line 2, from column 66 where the format has $status: \"2x0 612")
                   != std::string::npos, some.out);
    // Given on the command line, and auto finding the timings.
    const auto detected = run({test::hitwatchd(), "--check-config", "--log", log});
    BOOST_TEST(detected.exit_code == 0, detected.err);
    BOOST_TEST(detected.out.find(": 2 of its first 3 lines match combined+duration+upstream+host") != std::string::npos,
               detected.out);
    // The hole a writer that does not append leaves after copytruncate is no part of a line.
    const std::string combined = good.substr(0, good.find(" 0.012"));
    test::write_file(log, std::string(3000, '\0') + combined + "\n" + combined + "\n");
    const auto hole = run({test::hitwatchd(), "--check-config", "--log", log});
    BOOST_TEST(hole.exit_code == 0, hole.err);
    BOOST_TEST(hole.out.find("\nlog " + log + ": 2 of its first 2 lines match combined\n") != std::string::npos,
               hole.out);
    // None matching: the configuration cannot work.
    test::write_file(log, bad + "\n");
    const auto none = run({test::hitwatchd(), "--check-config", "--log", log, "--log-format", "nginx"});
    BOOST_TEST(none.exit_code == 2);
    BOOST_TEST(none.err.find("0 of its first 1 lines match nginx; the first that does not is line 1, from column 66 "
                             "where the format has $status") != std::string::npos, none.err);
    // A JSON line has no column to name: the reason says which role it lacks.
    test::write_file(log, R"({"http.url":"/a","http.status_code":200,"time":"2026-11-20T10:00:00Z"})" "\n");
    const auto json = run({test::hitwatchd(), "--check-config", "--log", log});
    BOOST_TEST(json.exit_code == 2);
    BOOST_TEST(json.err.find("0 of its first 1 lines match json; the first that does not is line 1 (expected a 3-digit "
                             "status from 100 to 999): ") != std::string::npos, json.err);
    // JSON lines that read but have no bytes field: a warning, as the daemon gives when it starts.
    test::write_file(log, R"({"time":"2026-11-20T10:00:00Z","request":"GET /a HTTP/1.1","status":200,"sent":512})" "\n");
    const auto no_bytes = run({test::hitwatchd(), "--check-config", "--log", log});
    BOOST_TEST(no_bytes.exit_code == 0, no_bytes.err);
    BOOST_TEST(no_bytes.out.find("log " + log + ": 1 of its first 1 lines match json\nwarning: log " + log +
                                 ": its JSON lines have no bytes field (looked for: body_bytes_sent, bytes_sent, size, "
                                 "bytes, DownstreamContentSize, httpRequest.responseSize), so their bytes count as 0. "
                                 "If the log has one, name it (json-field = bytes=NAME)\n") != std::string::npos,
               no_bytes.out);
    const auto named = run({test::hitwatchd(), "--check-config", "--log", log, "--json-field", "bytes=sent"});
    BOOST_TEST(named.out.find("no bytes field") == std::string::npos, named.out);
}
