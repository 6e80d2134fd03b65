#pragma once
// The files the configured logs name now: a path as given, a glob as the files it matches.
#include <string>
#include <vector>

#include "options.h"

namespace hitwatchd {

struct LogPath {
    std::string path;
    bool matched = false;  // by a glob: once gone, it is read to its end and dropped
    bool operator==(const LogPath&) const = default;
};

// Each log of `options`, a glob replaced by its matches (a file that two name counts once).
// `remembered` paths (the checkpoint's) that a glob matches by name are taken though they
// are gone: what was written into them before they went is still read.
std::vector<LogPath> match_logs(const Options& options, const std::vector<std::string>& remembered = {});

// The globs of `options` that none of `paths` matches: no file to follow for them yet.
std::vector<std::string> unmatched_globs(const Options& options, const std::vector<std::string>& paths);

// The globs' directories and the beginnings of the names they match: where new matches appear.
std::vector<std::string> glob_directories(const Options& options);
std::vector<std::string> glob_prefixes(const Options& options);

}  // namespace hitwatchd
