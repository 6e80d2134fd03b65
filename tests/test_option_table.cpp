// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE option_table
// The one options table, and what comes from it.
#include "config/option_table.h"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <set>
#include <sstream>

using namespace hitwatchd;

namespace {

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Parses a command line, as main does; the usage error's text, or "" if there is none.
std::string usage_error(std::vector<std::string> args) {
    args.insert(args.begin(), "hitwatchd");
    args.push_back("--config");
    args.push_back("/dev/null");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    try {
        parse_command_line(static_cast<int>(argv.size()), argv.data());
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

const char* const kBegin = "<!-- options table: generated from daemon/option_table.cpp, checked by tests/test_option_table.cpp -->\n";
const char* const kEnd = "<!-- end of the options table -->";

}  // namespace

BOOST_AUTO_TEST_CASE(the_docs_table_is_the_one_the_options_table_makes) {
    const std::string docs = read(SOURCE_DIR "/docs/configuration.md");
    const size_t begin = docs.find(kBegin), end = docs.find(kEnd);
    BOOST_TEST_REQUIRE(begin != std::string::npos);
    BOOST_TEST_REQUIRE(end != std::string::npos);
    const std::string shown = docs.substr(begin + std::string(kBegin).size(), end - begin - std::string(kBegin).size());
    BOOST_TEST(shown == options_markdown(), "docs/configuration.md should hold, between its markers:\n" << options_markdown());
}

BOOST_AUTO_TEST_CASE(the_man_page_names_every_option) {
    const std::string man = read(SOURCE_DIR "/docs/hitwatchd.8");
    for (const auto& spec : option_table()) {
        std::string roff = "\\-\\-";  // troff writes "--name" as "\-\-name"
        for (const char c : spec.name) roff += c == '-' ? std::string("\\-") : std::string(1, c);
        BOOST_TEST(man.find(roff) != std::string::npos, "docs/hitwatchd.8 does not name --" << spec.name);
    }
}

BOOST_AUTO_TEST_CASE(every_option_is_declared_once_and_its_default_passes_its_own_check) {
    std::set<std::string> names, keys;
    for (const auto& spec : option_table()) {
        BOOST_TEST(names.insert(spec.name).second, spec.name);
        if (!spec.key.empty()) BOOST_TEST(keys.insert(spec.key).second, spec.key);
        BOOST_TEST(!spec.help.empty(), spec.name);
        BOOST_TEST_REQUIRE(static_cast<bool>(spec.set), spec.name);
        BOOST_TEST_REQUIRE(static_cast<bool>(spec.get), spec.name);
        Options o;
        if (!spec.default_value.empty()) {
            BOOST_TEST(spec.set(o, spec.default_value).empty(), spec.name);
            if (spec.kind != OptionSpec::Kind::list && !spec.key.empty()) BOOST_TEST(spec.get(o) == spec.default_value, spec.name);
        }
    }
}

BOOST_AUTO_TEST_CASE(absurd_values_are_usage_errors_that_give_the_allowed_range) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--alert-window", "2000000000"}, "--alert-window must be a whole number from 1 to 86400, not '2000000000'"},
        {{"--max-line", "1e12"}, "--max-line must be a whole number from 256 to 16777216, not '1e12'"},
        {{"--max-line", "18446744073709551615"}, "--max-line must be a whole number from 256 to 16777216"},
        {{"--top", "-1"}, "--top must be a whole number from 0 to 10000, not '-1'"},
        {{"--interval", "10s"}, "--interval must be a whole number from 1 to 86400, not '10s'"},
        {{"--alert-threshold", "nan"}, "--alert-threshold must be a number from 0 to 1e+09, not 'nan'"},
        {{"--alert-margin", "-3"}, "--alert-margin must be a number from 0 to 1e+12, not '-3'"},
        {{"--statsd-max-packet", "70000"}, "--statsd-max-packet must be a whole number from 64 to 65000"},
        {{"--watch", "fanotify"}, "--watch must be one of inotify, poll, not 'fanotify'"},
        {{"--syslog-facility", "local9"}, "--syslog-facility must be a syslog facility"},
    };
    for (const auto& [args, message] : cases) {
        std::vector<std::string> all = args;
        all.insert(all.end(), {"--replay", "-"});
        BOOST_TEST(usage_error(all).find(message) == 0u, args[0] << " -> " << usage_error(all));
    }
    BOOST_TEST(usage_error({"--replay", "-", "--top", "0", "--max-line", "16777216"}).empty());
}

BOOST_AUTO_TEST_CASE(a_reload_names_each_changed_option_it_cannot_apply) {
    Options running, fresh;
    for (const auto& spec : option_table()) {
        if (!spec.default_value.empty()) {
            spec.set(running, spec.default_value);
            spec.set(fresh, spec.default_value);
        }
    }
    BOOST_TEST(changes_needing_restart(running, fresh).empty());
    find_option("output")->set(fresh, "text");
    find_option("watch")->set(fresh, "poll");
    find_option("top")->set(fresh, "3");  // applied by a reload
    BOOST_TEST(changes_needing_restart(running, fresh) == (std::vector<std::string>{"watch", "output"}));
}

BOOST_AUTO_TEST_CASE(a_reload_keeps_every_option_it_cannot_apply_at_its_running_value) {
    // Before: four were kept by hand; http, http-max-connections, http-idle-timeout and
    // metrics-sections were replaced though a reload does not apply them, so /status named
    // an address nobody listened on and a second reload warned nothing.
    Options running, fresh;
    for (const auto& spec : option_table()) {
        if (!spec.default_value.empty()) {
            spec.set(running, spec.default_value);
            spec.set(fresh, spec.default_value);
        }
    }
    const std::vector<std::pair<std::string, std::string>> changed = {
        {"http", "127.0.0.1:18191"}, {"http-max-connections", "9"}, {"http-idle-timeout", "7"}, {"metrics-sections", "5"},
        {"state-file", "/tmp/other.json"}, {"watch", "poll"}, {"output", "text"}, {"max-line", "4096"}, {"top", "3"}};
    for (const auto& [name, value] : changed) BOOST_TEST(find_option(name)->set(fresh, value).empty(), name);
    const std::vector<std::string> named = changes_needing_restart(running, fresh);
    keep_what_needs_a_restart(running, fresh);
    for (const auto& spec : option_table()) {
        if (spec.key.empty()) continue;
        if (!spec.reloadable) {
            BOOST_TEST_REQUIRE(static_cast<bool>(spec.keep), spec.name);
            BOOST_TEST(spec.get(fresh) == spec.get(running), spec.name);
        }
    }
    BOOST_TEST(named.size() == 8u);  // all but top
    BOOST_TEST(fresh.monitor.top == 3u);  // applied
    BOOST_TEST(changes_needing_restart(running, fresh).empty());
}
