// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the running process uses, from /proc/self (Linux), for process_* metrics.
#include <cstdint>

namespace hitwatch::os {

struct ProcessStats {
    double cpu_seconds = 0;          // user + system
    std::uint64_t resident_bytes = 0;
    std::uint64_t open_fds = 0;
    double start_time_seconds = 0;   // since the Unix epoch; 0 if /proc/stat is hidden
};

// Zeros for what cannot be read.
ProcessStats process_stats();

}  // namespace hitwatch::os
