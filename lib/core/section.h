// SPDX-License-Identifier: Apache-2.0
#pragma once
// The site section of a request target: "/" plus its first path segment.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/swar.h"

namespace hitwatch {

// "/api/user?id=3" -> "/api", "/" -> "/", "http://example.com/a/b" -> "/a".
// The result views into `target`; case and percent-encoding are kept as written.
// nullopt when the target is neither origin-form ("/...") nor absolute http(s).
std::optional<std::string_view> section_of(std::string_view target);
// The host of an absolute http(s) URL, without user or port: "https://Shop.example:443/a" ->
// "Shop.example", "http://[2001:db8::1]:80/" -> "[2001:db8::1]". Empty for any other target.
std::string_view host_of_absolute(std::string_view target);
// The host of a request line's target ("GET https://shop.example/a HTTP/1.1"), as above.
std::string_view host_of_absolute_request(std::string_view request);

// The name a section is counted and shown under. Its bytes are kept where they are
// printable UTF-8; any other byte -- a control character, DEL, a C1 control, an invisible
// or reordering format character (zero-width, bidi controls, the BOM), a byte that is no
// part of a valid UTF-8 sequence -- becomes %XX (uppercase hex), as URLs encode bytes.
// So every name is valid UTF-8 (strict JSON readers take it) and carries no terminal escape
// sequence nor hides what it shows; and a path sent raw and the same path percent-encoded count as one section, as
// the server sees them. '%' itself is kept: "/caf%C3%A9" stays as written.
// A section's name holds its first kMaxSectionBytes bytes as written (cut before a character,
// not inside one), then "\u2026" if there were more: a scanner's paths run to the server's
// limit (8 KiB), and each would hold that much in an interval's table, its heavy-hitter
// summary, a Prometheus label and an alert's text. WordPress's longest slug (200) fits.
constexpr std::size_t kMaxSectionBytes = 256;
// True if the name of `raw` is `raw` itself (printable ASCII, the usual case).
bool is_plain_name(std::string_view raw);
// Appends the name of `raw` to `out`.
void append_section_name(std::string_view raw, std::string& out);

// A section of `depth` path segments: `section` (the first one, a view into a buffer that
// holds the rest of its path up to `end`) grown by up to depth - 1 more segments; a segment
// ends at '/', '?', '#', ' ' or '"', and an empty one ends the section.
std::string_view extend_section(std::string_view section, const char* end, int depth);

// Where the first path segment of an origin-form path ends, searching from p (after its
// leading '/'): at the first '/', '?', '#' or ' ' (which ends a target inside a request
// line), or at end. Eight bytes at a time: the parser calls it for every line.
[[gnu::always_inline]] inline const char* segment_end(const char* p, const char* end) {
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
