// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE merged_replay
// Which files of a replay are one log's rotations, read one after another, and which are logs
// written side by side, merged in time order: by the names logrotate, rotatelogs and cronolog
// give rotated files.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "merged_replay.h"

using hitwatchd::rotated_log_name;

BOOST_AUTO_TEST_CASE(a_rotated_files_name_is_its_logs) {
    for (const char* name : {"access.log", "access.log.1", "access.log.2.gz", "access.log.10.gz", "access.log.3.bz2",
                             "access.log.4.xz", "access.log.5.zst", "access.log-20261205", "access.log-20261205.gz",
                             "access.log-2026120512", "access.log.2026-12-05", "access.log-2026-12-05.gz",
                             "access.log_2026-12-05", "access.log.1700000000", "access-20261205.log",
                             "access-20261205.log.gz", "access.2026-12-05.log",
                             "access.log-20261205-1764921600", "access.log-20261205-1764921600.gz"}) {
        BOOST_TEST(rotated_log_name(std::string("/var/log/nginx/") + name) == "/var/log/nginx/access.log", name);
    }
    BOOST_TEST(rotated_log_name("access_log.1700000000") == "access_log");  // rotatelogs, no directory
    // rotatelogs' patterns as its manual gives them: .%Y.%m.%d and .%Y-%m-%d-%H_%M_%S.
    BOOST_TEST(rotated_log_name("logs/access_log.2026.12.05") == "logs/access_log");
    BOOST_TEST(rotated_log_name("logs/access_log.2026-12-05-09_40_00") == "logs/access_log");
    BOOST_TEST(rotated_log_name("logs/access_log.20261205T094000") == "logs/access_log");
    BOOST_TEST(rotated_log_name("web1/access.log.1") == "web1/access.log");
}

BOOST_AUTO_TEST_CASE(names_that_are_not_a_rotations_stay_apart) {
    // Two servers' logs of one name in two directories; two sites; a number that is part of the name.
    BOOST_TEST(rotated_log_name("web1/access.log") != rotated_log_name("web2/access.log"));
    BOOST_TEST(rotated_log_name("shop.log") != rotated_log_name("blog.log"));
    BOOST_TEST(rotated_log_name("web-01.log") == "web-01.log");
    BOOST_TEST(rotated_log_name("web-01.log") != rotated_log_name("web-02.log"));
    BOOST_TEST(rotated_log_name("site2.log") == "site2.log");
    BOOST_TEST(rotated_log_name("access.log.bak") == "access.log.bak");
    BOOST_TEST(rotated_log_name("access.log.2-old") == "access.log.2-old");
    BOOST_TEST(rotated_log_name("access.log.12-34") == "access.log.12-34");
    BOOST_TEST(rotated_log_name(".gz") == ".gz");
    BOOST_TEST(rotated_log_name("/var/log/.1") == "/var/log/.1");
}

BOOST_AUTO_TEST_CASE(files_are_grouped_by_their_log_in_the_order_given) {
    const auto logs = hitwatchd::logs_of({{"/nowhere/web2.log.1.gz", {}, {}},
                                          {"/nowhere/web1.log.1", {}, {}},
                                          {"/nowhere/web2.log", {}, {}},
                                          {"/nowhere/web1.log", {}, {}}});
    BOOST_TEST_REQUIRE(logs.size() == 2u);
    BOOST_TEST(logs[0].size() == 2u);
    BOOST_TEST(logs[0][0].path == "/nowhere/web2.log.1.gz");
    BOOST_TEST(logs[0][1].path == "/nowhere/web2.log");
    BOOST_TEST(logs[1][1].path == "/nowhere/web1.log");
    // Named by other paths to one directory.
    BOOST_TEST(hitwatchd::logs_of({{"/nowhere/../nowhere/web1.log", {}, {}}, {"/nowhere/./web1.log.1", {}, {}}}).size() ==
               1u);
    // Standard input, or a pipe, among them: the order given is the only one, one log.
    BOOST_TEST(hitwatchd::logs_of({{"/nowhere/web1.log", {}, {}}, {"-", {}, {}}}).size() == 1u);
    BOOST_TEST(hitwatchd::logs_of({{"/nowhere/web1.log", {}, {}}, {"/dev/null", {}, {}}}).size() == 1u);
}
