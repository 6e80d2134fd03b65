// SPDX-License-Identifier: Apache-2.0
#pragma once
// A response time written with its unit, as Go's time.Duration and protobuf's JSON Duration
// print one (Google Cloud's httpRequest.latency, Traefik, Go servers): "0.012345s", "12.3ms",
// "150µs" or "150us", "20ns", "1m30.5s", "2h".
#include <cstdint>
#include <optional>
#include <string_view>

namespace hitwatch {

// Microseconds, rounded; nullopt if `text` is not such a time (a bare number has no unit, and
// is the caller's to read) or is past kMaxDurationMicros.
std::optional<std::int64_t> micros_of_duration_text(std::string_view text);

}  // namespace hitwatch
