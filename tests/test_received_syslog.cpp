// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE received_syslog
// Syslog headers taken off access log lines, as nginx, logger and rsyslog send them, and TCP's
// framing.
#include "core/received_syslog.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using hitwatch::parse_syslog;
using hitwatch::SyslogFramer;

namespace {

const std::string kLine = R"(10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 612 "-" "curl/8.0")";

}  // namespace

BOOST_AUTO_TEST_CASE(rfc3164_as_nginx_and_logger_send_it) {
    // nginx: access_log syslog:server=...,tag=shop combined;
    // (The views point into the message: it is kept while they are looked at.)
    const std::string from_nginx = "<190>Nov 20 10:00:00 web-1 shop: " + kLine;
    const auto nginx = parse_syslog(from_nginx);
    BOOST_TEST(nginx.ok);
    BOOST_TEST(nginx.tag == "shop");
    BOOST_TEST(nginx.content == kLine);
    // logger --rfc3164: a tag with a pid; a day padded with a space; no host at all.
    BOOST_TEST(parse_syslog("<13>Nov  3 10:00:00 host shop[4242]: " + kLine).content == kLine);
    BOOST_TEST(parse_syslog("<13>Nov  3 10:00:00 host shop[4242]: " + kLine).tag == "shop");
    BOOST_TEST(parse_syslog("<13>Nov 20 10:00:00 shop: " + kLine + "\n").content == kLine);
    BOOST_TEST(parse_syslog("<13>shop: " + kLine).tag == "shop");
    BOOST_TEST(!parse_syslog(kLine).ok);  // no <PRI>: not syslog
}

BOOST_AUTO_TEST_CASE(rfc5424_with_and_without_structured_data) {
    const std::string plain_message = "<13>1 2025-11-20T10:00:00.000000+00:00 host shop - - - " + kLine;
    const auto plain = parse_syslog(plain_message);
    BOOST_TEST(plain.tag == "shop");
    BOOST_TEST(plain.content == kLine);
    // logger --rfc5424 adds its time quality; a ] inside is escaped.
    const std::string with_sd = R"(<13>1 2025-11-20T10:00:00Z host shop 99 - [timeQuality tzKnown="1" x="a\]b"][o k="v"] )" + kLine;
    const auto sd = parse_syslog(with_sd);
    BOOST_TEST(sd.content == kLine);
    BOOST_TEST(parse_syslog("<13>1 2025-11-20T10:00:00Z host - - - - \xEF\xBB\xBF" + kLine).content == kLine);  // BOM
    BOOST_TEST(parse_syslog("<13>1 2025-11-20T10:00:00Z host - - - - " + kLine).tag.empty());
}

BOOST_AUTO_TEST_CASE(tcp_octet_counting_and_newline_framing_in_any_pieces) {
    const std::string a = "<13>shop: first", b = "<13>shop: second";
    const std::string stream = std::to_string(a.size()) + " " + a + std::to_string(b.size()) + " " + b + "<13>shop: third\n" +
                               "9999999 " + std::string(50, 'x') + "<13>shop: " + std::string(100, 'y') + "\n<13>shop: last\n";
    for (std::size_t piece : {1, 7, 1000}) {
        BOOST_TEST_CONTEXT("pieces of " << piece) {
            SyslogFramer framer(64);
            std::vector<std::string> messages;
            int overlong = 0;
            std::string fed;
            for (std::size_t at = 0; at < stream.size(); at += piece) {
                framer.feed(
                    std::string_view(stream).substr(at, piece), [&](std::string_view m) { messages.emplace_back(m); },
                    [&] { ++overlong; });
            }
            // The 9999999-byte frame takes everything after it: it never ends here.
            const std::vector<std::string> expected = {a, b, "<13>shop: third"};
            BOOST_TEST(messages == expected, boost::test_tools::per_element());
            BOOST_TEST(overlong == 1);
        }
    }
    SyslogFramer lines(16);
    std::vector<std::string> got;
    int overlong = 0;
    lines.feed("<1>a: " + std::string(40, 'z') + "\n<1>a: ok\n", [&](std::string_view m) { got.emplace_back(m); }, [&] { ++overlong; });
    BOOST_TEST(got == std::vector<std::string>{"<1>a: ok"}, boost::test_tools::per_element());
    BOOST_TEST(overlong == 1);
}
