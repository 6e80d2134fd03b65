// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE e2e
// End to end against the real servers ops teams run: hitwatchd -> statsd (the npm package)
// -> carbon-cache (Debian's graphite-carbon), read back with whisper-fetch; alerts into a
// real rsyslogd. Every server is started here on 127.0.0.1 and stopped after; a server
// that cannot start fails the test.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <ctime>
#include <csignal>
#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "process.h"

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

using test::free_port;
using test::listening;
using test::wait_for;

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// carbon-cache with its own config and storage, and statsd's graphite backend pointed at it.
class Graphite {
public:
    // carbon_now false: carbon-cache starts later, with start_carbon().
    explicit Graphite(const test::TempDir& dir, bool carbon_now = true)
        : dir_(dir), carbon_port_(free_port()), statsd_port_(free_port()) {
        const std::string conf = dir.file("conf"), storage = dir.file("storage");
        std::filesystem::create_directories(conf);
        std::filesystem::create_directories(storage);
        test::write_file(conf + "/carbon.conf",
                         "[cache]\nSTORAGE_DIR = " + storage + "/\nLOCAL_DATA_DIR = " + storage +
                             "/whisper/\nWHITELISTS_DIR = " + storage + "/lists/\nCONF_DIR = " + conf +
                             "/\nLOG_DIR = " + dir.file("log") + "/\nPID_DIR = " + dir.file("run") +
                             "/\nENABLE_LOGROTATION = False\nUSER =\nMAX_CACHE_SIZE = inf\n"
                             "MAX_UPDATES_PER_SECOND = 100000\nMAX_CREATES_PER_MINUTE = inf\n"
                             "LINE_RECEIVER_INTERFACE = 127.0.0.1\nLINE_RECEIVER_PORT = " +
                             std::to_string(carbon_port_) +
                             "\nENABLE_UDP_LISTENER = False\nPICKLE_RECEIVER_INTERFACE = 127.0.0.1\n"
                             "PICKLE_RECEIVER_PORT = " + std::to_string(free_port()) +
                             "\nCACHE_QUERY_INTERFACE = 127.0.0.1\nCACHE_QUERY_PORT = " + std::to_string(free_port()) +
                             "\nLOG_UPDATES = False\n");
        // One point a second for a day: statsd flushes every 2 s, so no two flushes share one.
        test::write_file(conf + "/storage-schemas.conf", "[all]\npattern = .*\nretentions = 1s:1d\n");
        if (carbon_now) start_carbon();

        test::write_file(
            dir.file("statsd.js"),
            "{ port: " + std::to_string(statsd_port_) +
                ", address: \"127.0.0.1\", mgmt_address: \"127.0.0.1\", mgmt_port: " +
                std::to_string(free_port()) +
                ", graphiteHost: \"127.0.0.1\", graphitePort: " + std::to_string(carbon_port_) +
                ", flushInterval: 2000, backends: [\"./backends/graphite\"],"
                // What it was sent and what carbon refused, for a test that fails.
                " dumpMessages: true, debug: true }\n");
        statsd_ = std::make_unique<test::Background>(std::vector<std::string>{NODE, STATSD_JS, dir.file("statsd.js")},
                                                     dir.file("statsd.out"), dir.file("statsd.out"));
        BOOST_TEST_REQUIRE(
            wait_for([&] { return test::read_file(dir.file("statsd.out")).find("server is up") != std::string::npos; }, 30s),
            "statsd did not start: " << test::read_file(dir.file("statsd.out")));
        BOOST_TEST_REQUIRE(wait_for([&] { return test::udp_bound(statsd_port_); }, 30s),
                           "statsd said it is up, but has not bound 127.0.0.1:" << statsd_port_);
    }

    ~Graphite() {
        statsd_->signal(SIGTERM);
        statsd_->wait();
        if (carbon_) {
            carbon_->signal(SIGTERM);
            carbon_->wait();
        }
    }

    void start_carbon() {
        carbon_ = std::make_unique<test::Background>(
            std::vector<std::string>{CARBON_CACHE, "--config=" + dir_.file("conf/carbon.conf"), "--nodaemon", "start"},
            dir_.file("carbon.out"), dir_.file("carbon.out"));
        BOOST_TEST_REQUIRE(wait_for([&] { return listening(carbon_port_); }, 30s),
                           "carbon-cache did not start: " << test::read_file(dir_.file("carbon.out")));
    }

    std::string statsd_address() const { return "127.0.0.1:" + std::to_string(statsd_port_); }
    std::string carbon_address() const { return "127.0.0.1:" + std::to_string(carbon_port_); }

    // whisper-fetch of the last hour of a metric path like "stats_counts.hitwatch.hits": a line
    // a second, "TIME VALUE" (None where nothing was stored).
    test::Finished last_hour_of(const std::string& metric) const {
        return test::run({WHISPER_FETCH, "--from=" + std::to_string(now_s() - 3600), whisper_file(metric)});
    }

    // The sum of every point stored for a metric path; -1 while its whisper file does not exist.
    std::int64_t stored_sum(const std::string& metric) const {
        if (!std::filesystem::exists(whisper_file(metric))) return -1;
        std::istringstream lines(last_hour_of(metric).out);
        double sum = 0;
        std::string stamp, value;
        while (lines >> stamp >> value) {
            if (value != "None") sum += std::stod(value);
        }
        return static_cast<std::int64_t>(sum + 0.5);
    }

    // What statsd was sent and said, and the points stored for `metric`: where a count that
    // does not add up went missing.
    std::string diagnosis(const std::string& metric) const {
        const test::Finished points = last_hour_of(metric);
        std::string stored;
        std::istringstream lines(points.out);
        for (std::string line; std::getline(lines, line);) {
            if (line.find("None") == std::string::npos) stored += line + "\n";
        }
        return "statsd said:\n" + test::read_file(dir_.file("statsd.out")) + "points of " + metric +
               ":\n" + stored + points.err;
    }

    // Waits until the stored sum reaches `expected` (statsd flushes, carbon writes).
    std::int64_t settle(const std::string& metric, std::int64_t expected) const {
        wait_for([&] { return stored_sum(metric) >= expected; }, 40s);
        return stored_sum(metric);
    }

private:
    std::string whisper_file(const std::string& metric) const {
        std::string path = metric;
        std::replace(path.begin(), path.end(), '.', '/');
        return dir_.file("storage/whisper/" + path + ".wsp");
    }

    const test::TempDir& dir_;
    int carbon_port_, statsd_port_;
    std::unique_ptr<test::Background> carbon_, statsd_;
};

// A log of recent traffic: 20 requests/s for a minute, ending a few seconds ago.
std::string recent_log(const test::TempDir& dir, const std::string& name, int seed) {
    const std::string path = dir.file(name);
    const auto r = test::run({GENLOG, "--out", path, "--rate", "20", "--duration", "60", "--start",
                              std::to_string(now_s() - 70), "--seed", std::to_string(seed)});
    BOOST_TEST_REQUIRE(r.exit_code == 0);
    return path;
}

// Hits per section over all reports of a replay's JSON output.
std::map<std::string, std::int64_t> sections_in(const std::string& out, std::int64_t& hits) {
    std::map<std::string, std::int64_t> sections;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        const json::object o = json::parse(line).as_object();
        if (o.at("type") != "report") continue;
        hits += o.at("hits").to_number<std::int64_t>();
        for (const auto& s : o.at("sections").as_array()) {
            sections[std::string(s.at("section").as_string())] += s.at("hits").to_number<std::int64_t>();
        }
    }
    return sections;
}

// The statsd name of one of the generator's sections ("/favicon.ico" -> "favicon_ico").
std::string statsd_name(std::string section) {
    section.erase(0, 1);
    if (section.empty()) return "root";
    std::replace(section.begin(), section.end(), '.', '_');
    return section;
}

}  // namespace

// Replays a recent log with `sink` (--statsd ADDRESS or --graphite ADDRESS) and checks that
// Graphite stores, under `stored_as`, the hits of every report and of every section.
void replay_lands_in_graphite(const Graphite& graphite, const std::string& log, const std::string& sink,
                              const std::string& address, const std::string& stored_as) {
    const auto r = test::run({test::hitwatchd(), "--replay", log, sink, address, "--top", "100", "--output", "json"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    std::int64_t hits = 0;
    const auto sections = sections_in(r.out, hits);
    BOOST_TEST(hits == 1200);
    BOOST_TEST(graphite.settle(stored_as + ".hits", hits) == hits);
    BOOST_TEST(graphite.stored_sum(stored_as + ".status.2xx") > 0);
    for (const auto& [section, count] : sections) {
        BOOST_TEST(graphite.settle(stored_as + ".section." + statsd_name(section), count) == count, section);
    }
}

BOOST_AUTO_TEST_CASE(a_replay_lands_in_graphite_through_statsd) {
    test::TempDir dir;
    Graphite graphite(dir);
    replay_lands_in_graphite(graphite, recent_log(dir, "access.log", 1), "--statsd", graphite.statsd_address(),
                             "stats_counts.hitwatch");
}

BOOST_AUTO_TEST_CASE(a_fleet_of_three_adds_up_in_statsd) {
    test::TempDir dir;
    Graphite graphite(dir);
    std::vector<std::unique_ptr<test::Background>> fleet;
    std::int64_t total = 0;
    for (int i = 0; i < 3; ++i) {
        const std::string log = recent_log(dir, "vhost" + std::to_string(i) + ".log", 10 + i);
        const auto r = test::run({test::hitwatchd(), "--replay", log, "--output", "json"});
        std::int64_t hits = 0;
        sections_in(r.out, hits);
        total += hits;
        fleet.push_back(std::make_unique<test::Background>(
            std::vector<std::string>{test::hitwatchd(), "--replay", log, "--statsd", graphite.statsd_address(), "--output",
                                     "json"},
            dir.file("fleet" + std::to_string(i) + ".out"), dir.file("fleet" + std::to_string(i) + ".err")));
    }
    std::string said;
    for (std::size_t i = 0; i < fleet.size(); ++i) {
        BOOST_TEST(fleet[i]->wait() == 0);
        said += "replay " + std::to_string(i) + " said:\n" +
                test::read_file(dir.file("fleet" + std::to_string(i) + ".err"));
    }
    BOOST_TEST(total == 3600);
    // (A BOOST_TEST message's operands may be evaluated before its check: the diagnosis comes
    // after.)
    const std::int64_t stored = graphite.settle("stats_counts.hitwatch.hits", total);
    BOOST_TEST(stored == total,
               said << (stored == total ? "" : graphite.diagnosis("stats_counts.hitwatch.hits")));
}

BOOST_AUTO_TEST_CASE(a_replay_lands_in_graphite_directly) {
    test::TempDir dir;
    Graphite graphite(dir);
    replay_lands_in_graphite(graphite, recent_log(dir, "access.log", 3), "--graphite", graphite.carbon_address(),
                             "hitwatch");
}

BOOST_AUTO_TEST_CASE(the_live_daemon_queues_for_graphite_until_it_comes_up) {
    test::TempDir dir;
    Graphite graphite(dir, false);
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    test::Background daemon({test::hitwatchd(), "--log", log, "--interval", "1", "--state-file", dir.file("state.json"),
                             "--graphite", graphite.carbon_address(), "--output", "json", "--no-syslog", "--from-start"},
                            dir.file("daemon.out"), dir.file("daemon.err"));
    // Stamped now: a line the daemon reads from the start still lands within carbon's retention.
    BOOST_TEST_REQUIRE(test::run({GENLOG, "--out", log, "--lines", "500", "--rate", "1000", "--start",
                                  std::to_string(std::time(nullptr))}).exit_code == 0);
    BOOST_TEST(wait_for([&] { return test::read_file(dir.file("daemon.err")).find("retrying in") != std::string::npos; }, 10s));
    graphite.start_carbon();
    BOOST_TEST(graphite.settle("hitwatch.hits", 500) == 500,
               test::FileWhenPrinted{dir.file("daemon.err")});
    daemon.signal(SIGTERM);
    BOOST_TEST(daemon.wait() == 0);
}

BOOST_AUTO_TEST_CASE(statsd_down_is_a_warning_not_a_failure) {
    test::TempDir dir;
    const std::string log = recent_log(dir, "access.log", 2);
    const auto r = test::run({test::hitwatchd(), "--replay", log, "--statsd", "127.0.0.1:" + std::to_string(free_port()),
                              "--output", "json"});
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.err.find("statsd: cannot send to 127.0.0.1:") != std::string::npos, r.err);
    const auto unresolvable = test::run({test::hitwatchd(), "--replay", log, "--statsd", "no-such-host.invalid:8125"});
    BOOST_TEST(unresolvable.exit_code == 0);
    BOOST_TEST(unresolvable.err.find("statsd: cannot resolve no-such-host.invalid") != std::string::npos,
               unresolvable.err);
}

BOOST_AUTO_TEST_CASE(alerts_reach_a_real_rsyslog_with_their_priorities) {
    test::TempDir dir;
    const std::string conf = dir.file("rsyslog.conf");
    test::write_file(conf, "global(workDirectory=\"" + dir.path() +
                               "\")\nmodule(load=\"imuxsock\" SysSock.Use=\"off\")\n"
                               "input(type=\"imuxsock\" Socket=\"" + dir.file("old.sock") + "\")\n"
                               "input(type=\"imuxsock\" Socket=\"" + dir.file("rfc5424.sock") +
                               "\" UseSpecialParser=\"off\" ParseHostname=\"on\")\n"
                               "template(name=\"plain\" type=\"string\" string=\"%syslogfacility-text% "
                               "%syslogseverity-text% %app-name% %msg%\\n\")\n"
                               "*.* action(type=\"omfile\" file=\"" + dir.file("messages") + "\" template=\"plain\")\n");
    test::Background rsyslog({RSYSLOGD, "-n", "-f", conf, "-i", dir.file("rsyslog.pid")}, dir.file("rsyslog.out"),
                             dir.file("rsyslog.out"));
    BOOST_TEST_REQUIRE(wait_for([&] { return std::filesystem::exists(dir.file("rfc5424.sock")); }, 20s),
                       "rsyslogd did not start: " << test::read_file(dir.file("rsyslog.out")));

    const std::string log = dir.file("burst.log");
    BOOST_TEST_REQUIRE(test::run({GENLOG, "--out", log, "--rate", "5", "--duration", "900", "--start", "1763632800",
                                  "--burst", "300:60:30"}).exit_code == 0);
    BOOST_TEST(test::run({test::hitwatchd(), "--replay", log, "--alert-rule", "absolute", "--syslog-socket",
                          dir.file("rfc5424.sock")}).exit_code == 0);
    BOOST_TEST(test::run({test::hitwatchd(), "--replay", log, "--alert-rule", "absolute", "--syslog-socket",
                          dir.file("old.sock"), "--syslog-format", "rfc3164", "--syslog-facility", "local3"})
                   .exit_code == 0);
    const std::string high =
        "High traffic generated an alert - hits = 1225, triggered at 2025-11-20T10:05:25Z (limit 1200 = 10/s over 120 s; "
        "absolute rule; grew most: /api +148, /images +104, /static +73)";
    const std::string back =
        "Traffic back to normal - hits = 1200, recovered at 2025-11-20T10:07:36Z (limit 1200 = 10/s over 120 s; "
        "absolute rule; after 2 min 11 s)";
    const std::vector<std::string> expected = {"daemon warning hitwatchd " + high, "daemon notice hitwatchd " + back,
                                               "local3 warning hitwatchd  " + high, "local3 notice hitwatchd  " + back};
    BOOST_TEST(wait_for([&] {
                   const std::string got = test::read_file(dir.file("messages"));
                   return std::all_of(expected.begin(), expected.end(),
                                      [&](const std::string& line) { return got.find(line + "\n") != std::string::npos; });
               }, 20s),
               test::read_file(dir.file("messages")));
    rsyslog.signal(SIGTERM);
    rsyslog.wait();
}

BOOST_AUTO_TEST_CASE(syslog_absent_is_a_warning_not_a_failure) {
    test::TempDir dir;
    const std::string log = dir.file("burst.log");
    BOOST_TEST_REQUIRE(test::run({GENLOG, "--out", log, "--rate", "5", "--duration", "900", "--start", "1763632800",
                                  "--burst", "300:60:30"}).exit_code == 0);
    const auto r = test::run({test::hitwatchd(), "--replay", log, "--alert-rule", "absolute", "--syslog-socket",
                              dir.file("nobody.sock"), "--output", "json"});
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.err.find("syslog: cannot connect to " + dir.file("nobody.sock")) != std::string::npos, r.err);
    BOOST_TEST(r.out.find("\"state\":\"recovered\"") != std::string::npos);
}
