// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE package
// The .deb that `cpack -G DEB` made (the package_deb test runs it first): its files, its
// dependencies, its conffiles, and its unit as `systemd-analyze verify` sees it.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "process.h"

namespace fs = std::filesystem;
using test::run;

namespace {

std::string the_deb() {
    for (const auto& entry : fs::directory_iterator(PACKAGE_DIR)) {
        if (entry.path().extension() == ".deb") return entry.path();
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(holds_the_daemon_config_unit_man_page_and_logrotate_snippet) {
    const std::string deb = the_deb();
    BOOST_TEST_REQUIRE(!deb.empty(), "no .deb in " PACKAGE_DIR);
    const auto listing = run({"/usr/bin/dpkg-deb", "-c", deb});
    BOOST_TEST_REQUIRE(listing.exit_code == 0, listing.err);
    for (const char* path : {"./usr/sbin/hitwatchd", "./etc/hitwatch/hitwatch.conf", "./etc/logrotate.d/hitwatch",
                             "./usr/lib/systemd/system/hitwatch.service", "./usr/share/man/man8/hitwatchd.8.gz"}) {
        BOOST_TEST(listing.out.find(std::string(path) + "\n") != std::string::npos, path);
    }
    BOOST_TEST(listing.out.find("rwxr-xr-x root/root") != std::string::npos);

    const auto depends = run({"/usr/bin/dpkg-deb", "-f", deb, "Depends"});
    for (const char* library : {"libboost-json1.81.0", "libboost-log1.81.0", "libboost-program-options1.81.0"}) {
        BOOST_TEST(depends.out.find(library) != std::string::npos, depends.out);
    }
    test::TempDir dir;
    BOOST_TEST_REQUIRE(run({"/usr/bin/dpkg-deb", "-e", deb, dir.file("control")}).exit_code == 0);
    BOOST_TEST(test::read_file(dir.file("control/conffiles")) == "/etc/hitwatch/hitwatch.conf\n/etc/logrotate.d/hitwatch\n");
}

BOOST_AUTO_TEST_CASE(its_unit_passes_systemd_analyze_verify) {
    const std::string deb = the_deb();
    BOOST_TEST_REQUIRE(!deb.empty());
    test::TempDir dir;
    BOOST_TEST_REQUIRE(run({"/usr/bin/dpkg-deb", "-x", deb, dir.path()}).exit_code == 0);
    const std::string unit = dir.file("usr/lib/systemd/system/hitwatch.service");
    const std::string text = test::read_file(unit);
    BOOST_TEST(text.find("Type=notify") != std::string::npos);
    BOOST_TEST(text.find("ExecReload=/bin/kill -HUP $MAINPID") != std::string::npos);
    BOOST_TEST(text.find("ExecStart=/usr/sbin/hitwatchd ") != std::string::npos);
    // verify runs the unit's binaries and man page as installed: point it at the extracted
    // ones (same paths, under the temp root).
    const std::string installed = "/usr/sbin/hitwatchd", extracted = dir.file("usr/sbin/hitwatchd");
    std::string local = text;
    for (size_t at = 0; (at = local.find(installed, at)) != std::string::npos; at += extracted.size()) {
        local.replace(at, installed.size(), extracted);
    }
    test::write_file(dir.file("hitwatch.service"), local);
    ::setenv("MANPATH", dir.file("usr/share/man").c_str(), 1);
    const auto verify = run({SYSTEMD_ANALYZE, "verify", dir.file("hitwatch.service")});
    ::unsetenv("MANPATH");
    BOOST_TEST(verify.exit_code == 0, verify.err);
    BOOST_TEST(verify.err.find("hitwatch.service") == std::string::npos, verify.err);
    const auto security = run({SYSTEMD_ANALYZE, "security", "--offline=true", dir.file("hitwatch.service")});
    const size_t at = security.out.find("Overall exposure level for hitwatch.service: ");
    BOOST_TEST_REQUIRE(at != std::string::npos, security.out + security.err);
    const double exposure = std::stod(security.out.substr(at + 46));
    BOOST_TEST(exposure <= 2.0, "exposure " << exposure);
}

BOOST_AUTO_TEST_CASE(its_unit_and_config_agree) {
    const std::string deb = the_deb();
    BOOST_TEST_REQUIRE(!deb.empty());
    test::TempDir dir;
    BOOST_TEST_REQUIRE(run({"/usr/bin/dpkg-deb", "-x", deb, dir.path()}).exit_code == 0);
    const std::string unit = test::read_file(dir.file("usr/lib/systemd/system/hitwatch.service"));
    const std::string config = test::read_file(dir.file("etc/hitwatch/hitwatch.conf"));
    const std::string logrotate = test::read_file(dir.file("etc/logrotate.d/hitwatch"));
    // Every setting from the config: nothing on the command line overrides it.
    BOOST_TEST(unit.find("\nExecStart=/usr/sbin/hitwatchd --config /etc/hitwatch/hitwatch.conf\n") != std::string::npos, unit);
    BOOST_TEST(unit.find("\nRestartPreventExitStatus=2\n") != std::string::npos);
    // The state file in the unit's StateDirectory, the report file in its LogsDirectory, and
    // logrotate rotating exactly that file.
    BOOST_TEST(unit.find("\nStateDirectory=hitwatch\n") != std::string::npos);
    BOOST_TEST(unit.find("\nLogsDirectory=hitwatch\n") != std::string::npos);
    const auto effective = run({dir.file("usr/sbin/hitwatchd"), "--check-config", "--config", dir.file("etc/hitwatch/hitwatch.conf")});
    BOOST_TEST(effective.exit_code == 0, effective.err);
    BOOST_TEST(config.find("\nreport-file = /var/log/hitwatch/reports.json\n") != std::string::npos);
    BOOST_TEST(config.find("\n# state-file = /var/lib/hitwatch/state.json\n") != std::string::npos);
    BOOST_TEST(logrotate.find("\n/var/log/hitwatch/reports.json {\n") != std::string::npos, logrotate);
    BOOST_TEST(config.find("\noutput = none\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(lints_clean_installs_checks_its_config_and_purges) {
    const std::string deb = the_deb();
    BOOST_TEST_REQUIRE(!deb.empty());
    // lintian: no error; the warnings left are the ones docs/operations.md explains.
    BOOST_TEST_REQUIRE(!std::string(LINTIAN).empty(), "lintian not found: apt-get install lintian");
    const auto lint = run({LINTIAN, "--no-tag-display-limit", deb});
    BOOST_TEST(lint.exit_code == 0, lint.out << lint.err);
    std::istringstream lines(lint.out);
    for (std::string line; std::getline(lines, line);) {
        BOOST_TEST(line.rfind("E: ", 0) != 0u, line);
        if (line.rfind("W: ", 0) == 0) BOOST_TEST(line.find("initial-upload-closes-no-bugs") != std::string::npos, "a warning docs/operations.md does not explain: " << line);
    }
    const auto fields = run({"/usr/bin/dpkg-deb", "-f", deb, "Maintainer", "Description", "Version"});
    BOOST_TEST(fields.out.find("Maintainer: hitwatch developers <hitwatch-devel@lists.hitwatch.example>\n") !=
                   std::string::npos, fields.out);

    // Installed into a scratch root: dpkg runs the maintainer scripts there (DPKG_ROOT), so the
    // service is enabled in that root and nothing on this machine changes.
    test::TempDir root;
    const std::string admin = root.file("var/lib/dpkg");
    std::filesystem::create_directories(admin + "/info");
    std::filesystem::create_directories(admin + "/updates");
    test::write_file(admin + "/status", "");
    test::write_file(admin + "/available", "");
    const std::vector<std::string> dpkg = {"/usr/bin/dpkg", "--instdir=" + root.path(), "--admindir=" + admin,
                                           "--force-script-chrootless", "--force-depends"};
    auto with = [&](std::vector<std::string> more) {
        std::vector<std::string> argv = dpkg;
        argv.insert(argv.end(), more.begin(), more.end());
        return run(argv);
    };
    const auto install = with({"-i", deb});
    BOOST_TEST_REQUIRE(install.exit_code == 0, install.out << install.err);
    // (A link to /lib/systemd/system/hitwatch.service as the root will see it.)
    BOOST_TEST(fs::is_symlink(root.file("etc/systemd/system/multi-user.target.wants/hitwatch.service")), "not enabled: " << install.out << install.err);
    const auto binary = root.file("usr/sbin/hitwatchd");
    const auto strip_check = run({"/usr/bin/objdump", "-h", binary});
    BOOST_TEST(strip_check.out.find(".debug_info") == std::string::npos, "unstripped");
    BOOST_TEST(fs::exists(root.file("usr/share/man/man8/hitwatchd.8.gz")));
    BOOST_TEST(fs::exists(root.file("usr/share/doc/hitwatch/copyright")));
    BOOST_TEST(fs::exists(root.file("usr/share/doc/hitwatch/changelog.Debian.gz")));
    BOOST_TEST(fs::exists(root.file("usr/share/doc/hitwatch/changelog.gz")));  // CHANGELOG.md
    const std::string copyright = test::read_file(root.file("usr/share/doc/hitwatch/copyright"));
    BOOST_TEST(copyright.find("\nLicense: Apache-2.0\n") != std::string::npos, copyright);
    BOOST_TEST(copyright.find("Upstream-Contact: hitwatch developers <hitwatch-devel@lists.hitwatch.example>\n") !=
                   std::string::npos, copyright);
    // The version the package says is the one the binary says ("hitwatchd 1.0.0 (...)").
    const auto version = run({binary, "--version"});
    BOOST_TEST_REQUIRE(version.out.rfind("hitwatchd ", 0) == 0u, version.out);
    const std::string said = version.out.substr(10, version.out.find_first_of(" \n", 10) - 10);
    BOOST_TEST(said == HITWATCH_VERSION);
    const auto man = run({"/bin/sh", "-c", "gzip -dc " + root.file("usr/share/man/man8/hitwatchd.8.gz") + " | head -n 1"});
    BOOST_TEST(man.out.find("\"hitwatch " + said + "\"") != std::string::npos, man.out);
    const auto status = with({"-s", "hitwatch"});
    BOOST_TEST(status.out.find("\nVersion: " + said + "-1\n") != std::string::npos, status.out);
    const auto check = run({binary, "--check-config", "--config", root.file("etc/hitwatch/hitwatch.conf")});
    BOOST_TEST(check.exit_code == 0, check.err);
    // OK; and warnings only, such as its Apache log not being on this machine.
    BOOST_TEST(check.out.rfind(root.file("etc/hitwatch/hitwatch.conf") + ": configuration OK\n", 0) == 0u, check.out);
    BOOST_TEST(std::regex_match(check.out.substr(check.out.find('\n') + 1), std::regex("((warning: |log )[^\n]*\n)*")),
               check.out);

    // What the daemon leaves: purged with the package.
    fs::create_directories(root.file("var/lib/hitwatch"));
    test::write_file(root.file("var/lib/hitwatch/state.json"), "{}");
    const auto purge = with({"--purge", "hitwatch"});
    BOOST_TEST(purge.exit_code == 0, purge.out << purge.err);
    for (const char* gone : {"usr/sbin/hitwatchd", "etc/hitwatch/hitwatch.conf", "var/lib/hitwatch",
                             "etc/systemd/system/multi-user.target.wants/hitwatch.service"}) {
        BOOST_TEST(!fs::exists(fs::symlink_status(root.file(gone))), gone);
    }
}
