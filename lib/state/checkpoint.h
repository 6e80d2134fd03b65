// SPDX-License-Identifier: Apache-2.0
#pragma once
// The state file: where each log was read up to (in whole lines already in an emitted
// report) and the alert window, so a restart neither loses nor double-counts a line.
//
// It is untrusted input like any file: every field is checked for its type and range before
// it is used (a head length sizes a read, a bucket count a window). A file that is not a
// checkpoint at all is corrupt; a bad entry for one log is dropped with a warning and the
// others are kept; a bad alert section is dropped alone. Older versions are read and
// upgraded: version 1 knew no file sizes, and its relative paths are taken from the working
// directory; version 2's adaptive rule learned its noise otherwise (its level and trend are
// kept) and knew no other alert kinds; version 3 kept a log that was catching up where its
// catch-up began (it has no catching_up_from, which version 4 saves as a backlog is handed
// on in parts).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/saved_alert.h"
#include "tail/saved_log.h"

namespace hitwatch {

struct Checkpoint {
    static constexpr int kVersion = 4;
    static constexpr std::size_t kMaxLogs = 100000;
    static constexpr std::size_t kMaxFilesPerLog = 64;
    static constexpr std::size_t kMaxPathBytes = 4096;
    static constexpr std::size_t kMaxBuckets = 1 << 20;

    std::vector<SavedLog> logs;
    std::optional<SavedAlert> alert;
    // The end of the last interval reported before it was written: the previous run counted
    // every line read by then, so a line read later was written after it (or close to it).
    std::optional<UnixSeconds> reported_until;

    const SavedLog* find(const std::string& path) const {
        for (const auto& log : logs) {
            if (log.path == path) return &log;
        }
        return nullptr;
    }
};

std::string to_json(const Checkpoint& checkpoint);

struct LoadedCheckpoint {
    std::optional<Checkpoint> checkpoint;  // nullopt: the file is corrupt, `error` says why
    std::string error;
    std::vector<std::string> warnings;     // entries dropped, versions upgraded
};

// `working_directory` makes the relative paths of a version 1 file absolute.
LoadedCheckpoint checkpoint_from_json(const std::string& text, const std::string& working_directory);

// Writes `text` to `path` so that a crash leaves either the old or the new file, never a
// mix: a temporary file, fsync, rename over, fsync the directory. On failure the temporary
// file is removed and `error` says what failed.
bool write_file_atomically(const std::string& path, const std::string& text, std::string& error);

}  // namespace hitwatch
