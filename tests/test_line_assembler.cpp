// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE line_assembler
#include "tail/line_assembler.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using hitwatch::LineAssembler;

namespace {

struct Collected {
    std::vector<std::string> lines;
    int overlong = 0;
};

// Feeds `input` in reads of up to `piece` bytes, as read(2) would, asking for room for
// `want` bytes before each.
Collected feed(LineAssembler& a, const std::string& input, size_t piece, size_t want = SIZE_MAX) {
    Collected c;
    for (size_t at = 0; at < input.size();) {
        auto space = a.free_space(want);
        BOOST_TEST_REQUIRE(!space.empty());
        const std::string part = input.substr(at, std::min(piece, space.size()));
        at += part.size();
        std::copy(part.begin(), part.end(), space.begin());
        a.commit(part.size(), [&](std::string_view l) { c.lines.emplace_back(l); }, [&] { ++c.overlong; });
    }
    return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(splits_lines_across_any_chunking) {
    const std::string input = "one\ntwo\r\n\nthree\nfour";
    for (size_t piece : {1, 2, 3, 5, 100}) {
        LineAssembler a(256, 8);
        const Collected c = feed(a, input, piece);
        const std::vector<std::string> expected = {"one", "two\r", "", "three"};
        BOOST_TEST(c.lines == expected, boost::test_tools::per_element());
        BOOST_TEST(std::string(a.pending()) == "four");
        BOOST_TEST(a.consumed() == input.size() - 4);
        a.drop_pending();
        BOOST_TEST(a.consumed() == input.size());
    }
}

BOOST_AUTO_TEST_CASE(an_overlong_line_is_reported_once_and_skipped_to_its_newline) {
    const std::string longline(1000, 'x');
    const std::string input = "a\n" + longline + "\nb\n" + std::string(300, 'y') + "\nc\n";
    for (size_t piece : {7, 64, 5000}) {
        LineAssembler a(256, 64);
        const Collected c = feed(a, input, piece);
        const std::vector<std::string> expected = {"a", "b", "c"};
        BOOST_TEST(c.lines == expected, boost::test_tools::per_element());
        BOOST_TEST(c.overlong == 2);
        BOOST_TEST(a.consumed() == input.size());
    }
}

BOOST_AUTO_TEST_CASE(the_nul_bytes_of_a_hole_in_front_of_a_line_are_no_part_of_it) {
    // A writer that does not append goes on at its old offset after copytruncate: the log reads
    // as NUL bytes up to there, then the writer's next line. They were that line's start, and
    // made it over-long. Here holes longer than a read and than max_line, a short one, and one
    // before a newline (nothing but hole: a blank line).
    const std::string input = "a\n" + std::string(5000, '\0') + "b\n" + std::string(10, '\0') + "c\n" +
                              std::string(7, '\0') + "\n" + std::string(300, '\0') + "d";
    for (size_t piece : {1, 7, 64, 5000, 100000}) {
        LineAssembler a(256, 64);
        const Collected c = feed(a, input, piece);
        const std::vector<std::string> expected = {"a", "b", "c", ""};
        BOOST_TEST(c.lines == expected, boost::test_tools::per_element());
        BOOST_TEST(c.overlong == 0);
        BOOST_TEST(std::string(a.pending()) == "d");
        BOOST_TEST(a.consumed() == input.size() - 1);  // the hole before "d" too
        BOOST_TEST(a.capacity() <= 64 + 256 + 1);
        BOOST_TEST(!a.in_hole());
    }
    // Reads that end in a hole say so, and what of it was skipped unread (the file system
    // knew it held no data) counts as consumed.
    LineAssembler a(256, 64);
    const std::string hole = "a\n" + std::string(5000, '\0');
    BOOST_TEST(feed(a, hole, 64).lines == std::vector<std::string>{"a"}, boost::test_tools::per_element());
    BOOST_TEST(a.in_hole());
    BOOST_TEST(a.consumed() == hole.size());
    a.skip(1000);
    const std::vector<std::string> after = {"x"};
    BOOST_TEST(feed(a, std::string("\0\0x\n", 4), 64).lines == after, boost::test_tools::per_element());
    BOOST_TEST(!a.in_hole());
    BOOST_TEST(a.consumed() == hole.size() + 1000 + 4);
}

BOOST_AUTO_TEST_CASE(an_unfinished_overlong_line_is_not_consumed_yet) {
    LineAssembler a(256, 64);
    const Collected c = feed(a, "a\n" + std::string(400, 'x'), 50);
    BOOST_TEST(c.overlong == 1);
    BOOST_TEST(a.consumed() == 2u);  // a restart resumes at the start of the long line
    BOOST_TEST(a.pending().empty());
}

BOOST_AUTO_TEST_CASE(the_buffer_grows_with_what_there_is_to_read_and_is_given_back_when_idle) {
    LineAssembler a(1024, 1 << 20);
    BOOST_TEST(a.capacity() == 0u);  // nothing read yet costs nothing
    BOOST_TEST(a.free_space(100).size() == LineAssembler::kMinRead);  // a small append, a small buffer
    feed(a, "one\ntw", 100, 100);
    BOOST_TEST(a.capacity() == LineAssembler::kMinRead);
    BOOST_TEST(std::string(a.pending()) == "tw");
    a.release();  // a partial line is kept: nothing is given back
    BOOST_TEST(a.capacity() == LineAssembler::kMinRead);
    BOOST_TEST(a.free_space(5 << 20).size() >= (1u << 20));  // much to read: one chunk
    BOOST_TEST(std::string(a.pending()) == "tw");  // the partial line moved with the buffer
    const Collected rest = feed(a, "o\n", 100, 100);
    BOOST_TEST(rest.lines.at(0) == "two");
    a.release();
    BOOST_TEST(a.capacity() == 0u);
    BOOST_TEST(a.consumed() == 8u);
    BOOST_TEST(feed(a, "three\n", 100, 100).lines.at(0) == "three");  // and grows again
}

BOOST_AUTO_TEST_CASE(an_overlong_line_counted_before_a_restart_is_skipped_without_counting_it_again) {
    LineAssembler a(256, 64);
    a.continue_overlong_line(300);  // read and counted before: 300 bytes of it, no newline yet
    BOOST_TEST(a.overlong_read() == 300u);
    const Collected c = feed(a, std::string(100, 'x') + "\nnext\n", 50);
    BOOST_TEST(c.overlong == 0);
    BOOST_TEST(c.lines == std::vector<std::string>{"next"});
    BOOST_TEST(a.consumed() == 300u + 101u + 5u);  // from the start of the over-long line
    BOOST_TEST(a.overlong_read() == 0u);
}

BOOST_AUTO_TEST_CASE(the_bytes_of_an_overlong_line_being_skipped_are_known_for_a_checkpoint) {
    LineAssembler a(256, 64);
    feed(a, "a\n" + std::string(400, 'x'), 50);
    BOOST_TEST(a.overlong_read() == 400u);
    BOOST_TEST(a.consumed() == 2u);
}
