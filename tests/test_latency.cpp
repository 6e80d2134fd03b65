// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE latency
// Percentiles from the log-bucketed histogram against the exact percentiles of the same
// times, within the stated relative error.
#include "core/latency.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <random>
#include <vector>

using namespace hitwatch;

namespace {

// The time with rank ceil(q n), as the histogram defines its percentiles.
double exact(std::vector<std::int64_t> times, double q) {
    std::sort(times.begin(), times.end());
    const auto rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(q * static_cast<double>(times.size()))));
    return static_cast<double>(times[rank - 1]);
}

// Times spread over six decades, as real response times are (a log-normal around 20 ms).
std::vector<std::int64_t> times(unsigned seed, size_t n) {
    std::mt19937_64 random(seed);
    std::lognormal_distribution<double> spread(std::log(20000.0), 2.0);
    std::vector<std::int64_t> out;
    for (size_t i = 0; i < n; ++i) out.push_back(static_cast<std::int64_t>(spread(random)));
    return out;
}

}  // namespace

constexpr LatencyHistogram::Precision kPrecisions[] = {LatencyHistogram::Precision::overall, LatencyHistogram::Precision::section};

BOOST_AUTO_TEST_CASE(percentiles_are_within_the_stated_error_of_the_exact_ones) {
    for (const auto precision : kPrecisions) {
        for (unsigned seed = 1; seed <= 20; ++seed) {
            const auto sample = times(seed, 1 + seed * 997);
            LatencyHistogram h(precision);
            for (const auto t : sample) h.add(t);
            BOOST_TEST(h.count() == sample.size());
            for (const double q : {0.5, 0.9, 0.99, 1.0}) {
                const double truth = exact(sample, q), estimate = h.percentile_micros(q);
                if (truth == 0) {
                    BOOST_TEST(estimate == 0);
                    continue;
                }
                BOOST_TEST(std::fabs(estimate - truth) / truth <= h.relative_error() + 1e-12,
                           "precision " << int(precision) << " seed " << seed << " q " << q << ": " << estimate << " vs " << truth);
            }
            BOOST_TEST(h.summary().max_ms == static_cast<double>(*std::max_element(sample.begin(), sample.end())) / 1000);
        }
    }
    // The bounds: 1 % overall, 5 % a section.
    BOOST_TEST(LatencyHistogram(LatencyHistogram::Precision::overall).relative_error() <= 0.01);
    BOOST_TEST(LatencyHistogram(LatencyHistogram::Precision::section).relative_error() <= 0.05);
}

BOOST_AUTO_TEST_CASE(merged_histograms_give_the_percentiles_of_all_their_times) {
    const auto a = times(7, 5000), b = times(8, 3000);
    LatencyHistogram ha(LatencyHistogram::Precision::section), hb(LatencyHistogram::Precision::section);
    for (const auto t : a) ha.add(t);
    for (const auto t : b) hb.add(t);
    ha.merge(hb);
    std::vector<std::int64_t> all = a;
    all.insert(all.end(), b.begin(), b.end());
    const double truth = exact(all, 0.99);
    BOOST_TEST(std::fabs(ha.percentile_micros(0.99) - truth) / truth <= ha.relative_error() + 1e-12);
    ha.clear();
    BOOST_TEST(ha.empty());
    BOOST_TEST(ha.percentile_micros(0.5) == 0);
}

BOOST_AUTO_TEST_CASE(zero_and_very_long_times_have_a_place) {
    LatencyHistogram h(LatencyHistogram::Precision::overall);
    h.add(0);
    h.add(0);
    h.add(10'000'000'000'000);  // 115 days: past the last bucket, which takes it; max exact
    BOOST_TEST(h.percentile_micros(0.5) == 0);
    BOOST_TEST(h.summary().max_ms == 1e10);
    BOOST_TEST(h.percentile_micros(1.0) >= LatencyHistogram::kMaxMicros * (1 - h.relative_error()));
}

BOOST_AUTO_TEST_CASE(a_section_histogram_takes_at_most_a_kibibyte) {
    // The buckets a histogram of section precision holds, 4 bytes each.
    const double buckets = std::ceil(std::log2(LatencyHistogram::kMaxMicros) / std::log2(LatencyHistogram::kSectionGrowth)) + 2;
    BOOST_TEST(buckets * 4 <= 1024);
    LatencyHistogram h(LatencyHistogram::Precision::section);
    h.add(static_cast<std::int64_t>(LatencyHistogram::kMaxMicros));  // the last bucket
    BOOST_TEST(h.percentile_micros(1.0) >= LatencyHistogram::kMaxMicros * (1 - h.relative_error()));
}

BOOST_AUTO_TEST_CASE(every_time_lands_in_the_bucket_that_holds_it) {
    // Checked through the value the time's bucket stands for, for every time up to 20 ms and
    // the times either side of every bound of either precision, up to the largest: within the
    // stated error of the time; at section precision, exactly the bucket (g^(i-1), g^i].
    const double g = LatencyHistogram::kSectionGrowth;
    std::vector<std::int64_t> probes;
    for (std::int64_t t = 1; t <= 20000; ++t) probes.push_back(t);
    for (double bound = 1; bound < LatencyHistogram::kMaxMicros; bound *= g) {
        for (const auto t : {std::floor(bound), std::ceil(bound), std::ceil(bound) + 1}) probes.push_back(static_cast<std::int64_t>(t));
    }
    for (int e = 0; e < 32; ++e) {
        for (int m = 0; m < 64; ++m) {
            const double bound = std::ldexp(1 + m / 64.0, e);
            for (const auto t : {std::floor(bound) - 1, std::floor(bound), std::ceil(bound)}) probes.push_back(static_cast<std::int64_t>(std::max(1.0, t)));
        }
    }
    probes.push_back(static_cast<std::int64_t>(LatencyHistogram::kMaxMicros));
    for (const auto precision : kPrecisions) {
        LatencyHistogram h(precision);
        for (const auto t : probes) {
            h.clear();
            h.add(t);
            h.add(t);
            h.add(static_cast<std::int64_t>(LatencyHistogram::kMaxMicros));  // so that the maximum caps nothing
            const double stands_for = h.percentile_micros(0.5), time = static_cast<double>(t);
            BOOST_TEST_REQUIRE(std::fabs(stands_for - time) <= time * h.relative_error() * (1 + 1e-12),
                               "precision " << int(precision) << " time " << t << " stands for " << stands_for);
            if (precision == LatencyHistogram::Precision::section) {
                const double upper = stands_for * (g + 1) / 2;  // g^i of t's bucket
                BOOST_TEST_REQUIRE((time <= upper * (1 + 1e-12) && time > upper / g * (1 + 1e-12)), "time " << t << " bound " << upper);
            }
        }
    }
}
