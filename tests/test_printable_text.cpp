// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE printable_text
// Outside text made safe for a terminal: valid UTF-8 kept, controls and invalid bytes escaped.
#include "format/printable_text.h"

#include <boost/test/unit_test.hpp>

using namespace hitwatch;

BOOST_AUTO_TEST_CASE(controls_and_invalid_bytes_are_escaped_and_valid_utf8_is_kept) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"plain text: GET /a?b=c", "plain text: GET /a?b=c"},
        {"\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"},
        {"tab\tnl\nnul", "tab\\x09nl\\x0anul"},
        {std::string("nul\0x", 5), "nul\\x00x"},
        {"del\x7f", "del\\x7f"},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},  // é € 😀
        {"\xff\xfe", "\\xff\\xfe"},
        {"\xc3", "\\xc3"},                      // cut short
        {"\xc0\xaf", "\\xc0\\xaf"},             // overlong '/'
        {"\xed\xa0\x80", "\\xed\\xa0\\x80"},    // a surrogate
        {"\xc2\x9b" "31m", "\\xc2\\x9b31m"},    // C1 CSI: a control, escaped
    };
    for (const auto& [in, out] : cases) BOOST_TEST(printable_text(in) == out, in);
}

BOOST_AUTO_TEST_CASE(a_limit_cuts_and_says_so) {
    BOOST_TEST(printable_text("abcdef", 3) == "abc...");
    BOOST_TEST(printable_text("abc", 3) == "abc");
    BOOST_TEST(printable_text("ab\xc3\xa9", 3) == "ab\\xc3...");  // a character cut by the limit
}
