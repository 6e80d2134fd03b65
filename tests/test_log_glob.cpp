// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE log_glob
// Globs in a log's file name: what they match, and what the logrotate defaults leave out.
#include "os/log_glob.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace hitwatch;

namespace {

struct Scratch {
    Scratch() {
        char pattern[] = "/tmp/hitwatch-glob-XXXXXX";
        dir = ::mkdtemp(pattern);
    }
    ~Scratch() { fs::remove_all(dir); }
    void touch(const std::string& name) const { std::ofstream(dir + "/" + name) << "x\n"; }
    std::string dir;
};

}  // namespace

BOOST_AUTO_TEST_CASE(only_wildcards_in_the_file_name_make_a_glob) {
    BOOST_TEST(is_glob("/var/log/nginx/*.log"));
    BOOST_TEST(is_glob("/var/log/app?.log"));
    BOOST_TEST(is_glob("/var/log/app[12].log"));
    BOOST_TEST(!is_glob("/var/log/nginx/access.log"));
    BOOST_TEST(!is_glob("/var/log/*/access.log"));
    BOOST_TEST(has_glob_directory("/var/log/*/access.log"));
    BOOST_TEST(!has_glob_directory("/var/log/nginx/*.log"));
}

BOOST_AUTO_TEST_CASE(the_default_excludes_leave_out_every_logrotate_name) {
    const std::string pattern = "/var/log/nginx/*";
    for (const char* rotated : {"access.log.1", "access.log.2.gz", "access.log.1.bz2", "access.log.3.xz",
                                "access.log.4.zst", "access.log-20261127", "access.log-20261127.gz",
                                "access.log-2026120801.backup"}) {
        BOOST_TEST(!glob_matches(pattern, std::string("/var/log/nginx/") + rotated, kDefaultExcludes), rotated);
    }
    for (const char* live : {"access.log", "error.log", "shop.example-access.log", "access.log-old", "v2.log"}) {
        BOOST_TEST(glob_matches(pattern, std::string("/var/log/nginx/") + live, kDefaultExcludes), live);
    }
    BOOST_TEST(glob_matches(pattern, "/var/log/nginx/access.log.1", {}));  // exclude = (nothing)
}

BOOST_AUTO_TEST_CASE(a_match_is_in_the_patterns_own_directory_and_hidden_files_need_a_dot) {
    BOOST_TEST(!glob_matches("/var/log/nginx/*.log", "/var/log/access.log", {}));
    BOOST_TEST(!glob_matches("/var/log/nginx/*.log", "/var/log/nginx/sub/access.log", {}));
    BOOST_TEST(!glob_matches("/var/log/nginx/*.log", "/var/log/nginx/.access.log", {}));
    BOOST_TEST(glob_matches("/var/log/nginx/.*.log", "/var/log/nginx/.access.log", {}));
    BOOST_TEST(glob_matches("/var/log/nginx/site-[ab].log", "/var/log/nginx/site-b.log", {}));
    BOOST_TEST(!glob_matches("/var/log/nginx/site-[ab].log", "/var/log/nginx/site-c.log", {}));
}

BOOST_AUTO_TEST_CASE(expanding_lists_matching_files_sorted_without_directories_or_excluded_names) {
    Scratch s;
    for (const char* name : {"b.log", "a.log", "a.log.1", "a.log-20261127", "notes.txt"}) s.touch(name);
    fs::create_directory(s.dir + "/dir.log");
    fs::create_symlink(s.dir + "/a.log", s.dir + "/link.log");
    fs::create_symlink(s.dir + "/nowhere", s.dir + "/dangling.log");  // a log to wait for
    const std::vector<std::string> expected = {s.dir + "/a.log", s.dir + "/b.log", s.dir + "/dangling.log",
                                               s.dir + "/link.log"};
    BOOST_TEST(expand_glob(s.dir + "/*.log", kDefaultExcludes) == expected, boost::test_tools::per_element());
    BOOST_TEST(expand_glob(s.dir + "/a.log*", kDefaultExcludes) == std::vector<std::string>{s.dir + "/a.log"},
               boost::test_tools::per_element());
    BOOST_TEST(expand_glob(s.dir + "/a.log*", {}).size() == 3u);
    BOOST_TEST(expand_glob(s.dir + "/missing/*.log", kDefaultExcludes).empty());
}

BOOST_AUTO_TEST_CASE(the_literal_prefix_ends_at_the_first_wildcard) {
    BOOST_TEST(literal_prefix("/var/log/nginx/access*.log") == "access");
    BOOST_TEST(literal_prefix("/var/log/nginx/*.log") == "");
    BOOST_TEST(literal_prefix("/var/log/nginx/access.log") == "access.log");
}
