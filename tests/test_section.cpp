// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE section
#include "core/section.h"

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <string>
#include <vector>

using hitwatch::append_section_name;
using hitwatch::host_of_absolute;
using hitwatch::host_of_absolute_request;
using hitwatch::is_plain_name;
using hitwatch::section_of;

BOOST_AUTO_TEST_CASE(section_is_slash_plus_first_segment) {
    const std::pair<const char*, const char*> cases[] = {
        {"/api/user?id=3", "/api"},
        {"/report", "/report"},
        {"/", "/"},
        {"/favicon.ico", "/favicon.ico"},
        {"http://example.com/a/b", "/a"},
        {"https://example.com/a?b/c", "/a"},
        {"HTTP://Example.com/Up/x", "/Up"},
        {"http://example.com", "/"},
        {"http://example.com?x=1", "/"},
        {"http://example.com:8080/port/x", "/port"},
        {"/?q=1", "/"},
        {"/#top", "/"},
        {"/page#top", "/page"},
        {"/API/Users", "/API"},                // case kept
        {"/caf%C3%A9/menu", "/caf%C3%A9"},      // percent-encoding kept
        {"//double", "/double"},               // servers merge slashes
        {"/a;b/c", "/a;b"},
    };
    for (const auto& [target, section] : cases) {
        const auto got = section_of(target);
        BOOST_TEST_REQUIRE(got.has_value(), target);
        BOOST_TEST(std::string(*got) == section, target);
    }
}

BOOST_AUTO_TEST_CASE(targets_that_are_not_paths_have_no_section) {
    for (const char* target : {"", "*", "example.com:443", "ftp://x/y", "api/users", "-", "http:/x"}) {
        BOOST_TEST(!section_of(target).has_value(), target);
    }
}

BOOST_AUTO_TEST_CASE(an_absolute_urls_host_is_its_authority_without_user_or_port) {
    BOOST_TEST(host_of_absolute("https://Shop.example:443/cart?x=1") == "Shop.example");
    BOOST_TEST(host_of_absolute("HTTP://shop.example") == "shop.example");
    BOOST_TEST(host_of_absolute("http://user:pw@shop.example:8080/a") == "shop.example");
    BOOST_TEST(host_of_absolute("http://[2001:db8::1]:80/a") == "[2001:db8::1]");
    BOOST_TEST(host_of_absolute("http://shop.example?q=1") == "shop.example");
    BOOST_TEST(host_of_absolute("/cart").empty());
    BOOST_TEST(host_of_absolute("ftp://files.example/a").empty());
    BOOST_TEST(host_of_absolute_request("GET https://shop.example:443/cart HTTP/1.1") == "shop.example");
    BOOST_TEST(host_of_absolute_request("GET /cart HTTP/1.1").empty());
    BOOST_TEST(host_of_absolute_request("CONNECT shop.example:443 HTTP/1.1").empty());
    BOOST_TEST(host_of_absolute_request("GET").empty());
    BOOST_TEST(host_of_absolute_request("GET ").empty());
}

BOOST_AUTO_TEST_CASE(segments_of_every_length_end_at_each_delimiter) {
    // The segment is searched for eight bytes at a time: every length, every delimiter.
    std::string segment;
    for (int length = 0; length <= 20; ++length, segment += static_cast<char>('a' + length % 26)) {
        for (const char* rest : {"/x", "?q=1", "#f", "", "/", "?"}) {
            const std::string target = "/" + segment + rest;
            const auto got = section_of(target);
            BOOST_TEST_REQUIRE(got.has_value(), target);
            // An empty first segment is a doubled slash, merged: "//x" asks for "/x".
            const std::string expected = segment.empty() && rest == std::string("/x") ? "/x" : "/" + segment;
            BOOST_TEST(std::string(*got) == expected, target);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_section_name_is_printable_utf8_with_every_other_byte_percent_encoded) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/api", "/api"},
        {"/caf\xc3\xa9", "/caf\xc3\xa9"},               // UTF-8 kept
        {"/\xe2\x82\xac\xf0\x9f\x98\x80", "/\xe2\x82\xac\xf0\x9f\x98\x80"},  // 3 and 4 bytes
        {"/\xff\xfe", "/%FF%FE"},                         // no UTF-8 at all
        {"/a\x1b[31m", "/a%1B[31m"},                      // a terminal escape loses its ESC
        {"/\x7f", "/%7F"},
        {"/\xc2\x9b", "/%C2%9B"},                         // U+009B, a C1 control (CSI)
        {"/\xc0\xaf", "/%C0%AF"},                         // an overlong '/'
        {"/\xed\xa0\x80", "/%ED%A0%80"},                  // a surrogate
        {"/\xf4\x90\x80\x80", "/%F4%90%80%80"},           // past U+10FFFF
        {"/\xe2\x82", "/%E2%82"},                         // cut short
        {"/\x80", "/%80"},                                // a stray continuation byte
        {"/%FF", "/%FF"},                                 // percent-encoding as written is kept
        {std::string("/a\0b", 4), "/a%00b"},
        {"/\xe2\x80\xae" "txt.exe", "/%E2%80%AEtxt.exe"},  // U+202E, right-to-left override
        {"/a\xe2\x80\x8b" "b", "/a%E2%80%8Bb"},            // U+200B, zero-width space
        {"/\xef\xbb\xbf" "x", "/%EF%BB%BFx"},              // U+FEFF
        {"/\xe2\x80\x94", "/\xe2\x80\x94"},             // U+2014, an em dash, is printable
    };
    for (const auto& [raw, name] : cases) {
        std::string out;
        append_section_name(raw, out);
        BOOST_TEST(out == name, raw);
        BOOST_TEST(is_plain_name(raw) == (raw == name && raw.find_first_of("\x7f") == std::string::npos &&
                                          std::all_of(raw.begin(), raw.end(), [](char c) { return c >= 0x20 && c < 0x7f; })),
                   raw);
    }
}

// A scanner's paths run to the server's limit (Apache's 8,190-byte request line, nginx's 8 KiB
// buffers). Named in full, each took 8 KB in an interval's table, its heavy-hitter summary, a
// Prometheus label and a syslog alert: a section's name is its first kMaxSectionBytes bytes
// (cut before a character, not inside one) and "\u2026" when there are more.
BOOST_AUTO_TEST_CASE(a_long_section_is_named_by_its_first_bytes_and_an_ellipsis) {
    const std::string ellipsis = "\xe2\x80\xa6";
    const std::string at_limit = "/" + std::string(hitwatch::kMaxSectionBytes - 1, 'a');
    std::string out;
    append_section_name(at_limit, out);
    BOOST_TEST(out == at_limit);
    BOOST_TEST(is_plain_name(at_limit));

    const std::string scanner = "/" + std::string(8000, 'b');
    out.clear();
    append_section_name(scanner, out);
    BOOST_TEST(out == scanner.substr(0, hitwatch::kMaxSectionBytes) + ellipsis);
    BOOST_TEST(!is_plain_name(scanner));  // so that it is named, not counted as it is

    // A cut that would fall inside the euro sign (3 bytes) falls before it instead.
    const std::string euros = std::string(hitwatch::kMaxSectionBytes - 1, '/') + "\xe2\x82\xac\xe2\x82\xac";
    out.clear();
    append_section_name(euros, out);
    BOOST_TEST(out == euros.substr(0, hitwatch::kMaxSectionBytes - 1) + ellipsis);
    // Odd bytes are encoded as before, the cut made on the bytes as written.
    const std::string odd = "/" + std::string(hitwatch::kMaxSectionBytes + 10, '\xff');
    out.clear();
    append_section_name(odd, out);
    BOOST_TEST(out.size() == 1 + 3 * (hitwatch::kMaxSectionBytes - 1) + ellipsis.size());
}

BOOST_AUTO_TEST_CASE(repeated_slashes_are_merged_as_servers_merge_them) {
    BOOST_TEST(*section_of("//favicon.ico") == "/favicon.ico");
    BOOST_TEST(*section_of("//") == "/");
    BOOST_TEST(*section_of("http://example.com//a//b") == "/a");
}

BOOST_AUTO_TEST_CASE(plain_names_are_told_eight_bytes_at_a_time_at_every_position) {
    for (size_t length = 1; length <= 24; ++length) {
        const std::string plain(length, 'a');
        BOOST_TEST(is_plain_name(plain), length);
        for (size_t at = 0; at < length; ++at) {
            for (const char odd : {'\x00', '\x1f', '\x7f', '\x80', '\xff'}) {
                std::string name = plain;
                name[at] = odd;
                BOOST_TEST(!is_plain_name(name), length << " at " << at << " " << int(odd));
            }
            std::string edge = plain;
            edge[at] = ' ';
            BOOST_TEST(is_plain_name(edge));  // 0x20 and 0x7e are printable
            edge[at] = '~';
            BOOST_TEST(is_plain_name(edge));
        }
    }
}
