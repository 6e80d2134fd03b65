// SPDX-License-Identifier: Apache-2.0
#include "follow/follow_decisions.h"

#include <algorithm>

namespace hitwatchd {

StartPlan plan_start(const StartFacts& f) {
    // The last run counted what it read by its last report (a state file of an older version
    // has no report time: long ago).
    const hitwatch::UnixSeconds reported = f.reported_until.value_or(kLongAgo);
    if (f.appeared_while_running) return {StartFrom::file_start, f.now, false};  // all of it written since the last look
    if (f.stopped_earlier) return {StartFrom::stopped, f.stopped_at, false};
    if (f.saved && f.saved_catching_up_from) {
        // Saved while catching up, a part of its backlog handed on: the rest is a backlog too.
        return {StartFrom::saved, std::min(*f.saved_catching_up_from, f.now), false};
    }
    if (f.saved) {
        // A log the last run never read (unreadable, or out of descriptors) was not caught up
        // by its last report: its lines count by their own time, as a backlog, however soon
        // the restart comes; a log it read was read to its end by then.
        return {StartFrom::saved, f.saved_read ? std::min(reported, f.now) : kLongAgo, false};
    }
    if (f.matched && reported != kLongAgo && f.born && *f.born >= reported) {
        // A glob's match created while the daemon was down: all of it is new since then.
        return {StartFrom::file_start, std::min(reported, f.now), true};
    }
    // First met: at its end there is nothing old to read; from its start, all of it is old.
    return f.from_start ? StartPlan{StartFrom::file_start, kLongAgo, false} : StartPlan{StartFrom::file_end, f.now, false};
}

MatchIs classify_match(const MatchFacts& f) {
    if (!f.exists) return f.dangling_to_followed ? MatchIs::rotating : MatchIs::new_log;
    if (f.known_rotation || f.read_by_a_tail) return MatchIs::rotation;
    // A copy is only looked for in a file that appeared while running: at a start or reload
    // two logs may begin alike (the same health checks at the same second), and each has its
    // own place to resume.
    if (!f.appeared_while_running) return MatchIs::new_log;
    // Settled: the same size for a second (two looks close together say nothing).
    const bool settled = f.same_size_as_before && f.settled_ms >= 1000;
    if (!settled && (f.head_bytes == 0 || f.begins_as_followed)) return MatchIs::not_yet;
    // Whole now: a copy if its first KiB is the file's (not a few lines two logs may share)
    // and it is as long as what was read of that file.
    if (f.begins_as_followed && f.head_whole && f.size >= f.read_of_original) return MatchIs::copy;
    return MatchIs::new_log;
}

bool clock_moves_on(std::size_t catching_up, std::optional<std::int64_t> held_for_s, std::int64_t interval_s) {
    if (catching_up == 0) return true;
    return held_for_s && *held_for_s >= interval_s;
}

}  // namespace hitwatchd
