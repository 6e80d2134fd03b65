// SPDX-License-Identifier: Apache-2.0
#pragma once
// The INI-style config file as text: where each key is (for messages naming the line), a
// syntax check, and the nearest known key for a misspelt one. Boost.Program_options does
// the parsing proper; it knows no line numbers.
#include <map>
#include <string>
#include <vector>

namespace hitwatchd {

class ConfigFile {
public:
    // Indexes `text` read from `path`; throws UsageError naming the line of any line that
    // is neither blank, a # comment, a [section] nor a key = value.
    ConfigFile(std::string path, const std::string& text);

    const std::string& path() const { return path_; }
    // The line of the first "key = value" for `key` ("alert.rule"); 0 if absent.
    int line_of(const std::string& key) const;
    // "FILE:LINE: [alert] rule"
    std::string where(const std::string& key) const;

private:
    std::string path_;
    std::map<std::string, int> lines_;
};

// The known key meant by `key`: the same name under another [section], else the closest by
// edit distance.
std::string nearest_key(const std::string& key, const std::vector<std::string>& known);

// That key as "did you mean ...?" shows it: "[alert] rule", "top, before the first [section]".
std::string suggested_key(const std::string& key, const std::vector<std::string>& known);

// "[alert] rule" for "alert.rule", "log" for "log".
std::string display_key(const std::string& key);

}  // namespace hitwatchd
