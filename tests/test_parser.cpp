// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE parser
#include "core/parser.h"
#include "core/quick_scan.h"

#include <boost/test/unit_test.hpp>
#include <random>
#include <string>
#include <vector>

using namespace hitwatch;

namespace {

const std::string kCombined =
    R"L(83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1" 200 203023 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1)")L";

struct Good {
    std::string line;
    std::string host;
    std::string section;
    int status;
    std::uint64_t bytes;
    bool combined;
};

struct Bad {
    std::string line;
    ParseError error;
};

}  // namespace

BOOST_AUTO_TEST_CASE(valid_lines) {
    const Good cases[] = {
        {kCombined, "83.149.9.216", "/presentations", 200, 203023, true},
        // Common Log Format, user set, bytes "-"
        {R"L(127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 304 -)L",
         "127.0.0.1", "/apache_pb.gif", 304, 0, false},
        // IPv6 client
        {R"L(2001:db8::1 - - [10/Oct/2000:13:55:36 +0000] "GET /api/user?id=3 HTTP/1.1" 200 12 "-" "curl/8")L",
         "2001:db8::1", "/api", 200, 12, true},
        // hostname client, absolute-form target
        {R"L(proxy.example.com - - [10/Oct/2000:13:55:36 +0000] "GET http://example.com/a/b HTTP/1.1" 502 0)L",
         "proxy.example.com", "/a", 502, 0, false},
        // CRLF line end
        {"10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5\r", "10.0.0.1", "/", 200,
         5, false},
        // escaped quotes inside the request and the user-agent
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /q\"x HTTP/1.1" 404 7 "-" "bot \"quoted\" 1.0")L",
         "10.0.0.1", "/q\\\"x", 404, 7, true},
        // a user-agent ending in an escaped backslash
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /x HTTP/1.1" 200 1 "-" "ua\\")L", "10.0.0.1",
         "/x", 200, 1, true},
        // HTTP/0.9 request, 1xx status
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /old" 101 -)L", "10.0.0.1", "/old", 101, 0,
         false},
        // nginx appends fields after the user-agent
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "POST /login HTTP/2.0" 302 0 "-" "ua" "1.2.3.4" 0.003)L",
         "10.0.0.1", "/login", 302, 0, true},
        // trailing space after the byte count
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /t HTTP/1.1" 200 1 )L", "10.0.0.1", "/t", 200,
         1, false},
        // largest byte count that fits
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /big HTTP/1.1" 200 9007199254740992)L",
         "10.0.0.1", "/big", 200, 9007199254740992ull, false},  // kMaxBytes: 2^53
        // a byte-order mark before the first line
        {"\xEF\xBB\xBF" R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /bom HTTP/1.1" 200 1)L", "10.0.0.1",
         "/bom", 200, 1, false},
        // trailing spaces and tabs after the user-agent
        {"10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /t HTTP/1.1\" 200 1 \"-\" \"ua\" \t \t", "10.0.0.1", "/t",
         200, 1, true},
        // servers merge slashes: //favicon.ico is /favicon.ico, // is /
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET //favicon.ico HTTP/1.1" 200 1)L", "10.0.0.1",
         "/favicon.ico", 200, 1, false},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /// HTTP/1.1" 200 1)L", "10.0.0.1", "/", 200, 1, false},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET http://example.com//a//b HTTP/1.1" 200 1)L", "10.0.0.1",
         "/a", 200, 1, false},
        // statuses past 599: EZproxy writes 906
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /ez HTTP/1.1" 906 1)L", "10.0.0.1", "/ez", 906, 1, false},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /six HTTP/1.1" 600 1)L", "10.0.0.1", "/six", 600, 1, false},
        // requests that name no path are traffic, in the section (none)
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "-" 408 -)L", "10.0.0.1", "(none)", 408, 0, false},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "" 400 0)L", "10.0.0.1", "(none)", 400, 0, false},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "OPTIONS * HTTP/1.1" 200 0)L", "10.0.0.1", "(none)", 200, 0, false},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "CONNECT example.com:443 HTTP/1.1" 200 1)L", "10.0.0.1",
         "(none)", 200, 1, false},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "\x16\x03\x01" 400 1)L", "10.0.0.1", "(none)", 400, 1, false},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET" 400 -)L", "10.0.0.1", "(none)", 400, 0, false},
    };
    for (const auto& c : cases) {
        const ParseResult r = parse_line(c.line);
        BOOST_TEST_REQUIRE(r.ok(), c.line << " -> " << describe(r.error));
        BOOST_TEST(std::string(r.line.host) == c.host, c.line);
        BOOST_TEST(std::string(r.line.section) == c.section, c.line);
        BOOST_TEST(r.line.status == c.status, c.line);
        BOOST_TEST(r.line.bytes == c.bytes, c.line);
        BOOST_TEST(r.line.combined == c.combined, c.line);
    }
    BOOST_TEST(parse_line(kCombined).line.time == 1431857103);
    BOOST_TEST(format_iso8601(parse_line(cases[1].line).line.time) == "2000-10-10T20:55:36Z");
}

BOOST_AUTO_TEST_CASE(invalid_lines_say_why) {
    const std::string t = "[10/Oct/2000:13:55:36 +0000]";
    const Bad cases[] = {
        {"", ParseError::blank},
        {"   \t", ParseError::blank},
        {"\r", ParseError::blank},
        {"garbage", ParseError::bad_host},
        {"bad\x01host - - " + t + " \"GET / HTTP/1.1\" 200 1", ParseError::bad_host},
        {"1.2.3.4 - " + t + " \"GET / HTTP/1.1\" 200 1", ParseError::bad_ident_or_user},  // one field short
        {"1.2.3.4 - - [10/Oct/2000:13:55:36] \"GET / HTTP/1.1\" 200 1", ParseError::bad_time},
        {"1.2.3.4 - - " + t + " GET / HTTP/1.1 200 1", ParseError::bad_request},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1 200 1", ParseError::bad_request},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 20 1", ParseError::bad_status},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 099 1", ParseError::bad_status},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 1000 1", ParseError::bad_status},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 2x0 1", ParseError::bad_status},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 200", ParseError::bad_bytes},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 200 12a", ParseError::bad_bytes},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 200 ", ParseError::bad_bytes},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 200 99999999999999999999", ParseError::bad_bytes},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 200 9007199254740993", ParseError::bad_bytes},  // past 2^53
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 200 1 referer \"ua\"", ParseError::bad_referer},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 200 1 \"-\" \"unterminated", ParseError::bad_user_agent},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 200 1 \"-\" \"escaped end\\\"", ParseError::bad_user_agent},
        {"1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 200 1 \"-\"", ParseError::bad_user_agent},
        // Named for what the line is, not for the first field found wrong:
        {std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10), ParseError::compressed},
        {"BZh91AY&SY", ParseError::compressed},
        {std::string("\xfd" "7zXZ\0\0", 8), ParseError::compressed},
        {"\x28\xb5\x2f\xfd\x04", ParseError::compressed},
        {"[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 123] [client 1.2.3.4:5] AH00037: x", ParseError::error_log},
        {"[Sun Mar 07 16:02:00 2004] [error] [client 10.0.0.1] File does not exist: /x", ParseError::error_log},
        {"2026/11/26 10:00:00 [error] 1234#1234: *1 open() \"/x\" failed", ParseError::error_log},
        {"www.example.com:80 1.2.3.4 - - " + t + " \"GET / HTTP/1.1\" 200 1 \"-\" \"ua\"",
         ParseError::fields_before_time},  // Apache vhost_combined
        {"1.2.3.4, 10.0.0.2 - - " + t + " \"GET / HTTP/1.1\" 200 1", ParseError::fields_before_time},  // X-Forwarded-For
        {"1.2.3.4 - - [10/Oct/2000:13:55:36] \"GET / HTTP/1.1\" 200 1", ParseError::bad_time},  // no zone: a bad time
    };
    for (const auto& c : cases) {
        const ParseResult r = parse_line(c.line);
        BOOST_TEST(static_cast<int>(r.error) == static_cast<int>(c.error),
                   c.line << " -> " << describe(r.error) << ", expected " << describe(c.error));
    }
}

BOOST_AUTO_TEST_CASE(hosts_of_every_shape) {
    // Digits and dots are passed a word at a time, other bytes one by one: every length and
    // every place the first other byte can fall.
    const std::string rest = R"L( - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 1)L";
    for (const std::string host :
         {"1.2.3.4", "10.0.0.1", "255.255.255.255", "1234567", "12345678", "123456789", "1.2.3.4.example.com",
          "12345678a", "1234567a", "2001:db8::1", "[2001:db8::1]", "fe80::1%eth0", "a.b", "host-1.example_2.com"}) {
        const std::string line = host + rest;  // the parsed views point into it
        const ParseResult r = parse_line(line);
        BOOST_TEST_REQUIRE(r.ok(), host << " -> " << describe(r.error));
        BOOST_TEST(std::string(r.line.host) == host);
    }
    const std::string bad_hosts[] = {"1.2.3.4\"", "1.2.3.4/", "12345678\x01", "123456789\x80", "1234567\xff",
                                     "1.2,3.4", std::string(256, '1'), ""};
    for (const std::string& host : bad_hosts) {
        BOOST_TEST(static_cast<int>(parse_line(host + rest).error) == static_cast<int>(ParseError::bad_host), host);
    }
}

BOOST_AUTO_TEST_CASE(times_of_day_on_a_remembered_date) {
    // The first line leaves its date remembered; the others are read against it.
    const auto line_at = [](const std::string& time) {
        return "10.0.0.1 - - [10/Oct/2000:" + time + " -0700] \"GET / HTTP/1.1\" 200 1";
    };
    BOOST_TEST_REQUIRE(parse_line(line_at("13:55:36")).ok());
    for (const std::string time : {"00:00:00", "09:08:07", "19:59:59", "23:59:59", "23:59:60", "13:55:36"}) {
        const ParseResult r = parse_line(line_at(time));
        BOOST_TEST_REQUIRE(r.ok(), time);
        BOOST_TEST(r.line.time == *parse_clf_time("10/Oct/2000:" + time + " -0700"), time);
    }
    for (const std::string time : {"24:00:00", "13:60:00", "13:55:61", "13-55:36", "13:55.36", "1a:55:36",
                                   "13:55:3 ", "\xb3:55:36", "/3:55:36"}) {
        BOOST_TEST(static_cast<int>(parse_line(line_at(time)).error) == static_cast<int>(ParseError::bad_time), time);
    }
}

BOOST_AUTO_TEST_CASE(byte_counts_of_every_length) {
    // Short counts are read a word at a time when the line goes on, byte by byte at its end.
    const std::string head = R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 )L";
    std::string digits;
    for (int n = 1; n <= 16; ++n) {  // 16 digits: below kMaxBytes (2^53), 17 may be past it
        digits += static_cast<char>('0' + (n * 7) % 10);
        const std::uint64_t expected = std::stoull(digits);
        for (const std::string tail : {"", " ", " \"-\" \"curl/8\""}) {
            const ParseResult r = parse_line(head + digits + tail);
            BOOST_TEST_REQUIRE(r.ok(), digits + tail << " -> " << describe(r.error));
            BOOST_TEST(r.line.bytes == expected, digits + tail);
        }
    }
    for (const std::string bad : {"12a \"-\" \"curl/8\"", "1234567x \"-\" \"ua\"", "12345678x \"-\" \"ua\"",
                                  "-5 \"-\" \"curl/8\"", "1\xff \"-\" \"curl/8\"", "1/ \"-\" \"curl/8\"",
                                  "1: \"-\" \"curl/8\"", "+1 \"-\" \"curl/8\""}) {
        BOOST_TEST(static_cast<int>(parse_line(head + bad).error) == static_cast<int>(ParseError::bad_bytes), bad);
    }
}

BOOST_AUTO_TEST_CASE(the_corpus_malformed_line_is_invalid) {
    // Line 8899 of the shared corpus: its user-agent has no closing quote.
    const std::string line =
        R"L(46.118.127.106 - - [20/May/2015:12:05:17 +0000] "GET /scripts/grok-py-test/configlib.py HTTP/1.1" 200 235 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)L";
    BOOST_TEST(static_cast<int>(parse_line(line).error) == static_cast<int>(ParseError::bad_user_agent));
}

BOOST_AUTO_TEST_CASE(hostile_bytes_never_crash) {
    // NUL bytes, invalid UTF-8, a 1 MB line and random garbage: each parses to some result
    // (ASan and UBSan catch any out-of-bounds read in the sanitizer build).
    std::string with_nul = kCombined;
    with_nul[30] = '\0';
    BOOST_TEST(!parse_line(with_nul).ok());
    BOOST_TEST(!parse_line(std::string("\xff\xfe\xc3\x28 - - [", 8)).ok());
    std::string huge(1 << 20, 'a');
    BOOST_TEST(!parse_line(huge).ok());
    std::string long_path = kCombined;
    long_path.insert(long_path.find("/presentations") + 1, std::string(1 << 20, 'p'));
    BOOST_TEST(parse_line(long_path).ok());

    // Mutated prefixes of lines of each shape the fast paths take (IPv4, IPv6 and named
    // hosts, ident and user set, common and combined, escaped quotes).
    const std::string seeds[] = {
        kCombined,
        R"L(127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 304 -)L",
        R"L(2001:db8::1 - - [10/Oct/2000:13:55:36 +0000] "GET /api/user?id=3 HTTP/1.1" 200 12 "-" "curl/8")L",
        R"L(proxy.example.com - - [10/Oct/2000:13:55:36 +0000] "GET http://example.com/a/b HTTP/1.1" 502 0)L",
        R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /q"x HTTP/1.1" 404 7 "-" "bot "quoted" 1.0")L",
    };
    std::mt19937 rng(42);
    for (int i = 0; i < 50000; ++i) {
        const std::string& seed = seeds[rng() % std::size(seeds)];
        std::string s = seed.substr(0, rng() % (seed.size() + 1));
        for (int flips = rng() % 4; flips > 0 && !s.empty(); --flips) {
            s[rng() % s.size()] = static_cast<char>(rng() % 256);
        }
        const ParseResult r = parse_line(s);
        if (r.ok()) BOOST_TEST(!r.line.section.empty());
    }
}

BOOST_AUTO_TEST_CASE(the_quick_path_reads_lines_as_the_full_scanner) {
    // core/quick_scan.h takes the usual combined line from vector masks and must give exactly
    // what the full scanner gives, or leave the line to it. Lines of each shape near its
    // edges, each mutated at every byte: replaced by a byte that ends a field, removed,
    // doubled, or cut off there.
    struct Seed {
        std::string text;
        bool quick;  // read by the quick path as it is
    };
    const Seed seeds[] = {
        {kCombined, true},
        {R"L(2001:db8::7d19:8d86 - - [20/Nov/2025:10:00:00 +0000] "GET /report HTTP/1.1" 200 85546 "https://news.ycombinator.com/item?id=1" "Googlebot/2.1 (+http://www.google.com/bot.html)")L", true},
        {R"L(218.72.140.22 - - [20/Nov/2025:10:00:00 +0000] "GET /api/search?q=341 HTTP/1.1" 200 51448 "-" "curl/7.88.1")L", true},
        {R"L(host-1.Example_2.com - - [20/Nov/2025:23:59:60 -0700] "POST /a#b HTTP/1.0" 999 - "" "curl/8.0")L", true},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /x HTTP/1.1" 200 12345 "" "")L", true},
        {R"L(127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)")L", true},
        {R"L(10.0.0.1 identd user@example.com [10/Oct/2000:13:55:36 +0000] "GET /a?b HTTP/1.1" 200 1 "-" "curl/8.0")L", true},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /a/very/long/request/that/does/not/fit/in/one/window/of/sixty-four/bytes?x=1 HTTP/1.1" 200 1 "-" "x")L", true},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /x HTTP/1.1" 200 1 "https://a.example/a/very/long/referer/past/the/sixty-four/byte/window" "-")L", true},
        // Left to the full scanner: a host of 33 bytes or more, a first path segment past the
        // window, a method filling it, an escaped quote in a field, eight digits of bytes, a
        // target servers merge slashes of.
        {R"L(2001:0db8:85a3:0000:0000:8a2e:0370:7334 - - [10/Oct/2000:13:55:36 +0000] "GET /x HTTP/1.1" 200 1 "-" "curl/8.0")L",
         false},
        {"10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"" + std::string(62, 'M') + R"L( /x HTTP/1.1" 200 1 "-" "curl/8.0")L",
         false},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /a-first-segment-of-sixty-some-bytes-that-ends-past-the-window?q HTTP/1.1" 200 1 "-" "curl/8.0")L", false},
        {R"L([fe80::1%eth0] - - [01/Jan/1970:00:00:00 +0000] "GET / HTTP/2.0" 100 1234567 "\"x" "ua \"quoted\"")L", false},
        {R"L(10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /" 204 12345678 "-" "Mozilla/5.0 (X11; Linux x86_64)")L", false},
        {R"L(1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET //x?/y HTTP/1.1" 301 0 "-" "a")L", false},  // 64 bytes
        {R"L(1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET /x\" HTTP/1.1" 301 0 "-" "\\")L", false},
    };
    const char edits[] = {' ', '"', '\\', '-', '/', '?', '#', '[', ']', '\r', '\t', '\0', 'x', '9', '0', '\xef', '\xff'};
    // Each vector width this CPU runs (the parser uses the widest), held to the same answers.
    for (const char* kind : quick_scan_kinds()) {
        BOOST_TEST_CONTEXT("quick scan " << kind) {
            DateMemo memo;  // learned as a replay learns it, from the lines before
            std::size_t quick = 0, full_only = 0;
            const auto check = [&](const std::string& text) {
                const ParseResult full = parse_line_in_full(text);
                LogLine line;
                if (quick_combined_by(kind, text, line, memo)) {
                    ++quick;
                    BOOST_TEST_REQUIRE(full.ok(),
                                       text << " -> " << describe(full.error) << ", but the quick path read it");
                    BOOST_TEST_REQUIRE((line.host == full.line.host && line.time == full.line.time &&
                                        line.section == full.line.section && line.status == full.line.status &&
                                        line.bytes == full.line.bytes && line.combined == full.line.combined),
                                       text << ": the quick path read it as section " << line.section << " status "
                                            << line.status << " bytes " << line.bytes);
                } else {
                    ++full_only;
                }
                // And through the parser, which takes the quick path first.
                const ParseResult parsed = parse_line(text);
                BOOST_TEST_REQUIRE(static_cast<int>(parsed.error) == static_cast<int>(full.error), text);
                if (full.ok()) {
                    BOOST_TEST_REQUIRE((parsed.line.section == full.line.section && parsed.line.time == full.line.time));
                }
            };
            for (const auto& [seed, seed_is_quick] : seeds) {
                BOOST_TEST_REQUIRE(parse_line_in_full(seed).ok(), seed);
                LogLine line;
                DateMemo fresh;
                BOOST_TEST(quick_combined_by(kind, seed, line, fresh) == seed_is_quick, seed);
                check(seed);
                for (std::size_t at = 0; at <= seed.size(); ++at) {
                    check(seed.substr(0, at));
                    if (at == seed.size()) break;
                    check(seed.substr(0, at) + seed.substr(at + 1));
                    check(seed.substr(0, at + 1) + seed.substr(at));
                    for (const char c : edits) check(seed.substr(0, at) + c + seed.substr(at + 1));
                }
            }
            // Both paths are exercised: most seeds and many of their mutations are quick.
            BOOST_TEST(quick > 2000u);
            BOOST_TEST(full_only > 2000u);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_quick_path_knows_every_byte_of_a_host) {
    // Each width tests the host's characters its own way (compares, or a table lookup by the
    // byte's halves): every byte value, at each of a host's first 32 places, is a host
    // character for the quick path exactly when the full scanner takes it as one.
    const std::string rest = R"L( - - [10/Oct/2000:13:55:36 +0000] "GET /x HTTP/1.1" 200 1 "-" "curl/8.0")L";
    for (const char* kind : quick_scan_kinds()) {
        std::size_t quick = 0;
        for (int c = 0; c < 256; ++c) {
            for (const std::size_t at : {0, 1, 7, 15, 16, 17, 30}) {
                std::string host(31, 'a');
                host[at] = static_cast<char>(c);
                const std::string text = host + rest;
                const ParseResult full = parse_line_in_full(text);
                LogLine line;
                DateMemo memo;
                const bool taken = quick_combined_by(kind, text, line, memo);
                quick += taken;
                const bool host_char = full.ok() && full.line.host.size() == host.size();
                BOOST_TEST_REQUIRE(taken == host_char, kind << ": byte " << c << " at " << at);
            }
        }
        BOOST_TEST(quick == 7u * (10 + 26 + 26 + 7), kind);  // digits, both cases, . : - _ % [ ]
    }
}

BOOST_AUTO_TEST_CASE(the_parser_takes_the_widest_quick_scan_this_cpu_runs) {
#if defined(__x86_64__)
    // SSE2 is in every x86-64 CPU; AVX2 and AVX-512 where the CPU says so.
    __builtin_cpu_init();
    std::vector<std::string> expected;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt")) {
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) expected.push_back("avx512");
        expected.push_back("avx2");
    }
    expected.push_back("sse2");
    std::vector<std::string> kinds;
    for (const char* kind : quick_scan_kinds()) kinds.push_back(kind);
    BOOST_TEST(kinds == expected, boost::test_tools::per_element());
    BOOST_TEST(std::string(quick_scan_kind()) == expected.front());
#endif
    BOOST_TEST_MESSAGE("quick scan on this CPU: " << quick_scan_kind());
}

BOOST_AUTO_TEST_CASE(a_compressors_magic_is_told_and_so_is_its_beginning) {
    // Standard input is looked at for magic bytes; a pipe may give the first of them alone.
    BOOST_TEST(std::string(compressed_by("\x1f\x8b\x08")) == "gzip");
    BOOST_TEST(std::string(compressed_by("BZh91AY")) == "bzip2");
    BOOST_TEST(std::string(compressed_by(std::string_view("\xfd" "7zXZ\0\0", 7))) == "xz");
    BOOST_TEST(std::string(compressed_by("\x28\xb5\x2f\xfd\x04")) == "zstd");
    BOOST_TEST(compressed_by("BZhx") == nullptr);
    BOOST_TEST(compressed_by("10.0.0.1 - -") == nullptr);
    for (const std::string_view part : {"\x1f", "B", "BZ", "BZh", "\xfd", "\xfd" "7zX", "\x28\xb5"}) {
        BOOST_TEST(may_begin_compressed(part), part);
    }
    for (const std::string_view whole : {"\x1f\x8b", "BZh9", "Bob", "1", "\x28\xb5\x2f\xfd"}) {
        BOOST_TEST(!may_begin_compressed(whole), whole);
    }
}
