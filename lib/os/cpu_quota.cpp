// SPDX-License-Identifier: Apache-2.0
#include "os/cpu_quota.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace hitwatch::os {
namespace {

std::optional<std::string> read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

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

// v2: "max 100000" or "150000 100000".
std::optional<unsigned> v2_limit(const std::string& dir) {
    const auto text = read_text(dir + "/cpu.max");
    if (!text) return std::nullopt;
    const auto space = text->find(' ');
    if (space == std::string::npos) return std::nullopt;
    return cpus(number(std::string_view(*text).substr(0, space)), number(std::string_view(*text).substr(space + 1)));
}

std::optional<unsigned> v1_limit(const std::string& dir) {
    const auto quota = read_text(dir + "/cpu.cfs_quota_us");
    const auto period = read_text(dir + "/cpu.cfs_period_us");
    if (!quota || !period) return std::nullopt;
    return cpus(number(*quota), number(*period));
}

// The smallest limit of `path` and the cgroups above it, under `mount`, and at the mount's top.
template <typename Limit>
std::optional<unsigned> smallest(const std::string& mount, std::string path, Limit limit) {
    std::optional<unsigned> least;
    const auto take = [&](std::optional<unsigned> found) {
        if (found && (!least || *found < *least)) least = found;
    };
    while (!path.empty() && path != "/") {
        take(limit(mount + path));
        path.erase(path.rfind('/'));
    }
    take(limit(mount));
    return least;
}

}  // namespace

std::optional<unsigned> cgroup_cpu_limit(const std::string& self_cgroup, const std::string& root) {
    std::optional<unsigned> least;
    std::istringstream lines(self_cgroup);
    for (std::string line; std::getline(lines, line);) {
        // "0::/user.slice/x.scope" (v2), "4:cpu,cpuacct:/docker/abc" (v1)
        const auto first = line.find(':');
        const auto second = first == std::string::npos ? first : line.find(':', first + 1);
        if (second == std::string::npos) continue;
        const std::string controllers = line.substr(first + 1, second - first - 1);
        const std::string path = line.substr(second + 1);
        std::optional<unsigned> found;
        if (line.compare(0, second + 1, "0::") == 0) {
            found = smallest(root, path, v2_limit);
        } else {
            std::vector<std::string> names;
            std::istringstream list(controllers);
            for (std::string name; std::getline(list, name, ',');) names.push_back(name);
            if (std::find(names.begin(), names.end(), "cpu") == names.end()) continue;
            found = smallest(root + "/" + controllers, path, v1_limit);
        }
        if (found && (!least || *found < *least)) least = found;
    }
    return least;
}

std::optional<unsigned> cgroup_cpu_limit() {
    const auto self = read_text("/proc/self/cgroup");
    return self ? cgroup_cpu_limit(*self) : std::nullopt;
}

}  // namespace hitwatch::os
