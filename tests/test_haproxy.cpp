// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE haproxy
// In front of a real HAProxy (Debian's), run with its own config in a temp dir. HAProxy answers
// itself (`http-request return`), so no server is needed. Its `option httplog` lines,
// with the format left to `auto`: written to standard output (`log stdout format raw`, as in a
// container) and replayed, and sent over UDP syslog to a live hitwatchd. Every request sent is
// a hit, with its section and status.
#include <boost/json.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <string>

#include "http_client.h"
#include "live_daemon.h"
#include "process.h"
#include "report_lines.h"

using namespace std::chrono_literals;

namespace {

// HAProxy on 127.0.0.1:port, its logs where `log_target` says ("stdout format raw", or a syslog
// server's address), its standard output into `out`.
std::unique_ptr<test::Background> start_haproxy(const test::TempDir& dir, int port,
                                                const std::string& log_target,
                                                const std::string& out,
                                                const std::string& frontend = "") {
    BOOST_TEST_REQUIRE(std::string(HAPROXY).find("not-found") == std::string::npos,
                       "apt-get install haproxy");
    // A connection that sends nothing (listening()'s probes) is no 400 with `dontlognull`, as
    // Debian's haproxy.cfg has it. One thread: with two, an early line was missing from the log
    // written to standard output in about one run in ten.
    const std::string config = "global\n"
                               "    log " + log_target + " local0\n"
                               "    nbthread 1\n"
                               "defaults\n"
                               "    log global\n"
                               "    mode http\n"
                               "    option httplog\n"
                               "    option dontlognull\n"
                               "    timeout connect 1s\n"
                               "    timeout client 5s\n"
                               "    timeout server 5s\n"
                               "frontend http-in\n"
                               "    bind 127.0.0.1:" + std::to_string(port) + "\n" + frontend +
                               "    http-request return status 403 if { path_beg /admin }\n"
                               "    http-request return status 404 if { path_beg /missing }\n"
                               "    http-request return status 200 content-type text/plain string ok\n";
    test::write_file(dir.file("haproxy.cfg"), config);
    auto haproxy = std::make_unique<test::Background>(
        std::vector<std::string>{HAPROXY, "-f", dir.file("haproxy.cfg"), "-db"}, out,
        dir.file("haproxy.err"));
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(port); }, 10s),
                       test::FileWhenPrinted{dir.file("haproxy.err")});
    return haproxy;
}

// The requests sent, by section: 40 answered 200, 5 404, 5 refused (403).
const std::map<std::string, int> kSent = {
    {"/shop", 30}, {"/api", 10}, {"/missing", 5}, {"/admin", 5}};
constexpr int kTotal = 50;

void send_requests(int port) {
    for (const auto& [section, n] : kSent) {
        for (int i = 0; i < n; ++i) test::http_get(port, section + "/item?id=" + std::to_string(i));
    }
}

}  // namespace

// Headers captured add a {...} field for each direction before the request: every line was
// invalid (bad_request), and `auto` found no format.
const std::string kCaptures = "    capture request header Host len 32\n"
                              "    capture request header User-Agent len 64\n"
                              "    capture response header Content-Type len 32\n";

BOOST_DATA_TEST_CASE(haproxys_httplog_is_found_by_auto_and_every_request_counted,
                     boost::unit_test::data::make({std::string(), kCaptures}), frontend) {
    test::TempDir dir;
    const int port = test::free_port();
    const std::string log = dir.file("haproxy.log");
    const auto haproxy = start_haproxy(dir, port, "stdout format raw", log, frontend);
    send_requests(port);
    // A line a request, written once it is answered.
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::lines_in(log) >= kTotal; }, 10s),
                       test::FileWhenPrinted{log});
    haproxy->signal(SIGTERM);
    haproxy->wait();
    if (!frontend.empty()) {
        BOOST_TEST(test::read_file(log).find("} {} \"GET ") != std::string::npos, test::FileWhenPrinted{log});
    }

    const auto r = test::run({test::hitwatchd(), "--replay", log, "--output", "json"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find(log + ": haproxy (") != std::string::npos, r.err);
    const test::Totals t = test::add_up(test::of_type(test::json_lines(r.out), "report"));
    BOOST_TEST(t.hits == kTotal, r.err);
    BOOST_TEST(t.invalid == 0);
    for (const auto& [section, n] : kSent) BOOST_TEST(t.sections.at(section) == n, section);
    BOOST_TEST(t.status.at("2xx") == 40);
    BOOST_TEST(t.status.at("4xx") == 10);  // 404 and 403
}

BOOST_AUTO_TEST_CASE(haproxy_logging_over_syslog_is_counted_live) {
    // `log 127.0.0.1:PORT local0`: RFC 3164 over UDP, tagged haproxy, into --listen-syslog.
    test::TempDir dir;
    const int port = test::free_port(), syslog_port = test::free_port();
    test::Daemon daemon(dir, {"syslog:haproxy"}, test::syslog_over_udp(syslog_port));
    BOOST_TEST_REQUIRE(daemon.receives_syslog(syslog_port), daemon.said());
    const auto haproxy = start_haproxy(dir, port, "127.0.0.1:" + std::to_string(syslog_port),
                                       dir.file("haproxy.out"));
    send_requests(port);
    BOOST_TEST(daemon.settle_at(kTotal, 30s) == kTotal, daemon.said());
    BOOST_TEST(daemon.says("syslog:haproxy: haproxy ("), daemon.said());
    BOOST_TEST(daemon.stop() == 0);
    haproxy->signal(SIGTERM);
    haproxy->wait();
}
