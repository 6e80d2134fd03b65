// SPDX-License-Identifier: Apache-2.0
#pragma once
// The learned normal of the alert window's hits and the band around it, which the adaptive
// traffic rule judges a rise by and the drop alert a fall: the same learning and the same
// arithmetic on either side.
//
//   band     = max(margin, k * sd + (k^2 - 1) / 6)      k: --alert-sensitivity
//   high     : W > L + band, and the traffic at least min_change above L
//   low      : W < L - band, and the traffic at least min_change below L
//   recovery : the traffic back within 60 % of the band (hysteresis, so a window at the
//              limit does not flap)
// where L is the learned level and sd the window's noise at it (Poisson noise at least;
// learned, core/learned_normal.h), and (k^2 - 1) / 6 is how much further a Poisson count's
// tail reaches. "The traffic" is the window, or its newest quarter scaled to the window (less
// twice its own noise): a step shows in the newest 30 s before it fills the window, so a
// burst of +50 % is caught once it is certain, not only once the window has risen by the
// minimum.
// Until the horizon is learned after a first start, sd is at least a fading share of L: a
// new site's bursts are not taken for incidents while nothing is known of them.
#include <algorithm>
#include <cstdint>

#include "core/learned_normal.h"
#include "core/window.h"

namespace hitwatch {

struct TrafficBandSettings {
    double sensitivity = 5;  // k, in standard deviations of the window's noise
    double margin = 10;      // hits: the least band, for very quiet sites
    double min_change = 0.2;
};

class TrafficNormal {
public:
    // The share of the level a first start takes as its noise until it has learned.
    static constexpr double kPriorShare = 1.0;
    static constexpr double kRecoveryShare = 0.6;

    TrafficNormal(std::int64_t window_s, const NormalSettings& learning, const TrafficBandSettings& band);

    // A second ended with `hits` (the newest quarter moves on); the window's own total is the
    // caller's.
    void push_second(std::uint64_t hits) { newest_.push(hits); }
    void add_late(std::uint64_t ago, std::uint64_t hits) { newest_.add(ago, hits); }
    // An interval ended with the window at `w`; `alert_on`: the caller's alert is on.
    void learn(double w, bool alert_on);

    double level() const { return normal_.level(); }
    // The statistical band: how far beyond the level is improbable.
    double band() const;
    // That or the minimum change, whichever is wider.
    double wide_band() const;
    bool rose(double w) const;
    bool fell(double w) const;
    // Still high (low): the window or its newest quarter beyond the recovery level.
    bool still_high(double w) const { return std::max(w, newest_as_window()) > recovery_high(); }
    bool still_low(double w) const { return std::min(w, newest_as_window()) < recovery_low(); }
    double recovery_high() const { return level() + kRecoveryShare * wide_band(); }
    double recovery_low() const { return level() - kRecoveryShare * wide_band(); }
    double noise() const;

    const LearnedNormal& normal() const { return normal_; }
    LearnedNormal& normal() { return normal_; }
    void retune(const NormalSettings& learning, const TrafficBandSettings& band) {
        normal_.retune(learning);
        band_ = band;
    }

private:
    // The window's newest quarter, scaled to a whole window, and its noise so scaled.
    double newest_as_window() const;
    double newest_noise() const;

    LearnedNormal normal_;
    TrafficBandSettings band_;
    HitWindow newest_;
    double quarters_;  // window_s / newest_'s slots
};

}  // namespace hitwatch
