#define BOOST_TEST_MODULE section
#include "core/section.h"

#include <boost/test/unit_test.hpp>
#include <string>

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
        {"//double", "/"},
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

BOOST_AUTO_TEST_CASE(segments_of_every_length_end_at_each_delimiter) {
    // The segment is searched for eight bytes at a time: every length, every delimiter.
    std::string segment;
    for (int length = 0; length <= 20; ++length, segment += static_cast<char>('a' + length % 26)) {
        for (const char* rest : {"/x", "?q=1", "#f", "", "/", "?"}) {
            const std::string target = "/" + segment + rest;
            const auto got = section_of(target);
            BOOST_TEST_REQUIRE(got.has_value(), target);
            BOOST_TEST(std::string(*got) == "/" + segment, target);
        }
    }
}
