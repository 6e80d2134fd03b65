#pragma once
// Log timestamps: the CLF "[dd/Mon/yyyy:HH:MM:SS +zzzz]" in, UTC ISO 8601 out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hitwatch {

using UnixSeconds = std::int64_t;

// Parses the text between the brackets, applying the offset; nullopt if it is not exactly
// that shape or names an impossible date.
std::optional<UnixSeconds> parse_clf_time(std::string_view text);

// "2026-11-20T10:00:00Z"
std::string format_iso8601(UnixSeconds t);

// Start of the interval of `length` seconds (counted from the Unix epoch) that holds t.
inline UnixSeconds align_down(UnixSeconds t, std::int64_t length) {
    UnixSeconds r = t % length;
    return r < 0 ? t - r - length : t - r;
}

}  // namespace hitwatch
