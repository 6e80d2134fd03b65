// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where reading a log got to, as a restart needs it: the state file serializes these.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tail/file_identity.h"

namespace hitwatch {

struct SavedFile {
    FileIdentity identity;
    // The start of the first line not yet in an emitted report: where a restart resumes.
    std::uint64_t offset = 0;
    // The file's size when saved; unknown in state files of version 1. What a restart
    // cannot find of [offset, size) is reported lost.
    std::optional<std::uint64_t> size;
    // Bytes from `offset` of an over-long line that were read and counted invalid already:
    // a restart skips the rest of that line without counting it again.
    std::uint64_t overlong_read = 0;
    // Lines before `offset`, when known, so messages can name a line by its number.
    std::optional<std::uint64_t> lines_before;
    // The file was never readable: `offset` is its size when first seen, and a restart
    // starts after the last complete line before it (the identity has no head then).
    bool unread = false;

    // Where reading goes on once the file was cut short in place to `new_size` bytes (a
    // crash lost its last writes, truncate -s): here, or its new end if that comes first.
    // What is before the new end was read already, a line cut in two included.
    SavedFile cut_to(std::uint64_t new_size) const {
        SavedFile at = *this;
        at.size = new_size;
        if (new_size < offset + overlong_read) {
            at.offset = new_size;
            at.overlong_read = 0;
            at.lines_before.reset();  // the line it ends in is not known
        }
        return at;
    }
    // Bytes it had that were not read and that a cut to `new_size` took away.
    std::uint64_t cut_away(std::uint64_t new_size) const {
        const std::uint64_t kept = std::max(offset, new_size);
        return size.value_or(0) > kept ? *size - kept : 0;
    }
};

struct SavedLog {
    std::string path;  // absolute
    std::vector<SavedFile> files;  // rotated-out files still draining first, the current one last
    // Saved in the middle of a catch-up (its backlog handed on in parts): its lines count by
    // when they were written, no earlier than this, until it is caught up. Not the tail's
    // business: the follow layer's, carried with the place.
    std::optional<std::int64_t> catching_up_from;
};

}  // namespace hitwatch
