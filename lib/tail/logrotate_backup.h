// SPDX-License-Identifier: Apache-2.0
#pragma once
// logrotate's `create`, finding a file at the log's path already (a writer that opens the log
// by its name made it between logrotate's rename and its create), moves that file to
// NAME-YYYYMMDDHH.backup and creates the log anew. The file may have been at the path for
// microseconds, never seen there: its lines are only in the backup.
#include <map>
#include <string>
#include <vector>

#include "tail/resume.h"

namespace hitwatch {

// The regular files beside `log` named as logrotate names its backups of it.
std::vector<Candidate> logrotate_backups(const std::string& log);

// The same for logs started together, each directory listed once: a start of 1,000 logs in one
// directory listed it 1,000 times (0.15 s of the kernel's time, growing as their square).
class BackupListings {
public:
    std::vector<Candidate> of(const std::string& log);

private:
    std::map<std::string, std::vector<Candidate>> by_directory_;  // each one's *.backup files
};

}  // namespace hitwatch
