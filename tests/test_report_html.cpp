// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE report_html
// --report-html in a real headless Chromium, at a laptop's width and a phone's: the page a
// replay of the corpus writes renders with no script error, loads nothing from elsewhere, and
// says the summary's figures: total hits, invalid lines, the top sections and their hits.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <sstream>
#include <string>

#include "headless_chromium.h"
#include "process.h"
#include "report_lines.h"

using namespace std::chrono_literals;

namespace {

std::string commas(std::int64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_replays_report_page_shows_the_summarys_figures_at_1280_and_390_pixels) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string page = dir.file("report.html");
    const auto r = test::run({test::hitwatchd(), "--replay", CORPUS, "--output", "json", "--report-html", page});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto summaries = test::of_type(test::json_lines(r.out), "summary");
    BOOST_TEST_REQUIRE(summaries.size() == 1u);
    const auto& summary = summaries[0];
    const auto size = std::filesystem::file_size(page);
    BOOST_TEST_MESSAGE("the corpus' page: " << size << " bytes");
    BOOST_TEST(size < 200u * 1024u);
    for (const int width : {1280, 390}) {
        BOOST_TEST_CONTEXT("at " << width << " px") {
            test::HeadlessChromium browser(CHROMIUM, width, 900);
            browser.open("file://" + page);
            BOOST_TEST_REQUIRE(browser.wait_until("window.reportRendered === true", 20), browser.evaluate("window.reportErrors"));
            BOOST_TEST(browser.evaluate("window.reportErrors.length") == 0, browser.evaluate("window.reportErrors"));
            BOOST_TEST(browser.evaluate("document.getElementById('total-hits').textContent").as_string() ==
                       commas(test::n(summary.at("hits"))));
            BOOST_TEST(browser.evaluate("document.getElementById('total-invalid').textContent").as_string() ==
                       commas(test::n(summary.at("invalid"))));
            // The top sections, as the summary lists them.
            std::string expected;
            for (const auto& s : summary.at("sections").as_array()) {
                expected += std::string(s.at("section").as_string()) + "=" + commas(test::n(s.at("hits"))) + ";";
            }
            const auto shown = browser.evaluate(
                "[...document.querySelectorAll('#top-sections tr')].slice(1).map(r => r.cells[0].textContent + '=' + "
                "r.cells[1].textContent + ';').join('')");
            BOOST_TEST(shown.as_string() == expected);
            BOOST_TEST(browser.evaluate("document.querySelectorAll('#hits rect').length > 10") == true);
            BOOST_TEST(browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth") == true);
            BOOST_TEST(browser.evaluate("performance.getEntriesByType('resource').length") == 0);  // nothing fetched
            test::write_file(std::string(SCREENSHOT_DIR) + "/report-" + std::to_string(width) + ".png", browser.screenshot());
        }
    }
}

// A replay stopped by a signal leaves a page of what it read, which says so: opened on a laptop
// later, it would pass for the whole log.
BOOST_AUTO_TEST_CASE(a_stopped_replays_page_says_it_was_stopped) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string fifo = dir.file("input.fifo"), page = dir.file("report.html");
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Opened read-write (never blocks) and held: the replay reads the corpus, then waits for more.
    const int writer = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
    BOOST_TEST_REQUIRE(writer >= 0);
    test::Background replay({test::hitwatchd(), "--replay", "-", "--output", "json", "--report-html", page},
                            dir.file("out"), dir.file("err"), fifo);
    const std::string corpus = test::read_file(CORPUS);
    BOOST_TEST_REQUIRE(::write(writer, corpus.data(), corpus.size()) == static_cast<ssize_t>(corpus.size()));
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::read_file(dir.file("out")).find("2015-05-20T21:05:50Z") !=
                                                   std::string::npos; }, 20s),
                       test::read_file(dir.file("err")));  // the corpus' last whole interval is out
    replay.signal(SIGTERM);
    BOOST_TEST(replay.wait() == 128 + SIGTERM);
    ::close(writer);
    test::HeadlessChromium browser(CHROMIUM, 1280, 900);
    browser.open("file://" + page);
    BOOST_TEST_REQUIRE(browser.wait_until("window.reportRendered === true", 20),
                       browser.evaluate("window.reportErrors"));
    BOOST_TEST(browser.evaluate("window.reportErrors.length") == 0, browser.evaluate("window.reportErrors"));
    BOOST_TEST(browser.evaluate("document.getElementById('stopped').hidden") == false);
    BOOST_TEST(browser.evaluate("document.getElementById('stopped').textContent").as_string() ==
               "Stopped by signal 15 before the end of the log: this page shows what was read.");
    BOOST_TEST(browser.evaluate("document.getElementById('total-hits').textContent").as_string() == "9,999");
}

// Nor may a page of a replay with a file it could not read pass for the whole log's.
BOOST_AUTO_TEST_CASE(a_page_says_which_input_was_not_read) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    // A long name with nowhere to break it must not widen a phone's page.
    const std::string page = dir.file("report.html"), missing = dir.file(std::string(80, 'x') + ".log.2");
    const auto r =
        test::run({test::hitwatchd(), "--replay", missing, CORPUS, "--output", "json", "--report-html", page});
    BOOST_TEST_REQUIRE(r.exit_code == 1, r.err);
    test::HeadlessChromium browser(CHROMIUM, 1280, 900);
    browser.open("file://" + page);
    BOOST_TEST_REQUIRE(browser.wait_until("window.reportRendered === true", 20),
                       browser.evaluate("window.reportErrors"));
    BOOST_TEST(browser.evaluate("window.reportErrors.length") == 0, browser.evaluate("window.reportErrors"));
    BOOST_TEST(browser.evaluate("document.getElementById('unread').textContent").as_string() ==
               "Not all of the input was read: cannot open " + missing + ": No such file or directory");
    BOOST_TEST(browser.evaluate("document.getElementById('stopped').hidden") == true);
    test::HeadlessChromium phone(CHROMIUM, 390, 900);
    phone.open("file://" + page);
    BOOST_TEST_REQUIRE(phone.wait_until("window.reportRendered === true", 20), phone.evaluate("window.reportErrors"));
    BOOST_TEST(phone.evaluate("document.getElementById('unread').scrollWidth <= "
                              "document.getElementById('unread').clientWidth") == true);
}

// A request line is whatever a client sent. "<!--<script>" in a section name put the JSON's
// <script> element in the HTML parser's "double escaped" state, where the real </script> no
// longer closes it: the page stayed blank, from one request anyone could make.
BOOST_AUTO_TEST_CASE(section_names_with_markup_in_them_are_shown_as_text_and_break_nothing) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const std::string page = dir.file("report.html");
    const std::string names[] = {"/<!--<script>", "/<b>bold</b>", "/&amp;", "/a"};
    std::string lines;
    for (int i = 0; i < 4; ++i) {
        lines += "1.2.3.4 - - [20/Nov/2025:10:00:0" + std::to_string(i) + " +0000] \"GET " + names[i] +
                 " HTTP/1.1\" 200 5 \"-\" \"x\"\n";
    }
    test::write_file(log, lines);
    const auto r = test::run({test::hitwatchd(), "--replay", log, "--output", "json", "--report-html", page});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    test::HeadlessChromium browser(CHROMIUM, 1280, 900);
    browser.open("file://" + page);
    BOOST_TEST_REQUIRE(browser.wait_until("window.reportRendered === true", 20), "the page did not render");
    BOOST_TEST(browser.evaluate("window.reportErrors.length") == 0, browser.evaluate("window.reportErrors"));
    BOOST_TEST(browser.evaluate("document.getElementById('total-hits').textContent").as_string() == "4");
    BOOST_TEST(browser.evaluate("document.querySelectorAll('b:not([id])').length") == 0);  // no markup made
    const auto shown = browser.evaluate(
        "[...document.querySelectorAll('#top-sections tr')].slice(1).map(r => r.cells[0].textContent)"
        ".sort().join(' ')");
    BOOST_TEST(shown.as_string() == "/&amp; /<!--<script> /<b>bold< /a");
}
