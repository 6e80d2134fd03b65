// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE layers
// The layers of lib/ as the folders say: the core makes no system call and reads no clock,
// and every layer includes only the layers it may know (arrows point inward).
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kLib = SOURCE_DIR "/lib";

// What each layer may include from lib/, besides itself.
const std::map<std::string, std::set<std::string>> kMayInclude = {
    {"core", {}},
    {"format", {"core"}},
    {"os", {}},
    {"tail", {"core", "os"}},
    {"state", {"core", "tail", "os"}},
};

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<fs::path> sources_of(const std::string& layer) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(kLib / layer)) files.push_back(entry.path());
    return files;
}

// The forbidden things a core file contains, one message each.
std::vector<std::string> impurities(const std::string& text) {
    static const std::vector<std::pair<std::regex, std::string>> forbidden = {
        {std::regex(R"(#include\s*<unistd\.h>)"), "includes unistd.h"},
        {std::regex(R"(#include\s*<fcntl\.h>)"), "includes fcntl.h"},
        {std::regex(R"(#include\s*<sys/)"), "includes a sys/ header"},
        {std::regex(R"(#include\s*<fstream>)"), "includes fstream"},
        {std::regex(R"(#include\s*<boost/asio)"), "includes Asio"},
        {std::regex(R"(::now\s*\()"), "reads a clock (::now())"},
        {std::regex(R"(\bthread_local\b)"), "keeps thread_local state"},
    };
    std::vector<std::string> found;
    for (const auto& [pattern, what] : forbidden) {
        if (std::regex_search(text, pattern)) found.push_back(what);
    }
    return found;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_core_makes_no_system_call_and_reads_no_clock) {
    const auto files = sources_of("core");
    BOOST_TEST_REQUIRE(files.size() >= 10u);
    for (const auto& file : files) {
        for (const auto& what : impurities(read(file))) BOOST_ERROR(file.filename().string() << " " << what);
    }
}

BOOST_AUTO_TEST_CASE(the_check_itself_sees_each_kind_of_impurity) {
    for (const char* text : {"#include <unistd.h>", "#include <fcntl.h>", "#include <sys/stat.h>",
                             "#include <fstream>", "#include <boost/asio/io_context.hpp>",
                             "auto t = std::chrono::system_clock::now();", "thread_local int memo;"}) {
        BOOST_TEST(impurities(text).size() == 1u, text);
    }
    BOOST_TEST(impurities("#include <cstdint>\nstd::string_view now_or_later;").empty());
}

BOOST_AUTO_TEST_CASE(each_layer_includes_only_the_layers_inside_it) {
    const std::regex include(R"(#include\s*"([a-z_]+)/[^"]+")");
    for (const auto& [layer, allowed] : kMayInclude) {
        for (const auto& file : sources_of(layer)) {
            const std::string text = read(file);
            for (auto it = std::sregex_iterator(text.begin(), text.end(), include); it != std::sregex_iterator(); ++it) {
                const std::string target = (*it)[1];
                BOOST_TEST((target == layer || allowed.count(target) == 1),
                           layer << "/" << file.filename().string() << " includes " << (*it)[0]);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(every_folder_of_lib_is_a_known_layer) {
    for (const auto& entry : fs::directory_iterator(kLib)) {
        if (entry.is_directory()) BOOST_TEST(kMayInclude.count(entry.path().filename().string()) == 1u, entry.path());
    }
}

namespace {

const fs::path kDaemon = SOURCE_DIR "/daemon";

// What each folder of daemon/ may include from daemon/ and lib/, besides itself and the
// shared headers at the top of daemon/ (logging, the rate limiter, the log view, the wall
// clock); the composition at the top (live, replay, sd_notify, main) may include them all.
const std::map<std::string, std::set<std::string>> kShellMayInclude = {
    {"config", {"core", "format", "os"}},
    {"follow", {"config", "core", "format", "os", "tail", "state"}},
    {"sinks", {"config", "core", "format", "os"}},
    {"http", {"config", "core", "format", "os"}},
};
const std::set<std::string> kComposition = {"live.h", "replay.h", "sd_notify.h"};

}  // namespace

BOOST_AUTO_TEST_CASE(each_part_of_the_shell_includes_only_what_it_may_know) {
    // Sinks and HTTP never reach into following; the options know nothing of the rest.
    const std::regex include(R"re(#include\s*"(([a-z_]+)/)?([a-z_]+\.h)")re");
    for (const auto& [folder, allowed] : kShellMayInclude) {
        size_t files = 0;
        for (const auto& entry : fs::directory_iterator(kDaemon / folder)) {
            ++files;
            const std::string text = read(entry.path());
            for (auto it = std::sregex_iterator(text.begin(), text.end(), include); it != std::sregex_iterator(); ++it) {
                const std::string target = (*it)[2], header = (*it)[3];
                const bool ok = target.empty() ? kComposition.count(header) == 0 : target == folder || allowed.count(target) == 1;
                BOOST_TEST(ok, folder << "/" << entry.path().filename().string() << " includes " << (*it)[0]);
            }
        }
        BOOST_TEST(files >= 3u, folder);
    }
    for (const auto& entry : fs::directory_iterator(kDaemon)) {
        if (entry.is_directory()) BOOST_TEST(kShellMayInclude.count(entry.path().filename().string()) == 1u, entry.path());
    }
}

BOOST_AUTO_TEST_CASE(every_cpp_and_cmake_file_names_its_licence_in_its_first_lines) {
    // Apache-2.0 (LICENSE): SPDX-License-Identifier in the first three lines of each C++
    // source and CMake file (generated files and test data aside: they are not under these).
    const fs::path root = SOURCE_DIR;
    size_t checked = 0;
    for (const char* top : {"lib", "daemon", "tests", "bench", "CMakeLists.txt"}) {
        const fs::path start = root / top;
        std::vector<fs::path> files;
        if (fs::is_regular_file(start)) files.push_back(start);
        else
            for (const auto& entry : fs::recursive_directory_iterator(start)) files.push_back(entry.path());
        for (const fs::path& file : files) {
            const std::string name = file.filename().string();
            const bool cpp = file.extension() == ".cpp" || file.extension() == ".h" || name.ends_with(".cpp.in");
            if (!cpp && name != "CMakeLists.txt" && file.extension() != ".cmake") continue;
            std::istringstream text(read(file));
            std::string head, line;
            for (int i = 0; i < 3 && std::getline(text, line); ++i) head += line + "\n";
            BOOST_TEST(head.find("SPDX-License-Identifier: Apache-2.0") != std::string::npos, file.string());
            ++checked;
        }
    }
    BOOST_TEST(checked > 200u);
}
