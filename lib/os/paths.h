// SPDX-License-Identifier: Apache-2.0
#pragma once
// Splitting a log path into its directory and file name; where its rotated files go.
#include <string>

namespace hitwatch {

inline std::string directory_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

inline std::string file_name_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// logrotate's olddir for a log in `log_directory`: relative to that directory unless absolute.
inline std::string olddir_of(const std::string& log_directory, const std::string& olddir) {
    if (!olddir.empty() && olddir.front() == '/') return olddir;
    return (log_directory == "/" ? std::string() : log_directory) + "/" + olddir;
}

}  // namespace hitwatch
