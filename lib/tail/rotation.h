// SPDX-License-Identifier: Apache-2.0
#pragma once
// What to do next with a followed log, decided from what was observed of it: the file open
// now (its size, links, head) and what the path names. A pure function, so each case of
// rotation, truncation, a cut and deletion is one row of a table test (tests/test_rotation.cpp);
// LogTail only gathers the facts and carries the step out.
#include <cstdint>
#include <string_view>

namespace hitwatch {

// What the log's path names now (stat, following symlinks).
enum class PathState {
    absent,       // nothing (ENOENT): rotated away and not created again yet, or deleted
    not_a_log,    // something that is neither a regular file nor a FIFO (a directory, a device)
    unknown,      // stat failed otherwise (a directory on the way is unreadable): no conclusion
    open_file,    // the file that is open
    another_file  // a file other than the open one (or any file, when none is open)
};

struct TailFacts {
    bool has_current = false;       // a file of the path is open
    bool is_stream = false;         // it is a FIFO: no size, no identity, no truncation
    std::uint64_t size = 0;         // its size now
    std::uint64_t largest_size = 0; // the largest size seen of it before now
    std::uint64_t position = 0;     // bytes read from it
    std::uint64_t links = 1;        // its hard links: 0 once deleted
    bool head_changed = false;      // its first bytes are not those it had
    bool copy_beside = false;       // a copy of it (its head, as long as what was read) is beside it
    bool read_to_end = false;       // all it holds was read (a stream: the last read found nothing)
    PathState path = PathState::open_file;
};

enum class TailStep {
    open_path,              // nothing open, and the path names a file: open it
    wait,                   // nothing open, and nothing to open: wait for the path
    keep_reading,           // read on (when read_to_end: nothing new, the log is idle)
    rewind_truncated,       // truncated in place (copytruncate): drain its copy, read it again from 0
    cut_short,              // cut short in place (truncate -s, a crash): read on from its new end
    open_new_after_rename,  // the path names another file: finish the old one beside it, read the new from 0
    drain_moved,            // moved away and not replaced yet: finish it, wait for the path
    finish_deleted,         // deleted: finish what is left of it, wait for the path
};

TailStep decide(const TailFacts& facts);

std::string_view name_of(TailStep step);

}  // namespace hitwatch
