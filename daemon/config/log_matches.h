// SPDX-License-Identifier: Apache-2.0
#pragma once
// The files the configured logs name now: a path as given, a glob as the files it matches.
#include <string>
#include <vector>

#include "config/options.h"

namespace hitwatchd {

struct LogPath {
    std::string path;
    bool matched = false;  // by a glob: once gone, it is read to its end and dropped
    bool operator==(const LogPath&) const = default;
};

// A listed path that is not followed: it names the same file as `as`, which is.
struct SameFile {
    std::string path, as;
};

// Each log of `options`, a glob replaced by its matches (a path that two name counts once).
// `remembered` paths (the checkpoint's) that a glob matches by name are taken though they
// are gone: what was written into them before they went is still read.
// Paths that name one file (a symlink and the file it names, hard links: rotatelogs -L) are
// followed once, or each line would count twice: as a name of its own rather than a symlink,
// else as the first of them; the others go to `same` when it is given. The file's own name
// is kept, not the symlink, so when the symlink is pointed at the next file the choice stays
// (that file is read as itself, a new match); a hard link that moves on leaves its old file
// to the tail that reads it (FollowedLogs::rematch).
std::vector<LogPath> match_logs(const Options& options, const std::vector<std::string>& remembered = {},
                                std::vector<SameFile>* same = nullptr);

// `paths`, each file once, in their order: of paths that name one file (a symlink and the
// file it names, hard links, one path given twice) the file's own name is kept rather than a
// symlink to it, else the first of them; the others go to `same` when it is given. A path that
// names no file stands for itself. match_logs() and a replay's files go through it.
std::vector<std::string> once_per_file(const std::vector<std::string>& paths, std::vector<SameFile>* same);
// Whether `path` is the report file (report-file) of `options`: by name, or the same file.
// A glob's match that is (log = /var/log/nginx/*.log beside report-file =
// /var/log/nginx/hitwatch.log) is not followed: its reports would come back as the log's lines.
bool is_report_file(const Options& options, const std::string& path);

// What is said of a path left out so: "P names the same file as Q ...: its lines are read
// once, as Q", or "P is named twice: ...".
std::string read_once_text(const SameFile& same);

// The globs of `options` that none of `paths` matches: no file to follow for them yet.
std::vector<std::string> unmatched_globs(const Options& options, const std::vector<std::string>& paths);

// The globs' directories and the beginnings of the names they match: where new matches appear.
std::vector<std::string> glob_directories(const Options& options);
std::vector<std::string> glob_prefixes(const Options& options);

}  // namespace hitwatchd
