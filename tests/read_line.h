// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a parser read of a server's example line, checked field by field.
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>

#include "core/parser.h"

namespace test {

struct Read {
    hitwatch::UnixSeconds time;
    std::string section;
    int status;
    std::uint64_t bytes;
    std::int64_t duration_us;  // -1: none
    std::string vhost;
};

inline void check_read(const hitwatch::ParseResult& r, const Read& expected) {
    BOOST_TEST_REQUIRE(r.ok(), hitwatch::describe(r.error));
    BOOST_TEST(r.line.time == expected.time);
    BOOST_TEST(r.line.section == expected.section);
    BOOST_TEST(r.line.status == expected.status);
    BOOST_TEST(r.line.bytes == expected.bytes);
    BOOST_TEST(r.line.duration_us == expected.duration_us);
    BOOST_TEST(r.line.vhost == expected.vhost);
}

}  // namespace test
