#pragma once
// The site section of a request target: "/" plus its first path segment.
#include <optional>
#include <string_view>

#include "core/swar.h"

namespace hitwatch {

// "/api/user?id=3" -> "/api", "/" -> "/", "http://example.com/a/b" -> "/a".
// The result views into `target`; case and percent-encoding are kept as written.
// nullopt when the target is neither origin-form ("/...") nor absolute http(s).
std::optional<std::string_view> section_of(std::string_view target);

// Where the first path segment of an origin-form path ends, searching from p (after its
// leading '/'): at the first '/', '?', '#' or ' ' (which ends a target inside a request
// line), or at end. Eight bytes at a time: the parser calls it for every line.
inline const char* segment_end(const char* p, const char* end) {
    for (; end - p >= 8; p += 8) {
        const std::uint64_t word = swar::load_word(p);
        const std::uint64_t found = swar::first_equal(word, '/') | swar::first_equal(word, '?') |
                                    swar::first_equal(word, '#') | swar::first_equal(word, ' ');
        if (found != 0) return p + swar::first_marked(found);
    }
    while (p != end && *p != '/' && *p != '?' && *p != '#' && *p != ' ') ++p;
    return p;
}

}  // namespace hitwatch
