// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE timestamp
#include "core/timestamp.h"

#include <boost/test/unit_test.hpp>

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
}

BOOST_AUTO_TEST_CASE(aligns_to_multiples_of_the_interval_since_the_epoch) {
    BOOST_TEST(align_down(1763632807, 10) == 1763632800);
    BOOST_TEST(align_down(1763632800, 10) == 1763632800);
    BOOST_TEST(align_down(-5, 10) == -10);
    BOOST_TEST(align_down(125, 60) == 120);
}
