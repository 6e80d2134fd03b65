// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE cpu_quota
// The CPUs a cgroup quota allows, read from cgroup trees laid out as v2 and v1 lay them out.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "os/cpu_quota.h"

namespace fs = std::filesystem;
using hitwatch::os::cgroup_cpu_limit;

namespace {

struct Tree {
    std::string root;
    Tree() {
        std::string pattern = (fs::temp_directory_path() / "hitwatch-cgroup-XXXXXX").string();
        root = ::mkdtemp(pattern.data());
    }
    ~Tree() { fs::remove_all(root); }
    void write(const std::string& path, const std::string& text) const {
        fs::create_directories(fs::path(root + path).parent_path());
        std::ofstream(root + path) << text;
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(cgroup_v2_quotas_of_the_cgroup_and_those_above_it) {
    Tree t;
    BOOST_TEST(!cgroup_cpu_limit("0::/a/b\n", t.root).has_value());  // no file: no quota
    t.write("/a/b/cpu.max", "max 100000\n");
    BOOST_TEST(!cgroup_cpu_limit("0::/a/b\n", t.root).has_value());
    t.write("/a/b/cpu.max", "150000 100000\n");  // 1.5 CPUs: 2 threads get work
    BOOST_TEST(cgroup_cpu_limit("0::/a/b\n", t.root).value() == 2u);
    t.write("/a/cpu.max", "100000 100000\n");  // the parent's is smaller
    BOOST_TEST(cgroup_cpu_limit("0::/a/b\n", t.root).value() == 1u);
    t.write("/a/cpu.max", "10000 100000\n");  // a tenth of a CPU is still one thread
    BOOST_TEST(cgroup_cpu_limit("0::/a/b\n", t.root).value() == 1u);
}

BOOST_AUTO_TEST_CASE(a_container_sees_its_own_cgroup_at_the_top) {
    Tree t;
    t.write("/cpu.max", "400000 100000\n");  // docker --cpus 4, its own cgroup namespace
    BOOST_TEST(cgroup_cpu_limit("0::/\n", t.root).value() == 4u);
    Tree v1;  // v1: the path of the host's hierarchy, the container's cgroup mounted at the top
    v1.write("/cpu,cpuacct/cpu.cfs_quota_us", "300000\n");
    v1.write("/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
    BOOST_TEST(cgroup_cpu_limit("5:cpu,cpuacct:/docker/0123abcd\n4:memory:/docker/0123abcd\n", v1.root).value() == 3u);
}

BOOST_AUTO_TEST_CASE(cgroup_v1_quotas_and_none) {
    Tree t;
    const std::string self = "12:pids:/x\n3:cpu:/kubepods/pod1\n2:cpuacct:/kubepods/pod1\n0::/\n";
    t.write("/cpu/kubepods/pod1/cpu.cfs_quota_us", "-1\n");  // v1's "no quota"
    t.write("/cpu/kubepods/pod1/cpu.cfs_period_us", "100000\n");
    BOOST_TEST(!cgroup_cpu_limit(self, t.root).has_value());
    t.write("/cpu/kubepods/pod1/cpu.cfs_quota_us", "250000\n");
    BOOST_TEST(cgroup_cpu_limit(self, t.root).value() == 3u);
    t.write("/cpu/kubepods/pod1/cpu.cfs_quota_us", "a lot\n");  // not a number: none
    BOOST_TEST(!cgroup_cpu_limit(self, t.root).has_value());
    BOOST_TEST(!cgroup_cpu_limit("", t.root).has_value());
    BOOST_TEST(!cgroup_cpu_limit("garbage\n", t.root).has_value());
}
