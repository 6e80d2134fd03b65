// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the follow layer shows the rest: how each followed log and the state file stand now,
// for /status, /metrics and the reports. The HTTP pages read them without knowing how logs
// are followed.
#include <cstdint>
#include <string>

namespace hitwatchd {

struct LogView {
    std::string path;
    std::string state;  // "reading", "waiting" (no file yet), "unreadable"
    std::string error;  // why it is not reading
    std::uint64_t device = 0, inode = 0;  // of the file read now
    std::uint64_t offset = 0, size = 0;   // read up to, of its size
    std::uint64_t lag_bytes = 0;          // written but not read yet
    std::uint64_t rotations = 0;          // since start
    bool reading() const { return state == "reading"; }
};

struct StateView {
    std::string path;
    bool checkpointed = true;            // the last save after a report worked
    std::uint64_t save_failures = 0;     // since start
};

}  // namespace hitwatchd
