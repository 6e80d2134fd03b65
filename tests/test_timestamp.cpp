// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE timestamp
#include "core/timestamp.h"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <ctime>
#include <string>

using namespace hitwatch;

BOOST_AUTO_TEST_CASE(parses_and_applies_the_offset) {
    BOOST_TEST(*parse_clf_time("17/May/2015:10:05:03 +0000") == 1431857103);
    // 13:55:36 at -0700 is 20:55:36 UTC.
    BOOST_TEST(format_iso8601(*parse_clf_time("10/Oct/2000:13:55:36 -0700")) == "2000-10-10T20:55:36Z");
    BOOST_TEST(format_iso8601(*parse_clf_time("01/Jan/2026:00:30:00 +0100")) == "2025-12-31T23:30:00Z");
    BOOST_TEST(format_iso8601(*parse_clf_time("29/Feb/2024:23:59:59 +0000")) == "2024-02-29T23:59:59Z");
}

BOOST_AUTO_TEST_CASE(rejects_anything_else) {
    const char* bad[] = {
        "",
        "17/May/2015:10:05:03",         // no offset
        "17/May/2015:10:05:03 0000",    // no sign
        "17/Mai/2015:10:05:03 +0000",   // not an English month
        "32/May/2015:10:05:03 +0000",   // no such day
        "29/Feb/2023:10:05:03 +0000",   // not a leap year
        "17/May/2015:24:05:03 +0000",   // hour
        "17/May/2015:10:60:03 +0000",   // minute
        "17/May/2015:10:05:03 +0060",   // offset minutes
        "1a/May/2015:10:05:03 +0000",
        "17/May/2015 10:05:03 +0000",
        "17/May/2015:10:05:03 +00000",
    };
    for (const char* text : bad) BOOST_TEST(!parse_clf_time(text).has_value(), text);
}

BOOST_AUTO_TEST_CASE(formats_utc_with_z) {
    BOOST_TEST(format_iso8601(0) == "1970-01-01T00:00:00Z");
    BOOST_TEST(format_iso8601(1763632800) == "2025-11-20T10:00:00Z");
    BOOST_TEST(format_iso8601(-1) == "1969-12-31T23:59:59Z");
    // Years of fewer than four digits are padded, and those outside 0..9999 written whole.
    BOOST_TEST(format_iso8601(-62135596800 + 86399) == "0001-01-01T23:59:59Z");
    BOOST_TEST(format_iso8601(-62167219200) == "0000-01-01T00:00:00Z");
    BOOST_TEST(format_iso8601(-62167219201) == "-001-12-31T23:59:59Z");
    BOOST_TEST(format_iso8601(253402300800) == "10000-01-01T00:00:00Z");
}

// As gmtime and strftime write it, over 3,000 years at steps that reach every second of a minute,
// hour and day.
BOOST_AUTO_TEST_CASE(formats_what_gmtime_reads) {
    for (std::int64_t t = -30610224000; t < 64060588800; t += 86400 * 365 + 3661 * 7 + 13) {
        const std::time_t time = static_cast<std::time_t>(t);
        std::tm tm{};
        BOOST_TEST_REQUIRE(gmtime_r(&time, &tm) != nullptr);
        char expected[40];
        std::strftime(expected, sizeof expected, "%Y-%m-%dT%H:%M:%SZ", &tm);
        BOOST_TEST(format_iso8601(t) == expected);
    }
}

BOOST_AUTO_TEST_CASE(aligns_to_multiples_of_the_interval_since_the_epoch) {
    BOOST_TEST(align_down(1763632807, 10) == 1763632800);
    BOOST_TEST(align_down(1763632800, 10) == 1763632800);
    BOOST_TEST(align_down(-5, 10) == -10);
    BOOST_TEST(align_down(125, 60) == 120);
}

BOOST_AUTO_TEST_CASE(the_iso_memo_reads_each_time_as_the_parser_does) {
    // A wrapper's times one after another: the same day and zone (only the time of day read),
    // then a new day, a new zone, a fraction or none, and times that are not valid, each
    // mutated at every byte. The memo must give exactly what parse_iso8601_time gives.
    const std::string seeds[] = {
        "2025-11-20T10:00:00.123456789Z", "2025-11-20T10:00:01Z", "2025-11-20T23:59:60.5Z",
        "2025-11-20T10:00:02+00:00", "2025-11-20T10:00:02+0000", "2025-11-20T10:00:02-07:00",
        "2025-11-20 10:00:03Z", "2025-11-21T00:00:00,1+01:00", "2024-02-29T12:00:00Z", "2025-02-29T12:00:00Z",
        "2025-11-20T24:00:00Z", "2025-11-20T10:60:00Z", "2025-11-20T10:00:61Z", "2025-11-20T10:00:00",
        "2025-11-20T10:00:00+07:0", "2025-11-20T10:00:00ZZ", "2025-11-20T1:00:00Z",
    };
    const char edits[] = {'0', '9', ':', '-', '+', 'Z', '.', ' ', 'x'};
    IsoTimeMemo memo;
    std::size_t checked = 0, valid = 0;
    const auto check = [&](const std::string& text) {
        const auto expected = parse_iso8601_time(text);
        BOOST_TEST_REQUIRE((memo.parse(text) == expected), text);
        ++checked;
        valid += expected.has_value();
    };
    for (int round = 0; round < 2; ++round) {  // the second round with the memo learned
        for (const std::string& seed : seeds) {
            check(seed);
            for (std::size_t at = 0; at < seed.size(); ++at) {
                for (const char c : edits) {
                    std::string mutated = seed;
                    mutated[at] = c;
                    check(mutated);
                    check(seed);  // the memo learned from the mutated one, if it was valid
                }
                check(seed.substr(0, at));
            }
        }
    }
    BOOST_TEST(valid > checked / 4);
    BOOST_TEST(valid < checked);
}

namespace {
// A zone an hour east of UTC, as the shell's converter would be for Europe/Paris in winter.
UnixSeconds an_hour_east(UnixSeconds local) { return local - 3600; }
}  // namespace

BOOST_AUTO_TEST_CASE(a_given_time_relative_to_now_is_read_as_journalctl_reads_it) {
    // Now is 2025-12-06T05:46:40Z, 06:46:40 on the machine's clock.
    const auto given = [](std::string_view text, UnixSeconds now = 1765000000) {
        const auto t = parse_given_time(text, an_hour_east, now);
        return t ? format_iso8601(*t) : std::string("none");
    };
    BOOST_TEST(given("now") == "2025-12-06T05:46:40Z");
    BOOST_TEST(given("-2h") == "2025-12-06T03:46:40Z");
    BOOST_TEST(given("-1h30min") == "2025-12-06T04:16:40Z");
    BOOST_TEST(given("-1h 30min") == "2025-12-06T04:16:40Z");
    BOOST_TEST(given("-90 minutes") == "2025-12-06T04:16:40Z");
    BOOST_TEST(given("90min ago") == "2025-12-06T04:16:40Z");
    BOOST_TEST(given("2 hours ago") == "2025-12-06T03:46:40Z");
    BOOST_TEST(given("-1w") == "2025-11-29T05:46:40Z");
    BOOST_TEST(given("-2d") == "2025-12-04T05:46:40Z");
    BOOST_TEST(given("-30s") == "2025-12-06T05:46:10Z");
    BOOST_TEST(given("+15min") == "2025-12-06T06:01:40Z");
    // Days are the machine's: its midnight, or a time of day on its clock.
    BOOST_TEST(given("today") == "2025-12-05T23:00:00Z");
    BOOST_TEST(given("yesterday") == "2025-12-04T23:00:00Z");
    BOOST_TEST(given("tomorrow") == "2025-12-06T23:00:00Z");
    BOOST_TEST(given("yesterday 02:30") == "2025-12-05T01:30:00Z");
    BOOST_TEST(given("today 14:00:30") == "2025-12-06T13:00:30Z");
    // At 23:30 UTC it is already the next day on the machine's clock.
    BOOST_TEST(given("today", 1765063800) == "2025-12-06T23:00:00Z");
    BOOST_TEST(given("yesterday 23:59", 1765063800) == "2025-12-06T22:59:00Z");
    for (const char* bad : {"-", "+", "-h", "-2", "-2x", "2h", "ago", " ago", "2h ago ago", "-2M", "-1y", "-2h ",
                            "--2h", "Yesterday", "yesterday02:00", "yesterday 25:00", "yesterday 02", "today 02:30Z",
                            "now ", "-9999999999s"}) {
        BOOST_TEST(given(bad) == "none", bad);
    }
}

BOOST_AUTO_TEST_CASE(a_given_time_is_read_in_its_zone_or_the_machines) {
    const auto given = [](std::string_view text) { return parse_given_time(text, an_hour_east, 1765000000); };
    BOOST_TEST(format_iso8601(*given("2026-12-06")) == "2026-12-05T23:00:00Z");
    BOOST_TEST(format_iso8601(*given("2026-12-06 02:30")) == "2026-12-06T01:30:00Z");
    BOOST_TEST(format_iso8601(*given("2026-12-06T02:30:15")) == "2026-12-06T01:30:15Z");
    BOOST_TEST(format_iso8601(*given("2026-12-06T02:30:15Z")) == "2026-12-06T02:30:15Z");
    BOOST_TEST(format_iso8601(*given("2026-12-06 02:30+05:00")) == "2026-12-05T21:30:00Z");
    BOOST_TEST(format_iso8601(*given("2026-12-06T02:30:15-0100")) == "2026-12-06T03:30:15Z");
    BOOST_TEST(format_iso8601(*given("2026-12-06T02:30:15.250+01:00")) == "2026-12-06T01:30:15Z");
    BOOST_TEST(format_iso8601(*given("06/Dec/2026:02:30:15 +0100")) == "2026-12-06T01:30:15Z");
    BOOST_TEST(*given("@1765000000") == 1765000000);
    for (const char* bad : {"", "@", "@-5", "2026-13-01", "2026-02-30", "2026-12-06T25:00",
                            "2026-12-06T02", "2026-12-06 02:30:15 UTC", "06/Dec/2026", "2026-12-06T02:30:15."}) {
        BOOST_TEST_INFO(bad);
        BOOST_TEST(!given(bad).has_value());
    }
}
