// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which sections grew: each busy section's normal share of the traffic, learned interval by
// interval as the traffic's normal is (from the first interval on, a plain mean until the
// horizon's smoothing takes over, not learning from the first minutes of an alert), and the
// busiest sections of the intervals in the alert window. An alert names the sections whose
// hits over exactly the alert's window most exceed their share of the window's normal hits,
// so in the first hour too it names only what grew, and the sections it counts add up to the
// window.
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "core/alert.h"
#include "core/interval.h"
#include "core/string_hash.h"

namespace hitwatch {

// What the sections learned, which the state file carries across a restart.
struct SectionShares {
    std::vector<std::pair<std::string, double>> shares;  // of an interval's hits
    std::uint64_t intervals = 0;                          // learned from
    std::uint64_t anomalous = 0;                          // consecutive intervals under an alert
};

class SectionTrends {
public:
    // Sections whose share is learned, at most (the least busy are forgotten first).
    static constexpr size_t kMaxSections = 1000;

    SectionTrends(size_t window_intervals, const NormalSettings& learning)
        : window_intervals_(window_intervals), learning_(learning) {}

    // An interval of `hits` ended with these busiest sections (hits as counted, "(other)" left
    // out); `alert_on`: the traffic is anomalous (a traffic or drop alert is on).
    void on_interval(const std::vector<SectionHits>& busiest, std::uint64_t hits, bool alert_on);
    // The `n` sections that grew most over the window: `current`, the interval in progress,
    // `into` of the way through (0 to 1), the intervals before it, and the part of the oldest
    // one still in the window; against their shares of `normal_window` hits.
    std::vector<SectionGrowth> grew_most(const std::vector<SectionHits>& current, double into, double normal_window,
                                         size_t n) const;

    SectionShares saved() const;
    void restore(const SectionShares& saved);

private:
    double rate() const;  // this interval's weight: a mean at first, then the horizon's

    size_t window_intervals_;
    NormalSettings learning_;
    std::deque<std::vector<std::pair<std::string, std::uint64_t>>> recent_;
    boost::unordered_flat_map<std::string, double, StringHash, StringEqual> share_;
    std::uint64_t intervals_ = 0;
    std::uint64_t anomalous_ = 0;
};

}  // namespace hitwatch
