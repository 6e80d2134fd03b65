// SPDX-License-Identifier: Apache-2.0
#pragma once
// Every option, declared once: its command-line name, config key, kind, default, range,
// whether a reload applies it, its help, and how its value is read and shown. The command
// line and config parsers, --help, range checks, the reload's "needs a restart" warnings
// and the table in docs/configuration.md (checked by tests/test_option_table.cpp) all come
// from this table.
#include <functional>
#include <string>
#include <vector>

#include "config/options.h"

namespace hitwatchd {

struct OptionSpec {
    enum class Kind { flag, value, list };

    std::string name;        // on the command line: --name
    std::string key;         // in the config file: "interval", "alert.rule"; empty: command line only
    std::string group;       // where --help lists it: "General", "[alert]", ...
    Kind kind = Kind::value;
    std::string value_name;  // "S", "PATH", "json|text"
    std::string default_value;  // applied when the option is not given; empty: none
    std::string default_shown;  // the default as --help and the docs say it, if not default_value
    std::string help;
    bool reloadable = true;  // SIGHUP applies it in place; else it needs a restart
    // Checks a value and stores it: "" if it was good, else what was expected
    // ("must be a whole number from 1 to 86400"); the caller adds the option and the value.
    std::function<std::string(Options&, const std::string& value)> set;
    // The value in effect, as text (for --check-config, reloads and the status page).
    std::function<std::string(const Options&)> get;
    // Copies the value from `running` into `fresh`: what a reload does for an option it does
    // not apply (reloadable false).
    std::function<void(Options& fresh, const Options& running)> keep;

    std::string shown_default() const { return default_shown.empty() ? default_value : default_shown; }
};

const std::vector<OptionSpec>& option_table();

const OptionSpec* find_option(const std::string& name);

// The options whose values differ between two configurations and that a reload does not
// apply, by name.
std::vector<std::string> changes_needing_restart(const Options& running, const Options& fresh);
// A reload's configuration with every option it does not apply at its running value.
void keep_what_needs_a_restart(const Options& running, Options& fresh);

// The table of docs/configuration.md, as Markdown.
std::string options_markdown();

}  // namespace hitwatchd
