// SPDX-License-Identifier: Apache-2.0
#pragma once
// Container runtimes' log files wrap each line a container wrote: Kubernetes CRI
// ("2025-11-20T10:00:00.123456789Z stdout F <line>", a line over 16 KiB in "P" pieces before
// its "F") and Docker's json-file ({"log":"<line>\n","stream":"stdout","time":"..."}, a piece
// without its "\n"). What is inside is read in any format: `cri+combined`, `docker+nginx`.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/timestamp.h"

namespace hitwatch {

enum class ContainerLog : std::uint8_t { none, cri, docker };

// "cri", "docker", "" for none.
std::string_view name_of(ContainerLog wrapper);

// One wrapped line, taken apart.
struct Unwrapped {
    bool ok = false;       // in the wrapper's shape
    bool piece = false;    // a piece of a longer line: the next one goes on with it
    UnixSeconds time = 0;  // the runtime's time of it (0 when it cannot be read)
};

// CRI: the content is a view into `line`.
Unwrapped unwrap_cri(std::string_view line, std::string_view& content);
// Docker json-file: the content, its JSON escapes undone, is appended to `out`.
Unwrapped unwrap_docker(std::string_view line, std::string& out);

// Either: the content appended to `out` (a piece's, to be joined with the next).
Unwrapped unwrap_onto(ContainerLog wrapper, std::string_view line, std::string& out);

// Whether a line is in one of the two shapes (for auto-detection).
ContainerLog container_log_of(std::string_view line);

}  // namespace hitwatch
