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
    std::uint64_t at;              // a line's first byte
    hitwatch::UnixSeconds dated;   // that line's time
    std::optional<hitwatch::UnixSeconds> file_begins;  // its first valid line's, in its first 64 KiB
};

// Where reading `input` can begin, read as `reading` says, when every line before
// `learns_from` may be left out (TimeWindow::ends_before); within 64 KiB of the last place
// where that can be told. Nothing for a file not read at offsets (compressed, a pipe, holes),
// whose lines join (container pieces), or whose lines there are no earlier than that.
std::optional<DatedStart> dated_start(const ReplayInput& input, const Reading& reading,
                                      const hitwatch::TimeWindow& window, hitwatch::UnixSeconds learns_from);

}  // namespace hitwatchd
