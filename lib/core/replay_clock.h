// SPDX-License-Identifier: Apache-2.0
#pragma once
// The clock of a replay is the highest log time seen so far, so that a line Apache wrote
// late (stamped with its request's start) counts where the clock stands. One absurd
// timestamp -- a single line dated years ahead -- must not pull the rest of the log into one
// interval: a line more than max_skew ahead of the clock waits for the next line, and moves
// the clock only if that line confirms the jump by not going back near the old clock (a
// sparse log's real gap is confirmed; a lone outlier is not, and counts where the clock
// stands). The first line of a log waits for the second in the same way.
#include <cstdint>

#include "core/timestamp.h"

namespace hitwatch {

// Whether a line dated `time` must wait for the next line before it moves the clock.
inline bool far_ahead(bool started, UnixSeconds clock, UnixSeconds time, std::int64_t max_skew) {
    return !started || time > clock + max_skew;
}

// Whether the line after a waiting one confirms the jump to the waiting line's time.
inline bool confirms_jump(UnixSeconds waiting, UnixSeconds next, std::int64_t max_skew) {
    return next >= waiting - max_skew;
}

}  // namespace hitwatch
