// SPDX-License-Identifier: Apache-2.0
#pragma once
// The hole a writer that does not append leaves in its log. A program whose output is
// redirected with '>' (not '>>') writes at its own offset; after copytruncate empties the file
// it goes on at the old offset, and the file reads as NUL bytes up to there, then its next line.
// Those bytes are no part of any line (papertrail's go-tail skips them too): taken for the start
// of the next line they made it over-long, and `auto` found no format in them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/swar.h"

namespace hitwatch {

// How many of the n bytes at p are NUL before the first that is not. A hole is as long as the
// log was (gigabytes, at worst): eight bytes at a time.
inline std::size_t leading_nuls(const char* p, std::size_t n) {
    std::size_t at = 0;
    while (at + 8 <= n && swar::load<std::uint64_t>(p + at) == 0) at += 8;
    while (at < n && p[at] == '\0') ++at;
    return at;
}

// A line without the hole in front of it.
inline std::string_view after_hole(std::string_view line) {
    if (line.empty() || line.front() != '\0') [[likely]] return line;
    return line.substr(leading_nuls(line.data(), line.size()));
}

}  // namespace hitwatch
