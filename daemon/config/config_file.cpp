// SPDX-License-Identifier: Apache-2.0
#include "config/config_file.h"

#include <algorithm>
#include <sstream>
#include <string_view>

#include "config/options.h"

namespace hitwatchd {
namespace {

std::string trim(const std::string& s) {
    const size_t begin = s.find_first_not_of(" \t\r");
    if (begin == std::string::npos) return "";
    return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// "rule" for "alert.rule".
std::string_view name_part(std::string_view key) {
    const size_t dot = key.find('.');
    return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

}  // namespace

ConfigFile::ConfigFile(std::string path, const std::string& text) : path_(std::move(path)) {
    std::istringstream in(text);
    std::string section;
    int number = 0;
    for (std::string raw; std::getline(in, raw);) {
        ++number;
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#') continue;
        if (line.front() == '[') {
            if (line.back() != ']' || line.size() < 3) {
                throw UsageError(path_ + ":" + std::to_string(number) + ": expected [section], got '" + line + "'");
            }
            section = trim(line.substr(1, line.size() - 2));
            continue;
        }
        const size_t equals = line.find('=');
        if (equals == std::string::npos || trim(line.substr(0, equals)).empty()) {
            throw UsageError(path_ + ":" + std::to_string(number) + ": expected key = value, got '" + line + "'");
        }
        const std::string key = (section.empty() ? "" : section + ".") + trim(line.substr(0, equals));
        lines_.emplace(key, number);  // keeps the first of repeated keys (log = ...)
    }
}

int ConfigFile::line_of(const std::string& key) const {
    const auto it = lines_.find(key);
    return it == lines_.end() ? 0 : it->second;
}

std::string ConfigFile::where(const std::string& key) const {
    return path_ + ":" + std::to_string(line_of(key)) + ": " + display_key(key);
}

std::string nearest_key(const std::string& key, const std::vector<std::string>& known) {
    // The same name under another [section] is what was meant (a key put in the wrong place).
    for (const auto& candidate : known) {
        if (name_part(candidate) == name_part(key)) return candidate;
    }
    std::string best;
    size_t best_distance = SIZE_MAX;
    for (const auto& candidate : known) {
        const size_t d = edit_distance(key, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

std::string suggested_key(const std::string& key, const std::vector<std::string>& known) {
    const std::string nearest = nearest_key(key, known);
    // "top" alone would not say why [http] top is wrong.
    if (nearest.find('.') == std::string::npos && key.find('.') != std::string::npos) return nearest + ", before the first [section]";
    return display_key(nearest);
}

std::string display_key(const std::string& key) {
    const size_t dot = key.find('.');
    if (dot == std::string::npos) return key;
    std::string shown = "[";  // appended, not `"[" + ...`: GCC 12 warns falsely (-Wrestrict) on that
    shown.append(key, 0, dot).append("] ").append(key, dot + 1);
    return shown;
}

}  // namespace hitwatchd
