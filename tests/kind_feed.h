// SPDX-License-Identifier: Apache-2.0
#pragma once
// Feeds an errors, latency or drop alert second by second from a fixed seed, as the monitor
// does: each second's requests (Poisson at a rate), 5xx among them, response times; an
// interval every 10 s. The unit tests of the alert kinds share it.
#include <functional>
#include <random>
#include <vector>

#include "core/kind_alert.h"

namespace test {

struct Second {
    double rate = 20;
    double errors = 0.01;   // share of 5xx
    double median_ms = -1;  // lognormal response times (sigma 0.5) around it; < 0: none
};

struct Change {
    hitwatch::UnixSeconds at;
    bool on;
};

// `seconds` seconds from `from`; the state changes.
inline std::vector<Change> feed(hitwatch::KindAlert& alert, std::mt19937& rng, hitwatch::UnixSeconds from,
                                hitwatch::UnixSeconds seconds, const std::function<Second(hitwatch::UnixSeconds)>& traffic) {
    std::vector<Change> changes;
    hitwatch::LatencyHistogram times(hitwatch::LatencyHistogram::Precision::section);
    std::uniform_real_distribution<double> share(0, 1);
    std::normal_distribution<double> spread(0, 0.5);
    for (hitwatch::UnixSeconds t = from; t < from + seconds; ++t) {
        const Second s = traffic(t);
        std::poisson_distribution<std::uint64_t> arrivals(s.rate > 0 ? s.rate : 1);
        hitwatch::SecondCounts counts;
        counts.hits = s.rate > 0 ? arrivals(rng) : 0;
        times.clear();
        for (std::uint64_t i = 0; i < counts.hits; ++i) {
            counts.errors += share(rng) < s.errors;
            if (s.median_ms >= 0) times.add(static_cast<std::int64_t>(s.median_ms * 1000 * std::exp(spread(rng))));
        }
        counts.latency = &times;
        if (const auto e = alert.on_second(t + 1, counts)) changes.push_back({e->at, e->high});
        if ((t + 1) % 10 == 0) alert.on_interval();
    }
    return changes;
}

inline std::function<Second(hitwatch::UnixSeconds)> steady(Second s) {
    return [s](hitwatch::UnixSeconds) { return s; };
}

}  // namespace test
