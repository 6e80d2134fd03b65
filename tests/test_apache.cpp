// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE apache
// In front of a real Apache httpd (Debian's), run with its own config in a temp dir and driven
// by ab: it logs as Debian's apache2.conf has it, each request to access.log (combined) and to
// other_vhosts_access.log (vhost_combined) in one directory, and access.log is followed live
// while it is rotated as logrotate's apache2 file does it (renamed, then a graceful restart).
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "live_daemon.h"
#include "process.h"

using namespace std::chrono_literals;

namespace {

std::string apache_conf(const test::TempDir& dir, int port) {
    const std::string d = dir.file("");
    std::ostringstream c;
    c << "ServerRoot " << d << "\n"
      << "ServerName shop.example\n"
      << "Listen 127.0.0.1:" << port << "\n"
      << "PidFile " << d << "apache2.pid\n"
      << "User nobody\nGroup nogroup\n"  // (only when started as root)
      << "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n"
      << "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\n"
      << "LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so\n"
      << "TypesConfig /etc/mime.types\n"
      << "DocumentRoot " << d << "www\n"
      << "<Directory " << d << "www>\n  Require all granted\n</Directory>\n"
      << "ErrorLog " << d << "logs/error.log\n"
      // Debian's apache2.conf, word for word.
      << "LogFormat \"%v:%p %h %l %u %t \\\"%r\\\" %>s %O \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\"\" vhost_combined\n"
      << "LogFormat \"%h %l %u %t \\\"%r\\\" %>s %O \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\"\" combined\n"
      << "CustomLog " << d << "logs/access.log combined\n"
      << "CustomLog " << d << "logs/other_vhosts_access.log vhost_combined\n";
    return c.str();
}

void ab(int port, int requests, const std::string& path) {
    const auto r = test::run({AB, "-q", "-n", std::to_string(requests), "-c", "8",
                              "http://127.0.0.1:" + std::to_string(port) + path});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.out << r.err);
}

// The voluntary context switches of process `pid` so far: each time its event loop waited and
// something woke it.
long wake_ups(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("voluntary_ctxt_switches:", 0) == 0) return std::stol(line.substr(24));
    }
    return -1;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_request_of_a_real_apache_is_counted_through_a_graceful_rotation) {
    BOOST_TEST_REQUIRE(std::string(APACHE2).find("not-found") == std::string::npos, "apt-get install apache2");
    BOOST_TEST_REQUIRE(std::string(AB).find("not-found") == std::string::npos, "apt-get install apache2-utils");
    test::TempDir dir;
    // Apache's children run as nobody when the test is root: the site must be theirs to read.
    std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                 std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                                 std::filesystem::perms::others_exec);
    std::filesystem::create_directories(dir.file("www/shop"));
    std::filesystem::create_directories(dir.file("logs"));
    test::write_file(dir.file("www/shop/item.html"), "an item\n");
    const int port = test::free_port();
    test::write_file(dir.file("apache2.conf"), apache_conf(dir, port));
    test::Background apache({APACHE2, "-f", dir.file("apache2.conf"), "-DFOREGROUND"}, dir.file("apache.out"),
                            dir.file("apache.err"));
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(port); }, 10s),
                       test::FileWhenPrinted{dir.file("logs/error.log")});
    const std::string log = dir.file("logs/access.log");

    test::Daemon daemon(dir, {log});
    // And one following a log in the same directory that nothing writes (one vhost's of
    // several): the others' writes were read as they came, each a wake-up.
    test::DaemonOptions quietly;
    quietly.out = dir.file("quiet.json");
    quietly.state_file = dir.file("quiet-state.json");
    test::Daemon quiet(dir, {dir.file("logs/quiet.log")}, quietly);
    const long before = wake_ups(daemon.pid());
    const long quiet_before = wake_ups(quiet.pid());
    ab(port, 10000, "/shop/item.html");
    ab(port, 1000, "/missing/page");
    const long woken = wake_ups(daemon.pid()) - before;
    const long quiet_woken = wake_ups(quiet.pid()) - quiet_before;
    // Each request is a write(2) to each log: two files whose events do not merge. The loop
    // woke for each write it did not read at once (6,674 and 7,788 times for these 11,000
    // requests), and now about 50 times a second (45, 46).
    BOOST_TEST_MESSAGE(woken << " wake-ups of hitwatchd for 11,000 requests");
    BOOST_TEST(woken < 2000);
    // Before writes were watched on the logs' own files: 6,700 and 6,740; now 8 and 10.
    BOOST_TEST_MESSAGE(quiet_woken << " wake-ups of hitwatchd following a quiet log beside them");
    BOOST_TEST(quiet_woken < 500);
    BOOST_TEST(quiet.stop() == 0);
    BOOST_TEST(daemon.settle_at(11000, 30s) == 11000, daemon.said());

    // logrotate's apache2: the log renamed, then `apache2ctl graceful` (SIGUSR1): children
    // finish their requests, still writing to the renamed file, and the new ones open anew.
    std::filesystem::rename(log, log + ".1");
    apache.signal(SIGUSR1);
    ab(port, 5000, "/shop/item.html");
    BOOST_TEST_REQUIRE(test::wait_for([&] { return std::filesystem::exists(log); }, 10s));
    const long written = test::lines_in(log) + test::lines_in(log + ".1");
    BOOST_TEST(written == 16000);
    BOOST_TEST(daemon.settle_at(written, 30s) == written, daemon.said());
    BOOST_TEST(daemon.seen().invalid == 0);
    BOOST_TEST(daemon.seen().rotations >= 1);
    BOOST_TEST(daemon.stop() == 0);
    apache.signal(SIGWINCH);  // a graceful stop
    BOOST_TEST(apache.wait() == 0);
}
