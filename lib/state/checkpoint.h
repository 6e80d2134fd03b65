#pragma once
// The state file: where each log was read up to (in whole lines already in an emitted
// report) and the alert window, so a restart neither loses nor double-counts a line.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/alert.h"
#include "tail/file_identity.h"
#include "core/timestamp.h"

namespace hitwatch {

struct SavedFile {
    FileIdentity identity;
    std::uint64_t offset = 0;
};

struct SavedLog {
    std::string path;
    std::vector<SavedFile> files;  // a rotated-out file still draining first, then the current one
};

struct Checkpoint {
    std::vector<SavedLog> logs;
    std::optional<SavedAlert> alert;

    const SavedLog* find(const std::string& path) const {
        for (const auto& log : logs) {
            if (log.path == path) return &log;
        }
        return nullptr;
    }
};

std::string to_json(const Checkpoint& checkpoint);
// nullopt with `error` saying what is wrong when the text is not a checkpoint.
std::optional<Checkpoint> checkpoint_from_json(const std::string& text, std::string& error);

// Writes `text` to `path` so that a crash leaves either the old or the new file, never a
// mix: a temporary file, fsync, rename over, fsync the directory. False with `error` set.
bool write_file_atomically(const std::string& path, const std::string& text, std::string& error);

}  // namespace hitwatch
