// SPDX-License-Identifier: Apache-2.0
#pragma once
// The part of a log a replay reports (--since, --until): "last night's incident" out of a month
// of rotated logs, with the figures and alerts the whole log's replay gives for it.
//
// A replay counts each line at its clock: the highest time so far (core/replay_clock.h), so a
// line Apache wrote late, dated by its request's start, counts where the clock stands. The
// window keeps that clock over every line and judges a line by the time it counts at: before
// `since`, the alert rules learn from it and nothing of it is reported; from `since` up to
// `until`, it is reported; once the clock reaches `until`, reading stops. So the window's
// intervals hold what the whole replay's do, late lines at its edges included, and its alerts
// are the whole replay's when what came before was read (rotated files long before `since`
// are not: ends_before()). A line with no time (invalid, blank) counts at the clock too.
//
// A line dated more than `margin` (--max-skew) ahead of the clock moves it only once the next
// valid line confirms the jump, as the replay's clock does: one line dated years ahead does not
// end a replay early. Until then it counts at its own time.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "core/timestamp.h"

namespace hitwatch {

class TimeWindow {
public:
    // before: counted for the rules to learn from, not reported; outside: not counted (a line
    // dated past `until` that waits for the next to confirm it); past: not even read.
    enum class Verdict { before, inside, outside, past };

    TimeWindow(std::optional<UnixSeconds> since, std::optional<UnixSeconds> until, std::int64_t margin)
        : since_(since), until_(until), margin_(margin) {}

    // A valid line dated `time`.
    Verdict dated(UnixSeconds time) {
        if (past_) return Verdict::past;
        if (jump_ && time >= *jump_ - margin_) clock_ = std::max(clock_, *jump_);  // confirmed
        jump_.reset();
        if (!started_) {
            started_ = true;
            clock_ = time;
        } else if (time > clock_ + margin_) {
            jump_ = time;
        }
        if (!jump_) clock_ = std::max(clock_, time);
        if (until_ && clock_ >= *until_) past_ = true;
        earliest_ = std::min(earliest_, time);
        latest_ = std::max(latest_, time);
        return past_ ? Verdict::past : verdict_at(jump_ ? time : clock_);
    }
    // A line with no time: at the clock, as the replay records it (before the first dated line,
    // where the clock will start).
    Verdict undated() const { return past_ ? Verdict::past : !started_ ? Verdict::before : verdict_at(clock_); }
    // The clock has reached `until`: no line after can be inside.
    bool past() const { return past_; }
    const std::optional<UnixSeconds>& until() const { return until_; }
    // How late a line may be written after its time (--max-skew).
    std::int64_t margin() const { return margin_; }
    // The earliest and latest times of the lines read, if any was dated.
    std::optional<std::pair<UnixSeconds, UnixSeconds>> read_from_to() const {
        if (!started_) return std::nullopt;
        return std::pair(earliest_, latest_);
    }
    // Whether every line of a rotated file is before `learns_from` (a time before `since`), by
    // the next file of its log: the latest time of that file's first lines, `next_head`. Those
    // were written after every line of this one, and no line is written more than `margin` after
    // its time.
    bool ends_before(UnixSeconds next_head, UnixSeconds learns_from) const {
        return next_head + margin_ <= learns_from;
    }

private:
    // Of a line that counts at `time`.
    Verdict verdict_at(UnixSeconds time) const {
        if (since_ && time < *since_) return Verdict::before;
        return until_ && time >= *until_ ? Verdict::outside : Verdict::inside;
    }

    std::optional<UnixSeconds> since_, until_;
    std::int64_t margin_;
    bool started_ = false;
    UnixSeconds clock_ = 0;
    std::optional<UnixSeconds> jump_;  // a line further than `margin` ahead, waiting for the next
    bool past_ = false;
    UnixSeconds earliest_ = INT64_MAX, latest_ = INT64_MIN;
};

}  // namespace hitwatch
