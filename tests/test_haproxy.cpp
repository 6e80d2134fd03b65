// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE haproxy
// In front of a real HAProxy (Debian's), run with its own config in a temp dir: `option httplog`
// to standard output (`log stdout format raw`), as in a container. HAProxy answers itself
// (`http-request return`, `deny`), so no server is needed. Its log, with the format left to
// `auto`, is replayed: every request sent is a hit, with its section and status.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <map>
#include <string>

#include "http_client.h"
#include "live_daemon.h"
#include "process.h"
#include "report_lines.h"

using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(haproxys_httplog_is_found_by_auto_and_every_request_counted) {
    BOOST_TEST_REQUIRE(std::string(HAPROXY).find("not-found") == std::string::npos, "apt-get install haproxy");
    test::TempDir dir;
    const int port = test::free_port();
    test::write_file(dir.file("haproxy.cfg"), "global\n"
                                              "    log stdout format raw local0\n"
                                              "defaults\n"
                                              "    log global\n"
                                              "    mode http\n"
                                              "    option httplog\n"
                                              // As Debian's haproxy.cfg has it: a connection that
                                              // sends nothing (listening()'s probes) is not a 400.
                                              "    option dontlognull\n"
                                              "    timeout connect 1s\n"
                                              "    timeout client 5s\n"
                                              "    timeout server 5s\n"
                                              "frontend http-in\n"
                                              "    bind 127.0.0.1:" + std::to_string(port) + "\n"
                                              "    http-request deny if { path_beg /admin }\n"
                                              "    http-request return status 404 if { path_beg /missing }\n"
                                              "    http-request return status 200 content-type text/plain string ok\n");
    const std::string log = dir.file("haproxy.log");
    test::Background haproxy({HAPROXY, "-f", dir.file("haproxy.cfg"), "-db"}, log, dir.file("haproxy.err"));
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(port); }, 10s),
                       test::FileWhenPrinted{dir.file("haproxy.err")});
    const std::map<std::string, int> sent = {{"/shop", 30}, {"/api", 10}, {"/missing", 5}, {"/admin", 5}};
    int total = 0;
    for (const auto& [section, n] : sent) {
        for (int i = 0; i < n; ++i, ++total) test::http_get(port, section + "/item?id=" + std::to_string(i));
    }
    // A line a request, written once it is answered.
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::lines_in(log) >= total; }, 10s), test::FileWhenPrinted{log});
    haproxy.signal(SIGTERM);
    haproxy.wait();

    const auto r = test::run({test::hitwatchd(), "--replay", log, "--output", "json"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find(log + ": haproxy (") != std::string::npos, r.err);
    const test::Totals t = test::add_up(test::of_type(test::json_lines(r.out), "report"));
    BOOST_TEST(t.hits == total, r.err);
    BOOST_TEST(t.invalid == 0);
    for (const auto& [section, n] : sent) BOOST_TEST(t.sections.at(section) == n, section);
    BOOST_TEST(t.status.at("2xx") == 40);
    BOOST_TEST(t.status.at("4xx") == 10);  // 404 and deny's 403
}
