// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE dashboard
// The live dashboard in a real headless Chromium (Debian's chromium), at a laptop's width and
// a phone's: it draws the last hour from /events, updates live as lines arrive, shows the
// sections and the alert state, loads nothing from elsewhere, and never scrolls sideways.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <algorithm>
#include <atomic>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include "headless_chromium.h"
#include "http_client.h"
#include "live_daemon.h"

using namespace std::chrono_literals;

namespace {

// `lines` requests of one section.
void append(const std::string& log, const std::string& section, int lines, const std::string& after = "") {
    test::append_requests(log, std::vector<std::string>(static_cast<size_t>(lines), section), after);
}

std::string text_of(const std::string& selector) {
    return "(document.querySelector('" + selector + "') || {textContent: ''}).textContent";
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_dashboard_updates_live_at_1280_and_at_390_pixels) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    const int port = test::free_port();
    // 5 requests a second over 10 s: a burst of 200 lines is an alert.
    test::Daemon daemon(dir, {log}, {"--http", "127.0.0.1:" + std::to_string(port), "--alert-rule", "absolute",
                                     "--alert-threshold", "5", "--alert-window", "10"});
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(port); }, 10s), daemon.said());
    append(log, "/before", 5);
    std::this_thread::sleep_for(1500ms);  // into a report: the page's history

    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
    bool alerted = false;
    for (const int width : {1280, 390}) {
        BOOST_TEST_CONTEXT("at " << width << " px") {
            test::HeadlessChromium browser(CHROMIUM, width, 900);
            browser.open(url);
            BOOST_TEST(browser.wait_until(text_of("#sections-hour") + ".includes('/before')", 20), "no history drawn");
            BOOST_TEST(browser.wait_until(text_of("#connection") + " === 'live'", 10));
            // A live update: a section written after the page loaded, in a burst that raises the alert.
            const std::string section = "/live" + std::to_string(width);
            append(log, section, alerted ? 20 : 200);
            BOOST_TEST(browser.wait_until(text_of("#sections-hour") + ".includes('" + section + "')", 20),
                       "the live report did not show: " << browser.evaluate(text_of("main")));
            if (!alerted) {
                BOOST_TEST(browser.wait_until(text_of("#alert-state") + " === 'alert HIGH'", 20),
                           browser.evaluate(text_of("header")));
                BOOST_TEST(browser.wait_until(text_of("#alerts") + ".includes('High traffic generated an alert')", 5));
                alerted = true;
            } else {
                // The page shows the alert state /status gives (which may change meanwhile: the
                // burst's alert ends 10 s after it).
                const auto agrees = [&] {
                    const auto status = boost::json::parse(test::http_get(port, "/status").body);
                    const bool high = status.at("alert").at("state") == "HIGH";
                    return browser.evaluate(text_of("#alert-state")) == (high ? "alert HIGH" : "traffic normal");
                };
                BOOST_TEST(test::wait_for(agrees, 15s), browser.evaluate(text_of("header")));
            }
            BOOST_TEST(browser.evaluate("document.querySelectorAll('#chart rect').length > 0") == true);
            BOOST_TEST(browser.evaluate("opens") == 1, "the event stream was reconnected");
            // Nothing wider than the window, and nothing from another origin.
            BOOST_TEST(browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth") == true,
                       browser.evaluate("document.documentElement.scrollWidth"));
            BOOST_TEST(browser.evaluate("performance.getEntriesByType('resource').every(e => e.name.startsWith(location.origin))") == true);
            test::write_file(std::string(SCREENSHOT_DIR) + "/dashboard-" + std::to_string(width) + ".png", browser.screenshot());
        }
    }
    BOOST_TEST(daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(counts_and_percentiles_stand_apart_and_zero_response_times_are_no_figures) {
    // Before: "105p99 115.0 ms" ran together in "Top sections now", the chart had no scale,
    // and a log whose response times are all 0.000 (nginx's `return`, static files) showed
    // p50/p90/p99 0.0, which reads as broken.
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    const int port = test::free_port();
    test::Daemon daemon(dir, {log}, {"--http", "127.0.0.1:" + std::to_string(port)});
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(port); }, 10s), daemon.said());
    append(log, "/static", 105, " 0.000");
    append(log, "/api", 7, " 0.000");
    BOOST_TEST_REQUIRE(daemon.settle_at(112) == 112, daemon.said());
    // Traffic goes on, so that the newest interval has sections too.
    std::atomic<bool> writing{true};
    std::thread writer([&] {
        while (writing) {
            append(log, "/static", 15, " 0.000");
            std::this_thread::sleep_for(100ms);
        }
    });
    test::HeadlessChromium browser(CHROMIUM, 1280, 900);
    browser.open("http://127.0.0.1:" + std::to_string(port) + "/");
    BOOST_TEST_REQUIRE(browser.wait_until(text_of("#sections-hour") + ".includes('/static')", 20), "no history drawn");
    BOOST_TEST(browser.wait_until("document.querySelectorAll('#sections-now tr').length > 1", 10));
    const auto cells = [&](const std::string& row) {
        return browser.evaluate("[...document.querySelectorAll('#sections-now tr:nth-child(" + row +
                                ") > *')].map(c => c.textContent).join('|')");
    };
    // The newest interval may hold only some of the lines: its first row, whatever it is.
    BOOST_TEST(cells("1") == "section|hits|p99 ms");
    const std::string first(cells("2").as_string());
    BOOST_TEST(std::count(first.begin(), first.end(), '|') == 2, first);
    BOOST_TEST(first.substr(first.rfind('|') + 1) == "—", first);
    BOOST_TEST(browser.evaluate(text_of("#latency")) == "p50 —p90 —p99 —max —");
    BOOST_TEST(browser.evaluate(text_of("#latency-note") + ".includes('every response time in the log is 0')") == true);
    // A scale: three round figures from the top (1, 2 or 5 times a power of ten) down to 0.
    const std::string axis(
        browser.evaluate("[...document.querySelectorAll('#chart-axis span')].map(s => s.textContent).join('|')").as_string());
    BOOST_TEST(std::regex_match(axis, std::regex("(100|200|500|1,000)\\|(50|100|250|500)\\|0")), axis);
    writing = false;
    writer.join();
    BOOST_TEST(daemon.stop() == 0);
}
