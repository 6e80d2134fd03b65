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

// A line dated more than `window` before the clock counts where the clock stands, too. One
// such line is a request logged when it ended, with the time it began (a long download, a
// websocket). Many in a row are input that went back in time -- rotated logs piped newest
// first, or in the shell's order (access.log.10.gz before access.log.2.gz) -- and all of them
// count at the later time: kLines valid lines in a row tell the one from the other.
class BehindRun {
public:
    static constexpr std::uint64_t kLines = 100;

    // A valid line dated `time`, counted with the clock at `clock`: true if it is the kLines-th
    // in a row dated more than `window` before it (once a run). A line not so dated ends the run.
    bool add(std::uint64_t line_number, UnixSeconds time, UnixSeconds clock, std::int64_t window) {
        if (time >= clock - window) [[likely]] {
            lines_ = 0;
            return false;
        }
        if (lines_++ == 0) first_line_ = line_number, first_time_ = time;
        return lines_ == kLines;
    }
    // The run that begins with the next line is told of already (by other means).
    void said() { lines_ = kLines; }
    // The run's first line: its number in its file, and its time.
    std::uint64_t first_line() const { return first_line_; }
    UnixSeconds first_time() const { return first_time_; }

private:
    std::uint64_t lines_ = 0;
    std::uint64_t first_line_ = 0;
    UnixSeconds first_time_ = 0;
};

}  // namespace hitwatch
