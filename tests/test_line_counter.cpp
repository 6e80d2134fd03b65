// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE line_counter
// A source's lines into the monitor: counted live, late into a backfill by when they were
// written, and whether a line parses without counting it.
#include "follow/line_counter.h"

#include <boost/test/unit_test.hpp>

using namespace hitwatch;
using namespace hitwatchd;

namespace {

struct Nothing : EventSink {
    void on_report(const Report&) override {}
    void on_alert(const AlertEvent&) override {}
};

const std::string kLine = R"(10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "ua")";
constexpr UnixSeconds kTen = 1763632800;  // the line's time

}  // namespace

BOOST_AUTO_TEST_CASE(a_late_line_counts_no_earlier_than_its_log_was_caught_up_and_no_later_than_now) {
    Nothing sink;
    Monitor monitor(MonitorSettings{}, sink);
    LineCounter counter(monitor, "access.log", 65536, LineCounter::Clock::arrival);
    Backfill backfill(10, 100, kTen - 3600, kTen - 120);
    BOOST_TEST(counter.count_late(kLine, 1, backfill, kTen + 50, kTen + 100));  // written after the catch-up began
    BOOST_TEST(counter.count_late(kLine, 2, backfill, kTen - 50, kTen - 10));   // not after now
    const auto& seconds = backfill.seconds();
    BOOST_TEST(seconds.count(kTen + 50) == 1u);
    BOOST_TEST(seconds.count(kTen - 10) == 1u);
}

BOOST_AUTO_TEST_CASE(a_wall_clock_stepped_back_during_a_catch_up_counts_the_line_at_now) {
    // Before: std::clamp(time, not_before, now) with not_before after now (the clock stepped
    // back while a log caught up): undefined, an abort under _GLIBCXX_ASSERTIONS.
    Nothing sink;
    Monitor monitor(MonitorSettings{}, sink);
    LineCounter counter(monitor, "access.log", 65536, LineCounter::Clock::arrival);
    Backfill backfill(10, 100, kTen - 7200, kTen - 7200);
    BOOST_TEST(counter.count_late(kLine, 1, backfill, kTen + 600, kTen - 3600));
    BOOST_TEST(backfill.seconds().count(kTen - 3600) == 1u);
}

BOOST_AUTO_TEST_CASE(whether_a_line_parses_is_told_without_counting_it) {
    Nothing sink;
    Monitor monitor(MonitorSettings{}, sink);
    LineCounter counter(monitor, "access.log", 65536, LineCounter::Clock::log_time);
    BOOST_TEST(counter.parses(kLine));
    BOOST_TEST(counter.parses(""));
    BOOST_TEST(!counter.parses(kLine.substr(0, 30)));
    BOOST_TEST(counter.lines() == 0u);
}

BOOST_AUTO_TEST_CASE(a_line_held_back_by_the_replay_clock_counts_as_it_was_read) {
    // The replay clock holds the first line (and one far ahead) until the next confirms it.
    // Held back, a container's line that came in pieces was read again from its last piece
    // alone: an invalid line in the interval (bad_host), not the hit it was, and not in the
    // invalid lines' log either.
    Nothing sink;
    Monitor monitor(MonitorSettings{}, sink);
    Reading reading;
    reading.format = "cri+combined";
    LineCounter counter(monitor, "0.log", 65536, LineCounter::Clock::log_time, reading);
    counter.detect_format("");
    const std::string later = R"(10.0.0.2 - - [20/Nov/2025:10:00:01 +0000] "GET /b HTTP/1.1" 404 1 "-" "ua")";
    const std::string lines[] = {
        "2025-11-20T10:00:00Z stdout P " + kLine.substr(0, 30),
        "2025-11-20T10:00:00Z stdout F " + kLine.substr(30),
        "2025-11-20T10:00:01Z stdout F " + later,
    };
    std::uint64_t number = 0;
    for (const std::string& line : lines) counter.count(line, ++number);
    counter.finish();
    monitor.flush_partial();
    BOOST_TEST(monitor.total_hits() == 2u);
    BOOST_TEST(counter.invalid() == 0u);
}
