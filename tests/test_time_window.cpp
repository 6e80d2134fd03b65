// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE time_window
#include "core/time_window.h"

#include <boost/test/unit_test.hpp>

using namespace hitwatch;
using Verdict = TimeWindow::Verdict;

namespace {
constexpr UnixSeconds kSince = 1000, kUntil = 2000;
constexpr std::int64_t kMargin = 300;
}  // namespace

BOOST_AUTO_TEST_CASE(a_line_counts_at_the_clock_the_whole_logs_replay_has) {
    TimeWindow w(kSince, kUntil, kMargin);
    BOOST_TEST((w.dated(990) == Verdict::before));  // for the rules to learn from
    BOOST_TEST((w.dated(1005) == Verdict::inside));
    // Written late, dated before --since: it counts where the clock is, inside.
    BOOST_TEST((w.dated(995) == Verdict::inside));
    BOOST_TEST((w.dated(1999) == Verdict::inside));
    // At --until the clock has reached it: this line and all after are past.
    BOOST_TEST((w.dated(2000) == Verdict::past));
    BOOST_TEST(w.past());
    BOOST_TEST((w.dated(1500) == Verdict::past));
    BOOST_TEST((w.undated() == Verdict::past));
}

BOOST_AUTO_TEST_CASE(a_late_line_counts_before_since_while_the_clock_is_before_it) {
    TimeWindow w(kSince, kUntil, kMargin);
    BOOST_TEST((w.dated(998) == Verdict::before));
    BOOST_TEST((w.dated(990) == Verdict::before));  // at 998, the clock
}

BOOST_AUTO_TEST_CASE(a_line_without_a_time_counts_at_the_clock) {
    TimeWindow w(kSince, kUntil, kMargin);
    BOOST_TEST((w.undated() == Verdict::before));  // where the clock will start
    w.dated(900);
    BOOST_TEST((w.undated() == Verdict::before));
    w.dated(1100);
    BOOST_TEST((w.undated() == Verdict::inside));
    w.dated(1'900'000'000);  // an outlier, outside at its own time; the clock stays inside
    BOOST_TEST((w.undated() == Verdict::inside));
}

BOOST_AUTO_TEST_CASE(one_line_dated_years_ahead_neither_counts_nor_ends_the_reading) {
    TimeWindow w(kSince, kUntil, kMargin);
    w.dated(1500);
    BOOST_TEST((w.dated(1'900'000'000) == Verdict::outside));
    BOOST_TEST(!w.past());
    BOOST_TEST((w.dated(1501) == Verdict::inside));  // not confirmed: the clock stays
}

BOOST_AUTO_TEST_CASE(a_jump_the_next_line_confirms_moves_the_clock) {
    TimeWindow w(kSince, kUntil, kMargin);
    BOOST_TEST((w.dated(100) == Verdict::before));
    // A sparse log: nothing for hours, then lines inside the window.
    BOOST_TEST((w.dated(1500) == Verdict::inside));
    BOOST_TEST((w.dated(1490) == Verdict::inside));  // confirms: the clock is at 1500
    BOOST_TEST((w.dated(990) == Verdict::inside));   // late: counts at the clock
    // A jump past --until, confirmed: past from the confirming line on.
    BOOST_TEST((w.dated(5000) == Verdict::outside));
    BOOST_TEST((w.dated(5001) == Verdict::past));
}

BOOST_AUTO_TEST_CASE(only_one_bound_leaves_the_other_side_open) {
    TimeWindow from(kSince, std::nullopt, kMargin);
    BOOST_TEST((from.dated(999) == Verdict::before));
    BOOST_TEST((from.dated(1'900'000'000) == Verdict::inside));  // far ahead: at its own time until confirmed
    TimeWindow before(std::nullopt, kUntil, kMargin);
    BOOST_TEST((before.dated(1990) == Verdict::inside));
    BOOST_TEST((before.dated(2001) == Verdict::past));
}

BOOST_AUTO_TEST_CASE(the_times_read_are_kept_for_a_window_nothing_fell_in) {
    TimeWindow w(kSince, kUntil, kMargin);
    BOOST_TEST(!w.read_from_to().has_value());
    w.dated(700);
    w.dated(650);
    w.dated(800);
    BOOST_TEST(w.read_from_to()->first == 650);
    BOOST_TEST(w.read_from_to()->second == 800);
}

BOOST_AUTO_TEST_CASE(a_rotated_file_ends_before_a_time_if_the_next_begins_a_margin_before_it) {
    TimeWindow w(kSince, kUntil, kMargin);
    const UnixSeconds learns_from = kSince - 600;
    BOOST_TEST(w.ends_before(learns_from - kMargin, learns_from));
    BOOST_TEST(!w.ends_before(learns_from - kMargin + 1, learns_from));
}
