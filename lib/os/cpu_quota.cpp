// SPDX-License-Identifier: Apache-2.0
#include "os/cpu_quota.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "os/posix_io.h"

namespace hitwatch::os {
namespace {

// A cgroup file's text: a few bytes (empty when it is not there).
std::string read_small(const std::string& path) { return read_head(path, 4096); }

std::optional<long long> number(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Whole CPUs for `quota` microseconds of every `period`: none for no quota.
std::optional<unsigned> cpus(std::optional<long long> quota, std::optional<long long> period) {
    if (!quota || !period || *quota <= 0 || *period <= 0) return std::nullopt;  // v1 says none with -1
    return static_cast<unsigned>(std::max(1LL, (*quota + *period - 1) / *period));
}

// The smaller of two limits, either of them none.
std::optional<unsigned> smaller(std::optional<unsigned> a, std::optional<unsigned> b) {
    return a && (!b || *a < *b) ? a : b;
}

// v2: "max 100000" or "150000 100000".
std::optional<unsigned> v2_limit(const std::string& dir) {
    const std::string text = read_small(dir + "/cpu.max");
    const auto space = text.find(' ');
    if (space == std::string::npos) return std::nullopt;
    return cpus(number(std::string_view(text).substr(0, space)), number(std::string_view(text).substr(space + 1)));
}

std::optional<unsigned> v1_limit(const std::string& dir) {
    return cpus(number(read_small(dir + "/cpu.cfs_quota_us")), number(read_small(dir + "/cpu.cfs_period_us")));
}

// The smallest limit of `path` and the cgroups above it, under `mount`, and at the mount's top.
template <typename Limit>
std::optional<unsigned> smallest(const std::string& mount, std::string path, Limit limit) {
    std::optional<unsigned> least;
    while (!path.empty() && path != "/") {
        least = smaller(least, limit(mount + path));
        path.erase(path.rfind('/'));
    }
    return smaller(least, limit(mount));
}

}  // namespace

std::optional<unsigned> cgroup_cpu_limit(const std::string& self_cgroup, const std::string& root) {
    std::optional<unsigned> least;
    std::string_view rest = self_cgroup;
    while (!rest.empty()) {
        // "0::/user.slice/x.scope" (v2), "4:cpu,cpuacct:/docker/abc" (v1)
        const std::string_view line = rest.substr(0, rest.find('\n'));
        rest.remove_prefix(std::min(rest.size(), line.size() + 1));
        const auto first = line.find(':');
        const auto second = first == std::string_view::npos ? first : line.find(':', first + 1);
        if (second == std::string_view::npos) continue;
        const std::string controllers(line.substr(first + 1, second - first - 1));
        const std::string path(line.substr(second + 1));
        if (line.substr(0, second + 1) == "0::") {
            least = smaller(least, smallest(root, path, v2_limit));
        } else if (std::string(",").append(controllers).append(",").find(",cpu,") != std::string::npos) {
            least = smaller(least, smallest(root + "/" + controllers, path, v1_limit));
        }
    }
    return least;
}

std::optional<unsigned> cgroup_cpu_limit() { return cgroup_cpu_limit(read_head("/proc/self/cgroup", 64 * 1024)); }

}  // namespace hitwatch::os
