// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE report_html
// --report-html in a real headless Chromium, at a laptop's width and a phone's: the page a
// replay of the corpus writes renders with no script error, loads nothing from elsewhere, and
// says the summary's figures: total hits, invalid lines, the top sections and their hits.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

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

// nginx's combined format with the response time after it.
constexpr const char* kTimedFormat = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
                                     "\"$http_referer\" \"$http_user_agent\" $request_time";

// The corpus replayed into JSON lines and page `page`.
test::Finished replay_corpus(const std::string& page) {
    auto r = test::run({test::hitwatchd(), "--replay", CORPUS, "--output", "json", "--report-html", page});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    return r;
}

// Opens `page` and waits until it has rendered, with no script error.
void open_rendered(test::HeadlessChromium& browser, const std::string& page) {
    browser.open("file://" + page);
    BOOST_TEST_REQUIRE(browser.wait_until("window.reportRendered === true", 20),
                       browser.evaluate("window.reportErrors"));
    BOOST_TEST(browser.evaluate("window.reportErrors.length") == 0, browser.evaluate("window.reportErrors"));
}

// A time axis' name for `t` (UTC), as a reader expects it: the day at midnight, else the time of day.
std::string tick_name(std::time_t t, std::int64_t step) {
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char text[16];
    if (t % 86400 == 0) {
        std::strftime(text, sizeof text, "%b ", &tm);
        return text + std::to_string(tm.tm_mday);
    }
    std::strftime(text, sizeof text, step < 60 ? "%H:%M:%S" : "%H:%M", &tm);
    return text;
}

// The names on chart CHART's time axis, each as [its time, its text, its left and right edge, the
// axis' width, where the chart puts its time, the chart's left edge], in px from the axis' left.
constexpr const char* kAxisNames = R"JS(
[...document.querySelectorAll('.axis[data-chart="CHART"] span')].map((s) => {
  const box = s.getBoundingClientRect(), axis = s.parentElement.getBoundingClientRect();
  const chart = document.getElementById("CHART").getBoundingClientRect();
  return [Number(s.dataset.t), s.textContent, box.left - axis.left, box.right - axis.left, axis.width,
          (X(Number(s.dataset.t)) / 1000) * chart.width, chart.left - axis.left];
}))JS";

// [gaps, lines off zero in them, lines]: halfway through each gap of more than 5 minutes between
// points, the sections chart's lines, read off their drawn points. (Shorter gaps are within
// the drawing's rounding of where a point is.)
constexpr const char* kSectionsInGaps = R"JS((() => {
  const lines = [...document.querySelectorAll("#sections-chart polyline")];
  let gaps = 0, off = 0;
  for (let i = 1; i < pts.length; ++i) {
    if (pts[i].start - pts[i - 1].end < 300) continue;
    ++gaps;
    const m = (X(pts[i - 1].end) + X(pts[i].start)) / 2;
    for (const line of lines) {
      const p = Array.from({ length: line.points.numberOfItems }, (_, k) => line.points.getItem(k));
      const k = p.findIndex((q) => q.x >= m);
      if (k <= 0) continue;
      const y = p[k - 1].y + ((p[k].y - p[k - 1].y) * (m - p[k - 1].x)) / Math.max(1e-9, p[k].x - p[k - 1].x);
      if (Math.abs(y - 200) > 0.05) ++off;
    }
  }
  return [gaps, off, lines.length];
})())JS";

// What chart CHART says of each point on hover.
constexpr const char* kReadouts = "[...document.querySelectorAll('#CHART .readouts title')].map((t) => t.textContent)";

std::string replaced(std::string text, const std::string& what, const std::string& with) {
    for (std::size_t at; (at = text.find(what)) != std::string::npos;) text.replace(at, what.size(), with);
    return text;
}

// Chart CHART's value scale, in px from the chart's top: [[each name's text, top, bottom, left,
// right], the grid lines' heights from the bottom one up, the chart's height and width, the
// highest thing drawn among PEAK].
constexpr const char* kScale = R"JS((() => {
  const chart = document.getElementById("CHART"), box = chart.getBoundingClientRect();
  const names = [...document.querySelectorAll('.scale[data-chart="CHART"] span')].map((s) => {
    const b = s.getBoundingClientRect();
    return [s.textContent, b.top - box.top, b.bottom - box.top, b.left - box.left, b.right - box.left];
  });
  const lines = [...chart.querySelectorAll("line.grid-y")].map((l) => l.getBoundingClientRect().top - box.top)
    .sort((a, b) => b - a);
  const peak = Math.min(...[...chart.querySelectorAll("PEAK")].map((n) => n.getBoundingClientRect().top - box.top));
  return [names, lines, box.height, box.width, peak];
})())JS";

// Checks chart `chart`'s value scale: 0 and round steps (1, 2 or 5 times a power of ten) up
// the chart, each name just above its line, within the chart and clear of the next; and read
// off it, the highest of `peak` drawn there is `expected`.
void check_scale(test::HeadlessChromium& browser, const std::string& chart, const std::string& peak, double expected) {
    BOOST_TEST_CONTEXT(chart) {
        const auto got = browser.evaluate(replaced(replaced(kScale, "CHART", chart), "PEAK", peak)).as_array();
        const auto& names = got.at(0).as_array();
        const auto& lines = got.at(1).as_array();
        const double height = got.at(2).to_number<double>(), width = got.at(3).to_number<double>();
        BOOST_TEST_REQUIRE(names.size() >= 3u);
        BOOST_TEST_REQUIRE(names.size() <= 7u);
        BOOST_TEST_REQUIRE(lines.size() == names.size());
        std::vector<double> values;
        for (const auto& name : names) {
            values.push_back(std::stod(replaced(std::string(name.at(0).as_string()), ",", "")));
        }
        const double step = values[1];
        const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
        BOOST_TEST((std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9),
                   "step " << step);
        double top_before = height;
        for (std::size_t k = 0; k < names.size(); ++k) {
            const auto& box = names[k].as_array();
            const double top = box.at(1).to_number<double>(), bottom = box.at(2).to_number<double>();
            BOOST_TEST(std::abs(values[k] - step * static_cast<double>(k)) < step * 1e-9);
            BOOST_TEST(std::abs(bottom - lines[k].to_number<double>()) < 1.0);  // just above its line
            BOOST_TEST(bottom <= top_before + 0.01);                            // clear of the one below
            BOOST_TEST(top >= 0);                                               // within the chart
            BOOST_TEST(box.at(3).to_number<double>() >= 0);
            BOOST_TEST(box.at(4).to_number<double>() <= width);
            top_before = top;
        }
        // Value per px, from the lines of 0 and of the highest name.
        const double zero = lines.front().to_number<double>(), highest = lines.back().to_number<double>();
        const double read = (zero - got.at(4).to_number<double>()) / (zero - highest) * values.back();
        BOOST_TEST(std::abs(read - expected) <= expected * 0.01, "read " << read << " against " << expected);
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_replays_report_page_shows_the_summarys_figures_at_1280_and_390_pixels) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string page = dir.file("report.html");
    const auto r = replay_corpus(page);
    const auto summaries = test::of_type(test::json_lines(r.out), "summary");
    BOOST_TEST_REQUIRE(summaries.size() == 1u);
    const auto& summary = summaries[0];
    const auto size = std::filesystem::file_size(page);
    BOOST_TEST_MESSAGE("the corpus' page: " << size << " bytes");
    BOOST_TEST(size < 200u * 1024u);
    for (const int width : {1280, 390}) {
        BOOST_TEST_CONTEXT("at " << width << " px") {
            test::HeadlessChromium browser(CHROMIUM, width, 900);
            open_rendered(browser, page);
            BOOST_TEST(browser.evaluate("document.getElementById('source').textContent").as_string() == CORPUS);
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
            // Invalid lines by reason, as the summary counts them.
            std::string reasons;
            for (const auto& [reason, lines] : summary.at("invalid_reasons").as_object()) {
                reasons += std::string(reason) + "=" + commas(test::n(lines)) + ";";
            }
            BOOST_TEST(reasons == "bad_user_agent=1;");
            BOOST_TEST(browser.evaluate("[...document.querySelectorAll('#invalid tr')].slice(1).map(r => "
                                        "r.cells[0].textContent + '=' + r.cells[1].textContent + ';').join('')")
                           .as_string() == reasons);
            BOOST_TEST(browser.evaluate("document.querySelectorAll('#hits rect').length > 10") == true);
            BOOST_TEST(browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth") == true);
            // A legend's key and its name stay on one line (at 390 px "■" ended one line and
            // "/favicon.ico" began the next), and the legend wraps between keys within its box.
            BOOST_TEST(browser.evaluate("[...document.querySelectorAll('.legend span')].every(s => "
                                        "s.getClientRects().length === 1)") == true);
            BOOST_TEST(browser.evaluate("[...document.querySelectorAll('.legend')].every(l => "
                                        "l.scrollWidth <= l.clientWidth)") == true);
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
    // The corpus' last whole interval is out once line 9,927 of 10,000 is read: the pipe must be
    // empty as well, or the lines after it that it still held are not read (a stop does not read
    // on). A read's bytes are all counted before the replay looks at its stop flag again.
    const auto unread = [&] {
        int bytes = -1;
        return ::ioctl(writer, FIONREAD, &bytes) == 0 ? bytes : -1;
    };
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::read_file(dir.file("out")).find("2015-05-20T21:05:50Z") !=
                                                   std::string::npos && unread() == 0; }, 20s),
                       test::read_file(dir.file("err")));
    replay.signal(SIGTERM);
    BOOST_TEST(replay.wait() == 128 + SIGTERM);
    ::close(writer);
    test::HeadlessChromium browser(CHROMIUM, 1280, 900);
    open_rendered(browser, page);
    BOOST_TEST(browser.evaluate("document.getElementById('stopped').hidden") == false);
    BOOST_TEST(browser.evaluate("document.getElementById('stopped').textContent").as_string() ==
               "Stopped by signal 15 before the end of the log: this page shows what was read.");
    BOOST_TEST(browser.evaluate("document.getElementById('total-hits').textContent").as_string() == "9,999");
}

// A window's page says it is one: its alerts learned from lines it does not show.
BOOST_AUTO_TEST_CASE(a_windows_page_says_which_part_of_the_log_it_shows) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string page = dir.file("report.html");
    const auto r = test::run({test::hitwatchd(), "--replay", CORPUS, "--output", "json", "--report-html", page,
                              "--since", "2015-05-18T12:00:00Z", "--until", "2015-05-19T00:00:00Z"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    test::HeadlessChromium browser(CHROMIUM, 390, 800);
    open_rendered(browser, page);
    const std::string range = browser.evaluate("document.getElementById('range').textContent").as_string().c_str();
    BOOST_TEST(range.find("2015-05-18T12:00:00Z – 2015-05-19T00:00:00Z, the window from 2015-05-18T12:00:00Z before "
                          "2015-05-19T00:00:00Z (") != std::string::npos, range);
    BOOST_TEST(range.find(" lines read outside it, not shown)") != std::string::npos, range);
    BOOST_TEST(browser.evaluate("document.getElementById('total-hits').textContent").as_string() == "1,450");
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
    open_rendered(browser, page);
    BOOST_TEST(browser.evaluate("document.getElementById('unread').textContent").as_string() ==
               "Not all of the input was read: cannot open " + missing + ": No such file or directory");
    BOOST_TEST(browser.evaluate("document.getElementById('stopped').hidden") == true);
    test::HeadlessChromium phone(CHROMIUM, 390, 900);
    open_rendered(phone, page);
    BOOST_TEST(phone.evaluate("document.getElementById('unread').scrollWidth <= "
                              "document.getElementById('unread').clientWidth") == true);
    // The header names what was replayed, the name that cannot be broken too.
    BOOST_TEST(phone.evaluate("document.getElementById('source').textContent").as_string() ==
               std::string(CORPUS) + ", " + missing);
    BOOST_TEST(phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth") == true);

    // A month of rotated files: the first two, the last, and how many.
    const std::string log = dir.file("access.log");
    const std::string corpus = test::read_file(CORPUS);
    test::write_file(log, corpus.substr(0, corpus.find('\n') + 1));
    for (int i = 1; i <= 5; ++i) test::write_file(log + "." + std::to_string(i), "");
    const auto month = test::run({test::hitwatchd(), "--replay", log, log + ".1", log + ".2", log + ".3", log + ".4",
                                  log + ".5", "--output", "json", "--report-html", page});
    BOOST_TEST_REQUIRE(month.exit_code == 0, month.err);
    open_rendered(browser, page);
    BOOST_TEST(browser.evaluate("document.getElementById('source').textContent").as_string() ==
               log + ", " + log + ".1 … " + log + ".5 (6 files)");
}

// A replay of nothing (an empty hourly rotation; a file that is not there) ends with a
// summary of nothing, as every replay does: its page renders with it, and says what it could
// not read.
BOOST_AUTO_TEST_CASE(a_page_of_nothing_renders_with_its_summary) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string page = dir.file("report.html"), empty = dir.file("access.log"), missing = dir.file("gone.log");
    test::write_file(empty, "");
    test::HeadlessChromium browser(CHROMIUM, 1280, 900);
    for (const auto& [input, exit_code] : {std::pair{empty, 0}, std::pair{missing, 1}}) {
        const auto r = test::run({test::hitwatchd(), "--replay", input, "--output", "json", "--report-html", page});
        BOOST_TEST_REQUIRE(r.exit_code == exit_code, r.err);
        open_rendered(browser, page);
        BOOST_TEST(browser.evaluate("document.getElementById('total-hits').textContent").as_string() == "0", input);
        BOOST_TEST(browser.evaluate("document.getElementById('unread').hidden") == (input == empty), input);
    }
}

// `--replay /var/log/nginx/*`: an error log among the logs is left out, and so not named as
// what the page shows (it was: "access.log, error.log").
BOOST_AUTO_TEST_CASE(a_page_does_not_name_an_error_log_it_left_out) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string page = dir.file("report.html"), error_log = dir.file("error.log");
    test::write_file(error_log, "2015/05/17 10:05:00 [error] 1234#1234: *1 open() \"/srv/www/favicon.ico\" failed (2: No "
                                "such file or directory), client: 192.0.2.1, server: _, request: \"GET /favicon.ico "
                                "HTTP/1.1\", host: \"www.example.com\"\n");
    const auto r =
        test::run({test::hitwatchd(), "--replay", CORPUS, error_log, "--output", "json", "--report-html", page});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find(error_log + " is an error log") != std::string::npos, r.err);
    test::HeadlessChromium browser(CHROMIUM, 1280, 900);
    open_rendered(browser, page);
    BOOST_TEST(browser.evaluate("document.getElementById('source').textContent").as_string() == CORPUS);
    BOOST_TEST(browser.evaluate("document.getElementById('total-hits').textContent").as_string() == "9,999");
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
    open_rendered(browser, page);
    BOOST_TEST(browser.evaluate("document.getElementById('total-hits').textContent").as_string() == "4");
    BOOST_TEST(browser.evaluate("document.querySelectorAll('b:not([id])').length") == 0);  // no markup made
    const auto shown = browser.evaluate(
        "[...document.querySelectorAll('#top-sections tr')].slice(1).map(r => r.cells[0].textContent)"
        ".sort().join(' ')");
    BOOST_TEST(shown.as_string() == "/&amp; /<!--<script> /<b>bold< /a");
}

// Four kinds of alert, and the page shaded only the traffic alert's periods: a night with
// slow responses, a wave of 5xx and a site gone quiet showed as a list of alerts and charts
// with nothing marked. Each kind now has a row of its periods, on the hits chart's time
// axis, and the response-time chart shades the slow-responses alert's.
BOOST_AUTO_TEST_CASE(every_kind_of_alert_is_marked_where_it_was_on) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string log = dir.file("access.log"), page = dir.file("report.html");
    // Six hours of about 5 requests a second: slow from 02:00 for 10 min, nearly none from
    // 03:00 for 15 min, 40 % 503s from 04:00 for 10 min.
    std::mt19937 random(7);
    std::string lines;
    for (int s = 0; s < 6 * 3600; ++s) {
        int n = 4 + static_cast<int>(random() % 3);
        if (s >= 3 * 3600 && s < 3 * 3600 + 900) n = random() % 10 == 0 ? 1 : 0;
        for (int k = 0; k < n; ++k) {
            const double ms = (s >= 2 * 3600 && s < 2 * 3600 + 600 ? 1000.0 : 50.0) * (1 + random() % 100) / 50.0;
            const bool error = s >= 4 * 3600 && s < 4 * 3600 + 600 && random() % 10 < 4;
            char time[32], line[256];
            std::snprintf(time, sizeof time, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
            std::snprintf(line, sizeof line, "10.0.0.%u - - [20/Nov/2025:%s +0000] \"GET /%s/x HTTP/1.1\" %d 512 \"-\" "
                          "\"ua\" %.3f\n", 1 + static_cast<unsigned>(random() % 200), time, k % 2 ? "api" : "shop",
                          error ? 503 : 200, ms / 1000);
            lines += line;
        }
    }
    test::write_file(log, lines);
    const auto r = test::run({test::hitwatchd(), "--replay", log, "--output", "json", "--report-html", page,
                              "--log-format", kTimedFormat});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto summary = test::of_type(test::json_lines(r.out), "summary").at(0);
    for (const char* kind : {"errors", "latency", "drop"}) {
        BOOST_TEST_REQUIRE(test::n(summary.at("alerts_by_kind").at(kind)) == 1, kind);
    }
    test::HeadlessChromium browser(CHROMIUM, 1280, 900);
    open_rendered(browser, page);
    BOOST_TEST(browser.evaluate("document.getElementById('lane-names').textContent").as_string() ==
               "traffic (0)errors (1)latency (1)drop (1)");
    // None invalid: said, rather than a table of no rows.
    BOOST_TEST(browser.evaluate("document.getElementById('invalid').textContent").as_string() == "no invalid line");
    // Each kind's one period: a rect that begins within a minute after the trouble did and lasts
    // about as long (until the window of 2 minutes is clear of it), in the hits chart's units.
    for (const auto& [kind, begins, lasts] : {std::tuple{"latency", 2 * 3600, 600}, {"drop", 3 * 3600, 900},
                                              {"errors", 4 * 3600, 600}}) {
        BOOST_TEST_CONTEXT(kind) {
            const std::string rect =
                std::string("document.querySelectorAll('#alert-lanes rect[data-kind=") + kind + "]')";
            BOOST_TEST(browser.evaluate(rect + ".length") == 1);
            const std::string began = "X(Date.parse('2025-11-20T00:00:00Z') / 1000 + " + std::to_string(begins) + ")";
            const double x = browser.evaluate(rect + "[0].x.baseVal.value - " + began).to_number<double>();
            const double width =
                browser.evaluate(rect + "[0].width.baseVal.value / 1000 * (t1 - t0)").to_number<double>();
            BOOST_TEST(x >= 0);
            BOOST_TEST(x <= 60 * 1000.0 / (6 * 3600));
            BOOST_TEST(width >= lasts);
            BOOST_TEST(width <= lasts + 240);
        }
    }
    BOOST_TEST(browser.evaluate("document.querySelectorAll('#alert-lanes rect[data-kind=traffic]').length") == 0);
    BOOST_TEST(browser.evaluate("document.querySelectorAll('#latency rect[data-kind=latency]').length") == 1);
    // The 5xx over time: the errors alert's period shaded, the wave's peak where the scale says,
    // and on hover every 5xx of the summary, each point's share of its hits.
    BOOST_TEST(browser.evaluate("document.querySelectorAll('#errors-chart rect[data-kind=errors]').length") == 1);
    std::int64_t most_5xx = 0;
    for (const auto& report : test::of_type(test::json_lines(r.out), "report")) {
        const auto& status = report.at("status").as_object();
        if (status.contains("5xx")) most_5xx = std::max(most_5xx, test::n(status.at("5xx")));
    }
    check_scale(browser, "errors-chart", "polyline", static_cast<double>(most_5xx));
    std::int64_t errors = 0;
    const auto readouts = browser.evaluate(replaced(kReadouts, "CHART", "errors-chart"));
    for (const auto& readout : readouts.as_array()) {
        const std::string text(readout.as_string());
        const auto at = text.find("Z: ");
        BOOST_TEST_REQUIRE(at != std::string::npos, text);
        const std::int64_t n = std::stoll(replaced(text.substr(at + 3), ",", ""));
        errors += n;
        if (n == most_5xx) {
            const auto hits = std::stoll(replaced(text.substr(text.find(" of ") + 4), ",", ""));
            char share[32];
            std::snprintf(share, sizeof share, " 5xx (%.1f %%)", std::round(1000.0 * n / hits) / 10);
            BOOST_TEST(text.find(std::to_string(n) + share) != std::string::npos, text);
        }
    }
    BOOST_TEST(errors == test::n(summary.at("status").at("5xx")));

    // Kinds --alert-kinds leaves out are not watched: "off", not "(0)", which would say none fired.
    const auto some = test::run({test::hitwatchd(), "--replay", CORPUS, "--output", "json", "--report-html", page,
                                 "--alert-kinds", "traffic,drop"});
    BOOST_TEST_REQUIRE(some.exit_code == 0, some.err);
    open_rendered(browser, page);
    BOOST_TEST(browser.evaluate("document.getElementById('lane-names').textContent").as_string() ==
               "traffic (0)errors (off)latency (off)drop (0)");
}

// A chart with no time on it could not say when last night's spike was: each time chart now has
// an axis of round UTC times, named where the chart puts them, neither overlapping nor leaving
// the page; and each point's figures show on hover. The corpus is each hour's requests within
// a minute: the sections chart sloped down from each minute to the next an hour later, as if
// traffic faded all hour (403 of its 415 lines across those hours off zero). Across intervals
// with no traffic a count now drops to zero.
BOOST_AUTO_TEST_CASE(charts_have_a_time_axis_readouts_and_zero_where_nothing_came) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string page = dir.file("report.html");
    const auto r = replay_corpus(page);
    const std::int64_t first = 1431857100, last = 1432155960;  // 2015-05-17T10:05:00Z, 2015-05-20T21:06:00Z
    for (const int width : {1280, 390}) {
        BOOST_TEST_CONTEXT("at " << width << " px") {
            test::HeadlessChromium browser(CHROMIUM, width, 900);
            open_rendered(browser, page);
            for (const std::string chart : {"hits", "alert-lanes", "sections-chart", "errors-chart"}) {
                BOOST_TEST_CONTEXT(chart) {
                    const auto names = browser.evaluate(replaced(kAxisNames, "CHART", chart)).as_array();
                    BOOST_TEST_REQUIRE(names.size() >= 3u);
                    const std::int64_t start = test::n(names[0].at(0)), step = test::n(names[1].at(0)) - start;
                    std::string days;
                    double right_before = 0;
                    for (std::size_t i = 0; i < names.size(); ++i) {
                        const auto& v = names[i].as_array();
                        const std::int64_t t = test::n(v.at(0));
                        const double left = v.at(2).to_number<double>(), right = v.at(3).to_number<double>();
                        const double axis = v.at(4).to_number<double>(), x = v.at(5).to_number<double>();
                        BOOST_TEST(v.at(6).to_number<double>() == 0);  // the axis and the chart line up
                        BOOST_TEST(t >= first);
                        BOOST_TEST(t <= last);
                        BOOST_TEST(t == start + step * static_cast<std::int64_t>(i));  // evenly spaced
                        BOOST_TEST(t % step == 0);                                     // round times
                        BOOST_TEST(v.at(1).as_string() == tick_name(t, step));
                        if (t % 86400 == 0) days += tick_name(t, step) + ";";
                        BOOST_TEST(left >= right_before);  // no overlap, and within the page
                        BOOST_TEST(right <= axis);
                        right_before = right;
                        if (left > 0 && right < axis) BOOST_TEST(std::abs((left + right) / 2 - x) < 1.0);
                    }
                    BOOST_TEST(days == "May 18;May 19;May 20;");
                    BOOST_TEST(browser.evaluate("document.querySelectorAll('#" + chart + " line.grid').length") ==
                               static_cast<int>(names.size()));
                }
            }
            // On hover, each point's hits: together, every hit of the summary; the busiest point's
            // as a reader sees it.
            const auto readouts = browser.evaluate(replaced(kReadouts, "CHART", "hits")).as_array();
            BOOST_TEST(browser.evaluate("pts.length") == static_cast<int>(readouts.size()));
            std::int64_t hits = 0;
            std::string busiest;
            for (const auto& readout : readouts) {
                const std::string text(readout.as_string());
                const auto at = text.find("Z: ");
                BOOST_TEST_REQUIRE(at != std::string::npos, text);
                const std::int64_t n = std::stoll(replaced(text.substr(at + 3), ",", ""));
                hits += n;
                if (n == 135) busiest = text;
            }
            BOOST_TEST(hits == 9999);
            BOOST_TEST(busiest == "2015-05-19T19:05:50Z – 19:06:00Z: 135 hits; "
                                  "the alert's limit averaged 29 a point; no alert on");
            const auto in_gaps = browser.evaluate(kSectionsInGaps).as_array();
            BOOST_TEST(test::n(in_gaps.at(0)) == 83);  // the corpus: 84 hours of requests
            BOOST_TEST(test::n(in_gaps.at(2)) == 5);   // the top 5 sections
            BOOST_TEST(test::n(in_gaps.at(1)) == 0);
        }
    }
}

// The charts had no values up their side: the hits chart said only its peak, the sections
// chart nothing at all, and a reader could not tell 5 hits from 500. Each value chart now has a
// scale, and what it reads at the top of each chart's highest bar or line is that point's
// figure, worked out here from the replay's JSON reports.
BOOST_AUTO_TEST_CASE(value_charts_have_a_scale_that_reads_their_figures) {
    BOOST_TEST_REQUIRE(!std::string(CHROMIUM).empty(), "chromium not found: apt-get install chromium");
    test::TempDir dir;
    const std::string page = dir.file("report.html");
    const auto r = replay_corpus(page);
    const auto reports = test::of_type(test::json_lines(r.out), "report");
    const auto summary = test::of_type(test::json_lines(r.out), "summary").at(0);
    std::set<std::string> top5;  // the sections the chart draws
    for (const auto& s : summary.at("sections").as_array()) {
        const std::string section(s.at("section").as_string());
        if (top5.size() < 5 && section != "(other)") top5.insert(section);
    }
    std::int64_t most_hits = 0, most_section_hits = 0, most_errors = 0;
    for (const auto& report : reports) {
        most_hits = std::max(most_hits, test::n(report.at("hits")));
        for (const char* kind : {"4xx", "5xx"}) {
            if (report.at("status").as_object().contains(kind)) {
                most_errors = std::max(most_errors, test::n(report.at("status").at(kind)));
            }
        }
        for (const auto& s : report.at("sections").as_array()) {
            if (top5.count(std::string(s.at("section").as_string()))) {
                most_section_hits = std::max(most_section_hits, test::n(s.at("hits")));
            }
        }
    }
    BOOST_TEST_REQUIRE(most_hits == 135);
    for (const int width : {1280, 390}) {
        BOOST_TEST_CONTEXT("at " << width << " px") {
            test::HeadlessChromium browser(CHROMIUM, width, 900);
            open_rendered(browser, page);
            BOOST_TEST_REQUIRE(browser.evaluate("data.merged") == 1);  // a point an interval, as the reports
            check_scale(browser, "hits", "rect[fill='var(--bar)']", static_cast<double>(most_hits));
            check_scale(browser, "sections-chart", "polyline", static_cast<double>(most_section_hits));
            check_scale(browser, "errors-chart", "polyline", static_cast<double>(most_errors));
        }
    }

    // Responses within a millisecond: a scale of fractions. Ten minutes of a request a second.
    const std::string log = dir.file("access.log");
    std::string lines;
    for (int s = 0; s < 600; ++s) {
        char line[200];
        std::snprintf(line, sizeof line,
                      "10.0.0.1 - - [20/Nov/2025:10:%02d:%02d +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"ua\" 0.000%d\n",
                      s / 60, s % 60, 1 + s % 9);
        lines += line;
    }
    test::write_file(log, lines);
    const auto timed = test::run({test::hitwatchd(), "--replay", log, "--output", "json", "--report-html", page,
                                  "--log-format", kTimedFormat});
    BOOST_TEST_REQUIRE(timed.exit_code == 0, timed.err);
    double slowest = 0;
    for (const auto& report : test::of_type(test::json_lines(timed.out), "report")) {
        slowest = std::max(slowest, report.at("latency_ms").at("p99").to_number<double>());
    }
    BOOST_TEST_REQUIRE(slowest < 1.0);
    test::HeadlessChromium browser(CHROMIUM, 1280, 900);
    open_rendered(browser, page);
    check_scale(browser, "latency", "polyline", slowest);
    BOOST_TEST(browser.evaluate("document.querySelector('.scale[data-chart=latency] span:nth-child(2)').textContent")
                   .as_string() == "0.2");
}
