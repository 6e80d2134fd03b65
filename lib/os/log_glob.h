// SPDX-License-Identifier: Apache-2.0
#pragma once
// Log paths with wildcards (*, ? and [...]) in their file-name part, as peer tailers take
// them (`log = /var/log/nginx/*.log`): which files such a pattern names now.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hitwatch {

// What a glob leaves out by default: the names logrotate gives rotated logs (compressed,
// numbered, dated, and the backup of a file in the way of its `create`), which the tail of the
// live log reads already when they are rotated.
inline const std::vector<std::string> kDefaultExcludes = {
    "*.gz", "*.bz2", "*.xz", "*.zst", "*.[0-9]", "*.[0-9].gz", "*-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]",
    "*.backup"};

// The file-name part of `path` has a wildcard.
bool is_glob(const std::string& path);
// The directory part of `path` has a wildcard (not supported: directories are watched,
// not searched).
bool has_glob_directory(const std::string& path);

// `path` is in the pattern's directory, its file name matches the pattern (a leading dot
// only as written, as in the shell) and none of `excludes`.
bool glob_matches(const std::string& pattern, const std::string& path, const std::vector<std::string>& excludes);

// The files `pattern` matches now, sorted; directories are not logs and are left out.
std::vector<std::string> expand_glob(const std::string& pattern, const std::vector<std::string>& excludes);

// When the file at `path` was created, in seconds since the epoch; nullopt where the file
// system does not record it.
std::optional<std::int64_t> birth_time(const std::string& path);

// The file name up to its first wildcard: names of files a change to which may concern the
// pattern begin with it.
std::string literal_prefix(const std::string& pattern);

}  // namespace hitwatch
