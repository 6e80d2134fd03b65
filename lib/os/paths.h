// SPDX-License-Identifier: Apache-2.0
#pragma once
// Splitting a log path into its directory and file name.
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

}  // namespace hitwatch
