// SPDX-License-Identifier: Apache-2.0
#pragma once
// The follow layer's decisions, each a pure function of facts the shell gathered (in the
// style of tail/rotation): where a log followed now starts and from when its lines count
// live; what a glob's new match is; when the clock waits for logs that catch up. No system
// call and no clock here: table tests (tests/test_follow_decisions.cpp) try every case.
#include <cstdint>
#include <optional>
#include <string>

#include "core/timestamp.h"

namespace hitwatchd {

// "Long ago": a log whose every line counts by its own time (none was read live).
constexpr hitwatch::UnixSeconds kLongAgo = -(1LL << 40);

// What is known of a log about to be followed (a start, a reload, a glob's new match).
struct StartFacts {
    // Followed earlier in this run and stopped by a reload: where it was is kept.
    bool stopped_earlier = false;
    hitwatch::UnixSeconds stopped_at = 0;  // read to its end then
    // The last checkpoint saved (by the last run at a start, by this run at a reload).
    bool saved = false;
    bool saved_read = false;  // ... with a file of it read then (not only waited for)
    // ... in the middle of a catch-up: its lines counted by their own time from then on.
    std::optional<hitwatch::UnixSeconds> saved_catching_up_from;
    std::optional<hitwatch::UnixSeconds> reported_until;  // that checkpoint's last report
    // A glob's match, and the time its file was created when known.
    bool matched = false;
    std::optional<hitwatch::UnixSeconds> born;
    bool appeared_while_running = false;  // a match created since the last look (rematch)
    bool from_start = false;             // --from-start
    hitwatch::UnixSeconds now = 0;
};

enum class StartFrom {
    stopped,     // where it stopped earlier in this run
    saved,       // where the checkpoint has it
    file_start,  // from the start of the file: all of it is new
    file_end,    // from the end: nothing in it is ours to count
};

struct StartPlan {
    StartFrom from = StartFrom::file_end;
    // Its lines count live if it was read to its end at most an interval before; earlier, it
    // catches up first, its lines counted by their own time, no earlier than this.
    hitwatch::UnixSeconds caught_up_at = 0;
    bool created_while_down = false;  // a glob's match born since the last run's last report: say so
};

StartPlan plan_start(const StartFacts& facts);

// What is known of a glob's match that no log follows (FollowedLogs::rematch and reloads).
struct MatchFacts {
    bool exists = false;             // stat() found a file
    bool dangling_to_followed = false;  // a symlink to a followed log that points nowhere now
    bool known_rotation = false;     // known as a followed log's rotated-out file, still the same file
    bool read_by_a_tail = false;     // the very file a followed log's tail has open
    bool appeared_while_running = false;  // created since the last look, not at a start or reload
    std::uint64_t size = 0;
    std::uint64_t head_bytes = 0;    // of its first KiB read
    bool head_whole = false;         // its first KiB all there (kHeadBytes)
    // A followed file it begins as (a copy being made or made), and how much of that was read.
    bool begins_as_followed = false;
    std::uint64_t read_of_original = 0;
    // Looked at before at this same size, and for how long it has stayed so.
    bool same_size_as_before = false;
    std::int64_t settled_ms = 0;
};

enum class MatchIs {
    new_log,    // followed from its start: all of it was written since
    rotation,   // a followed log's rotated-out file, under a name the glob matches
    copy,       // a whole copy of a followed file (copytruncate, or by hand)
    not_yet,    // empty, or growing as a copy does: looked at again later
    rotating,   // a symlink between a rotation's rename and create
};

MatchIs classify_match(const MatchFacts& facts);

// Whether the monitor's clock moves on now, while `catching_up` logs read a backlog: it waits
// for them, so their lines count in the intervals they were written in, but an interval at
// most (`held_for` since it began to wait).
bool clock_moves_on(std::size_t catching_up, std::optional<std::int64_t> held_for_s, std::int64_t interval_s);

}  // namespace hitwatchd
