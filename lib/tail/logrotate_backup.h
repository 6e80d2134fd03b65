// SPDX-License-Identifier: Apache-2.0
#pragma once
// logrotate's `create`, finding a file at the log's path already (a writer that opens the log
// by its name made it between logrotate's rename and its create), moves that file to
// NAME-YYYYMMDDHH.backup and creates the log anew. The file may have been at the path for
// microseconds, never seen there: its lines are only in the backup.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hitwatch {

struct BackupFile {
    std::string path;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
};

// The regular files beside `log` named as logrotate names its backups of it.
std::vector<BackupFile> logrotate_backups(const std::string& log);

}  // namespace hitwatch
