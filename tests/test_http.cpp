// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE http
// The HTTP face of the real hitwatchd --log --http: /metrics counts every line as it is read,
// passes promtool, keeps its section series bounded and its counters monotonic across a
// reload; /status says how things stand; and no client can lock it out or stall it.
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_client.h"
#include "live_daemon.h"

using namespace std::chrono_literals;
using test::Daemon;
using test::http_get;

namespace {

// Samples of an exposition: "name{labels}" -> value.
std::map<std::string, double> samples(const std::string& text) {
    std::map<std::string, double> all;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        all[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return all;
}

// The sum of a metric's samples over all its labels.
double sum_of(const std::map<std::string, double>& all, const std::string& name) {
    double sum = 0;
    for (const auto& [series, value] : all) {
        if (series == name || series.rfind(name + "{", 0) == 0) sum += value;
    }
    return sum;
}

std::map<std::string, double> scrape(int port) {
    const auto reply = http_get(port, "/metrics");
    BOOST_TEST_REQUIRE(reply.status == 200);
    return samples(reply.body);
}

std::vector<std::string> sections(const std::string& prefix, int count) {
    std::vector<std::string> all;
    for (int i = 0; i < count; ++i) all.push_back(prefix + std::to_string(i));
    return all;
}

struct HttpDaemon {
    test::TempDir dir;
    std::string log = dir.file("access.log");
    int port = test::free_port();
    std::unique_ptr<Daemon> daemon;

    explicit HttpDaemon(std::vector<std::string> extra = {}) {
        test::write_file(log, "");
        extra.insert(extra.end(), {"--http", "127.0.0.1:" + std::to_string(port)});
        daemon = std::make_unique<Daemon>(dir, std::vector<std::string>{log}, extra);
        BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(port); }, 10s),
                           daemon->said());
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(metrics_count_every_line_as_it_is_read_and_pass_promtool) {
    // Reports once a day: what the scrape sees was not taken from a report. (Intervals are
    // aligned to the epoch: at 10 minutes, a run across a boundary, such as 06:00:00, saw one.)
    HttpDaemon d({"--interval", "86400", "--alert-window", "86400"});
    test::generate(d.log, 300);
    test::append_requests(d.log, {"/x"});
    {
        std::ofstream out(d.log, std::ios::app);
        out << "not a log line\n" << "another one\n";
    }
    BOOST_TEST(test::wait_for([&] { return sum_of(scrape(d.port), "hitwatch_requests_total") == 301; }, 10s));
    const auto all = scrape(d.port);
    BOOST_TEST(sum_of(all, "hitwatch_responses_total") == 301);
    BOOST_TEST(sum_of(all, "hitwatch_invalid_lines_total") == 2);
    BOOST_TEST(all.at("hitwatch_log_up{log=\"" + d.log + "\"}") == 1);
    BOOST_TEST(all.at("hitwatch_log_lag_bytes{log=\"" + d.log + "\"}") == 0);
    BOOST_TEST(all.at("hitwatch_alert_active") == 0);
    BOOST_TEST(all.at("hitwatch_backfill_active") == 0);
    BOOST_TEST(all.at("process_open_fds") > 0);
    BOOST_TEST(all.at("process_resident_memory_bytes") > 1e6);
    BOOST_TEST(all.at("process_start_time_seconds") > 1.7e9);
    // The version, and the commit when built from a checkout (this tree is one).
    const auto build = all.lower_bound("hitwatch_build_info{");
    BOOST_TEST_REQUIRE((build != all.end()));
    BOOST_TEST(build->first.rfind("hitwatch_build_info{version=\"" HITWATCH_VERSION "\",commit=\"", 0) == 0u, build->first);
    BOOST_TEST(build->second == 1);
    BOOST_TEST(test::seen_in(d.dir.file("out.json")).reports == 0);

    const auto reply = http_get(d.port, "/metrics");
    BOOST_TEST(reply.headers.at("content-type") == "text/plain; version=0.0.4; charset=utf-8");
    test::write_file(d.dir.file("metrics.txt"), reply.body);
    BOOST_TEST_REQUIRE(!std::string(PROMTOOL).empty(), "promtool not found: apt-get install prometheus");
    const auto lint = test::run({PROMTOOL, "check", "metrics"}, d.dir.file("metrics.txt"));
    BOOST_TEST(lint.exit_code == 0, lint.out << lint.err);
    BOOST_TEST(lint.out + lint.err == "");
}

BOOST_AUTO_TEST_CASE(section_series_are_bounded_and_counters_never_go_back_across_a_reload) {
    HttpDaemon d({"--metrics-sections", "3", "--top", "5"});
    std::map<std::string, double> last;
    std::set<std::string> series_seen;
    int written = 0;
    const auto check_monotonic = [&](const std::map<std::string, double>& now) {
        for (const auto& [name, value] : last) {
            if (name.rfind("hitwatch_", 0) != 0 || name.find("_total") == std::string::npos) continue;
            BOOST_TEST(now.count(name) == 1, name << " went away");
            if (now.count(name)) BOOST_TEST(now.at(name) >= value, name << " went back");
        }
        for (const auto& [name, value] : now) {
            if (name.rfind("hitwatch_requests_total{", 0) == 0) series_seen.insert(name);
        }
        last = now;
    };
    for (int round = 0; round < 4; ++round) {
        // Each round, its own 40 sections (a scanner's random paths) and a steady /busy one.
        auto round_sections = sections("/r" + std::to_string(round) + "-", 40);
        for (int i = 0; i < 20; ++i) round_sections.push_back("/busy" + std::to_string(i % 2));
        test::append_requests(d.log, round_sections);
        written += static_cast<int>(round_sections.size());
        BOOST_TEST(test::wait_for([&] { return sum_of(scrape(d.port), "hitwatch_requests_total") == written; }, 10s));
        check_monotonic(scrape(d.port));
        if (round == 1) d.daemon->signal(SIGHUP);
        std::this_thread::sleep_for(1200ms);  // a report lists the round's busiest
        check_monotonic(scrape(d.port));
    }
    BOOST_TEST(series_seen.size() <= 4u);  // three sections and "(other)"
    BOOST_TEST(series_seen.count("hitwatch_requests_total{section=\"/busy0\"}") == 1);
    BOOST_TEST(series_seen.count("hitwatch_requests_total{section=\"(other)\"}") == 1);
    BOOST_TEST(sum_of(last, "hitwatch_requests_total") == written);
    BOOST_TEST(d.daemon->stop() == 0);
}

BOOST_AUTO_TEST_CASE(status_says_how_things_stand) {
    HttpDaemon d;
    test::generate(d.log, 200);
    BOOST_TEST(test::wait_for([&] { return sum_of(scrape(d.port), "hitwatch_requests_total") == 200; }, 10s));
    const auto reply = http_get(d.port, "/status");
    BOOST_TEST_REQUIRE(reply.status == 200);
    BOOST_TEST(reply.headers.at("content-type") == "application/json");
    const auto status = boost::json::parse(reply.body).as_object();
    BOOST_TEST(status.at("version").as_string() == HITWATCH_VERSION);
    BOOST_TEST(status.at("commit").as_string().size() >= 12u);
    BOOST_TEST(status.at("uptime_s").as_int64() >= 0);
    BOOST_TEST(status.at("config").at("http.listen").as_string() == "127.0.0.1:" + std::to_string(d.port));
    BOOST_TEST(status.at("config").at("interval").as_string() == "1");
    const auto& log = status.at("logs").as_array().at(0).as_object();
    struct stat info{};
    ::stat(d.log.c_str(), &info);
    BOOST_TEST(log.at("path").as_string() == d.log);
    BOOST_TEST(log.at("state").as_string() == "reading");
    BOOST_TEST(log.at("inode").to_number<std::uint64_t>() == info.st_ino);
    BOOST_TEST(log.at("offset").to_number<std::uint64_t>() == static_cast<std::uint64_t>(info.st_size));
    BOOST_TEST(log.at("lag_bytes").to_number<std::uint64_t>() == 0u);
    BOOST_TEST(log.at("rotations").to_number<std::uint64_t>() == 0u);
    BOOST_TEST(status.at("interval").at("type").as_string() == "report");
    BOOST_TEST(status.at("interval").at("partial").as_bool());
    BOOST_TEST(status.at("interval").at("total_hits").as_int64() == 200);
    BOOST_TEST(status.at("alert").at("rule").as_string() == "adaptive");
    BOOST_TEST(status.at("alert").at("state").as_string() == "normal");
    // Whole figures read as integers ("10"), as in the report stream, not Boost's "1E1".
    BOOST_TEST(status.at("alert").at("limit_hits").is_int64());
    BOOST_TEST(status.at("alert").at("normal_hits").is_int64());
    BOOST_TEST(status.at("recent_alerts").as_array().empty());
    // Each kind as it stands; a first start learns for ten minutes and says so.
    BOOST_TEST(status.at("alert").at("learning").as_bool());
    BOOST_TEST(status.at("alert").at("learning_left_s").as_int64() > 0);
    for (const char* kind : {"traffic", "errors", "latency", "drop"}) {
        const auto& k = status.at("alerts").at(kind);
        BOOST_TEST(k.at("enabled").as_bool(), kind);
        BOOST_TEST(k.at("state").as_string() == "normal", kind);
        BOOST_TEST(k.at("learning").as_bool(), kind);
    }
    BOOST_TEST(status.at("invalid_reasons").as_object().empty());
}

BOOST_AUTO_TEST_CASE(only_get_and_head_on_fixed_routes_for_local_hosts) {
    HttpDaemon d;
    auto post = test::http_request(d.port, "POST", "/metrics");
    BOOST_TEST(post.status == 405);
    BOOST_TEST(post.headers["allow"] == "GET, HEAD");
    BOOST_TEST(http_get(d.port, "/etc/passwd").status == 404);
    BOOST_TEST(http_get(d.port, "/../../etc/passwd").status == 404);
    const auto head = test::http_request(d.port, "HEAD", "/metrics");
    BOOST_TEST(head.status == 200);
    BOOST_TEST(head.body.empty());
    BOOST_TEST(std::stoul(head.headers.at("content-length")) > 0u);
    // DNS rebinding: a page of another site whose name now points at 127.0.0.1.
    BOOST_TEST(test::http_request(d.port, "GET", "/metrics", "Host: attacker.example\r\n").status == 403);
    BOOST_TEST(test::http_request(d.port, "GET", "/metrics", "Host: localhost\r\nHost: attacker.example\r\n").status == 400);
    BOOST_TEST(test::http_request(d.port, "GET", "/status", "Host: localhost:" + std::to_string(d.port) + "\r\n").status == 200);
    BOOST_TEST(http_get(d.port, "/metrics?x=1").status == 200);
    // Before: HTTP/1.1 without a Host was answered 200, and a POST with a body 413.
    test::RawConnection no_host(d.port);
    no_host.send("GET /metrics HTTP/1.1\r\n\r\n");
    BOOST_TEST(no_host.receive().rfind("HTTP/1.1 400", 0) == 0u);
    test::RawConnection old(d.port);  // HTTP/1.0 needs none
    old.send("GET /metrics HTTP/1.0\r\n\r\n");
    BOOST_TEST(old.receive().rfind("HTTP/1.0 200", 0) == 0u);
    const auto posted = test::http_request(d.port, "POST", "/metrics", "Content-Length: 5\r\n\r\nhello");
    BOOST_TEST(posted.status == 405);
    BOOST_TEST(posted.headers.at("allow") == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(idle_connections_and_a_huge_head_neither_lock_out_a_scrape_nor_stall_counting) {
    HttpDaemon d;
    std::vector<std::unique_ptr<test::RawConnection>> idle;
    for (int i = 0; i < 300; ++i) idle.push_back(std::make_unique<test::RawConnection>(d.port));
    // A 200 KB header: refused at 8 KiB with 431, the connection closed.
    test::RawConnection huge(d.port);
    huge.send("GET /metrics HTTP/1.1\r\nHost: localhost\r\nX-Fill: ");
    huge.send(std::string(200 * 1000, 'a'));
    BOOST_TEST(huge.receive().rfind("HTTP/1.1 431", 0) == 0u);
    test::generate(d.log, 500);
    BOOST_TEST(test::wait_for([&] { return sum_of(scrape(d.port), "hitwatch_requests_total") == 500; }, 10s));
    BOOST_TEST(d.daemon->settle_at(500) == 500);  // the reports too
    // At most the connection cap (64) open, whatever clients hold.
    BOOST_TEST(scrape(d.port).at("process_open_fds") < 64 + 20);
}

BOOST_AUTO_TEST_CASE(an_address_that_cannot_be_bound_is_an_error_and_exit_1) {
    test::TempDir dir;
    const int port = test::free_port();
    const int holder = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    BOOST_TEST_REQUIRE(::bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    ::listen(holder, 1);
    test::write_file(dir.file("access.log"), "");
    const auto r = test::run({test::hitwatchd(), "--log", dir.file("access.log"), "--state-file", dir.file("state"),
                              "--http", "127.0.0.1:" + std::to_string(port)});
    ::close(holder);
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(r.err.find("--http 127.0.0.1:" + std::to_string(port) + ": cannot listen: Address already in use") != std::string::npos, r.err);
    const auto bad = test::run({test::hitwatchd(), "--log", dir.file("access.log"), "--http", "example.com:80"});
    BOOST_TEST(bad.exit_code == 2);
    BOOST_TEST(bad.err.find("--http") != std::string::npos, bad.err);
}

BOOST_AUTO_TEST_CASE(a_replay_never_listens) {
    test::TempDir dir;
    const int port = test::free_port();
    const std::string fifo = dir.file("input");
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    test::Background replay({test::hitwatchd(), "--replay", fifo, "--http", "127.0.0.1:" + std::to_string(port), "--output", "json"},
                            dir.file("out.json"), dir.file("err.txt"));
    {
        std::ofstream writer(fifo);  // open while the replay reads it
        writer << "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.0\" 200 2326\n" << std::flush;
        std::this_thread::sleep_for(500ms);
        BOOST_TEST(!test::listening(port));
    }
    BOOST_TEST(replay.wait() == 0);
    BOOST_TEST(test::read_file(dir.file("out.json")).find("\"total_hits\":1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_kinds_of_alert_and_their_settings_are_applied_by_a_reload) {
    test::TempDir dir;
    const std::string log = dir.file("access.log"), config = dir.file("hitwatch.conf");
    test::write_file(log, "");
    const int port = test::free_port();
    const std::string http = "[http]\nlisten = 127.0.0.1:" + std::to_string(port) + "\n";
    test::write_config(config, {log}, 10, http);
    Daemon daemon(dir, {}, {"--config", config});
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(port); }, 10s), daemon.said());
    BOOST_TEST(scrape(port).count("hitwatch_alert_state{kind=\"errors\"}") == 1);
    test::write_config(config, {log}, 10,
                       http + "[alert]\nkinds = traffic, drop\nmin-change = 30 %\nerrors-min = 50\nlatency-min-ms = 250\n"
                              "drop-min = 90\n");
    daemon.signal(SIGHUP);
    BOOST_TEST(daemon.says("reload: done"));
    const auto status = boost::json::parse(http_get(port, "/status").body).as_object();
    const auto& config_now = status.at("config");
    BOOST_TEST(config_now.at("alert.kinds").as_string() == "traffic,drop");
    BOOST_TEST(config_now.at("alert.min-change").as_string() == "30");
    BOOST_TEST(config_now.at("alert.errors-min").as_string() == "50");
    BOOST_TEST(config_now.at("alert.latency-min-ms").as_string() == "250");
    BOOST_TEST(config_now.at("alert.drop-min").as_string() == "90");
    BOOST_TEST(!status.at("alerts").at("errors").at("enabled").as_bool());
    BOOST_TEST(status.at("alerts").at("drop").at("enabled").as_bool());
    const auto metrics = scrape(port);
    BOOST_TEST(metrics.count("hitwatch_alert_state{kind=\"errors\"}") == 0);
    BOOST_TEST(metrics.count("hitwatch_alert_state{kind=\"drop\"}") == 1);
    BOOST_TEST(daemon.err().find("needs a restart") == std::string::npos, daemon.said());
    BOOST_TEST(daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_reload_keeps_the_http_settings_it_cannot_apply_and_says_so_each_time) {
    // Before: the new address was taken into the running configuration though the server
    // still listened on the old one: /status named a port nobody answered on, and a second
    // reload warned nothing.
    test::TempDir dir;
    const std::string log = dir.file("access.log"), config = dir.file("hitwatch.conf");
    test::write_file(log, "");
    const int port = test::free_port(), other = test::free_port();
    test::write_config(config, {log}, 10, "[http]\nlisten = 127.0.0.1:" + std::to_string(port) + "\n");
    Daemon daemon(dir, {}, {"--config", config});
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(port); }, 10s), daemon.said());
    test::write_config(config, {log}, 10,
                       "[http]\nlisten = 127.0.0.1:" + std::to_string(other) + "\nmetrics-sections = 5\nmax-connections = 9\n");
    const std::string warning = "reload: needs a restart: http (keeping 127.0.0.1:" + std::to_string(port) +
                                "), http-max-connections (keeping 64), metrics-sections (keeping 200)";
    for (int reload = 1; reload <= 2; ++reload) {
        daemon.signal(SIGHUP);
        BOOST_TEST(test::wait_for(
                       [&] {
                           const std::string err = daemon.err();
                           size_t n = 0;
                           for (size_t at = err.find(warning); at != std::string::npos;
                                at = err.find(warning, at + 1))
                               ++n;
                           return n == static_cast<size_t>(reload);
                       },
                       5s),
                   daemon.said());
        const auto status = boost::json::parse(http_get(port, "/status").body).as_object();
        BOOST_TEST(status.at("config").at("http.listen").as_string() == "127.0.0.1:" + std::to_string(port));
        BOOST_TEST(status.at("config").at("http.metrics-sections").as_string() == "200");
        BOOST_TEST(!test::listening(other));
    }
    BOOST_TEST(daemon.stop() == 0);
}
