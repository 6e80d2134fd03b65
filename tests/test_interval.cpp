// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE interval
#include "core/interval.h"
#include "core/section.h"

#include <boost/test/unit_test.hpp>
#include <string>

using namespace hitwatch;

BOOST_AUTO_TEST_CASE(counts_hits_bytes_status_and_sections) {
    IntervalCounts c;
    c.add_hit("/api", 200, 10);
    c.add_hit("/api", 404, 5);
    c.add_hit("/b", 500, 0);
    c.add_hit("/a", 101, 1);
    c.add_invalid();
    BOOST_TEST(c.hits() == 4u);
    BOOST_TEST(c.bytes() == 16u);
    BOOST_TEST(c.invalid() == 1u);
    BOOST_TEST(c.status_classes()[0] == 1u);
    BOOST_TEST(c.status_classes()[1] == 1u);
    BOOST_TEST(c.status_classes()[3] == 1u);
    BOOST_TEST(c.status_classes()[4] == 1u);
    const auto top = c.top_sections(10);
    BOOST_TEST_REQUIRE(top.size() == 3u);
    // hits descending, then name
    BOOST_TEST(std::string(top[0].section) == "/api");
    BOOST_TEST(top[0].hits == 2u);
    BOOST_TEST(std::string(top[1].section) == "/a");
    BOOST_TEST(std::string(top[2].section) == "/b");
    BOOST_TEST(c.top_sections(1).size() == 1u);
}

BOOST_AUTO_TEST_CASE(reset_starts_a_clean_interval) {
    IntervalCounts c;
    c.add_hit("/old", 200, 1);
    c.reset();
    BOOST_TEST(c.empty());
    BOOST_TEST(c.top_sections(10).empty());
    c.add_hit("/new", 200, 1);
    BOOST_TEST(c.distinct_sections() == 1u);
    c.reset();
    c.reset();  // "/new" idle a whole interval: its node goes
    BOOST_TEST(c.distinct_sections() == 0u);
}

BOOST_AUTO_TEST_CASE(a_scanner_early_in_an_interval_cannot_hide_a_busy_section) {
    // Before: the first 10,000 sections were kept and the rest folded into (other), so
    // 20,000 one-off paths followed by /hot with 5,000 hits said "(other) 15000".
    IntervalCounts c;
    for (int i = 0; i < 20000; ++i) c.add_hit("/scan" + std::to_string(i), 404, 0);
    for (int i = 0; i < 5000; ++i) c.add_hit("/hot", 200, 0);
    BOOST_TEST(c.truncated());
    const auto top = c.top_sections(3);
    BOOST_TEST_REQUIRE(top.size() == 4u);  // three listed, then the rest
    BOOST_TEST(std::string(top[0].section) == "/hot");
    BOOST_TEST(top[0].hits <= 5000u);                // a lower bound ...
    BOOST_TEST(top[0].hits + top[0].error >= 5000u);  // ... within its error
    BOOST_TEST(std::string(top.back().section) == std::string(IntervalCounts::kOtherSection));
    std::uint64_t sum = 0;
    for (const auto& s : top) sum += s.hits;
    BOOST_TEST(sum == c.hits());  // the listed and (other) add up to the exact total
}

BOOST_AUTO_TEST_CASE(the_limit_applies_to_each_interval_alone) {
    // Before: after a flood, an interval whose only section was /hot reported "(other)".
    IntervalCounts c(100);
    for (int i = 0; i < 1000; ++i) c.add_hit("/scan" + std::to_string(i), 404, 0);
    BOOST_TEST(c.truncated());
    c.reset();
    for (int i = 0; i < 7; ++i) c.add_hit("/hot", 200, 0);
    BOOST_TEST(!c.truncated());
    const auto top = c.top_sections(10);
    BOOST_TEST_REQUIRE(top.size() == 1u);
    BOOST_TEST(std::string(top[0].section) == "/hot");
    BOOST_TEST(top[0].hits == 7u);
    BOOST_TEST(top[0].error == 0u);
    // Sections of the last interval are kept for reuse but do not count toward this one's limit.
    for (int i = 0; i < 99; ++i) c.add_hit("/other" + std::to_string(i), 200, 0);
    BOOST_TEST(!c.truncated());
    BOOST_TEST(c.distinct_sections() == 100u);
    c.add_hit("/one-more", 200, 0);
    BOOST_TEST(c.truncated());
}

BOOST_AUTO_TEST_CASE(a_section_is_counted_under_its_name_so_raw_and_encoded_bytes_are_one) {
    IntervalCounts c;
    c.add_hit("/\xff\xfe", 200, 0);
    c.add_hit("/%FF%FE", 200, 0);
    c.add_hit("/\xff\xfe", 200, 0);
    c.add_hit("/a\x1b[2J", 200, 0);
    const auto top = c.top_sections(10);
    BOOST_TEST_REQUIRE(top.size() == 2u);
    BOOST_TEST(std::string(top[0].section) == "/%FF%FE");
    BOOST_TEST(top[0].hits == 3u);
    BOOST_TEST(std::string(top[1].section) == "/a%1B[2J");
}

// Long paths that begin alike count as one section: a scanner's flood of 8 KB paths holds a
// few hundred bytes a section, not 8 KB.
BOOST_AUTO_TEST_CASE(long_sections_that_begin_alike_are_counted_as_one) {
    IntervalCounts c;
    const std::string head = "/" + std::string(hitwatch::kMaxSectionBytes - 1, 'x');
    c.add_hit(head + "1" + std::string(8000, 'a'), 414, 0);
    c.add_hit(head + "2" + std::string(8000, 'b'), 414, 0);
    c.add_hit(head + "1" + std::string(8000, 'a'), 414, 0);
    c.add_hit("/api", 200, 0);
    const auto top = c.top_sections(10);
    BOOST_TEST_REQUIRE(top.size() == 2u);
    BOOST_TEST(std::string(top[0].section) == head + "\xe2\x80\xa6");
    BOOST_TEST(top[0].hits == 3u);
}

// The codes are walked only as far as their counts add up to the hits (codes_end): what lies
// past the last code with hits is all zeros, through reset, merge and many hits of one code.
BOOST_AUTO_TEST_CASE(the_codes_end_where_their_counts_add_up_to_the_hits) {
    IntervalCounts c;
    BOOST_TEST(codes_end(c.codes(), c.hits()) == 0u);
    c.add_hit("/a", 100, 0);
    c.add_hit("/a", 999, 0);
    c.add_hit("/a", 404, 0);
    BOOST_TEST(codes_end(c.codes(), c.hits()) == kStatusCodes);
    c.add_invalid();
    c.reset();
    for (const std::uint64_t n : c.codes()) BOOST_TEST(n == 0u);
    for (int i = 0; i < 1000; ++i) c.add_hit("/a", 200, 0);
    c.add_hit("/b", 302, 0);
    BOOST_TEST(codes_end(c.codes(), c.hits()) == 203u);
    IntervalCounts total;
    total.add_hit("/z", 503, 0);
    total.merge(c);
    BOOST_TEST(total.codes()[100] == 1000u);
    BOOST_TEST(total.codes()[202] == 1u);
    BOOST_TEST(total.codes()[403] == 1u);
    BOOST_TEST(total.status_classes()[1] == 1000u);
    BOOST_TEST(total.status_classes()[2] == 1u);
    BOOST_TEST(total.status_classes()[4] == 1u);
    total.reset();
    for (const std::uint64_t n : total.codes()) BOOST_TEST(n == 0u);
}

BOOST_AUTO_TEST_CASE(status_classes_go_up_to_9xx) {
    IntervalCounts c;
    c.add_hit("/ez", 906, 0);
    c.add_hit("/x", 600, 0);
    BOOST_TEST(c.status_classes()[8] == 1u);
    BOOST_TEST(c.status_classes()[5] == 1u);
}

BOOST_AUTO_TEST_CASE(sections_that_differ_in_one_byte_are_counted_apart) {
    // Every length a section can have in a word or two, and a change at every position:
    // the hash and the comparison read short keys with overlapping loads.
    IntervalCounts c;
    std::string base = "/";
    for (size_t length = 1; length <= 40; ++length, base += static_cast<char>('a' + length % 26)) {
        c.add_hit(base, 200, 0);
        for (size_t at = 0; at < base.size(); ++at) {
            std::string other = base;
            other[at] = '#';
            c.add_hit(other, 200, 0);
        }
    }
    // 40 bases, each with one variant per byte (1 + 2 + ... + 40), all distinct.
    BOOST_TEST(c.distinct_sections() == 40u + 40u * 41u / 2u);
    const std::string_view view(base.data(), 5);
    c.add_hit(view, 200, 0);  // a view into a longer string finds the same section as "/bcde"
    BOOST_TEST(c.distinct_sections() == 40u + 40u * 41u / 2u);
}

BOOST_AUTO_TEST_CASE(merging_adds_another_intervals_counts) {
    IntervalCounts live(3), late(3);
    live.add_hit("/a", 200, 10);
    live.add_hit("/b", 404, 1);
    late.add_hit("/a", 200, 5);
    late.add_hit("/a", 500, 5);
    late.add_hit("/c", 200, 1);
    late.add_invalid();
    live.merge(late);
    BOOST_TEST(live.hits() == 5u);
    BOOST_TEST(live.bytes() == 22u);
    BOOST_TEST(live.invalid() == 1u);
    BOOST_TEST(live.status_classes()[1] == 3u);
    BOOST_TEST(live.status_classes()[4] == 1u);
    const auto top = live.top_sections(10);
    BOOST_TEST_REQUIRE(top.size() == 3u);
    BOOST_TEST(std::string(top[0].section) == "/a");
    BOOST_TEST(top[0].hits == 3u);
    BOOST_TEST(!live.truncated());

    // A fourth section is one past the limit: the busiest are still held, the rest is bounded.
    IntervalCounts more(3);
    for (int i = 0; i < 5; ++i) more.add_hit("/d", 200, 0);
    live.merge(more);
    BOOST_TEST(live.truncated());
    BOOST_TEST(live.hits() == 10u);
    const auto bounded = live.top_sections(1);
    BOOST_TEST(std::string(bounded[0].section) == "/d");
    BOOST_TEST(bounded[0].hits + bounded[0].error >= 5u);
    BOOST_TEST(std::string(bounded.back().section) == std::string(IntervalCounts::kOtherSection));
}

BOOST_AUTO_TEST_CASE(exact_codes_and_response_times_are_counted_per_interval_and_section) {
    IntervalCounts c;
    c.add_hit("/api", 200, 1, 1000);
    c.add_hit("/api", 503, 1, 3000);
    c.add_hit("/img", 200, 1);  // no response time
    BOOST_TEST(c.codes()[200 - 100] == 2u);
    BOOST_TEST(c.codes()[503 - 100] == 1u);
    BOOST_TEST(c.latency().count() == 2u);
    const auto top = c.top_sections(10);
    BOOST_TEST_REQUIRE(top.size() == 2u);
    BOOST_TEST(top[0].section == "/api");
    BOOST_TEST_REQUIRE(top[0].latency.has_value());
    BOOST_TEST(top[0].latency->max_ms == 3);
    BOOST_TEST(!top[1].latency.has_value());
    IntervalCounts late;
    late.add_hit("/api", 404, 1, 9000);
    c.merge(late);
    BOOST_TEST(c.codes()[404 - 100] == 1u);
    BOOST_TEST(c.top_sections(1)[0].latency->max_ms == 9);
    c.reset();
    BOOST_TEST(c.codes()[200 - 100] == 0u);
    BOOST_TEST(c.latency().empty());
    BOOST_TEST(!c.top_sections(10).size());
}

BOOST_AUTO_TEST_CASE(truncated_sections_keep_the_overall_latency_but_list_none_of_their_own) {
    IntervalCounts c(2);
    c.add_hit("/a", 200, 1, 1000);
    c.add_hit("/b", 200, 1, 2000);
    c.add_hit("/c", 200, 1, 3000);  // a third section: past the limit
    BOOST_TEST(c.truncated());
    BOOST_TEST(c.latency().count() == 3u);
    for (const auto& s : c.top_sections(10)) BOOST_TEST(!s.latency.has_value(), s.section);
    c.reset();  // the next interval is exact again, and has its own times
    c.add_hit("/a", 200, 1, 5000);
    BOOST_TEST_REQUIRE(c.top_sections(1)[0].latency.has_value());
    BOOST_TEST(c.top_sections(1)[0].latency->max_ms == 5);
}

BOOST_AUTO_TEST_CASE(byte_sums_stop_at_what_the_json_carries_rather_than_wrap) {
    IntervalCounts counts;
    for (int i = 0; i < 2000; ++i) counts.add_hit("/big", 200, kMaxBytes);
    BOOST_TEST(counts.bytes() == kMaxSum);
    IntervalCounts more;
    more.merge(counts);
    more.merge(counts);
    BOOST_TEST(more.bytes() == kMaxSum);
}

// Hits counted together (a parallel replay's sums) count as the same hits one at a time: the
// sections (a new one, one seen before, raw and encoded bytes of one name), codes, bytes and
// response times, overall and by section, with the entries made while their times are added.
BOOST_AUTO_TEST_CASE(hits_counted_together_count_as_one_at_a_time) {
    struct Hit {
        const char* section;
        int status;
        std::uint64_t bytes;
        std::int64_t duration_us;
    };
    const Hit before[] = {{"/seen", 200, 1, 50}};
    const Hit together[] = {{"/seen", 200, 10, 1000}, {"/new", 503, 20, -1}, {"/\xff", 200, 5, 70000},
                            {"/new", 200, 1, 3},      {"/%FF", 404, 0, 9},    {"/seen", 200, 7, -1}};
    IntervalCounts apart, summed;
    for (const Hit& h : before) {
        apart.add_hit(h.section, h.status, h.bytes, h.duration_us);
        summed.add_hit(h.section, h.status, h.bytes, h.duration_us);
    }
    for (const Hit& h : together) apart.add_hit(h.section, h.status, h.bytes, h.duration_us);
    const SectionTally sections[] = {{"/seen", 2}, {"/new", 2}, {"/\xff", 1}, {"/%FF", 1}};
    const CodeTally codes[] = {{200, 4}, {503, 1}, {404, 1}};
    const TimedHit timed[] = {{0, 1000}, {2, 70000}, {1, 3}, {3, 9}};
    BOOST_TEST_REQUIRE(summed.room_for(4));
    summed.add_together({.hits = 6, .bytes = 43, .sections = sections, .codes = codes, .timed = timed});

    BOOST_TEST(summed.hits() == apart.hits());
    BOOST_TEST(summed.bytes() == apart.bytes());
    BOOST_TEST((summed.codes() == apart.codes()));
    BOOST_TEST(summed.distinct_sections() == apart.distinct_sections());
    const auto latency = [](const IntervalCounts& c) {
        const LatencySummary s = c.latency().summary();
        return std::vector<double>{s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms};
    };
    BOOST_TEST(latency(summed) == latency(apart), boost::test_tools::per_element());
    const auto top_apart = apart.top_sections(10), top_summed = summed.top_sections(10);
    BOOST_TEST_REQUIRE(top_summed.size() == top_apart.size());
    BOOST_TEST_REQUIRE(top_summed.size() == 3u);
    for (std::size_t i = 0; i < top_apart.size(); ++i) {
        BOOST_TEST(top_summed[i].section == top_apart[i].section);
        BOOST_TEST(top_summed[i].hits == top_apart[i].hits);
        BOOST_TEST(top_summed[i].latency.has_value() == top_apart[i].latency.has_value());
        if (top_apart[i].latency) BOOST_TEST(top_summed[i].latency->p99_ms == top_apart[i].latency->p99_ms);
    }
    // No room for more sections than the interval counts exactly: counted one at a time then.
    IntervalCounts small(2);
    small.add_hit("/a", 200, 0);
    BOOST_TEST(small.room_for(1));
    BOOST_TEST(!small.room_for(2));
}
