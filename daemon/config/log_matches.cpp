// SPDX-License-Identifier: Apache-2.0
#include "config/log_matches.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "os/log_glob.h"
#include "os/paths.h"

namespace hitwatchd {

namespace {

// A name of the file's own, not a symlink to it.
bool own_name(const std::string& path) {
    struct stat link {};
    return ::lstat(path.c_str(), &link) == 0 && !S_ISLNK(link.st_mode);
}

std::vector<LogPath> once_per_file(const std::vector<LogPath>& all, std::vector<SameFile>* same) {
    std::vector<std::string> paths;
    for (const auto& log : all) paths.push_back(log.path);
    const std::vector<std::string> kept_paths = once_per_file(paths, same);
    // The paths of `all` differ, and those kept come in their order.
    std::vector<LogPath> kept;
    for (const auto& log : all) {
        if (kept.size() < kept_paths.size() && kept_paths[kept.size()] == log.path) kept.push_back(log);
    }
    return kept;
}

}  // namespace

std::vector<std::string> once_per_file(const std::vector<std::string>& paths, std::vector<SameFile>* same) {
    // Per path, the file it names (device, inode, through any symlinks); none when it is gone
    // or cannot be reached, and it stands for itself.
    using File = std::pair<std::uint64_t, std::uint64_t>;
    std::vector<std::optional<File>> file(paths.size());
    // The path each file is read as: its own name first, else the first listed.
    std::map<File, std::size_t> kept_as;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        struct stat st {};
        if (::stat(paths[i].c_str(), &st) != 0) continue;
        file[i] = File{st.st_dev, st.st_ino};
        const auto [at, added] = kept_as.emplace(*file[i], i);
        if (!added && !own_name(paths[at->second]) && own_name(paths[i])) at->second = i;
    }
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const std::size_t keeper = file[i] ? kept_as.at(*file[i]) : i;
        if (keeper == i) {
            kept.push_back(paths[i]);
        } else if (same != nullptr) {
            same->push_back({paths[i], paths[keeper]});
        }
    }
    return kept;
}

std::string read_once_text(const SameFile& same) {
    if (same.path == same.as) return same.path + " is named twice: its lines are read once";
    return same.path + " names the same file as " + same.as +
           " (a symlink or a hard link): its lines are read once, as " + same.as;
}

bool is_report_file(const Options& options, const std::string& path) {
    if (options.report_file.empty()) return false;
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto normal = [&](const std::string& p) { return fs::absolute(p, ec).lexically_normal(); };
    return normal(path) == normal(options.report_file) || fs::equivalent(path, options.report_file, ec);
}

std::vector<LogPath> match_logs(const Options& options, const std::vector<std::string>& remembered,
                                std::vector<SameFile>* same) {
    std::vector<LogPath> all;
    const auto add = [&](const std::string& path, bool matched) {
        const auto listed = std::find_if(all.begin(), all.end(), [&](const LogPath& log) { return log.path == path; });
        if (listed == all.end()) return all.push_back({path, matched});
        listed->matched &= matched;  // named as it is too: followed as a log of its own
    };
    for (const auto& log : options.logs) {
        if (!hitwatch::is_glob(log)) {
            add(log, false);
            continue;
        }
        for (const auto& path : hitwatch::expand_glob(log, options.exclude)) {
            if (!is_report_file(options, path)) add(path, true);
        }
        for (const auto& path : remembered) {
            std::error_code ec;
            const bool gone = !std::filesystem::exists(std::filesystem::symlink_status(path, ec));
            if (gone && hitwatch::glob_matches(log, path, options.exclude)) add(path, true);
        }
    }
    return once_per_file(all, same);
}

std::vector<std::string> unmatched_globs(const Options& options, const std::vector<std::string>& paths) {
    std::vector<std::string> unmatched;
    for (const auto& log : options.logs) {
        if (!hitwatch::is_glob(log)) continue;
        const auto matches = [&](const std::string& path) { return hitwatch::glob_matches(log, path, options.exclude); };
        if (std::none_of(paths.begin(), paths.end(), matches)) unmatched.push_back(log);
    }
    return unmatched;
}

std::vector<std::string> glob_directories(const Options& options) {
    std::vector<std::string> all;
    for (const auto& log : options.logs) {
        if (hitwatch::is_glob(log)) all.push_back(hitwatch::directory_of(log));
    }
    return all;
}

std::vector<std::string> glob_prefixes(const Options& options) {
    std::vector<std::string> all;
    for (const auto& log : options.logs) {
        if (hitwatch::is_glob(log)) all.push_back(hitwatch::literal_prefix(log));
    }
    return all;
}

}  // namespace hitwatchd
