// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the errors, latency and drop alerts share: they are on by default (--alert-kinds),
// learn their normal like the traffic rule (core/learned_normal.h), judge every second once
// their window holds a whole window counted as it happened, and go on learning while
// switched off by a reload, so switching one back on needs no new warm-up.
//
// A window that does not hold what happened is not judged: after a start or a restart
// (their windows are not saved), a step of the wall clock, or while a backlog is being read
// (the lines of those seconds are still to come). The drop alert would otherwise see an
// empty window and page for traffic that was never missing.
#include <cstdint>
#include <optional>

#include "core/alert.h"
#include "core/latency.h"

namespace hitwatch {

// What a second counted, for the alerts that judge more than hits.
struct SecondCounts {
    std::uint64_t hits = 0;
    std::uint64_t errors = 0;                     // 5xx
    const LatencyHistogram* latency = nullptr;    // its response times (section precision)
};

// A kind's state, which the state file carries across a restart.
struct SavedKind {
    AlertKind kind = AlertKind::errors;
    NormalLearning learning;
    bool active = false;
    UnixSeconds since = 0;  // when it went high or low, while active
};

// How a kind stands now, for /status and the metrics.
struct KindStatus {
    AlertKind kind = AlertKind::errors;
    bool enabled = false;
    bool active = false;
    bool judging = false;       // its window is whole and it has learned enough
    std::int64_t learning_left_s = 0;  // warming up: how long still
    std::optional<double> value, normal, limit;  // in its unit (hits, a share, ms), when known
};

class KindAlert {
public:
    KindAlert(AlertKind kind, const AlertSettings& settings);
    virtual ~KindAlert() = default;

    // The second that ends at `now` counted `second`.
    std::optional<AlertEvent> on_second(UnixSeconds now, const SecondCounts& second);
    // The interval that ends now: learns from the window, when it is whole.
    void on_interval();
    // The window no longer holds what happened: it is judged again once a whole window has
    // been counted after this.
    void discontinuity() { whole_after_ = seconds_ + window_seconds(); }
    // `seconds` empty seconds went by (a replay skipping a quiet gap); only when quiet().
    void skip_seconds(std::uint64_t seconds);
    // Nothing can change while nothing is counted: the window is empty and the state would
    // stay as it is.
    virtual bool quiet() const = 0;
    // New thresholds, same window; switched off while active: the recovery, ended by reload.
    std::optional<AlertEvent> retune(UnixSeconds now, const AlertSettings& settings);

    AlertKind kind() const { return kind_; }
    bool active() const { return active_; }
    KindStatus status() const;
    SavedKind saved() const { return {kind_, learned().learning(), active_, active_ ? since_ : 0}; }
    void restore(const SavedKind& saved);

protected:
    bool enabled() const { return settings_.kinds.has(kind_); }
    bool whole() const { return seconds_ >= whole_after_; }
    std::int64_t window_seconds() const { return settings_.window_s; }
    // The window takes in a second.
    virtual void push(const SecondCounts& second) = 0;
    // Whether the window's value is known (enough requests for a share or a percentile).
    virtual bool measurable() const = 0;
    // Judged while normal: raise. While active: stay (not yet back within the recovery level).
    virtual bool raised() const = 0;
    virtual bool stays() const = 0;
    // Learns from the window's value (only while measurable).
    virtual void learn() = 0;
    virtual const LearnedNormal& learned() const = 0;
    virtual LearnedNormal& learned() = 0;
    // New settings for what it learns and judges.
    virtual void retuned() = 0;
    // The kind's figures, into an event.
    virtual void describe(AlertEvent& event) const = 0;
    virtual void fill(KindStatus& status) const = 0;

    AlertKind kind_;
    AlertSettings settings_;
    bool active_ = false;
    UnixSeconds since_ = 0;

private:
    AlertEvent event(UnixSeconds now) const;

    std::uint64_t seconds_ = 0;      // counted since this alert was made
    std::uint64_t whole_after_ = 0;  // the window is whole from this count on
};

}  // namespace hitwatch
