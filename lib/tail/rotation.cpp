// SPDX-License-Identifier: Apache-2.0
#include "tail/rotation.h"

namespace hitwatch {

TailStep decide(const TailFacts& f) {
    if (!f.has_current) return f.path == PathState::another_file ? TailStep::open_path : TailStep::wait;
    if (!f.is_stream) {
        // A file only grows. Smaller with its head intact and no copy beside it: cut short in
        // place, and what is left was read. Smaller otherwise, or another head: truncated
        // (copytruncate), perhaps written again past the old offset before we looked; the
        // copy tells that from a cut even when the new lines begin as the old ones did.
        const bool shrunk = f.size < f.position || f.size < f.largest_size;
        if (shrunk && !f.head_changed && !f.copy_beside) return TailStep::cut_short;
        if (shrunk || f.head_changed) return TailStep::rewind_truncated;
    }
    // Another file at the path: opened now, even with the old one not read to its end (it is
    // finished beside it, first): held open, it cannot be rotated away unseen while the old
    // one is read (a slow or stalled daemon, two rotations close together).
    if (f.path == PathState::another_file) return TailStep::open_new_after_rename;
    if (!f.read_to_end) return TailStep::keep_reading;
    switch (f.path) {
        case PathState::open_file:
        case PathState::unknown: return TailStep::keep_reading;
        case PathState::another_file:
        case PathState::not_a_log: return TailStep::open_new_after_rename;
        case PathState::absent: return f.links > 0 ? TailStep::drain_moved : TailStep::finish_deleted;
    }
    return TailStep::keep_reading;
}

std::string_view name_of(TailStep step) {
    switch (step) {
        case TailStep::open_path: return "open_path";
        case TailStep::wait: return "wait";
        case TailStep::keep_reading: return "keep_reading";
        case TailStep::rewind_truncated: return "rewind_truncated";
        case TailStep::cut_short: return "cut_short";
        case TailStep::open_new_after_rename: return "open_new_after_rename";
        case TailStep::drain_moved: return "drain_moved";
        case TailStep::finish_deleted: return "finish_deleted";
    }
    return "?";
}

}  // namespace hitwatch
