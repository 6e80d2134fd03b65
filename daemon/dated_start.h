// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where a replay with --since begins to read a file that is never rotated: a month-long
// access.log is read from a day before --since, when the alert rules begin to learn, not from
// its first line. Found by the times of lines across the file (at half of it, then a quarter,
// ...), which a server writes in order within --max-skew, as rotated files are skipped by the
// first lines of the file after each (replay.cpp).
#include <cstdint>
#include <optional>

#include "config/options.h"
#include "core/time_window.h"
#include "replay_input.h"

namespace hitwatchd {

struct DatedStart {
    std::uint64_t at = 0;              // a line's first byte
    hitwatch::UnixSeconds dated = 0;   // that line's time
    std::optional<hitwatch::UnixSeconds> file_begins;  // its first valid line's, in its first 64 KiB
    // Lines found dated more than --max-skew before lines ahead of them in the file (logs
    // joined with cat): then no place tells where to begin, and `at` is 0.
    struct Disorder {
        std::uint64_t ahead_at;              // where lines are dated as late as
        hitwatch::UnixSeconds ahead_dated;
        std::uint64_t at;                    // a line further in the file, dated
        hitwatch::UnixSeconds dated;
    };
    std::optional<Disorder> disorder;
};

// Where reading `input` can begin, read as `reading` says, when every line before
// `learns_from` may be left out (TimeWindow::ends_before); within 64 KiB of the last place
// where that can be told. The places looked at (the search's, and 15 spread evenly over the
// file) must be in time order within --max-skew, or the file is read from its start (the
// Disorder says why). Nothing for a file not read at offsets (compressed, a pipe, holes), whose
// lines join (container pieces), or whose lines there are no earlier than that.
std::optional<DatedStart> dated_start(const ReplayInput& input, const Reading& reading,
                                      const hitwatch::TimeWindow& window, hitwatch::UnixSeconds learns_from);

}  // namespace hitwatchd
