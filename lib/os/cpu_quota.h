// SPDX-License-Identifier: Apache-2.0
#pragma once
// The CPUs a cgroup's CPU quota gives this process: `docker run --cpus 1` or a Kubernetes CPU
// limit on a 64-core host lets it run on 64 cores, but for one core's time in all. Threads
// beyond the quota only wait for the next period.
#include <optional>
#include <string>

namespace hitwatch::os {

// The quota of the process's cgroup and of each one above it, the smallest, as whole CPUs
// rounded up (at least 1); none when no cgroup sets one. `self_cgroup` is the text of
// /proc/self/cgroup; cgroup v2's cpu.max and v1's cpu.cfs_quota_us / cpu.cfs_period_us are read
// under `root` -- at the cgroup's path, or at the top of the hierarchy's mount, where a
// container sees its own cgroup.
std::optional<unsigned> cgroup_cpu_limit(const std::string& self_cgroup, const std::string& root = "/sys/fs/cgroup");

// The same for the running process.
std::optional<unsigned> cgroup_cpu_limit();

}  // namespace hitwatch::os
