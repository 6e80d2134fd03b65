// SPDX-License-Identifier: Apache-2.0
#include "tail/logrotate_backup.h"

#include <dirent.h>
#include <sys/stat.h>

#include <memory>
#include <string_view>

#include "os/paths.h"

namespace hitwatch {
namespace {

constexpr std::string_view kSuffix = ".backup";

// Every regular file in `dir` whose name ends in .backup.
std::vector<Candidate> backups_in(const std::string& dir) {
    std::vector<Candidate> out;
    const std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(dir.c_str()), ::closedir);
    if (!listing) return out;
    while (const dirent* entry = ::readdir(listing.get())) {
        const std::string_view name = entry->d_name;
        if (!name.ends_with(kSuffix)) continue;
        Candidate backup;
        backup.path = dir + "/" + std::string(name);
        struct stat st {};
        if (::stat(backup.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        backup.device = static_cast<std::uint64_t>(st.st_dev);
        backup.inode = static_cast<std::uint64_t>(st.st_ino);
        backup.size = static_cast<std::uint64_t>(st.st_size);
        out.push_back(std::move(backup));
    }
    return out;
}

// Those of `in_its_directory` named NAME-....backup, for `log` named NAME.
std::vector<Candidate> backups_of(const std::string& log, const std::vector<Candidate>& in_its_directory) {
    const std::string prefix = directory_of(log) + "/" + file_name_of(log) + "-";
    std::vector<Candidate> out;
    for (const Candidate& backup : in_its_directory) {
        const bool named_so = backup.path.size() > prefix.size() + kSuffix.size() && backup.path.starts_with(prefix);
        if (named_so) out.push_back(backup);
    }
    return out;
}

}  // namespace

std::vector<Candidate> logrotate_backups(const std::string& log) {
    return backups_of(log, backups_in(directory_of(log)));
}

std::vector<Candidate> BackupListings::of(const std::string& log) {
    const std::string dir = directory_of(log);
    auto it = by_directory_.find(dir);
    if (it == by_directory_.end()) it = by_directory_.emplace(dir, backups_in(dir)).first;
    return backups_of(log, it->second);
}

}  // namespace hitwatch
