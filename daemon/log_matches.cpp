#include "log_matches.h"

#include <algorithm>
#include <filesystem>

#include "os/log_glob.h"
#include "os/paths.h"

namespace hitwatchd {

std::vector<LogPath> match_logs(const Options& options, const std::vector<std::string>& remembered) {
    std::vector<LogPath> all;
    const auto add = [&](const std::string& path, bool matched) {
        const auto same = std::find_if(all.begin(), all.end(), [&](const LogPath& log) { return log.path == path; });
        if (same == all.end()) return all.push_back({path, matched});
        same->matched &= matched;  // named as it is too: followed as a log of its own
    };
    for (const auto& log : options.logs) {
        if (!hitwatch::is_glob(log)) {
            add(log, false);
            continue;
        }
        for (const auto& path : hitwatch::expand_glob(log, options.exclude)) add(path, true);
        for (const auto& path : remembered) {
            std::error_code ec;
            const bool gone = !std::filesystem::exists(std::filesystem::symlink_status(path, ec));
            if (gone && hitwatch::glob_matches(log, path, options.exclude)) add(path, true);
        }
    }
    return all;
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
