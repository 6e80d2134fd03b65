// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE prometheus
// End to end with a real Prometheus (Debian's package) on loopback: it scrapes the real
// hitwatchd's /metrics, and what it stored is read back through its query API.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <memory>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <string>

#include "http_client.h"
#include "live_daemon.h"

using namespace std::chrono_literals;

namespace {

// The value of an instant query's single result; -1 if there is none (yet).
double query(int port, const std::string& promql) {
    std::string encoded;
    for (const unsigned char c : promql) {
        if (std::isalnum(c) || c == '_') {
            encoded += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            encoded += hex;
        }
    }
    const auto reply = test::http_get(port, "/api/v1/query?query=" + encoded);
    if (reply.status != 200) return -1;
    const auto result = boost::json::parse(reply.body).at("data").at("result").as_array();
    if (result.size() != 1) return -1;
    return std::stod(std::string(result[0].at("value").as_array()[1].as_string()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_real_prometheus_scrapes_what_was_read) {
    BOOST_TEST_REQUIRE(!std::string(PROMETHEUS).empty(), "prometheus not found: apt-get install prometheus");
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    const int http_port = test::free_port();
    test::Daemon daemon(dir, {log}, {"--http", "127.0.0.1:" + std::to_string(http_port)});
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(http_port); }, 10s),
                       daemon.said());

    const int prometheus_port = test::free_port();
    test::write_file(dir.file("prometheus.yml"),
                     "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                     "scrape_configs:\n  - job_name: hitwatch\n    static_configs:\n      - targets: ['127.0.0.1:" +
                         std::to_string(http_port) + "']\n");
    test::Background prometheus({PROMETHEUS, "--config.file=" + dir.file("prometheus.yml"),
                                 "--storage.tsdb.path=" + dir.file("data"),
                                 "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)},
                                dir.file("prometheus.out"), dir.file("prometheus.err"));
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::http_get(prometheus_port, "/-/ready").status == 200; }, 60s),
                       test::read_file(dir.file("prometheus.err")));

    test::generate(log, 300);
    BOOST_TEST(test::wait_for([&] { return query(prometheus_port, "sum(hitwatch_requests_total)") == 300; }, 30s),
               query(prometheus_port, "sum(hitwatch_requests_total)"));
    BOOST_TEST(query(prometheus_port, "up{job=\"hitwatch\"}") == 1);
    BOOST_TEST(query(prometheus_port, "sum(hitwatch_responses_total)") == 300);
    BOOST_TEST(query(prometheus_port, "hitwatch_alert_active") == 0);
    BOOST_TEST(query(prometheus_port, "hitwatch_log_up") == 1);
    BOOST_TEST(query(prometheus_port, "count(hitwatch_build_info)") == 1);
    BOOST_TEST(query(prometheus_port, "process_open_fds") > 0);
    // More lines, and a section listed by a report gets its own series.
    test::generate(log, 200, 2);
    BOOST_TEST(test::wait_for([&] { return query(prometheus_port, "sum(hitwatch_requests_total)") == 500; }, 30s));
    BOOST_TEST(query(prometheus_port, "count(hitwatch_requests_total)") > 1);
    // Nothing it scraped was malformed.
    BOOST_TEST(query(prometheus_port, "scrape_samples_post_metric_relabeling{job=\"hitwatch\"}") > 30);
    BOOST_TEST(test::read_file(dir.file("prometheus.err")).find("level=error") == std::string::npos,
               test::read_file(dir.file("prometheus.err")));
    prometheus.signal(SIGTERM);
    prometheus.wait();
    BOOST_TEST(daemon.stop() == 0);
}
