#define BOOST_TEST_MODULE interval
#include "core/interval.h"

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

BOOST_AUTO_TEST_CASE(a_flood_of_distinct_sections_is_capped) {
    IntervalCounts c;
    for (size_t i = 0; i < IntervalCounts::kMaxSections + 500; ++i) {
        c.add_hit("/s" + std::to_string(i), 200, 0);
    }
    BOOST_TEST(c.hits() == IntervalCounts::kMaxSections + 500);
    BOOST_TEST(c.distinct_sections() == IntervalCounts::kMaxSections + 1);
    const auto top = c.top_sections(1);
    BOOST_TEST(std::string(top[0].section) == std::string(IntervalCounts::kOtherSection));
    BOOST_TEST(top[0].hits == 500u);
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
