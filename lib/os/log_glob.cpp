// SPDX-License-Identifier: Apache-2.0
#include "os/log_glob.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>

#include "os/paths.h"

namespace hitwatch {
namespace {

constexpr const char* kWildcards = "*?[";

bool excluded(const std::string& name, const std::vector<std::string>& excludes) {
    return std::any_of(excludes.begin(), excludes.end(),
                       [&](const std::string& exclude) { return ::fnmatch(exclude.c_str(), name.c_str(), 0) == 0; });
}

bool name_matches(const std::string& pattern_name, const std::string& name, const std::vector<std::string>& excludes) {
    return ::fnmatch(pattern_name.c_str(), name.c_str(), FNM_PERIOD) == 0 && !excluded(name, excludes);
}

}  // namespace

bool is_glob(const std::string& path) {
    return file_name_of(path).find_first_of(kWildcards) != std::string::npos;
}

bool has_glob_directory(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash != std::string::npos && path.substr(0, slash).find_first_of(kWildcards) != std::string::npos;
}

bool glob_matches(const std::string& pattern, const std::string& path, const std::vector<std::string>& excludes) {
    return directory_of(pattern) == directory_of(path) &&
           name_matches(file_name_of(pattern), file_name_of(path), excludes);
}

std::vector<std::string> expand_glob(const std::string& pattern, const std::vector<std::string>& excludes) {
    const std::string directory = directory_of(pattern), pattern_name = file_name_of(pattern);
    std::vector<std::string> found;
    const std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(directory.c_str()), ::closedir);
    if (!dir) return found;  // not there (yet): nothing matches
    while (const dirent* entry = ::readdir(dir.get())) {
        const std::string name = entry->d_name;
        if (!name_matches(pattern_name, name, excludes)) continue;
        const std::string path = (directory == "/" ? "" : directory) + "/" + name;
        struct stat info {};
        // A symlink counts by what it points at; one that points nowhere is a log to wait for.
        if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) continue;
        found.push_back(path);
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::optional<std::int64_t> birth_time(const std::string& path) {
    struct statx info {};
    if (::statx(AT_FDCWD, path.c_str(), 0, STATX_BTIME, &info) != 0 || !(info.stx_mask & STATX_BTIME)) {
        return std::nullopt;
    }
    return info.stx_btime.tv_sec;
}

std::string literal_prefix(const std::string& pattern) {
    const std::string name = file_name_of(pattern);
    return name.substr(0, name.find_first_of(kWildcards));
}

}  // namespace hitwatch
