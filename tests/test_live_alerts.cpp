// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE live_alerts
// The errors, latency and drop alerts end to end, live, with short time constants (1 s
// intervals, a 4 s window, a 60 s horizon): a site written at 50 req/s with response times
// has a wave of 5xx, then slow responses, then an outage. Each alert, and its recovery, must
// reach a real rsyslogd (warning, then notice), a real statsd (the PREFIX.alert.KIND gauge),
// /metrics (hitwatch_alert_state{kind}) and the dashboard in headless Chromium, which first
// says it is learning.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "headless_chromium.h"
#include "http_client.h"
#include "live_daemon.h"
#include "live_traffic.h"

using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

// statsd's gauges as its management port lists them ("{ 'hitwatch.alert.errors': 1, ... }").
std::string statsd_gauges(int mgmt_port) {
    test::RawConnection admin(mgmt_port);
    if (!admin.connected() || !admin.send("gauges\n")) return "";
    return admin.receive();
}

std::string text_of(const std::string& selector) {
    return "(document.querySelector('" + selector + "') || {textContent: ''}).textContent";
}

// "errors high", "drop low", "errors recovered": the alerts in a report stream.
std::vector<std::string> alerts_in(const std::string& out) {
    std::vector<std::string> alerts;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        boost::system::error_code ec;
        const json::value v = json::parse(line, ec);
        if (ec || !v.is_object() || v.at("type") != "alert") continue;
        alerts.push_back(std::string(v.at("kind").as_string()) + " " + std::string(v.at("state").as_string()));
    }
    return alerts;
}

}  // namespace

BOOST_AUTO_TEST_CASE(errors_latency_and_drop_alerts_reach_syslog_statsd_metrics_and_the_dashboard) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    // rsyslogd, writing what it receives on an RFC 5424 socket with its priority.
    const std::string conf = dir.file("rsyslog.conf"), socket = dir.file("log.sock");
    test::write_file(conf, "global(workDirectory=\"" + dir.path() + "\")\nmodule(load=\"imuxsock\" SysSock.Use=\"off\")\n"
                           "input(type=\"imuxsock\" Socket=\"" + socket + "\" UseSpecialParser=\"off\" ParseHostname=\"on\")\n"
                           "template(name=\"plain\" type=\"string\" string=\"%syslogseverity-text% %msg%\\n\")\n"
                           "*.* action(type=\"omfile\" file=\"" + dir.file("messages") + "\" template=\"plain\")\n");
    test::Background rsyslog({RSYSLOGD, "-n", "-f", conf, "-i", dir.file("rsyslog.pid")}, dir.file("rsyslog.out"),
                             dir.file("rsyslog.out"));
    BOOST_TEST_REQUIRE(test::wait_for([&] { return std::filesystem::exists(socket); }, 20s),
                       test::FileWhenPrinted{dir.file("rsyslog.out")});
    // statsd (the npm package) with its console backend; its management port lists the gauges.
    const int statsd_port = test::free_port(), mgmt_port = test::free_port();
    test::write_file(dir.file("statsd.js"), "{ port: " + std::to_string(statsd_port) + ", address: \"127.0.0.1\", mgmt_address: "
                                            "\"127.0.0.1\", mgmt_port: " + std::to_string(mgmt_port) +
                                            ", flushInterval: 1000, backends: [\"./backends/console\"] }\n");
    test::Background statsd({NODE, STATSD_JS, dir.file("statsd.js")}, dir.file("statsd.out"), dir.file("statsd.out"));
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(mgmt_port); }, 30s),
                       test::FileWhenPrinted{dir.file("statsd.out")});

    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    const int port = test::free_port();
    test::Daemon daemon(dir, {log}, {"--alert-window", "4", "--alert-horizon", "60", "--log-format", test::LiveTraffic::kFormat,
                                     "--http", "127.0.0.1:" + std::to_string(port), "--statsd",
                                     "127.0.0.1:" + std::to_string(statsd_port), "--syslog-socket", socket});
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(port); }, 10s), daemon.said());
    test::LiveTraffic traffic(log, 50);

    test::HeadlessChromium browser(CHROMIUM, 1280, 900);
    browser.open("http://127.0.0.1:" + std::to_string(port) + "/");
    // A first start learns (a window's fill and five windows), and says so, for each kind.
    BOOST_TEST(browser.wait_until(text_of("#alert-state") + ".startsWith('learning, ')", 15), browser.evaluate(text_of("header")));
    BOOST_TEST(browser.wait_until(text_of("#kind-errors") + ".startsWith('5xx learning')", 15), browser.evaluate(text_of("header")));
    // Learned, and the first horizon's prior over, after a minute of traffic.
    std::this_thread::sleep_for(75s);
    BOOST_TEST(browser.wait_until(text_of("#kind-errors") + " === '5xx normal'", 10), browser.evaluate(text_of("header")));

    const auto metric_says = [&](const std::string& kind, int value) {
        return test::http_get(port, "/metrics").body.find("hitwatch_alert_state{kind=\"" + kind + "\"} " + std::to_string(value)) !=
               std::string::npos;
    };
    struct Incident {
        test::LiveTraffic::Mode mode;
        std::string kind, state, chip;
    };
    const std::vector<Incident> incidents = {{test::LiveTraffic::Mode::errors, "errors", "HIGH", "5xx HIGH"},
                                             {test::LiveTraffic::Mode::slow, "latency", "HIGH", "p99 HIGH"},
                                             {test::LiveTraffic::Mode::stopped, "drop", "LOW", "drop LOW"}};
    for (const Incident& incident : incidents) {
        BOOST_TEST_CONTEXT(incident.kind) {
            traffic.set(incident.mode);
            BOOST_TEST(test::wait_for([&] { return metric_says(incident.kind, 1); }, 20s), test::http_get(port, "/status").body);
            BOOST_TEST(test::wait_for([&] { return statsd_gauges(mgmt_port).find("'hitwatch.alert." + incident.kind + "': 1") !=
                                                   std::string::npos; }, 10s),
                       statsd_gauges(mgmt_port));
            BOOST_TEST(browser.wait_until(text_of("#kind-" + incident.kind) + ".startsWith('" + incident.chip + "')", 10),
                       browser.evaluate(text_of("header")));
            traffic.set(test::LiveTraffic::Mode::normal);
            BOOST_TEST(test::wait_for([&] { return metric_says(incident.kind, 0); }, 30s), test::http_get(port, "/status").body);
            BOOST_TEST(test::wait_for([&] { return statsd_gauges(mgmt_port).find("'hitwatch.alert." + incident.kind + "': 0") !=
                                                   std::string::npos; }, 10s));
            std::this_thread::sleep_for(5s);  // normal again before the next
        }
    }
    test::write_file(std::string(SCREENSHOT_DIR) + "/dashboard-alerts.png", browser.screenshot());
    BOOST_TEST(daemon.stop() == 0);

    const std::vector<std::string> expected = {"errors high",  "errors recovered", "latency high",
                                               "latency recovered", "drop low", "drop recovered"};
    BOOST_TEST(alerts_in(daemon.out()) == expected, boost::test_tools::per_element());
    const std::vector<std::string> lines = {"warning 5xx errors generated an alert - 5xx = ",
                                            "notice 5xx errors back to normal - 5xx = ",
                                            "warning Slow responses generated an alert - p99 = ",
                                            "notice Response times back to normal - p99 = ",
                                            "warning Low traffic generated an alert - hits = ",
                                            "notice Traffic back up to normal - hits = "};
    BOOST_TEST(test::wait_for([&] {
                   const std::string got = test::read_file(dir.file("messages"));
                   return std::all_of(lines.begin(), lines.end(), [&](const std::string& l) { return got.find(l) != std::string::npos; });
               }, 10s),
               test::read_file(dir.file("messages")));
    statsd.signal(SIGTERM);
    statsd.wait();
    rsyslog.signal(SIGTERM);
    rsyslog.wait();
}
