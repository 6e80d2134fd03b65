// SPDX-License-Identifier: Apache-2.0
#include "tail/logrotate_backup.h"

#include <dirent.h>
#include <sys/stat.h>

#include <memory>
#include <string_view>

#include "os/paths.h"

namespace hitwatch {

std::vector<BackupFile> logrotate_backups(const std::string& log) {
    const std::string dir = directory_of(log);
    const std::string prefix = file_name_of(log) + "-";
    constexpr std::string_view kSuffix = ".backup";
    std::vector<BackupFile> out;
    const std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(dir.c_str()), ::closedir);
    if (!listing) return out;
    while (const dirent* entry = ::readdir(listing.get())) {
        const std::string_view name = entry->d_name;
        if (name.size() <= prefix.size() + kSuffix.size() || name.substr(0, prefix.size()) != prefix ||
            name.substr(name.size() - kSuffix.size()) != kSuffix) {
            continue;
        }
        BackupFile backup{dir + "/" + std::string(name)};
        struct stat st {};
        if (::stat(backup.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        backup.device = static_cast<std::uint64_t>(st.st_dev);
        backup.inode = static_cast<std::uint64_t>(st.st_ino);
        out.push_back(std::move(backup));
    }
    return out;
}

}  // namespace hitwatch
