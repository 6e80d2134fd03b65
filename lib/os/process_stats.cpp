// SPDX-License-Identifier: Apache-2.0
#include "os/process_stats.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "os/posix_io.h"

namespace hitwatch::os {

namespace {

// The seconds since the epoch at which the machine booted ("btime" in /proc/stat).
double boot_time() {
    const std::string stat = read_head("/proc/stat", 64 * 1024);
    const auto at = stat.find("\nbtime ");
    return at == std::string::npos ? 0 : std::strtod(stat.c_str() + at + 7, nullptr);
}

std::uint64_t count_open_fds() {
    DIR* dir = opendir("/proc/self/fd");
    if (dir == nullptr) return 0;
    std::uint64_t count = 0;
    while (const dirent* entry = readdir(dir)) {
        if (entry->d_name[0] != '.') ++count;
    }
    closedir(dir);
    return count > 0 ? count - 1 : 0;  // not the one reading the directory
}

}  // namespace

ProcessStats process_stats() {
    ProcessStats stats;
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    // /proc/self/stat: "pid (comm) state ..." -- the name may hold spaces and parentheses, so the
    // fields are counted from the last ')': utime and stime are fields 14 and 15, starttime 22.
    const std::string stat = read_head("/proc/self/stat", 4096);
    const auto close = stat.rfind(')');
    if (close != std::string::npos && ticks > 0) {
        unsigned long long utime = 0, stime = 0, starttime = 0;
        if (std::sscanf(stat.c_str() + close + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d %llu",
                        &utime, &stime, &starttime) == 3) {
            stats.cpu_seconds = static_cast<double>(utime + stime) / ticks;
            // /proc/stat is hidden under systemd's ProcSubset=pid: then the time is not known.
            const double booted = boot_time();
            if (booted > 0) stats.start_time_seconds = booted + static_cast<double>(starttime) / ticks;
        }
    }
    // /proc/self/statm: size resident ... in pages.
    const std::string statm = read_head("/proc/self/statm", 256);
    unsigned long long size = 0, resident = 0;
    if (std::sscanf(statm.c_str(), "%llu %llu", &size, &resident) == 2) {
        stats.resident_bytes = resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
    }
    stats.open_fds = count_open_fds();
    return stats;
}

}  // namespace hitwatch::os
