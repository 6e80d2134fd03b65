#define BOOST_TEST_MODULE package
// The .deb that `cpack -G DEB` made (the package_deb test runs it first): its files, its
// dependencies, its conffiles, and its unit as `systemd-analyze verify` sees it.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

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
                             "./usr/lib/systemd/system/hitwatch.service", "./usr/share/man/man8/hitwatchd.8"}) {
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
