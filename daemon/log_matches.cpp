#include "log_matches.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "os/log_glob.h"
#include "os/paths.h"

namespace hitwatchd {

namespace {

std::vector<LogPath> once_per_file(const std::vector<LogPath>& all, std::vector<SameFile>* same) {
    std::vector<std::string> file(all.size());  // the file each names, through any symlinks
    std::unordered_map<std::string, std::size_t> first_naming, listed_as_itself;
    for (std::size_t i = 0; i < all.size(); ++i) {
        std::error_code ec;
        const auto real = std::filesystem::canonical(all[i].path, ec);
        file[i] = ec ? all[i].path : real.string();  // gone, or unreachable: itself
        first_naming.emplace(file[i], i);
        listed_as_itself.emplace(all[i].path, i);
    }
    std::vector<LogPath> kept;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto itself = listed_as_itself.find(file[i]);
        const std::size_t keeper = itself != listed_as_itself.end() ? itself->second : first_naming.at(file[i]);
        if (keeper == i) {
            kept.push_back(all[i]);
        } else if (same != nullptr) {
            same->push_back({all[i].path, all[keeper].path});
        }
    }
    return kept;
}

}  // namespace

std::vector<LogPath> match_logs(const Options& options, const std::vector<std::string>& remembered,
                                std::vector<SameFile>* same) {
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
