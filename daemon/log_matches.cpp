#include "log_matches.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "os/log_glob.h"
#include "os/paths.h"

namespace hitwatchd {

namespace {

std::vector<LogPath> once_per_file(const std::vector<LogPath>& all, std::vector<SameFile>* same) {
    // Per path, the file it names (device, inode, through any symlinks), and whether it is
    // that file's own name rather than a symlink to it.
    struct Named {
        std::pair<std::uint64_t, std::uint64_t> file{};
        bool exists = false, own_name = false;
    };
    std::vector<Named> named(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        struct stat st {}, link {};
        if (::stat(all[i].path.c_str(), &st) != 0) continue;  // gone, or unreachable: itself
        named[i] = {{st.st_dev, st.st_ino}, true, ::lstat(all[i].path.c_str(), &link) == 0 && !S_ISLNK(link.st_mode)};
    }
    // The path each file is followed as: its own name first, else the first listed.
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::size_t> followed_as;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (!named[i].exists) continue;
        const auto [at, added] = followed_as.emplace(named[i].file, i);
        if (!added && named[i].own_name && !named[at->second].own_name) at->second = i;
    }
    std::vector<LogPath> kept;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const std::size_t keeper = named[i].exists ? followed_as.at(named[i].file) : i;
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
        const auto listed = std::find_if(all.begin(), all.end(), [&](const LogPath& log) { return log.path == path; });
        if (listed == all.end()) return all.push_back({path, matched});
        listed->matched &= matched;  // named as it is too: followed as a log of its own
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
