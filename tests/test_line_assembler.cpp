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

// Feeds `input` in reads of up to `piece` bytes, as read(2) would.
Collected feed(LineAssembler& a, const std::string& input, size_t piece) {
    Collected c;
    for (size_t at = 0; at < input.size();) {
        auto space = a.free_space();
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

BOOST_AUTO_TEST_CASE(an_unfinished_overlong_line_is_not_consumed_yet) {
    LineAssembler a(256, 64);
    const Collected c = feed(a, "a\n" + std::string(400, 'x'), 50);
    BOOST_TEST(c.overlong == 1);
    BOOST_TEST(a.consumed() == 2u);  // a restart resumes at the start of the long line
    BOOST_TEST(a.pending().empty());
}
