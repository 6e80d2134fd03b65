#pragma once
// Which sections grew: each busy section's normal hits per interval, learned interval by
// interval (exponential smoothing at the alert rule's horizon), and the busiest sections of
// the intervals still in the alert window. An alert names the sections whose hits in the
// window most exceed their normal share of it.
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

class SectionTrends {
public:
    // Sections whose normal is learned, at most (the least busy are forgotten first).
    static constexpr size_t kMaxSections = 1000;

    SectionTrends(size_t window_intervals, double alpha) : window_intervals_(window_intervals), alpha_(alpha) {}

    // An interval ended with these busiest sections (hits as counted, "(other)" left out).
    void on_interval(const std::vector<SectionHits>& busiest);
    // The `n` sections that grew most in the window: the intervals it holds and `current`,
    // the interval in progress, against their normal hits over as many intervals.
    std::vector<SectionGrowth> grew_most(const std::vector<SectionHits>& current, size_t n) const;

private:
    size_t window_intervals_;
    double alpha_;
    std::deque<std::vector<std::pair<std::string, std::uint64_t>>> recent_;
    boost::unordered_flat_map<std::string, double, StringHash, StringEqual> normal_;  // hits per interval
};

}  // namespace hitwatch
