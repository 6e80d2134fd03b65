#pragma once
// The site section of a request target: "/" plus its first path segment.
#include <optional>
#include <string_view>

namespace hitwatch {

// "/api/user?id=3" -> "/api", "/" -> "/", "http://example.com/a/b" -> "/a".
// The result views into `target`; case and percent-encoding are kept as written.
// nullopt when the target is neither origin-form ("/...") nor absolute http(s).
std::optional<std::string_view> section_of(std::string_view target);

// Where the first path segment of an origin-form path ends: '/', '?' or '#' (and ' ', which
// ends a target inside a request line).
inline bool ends_segment(char c) { return c == '/' || c == '?' || c == '#' || c == ' '; }

}  // namespace hitwatch
