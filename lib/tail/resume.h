// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where to pick a log up after a restart, decided from the saved files and the files now
// found beside the log (and in its olddirs): a pure function, one table test row per case (tests/test_resume.cpp).
//
// A saved file is found by its identity: the same device and inode with the same first
// bytes (renamed by logrotate `create`, or untouched), else a file with the same first bytes
// under another inode (a `copytruncate` copy), as long as it is still as long as the saved
// offset, else the same inode with the same first bytes but shorter than the offset: cut
// short (a crash lost its last writes, truncate -s), and read on from its new end. What is
// found is drained from the saved offset; what is not is lost, and says how many bytes when
// the state file knew the size or a compressed copy tells it. The path itself, if it holds
// none of the saved files, is a new file: read from its start.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tail/saved_log.h"

namespace hitwatch {

// A file beside the log or in its olddirs (or the log's path itself), as observed.
struct Candidate {
    std::string path;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    bool is_log_path = false;
    // A compressed copy (logrotate `compress`): it can say it is a saved file (its first bytes
    // inflated) and how long it was (`size`, unless !size_known), but it is not read: what was
    // not read of it is lost.
    bool compressed = false;
    // Per saved file: whether this file's first head_length bytes hash as that file's did.
    std::vector<bool> head_matches;
    bool size_known = true;
};

struct ResumePlan {
    struct Drain {
        std::size_t candidate;  // index into the candidates
        std::size_t saved;      // index into the saved files: from where
    };
    enum class Current { resume, from_start, wait };

    std::vector<Drain> drains;  // rotated files to finish, oldest first
    Current current = Current::wait;
    std::size_t current_saved = 0;  // resume: which saved file the path still holds
    std::uint64_t lost_bytes = 0;   // bytes not read yet and found nowhere, or only compressed
    std::size_t lost_files = 0;     // saved files not found, or found compressed with more than was read
    std::vector<std::size_t> unmeasured;  // candidates: compressed copies whose length cannot be told
    std::uint64_t cut_bytes = 0;    // bytes not read yet that files found shorter no longer have
};

// Where a saved file found as `found` is read on from: its saved place, or its end if it was
// cut short before that.
SavedFile resume_point(const SavedFile& file, const Candidate& found);

ResumePlan plan_resume(const std::vector<SavedFile>& saved, const std::vector<Candidate>& candidates);

// Where a file that was being read went: the candidate holding it, as plan_resume finds
// saved files; used also for the copy of a file truncated while it was read. `skip` marks
// candidates already taken.
std::optional<std::size_t> locate(const SavedFile& file, std::size_t saved_index,
                                  const std::vector<Candidate>& candidates, const std::vector<bool>& skip);

}  // namespace hitwatch
