// SPDX-License-Identifier: Apache-2.0
#pragma once
// Response times of an interval as a histogram of buckets that widen with the time, so that
// every percentile it gives is within a fixed relative error of the true one (DDSketch's
// argument): a bucket that holds the times between lo and hi stands for 2 lo hi / (lo + hi),
// within (hi - lo) / (hi + lo) of each of them. Times of 0 µs have a bucket of their own;
// those above kMaxMicros count as kMaxMicros (the maximum stays exact).
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hitwatch {

namespace latency_detail {
// A time's key: its binary exponent and the first kKeyBits bits of its mantissa. A key holds
// the times from 2^e (1 + m/64) to 2^e (1 + (m+1)/64): the overall precision's bucket.
constexpr int kKeyBits = 6;
constexpr std::size_t kKeys = (32 << kKeyBits) + 1;  // 2^0 .. 2^32 (kMaxMicros)
inline std::size_t key_of(double t) {
    return static_cast<std::size_t>((std::bit_cast<std::uint64_t>(t) >> (52 - kKeyBits)) - (1023ull << kKeyBits));
}
// The section precision's buckets g^0 .. g^(n-1), the last at least kMaxMicros.
constexpr std::size_t kSectionBuckets = 234;  // ceil(log(2^32) / log(1.1)) + 1
// A coarser key for the section table: 16 a doubling, so a key's times span a factor of at
// most 1 + 1/16, less than g: they fall in one bucket or in two neighbours.
constexpr int kSectionShift = kKeyBits - 4;
// g^0 .. g^(n-1), and for each coarse key the bucket of its smallest time: 2.4 KiB that stay
// in the cache, built before main() (latency.cpp).
struct SectionTables {
    std::array<double, kSectionBuckets> bounds{};
    std::array<std::uint8_t, (kKeys >> kSectionShift) + 1> bucket_of_key{};
    SectionTables();
};
extern const SectionTables kSectionTables;
}  // namespace latency_detail

struct LatencySummary {
    double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

class LatencyHistogram {
public:
    static constexpr double kMaxMicros = 4294967296.0;  // 2^32 µs: 71 minutes

    // How finely times are told apart.
    enum class Precision : std::uint8_t {
        // An interval's times: 64 buckets a doubling, [2^e (1 + m/64), 2^e (1 + (m+1)/64)),
        // read off the time's exponent and first mantissa bits with no table. Relative error
        // 1/129 (0.78 %), 8.3 KiB.
        overall,
        // A section's: buckets (g^(i-1), g^i] with g = 1.1, a small table look-up and one
        // comparison. Relative error (g - 1)/(g + 1) (4.76 %), 0.9 KiB, so 10,000 sections take
        // about 10 MiB.
        section,
    };
    static constexpr double kSectionGrowth = 1.1;

    explicit LatencyHistogram(Precision precision);

    // Inline: it runs for every line with a response time, twice.
    void add(std::int64_t micros) {
        ++count_;
        max_micros_ = std::max(max_micros_, micros);
        ++buckets_[micros <= 0 ? 0 : bucket_of(micros) + 1];  // [0]: 0 µs
    }
    // Of the same precision.
    void merge(const LatencyHistogram& other);
    // Takes out what merge() added of `other` (a sliding window's sum); the maximum stays
    // the largest seen, an upper bound.
    void subtract(const LatencyHistogram& other);
    void clear();

    std::uint64_t count() const { return count_; }
    bool empty() const { return count_ == 0; }
    // The time with rank ceil(q * count) in ascending order, as the bucket that holds it
    // stands for it; 0 when empty.
    double percentile_micros(double q) const;
    LatencySummary summary() const;
    double relative_error() const;

private:
    // The bucket of a time of at least 1 µs.
    std::size_t bucket_of(std::int64_t micros) const {
        using namespace latency_detail;
        const double t = std::min(static_cast<double>(micros), kMaxMicros);
        if (precision_ == Precision::overall) return key_of(t);
        // The bucket of the coarse key's smallest time, or the next: exact, with no log() for
        // each line, and without a branch (which of the two is data; a mispredicted branch
        // costs more than the rest). No bound check: a time up to kMaxMicros is at most the
        // last bound.
        const std::size_t i = kSectionTables.bucket_of_key[key_of(t) >> kSectionShift];
        return i + static_cast<std::size_t>(t > kSectionTables.bounds[i]);
    }
    // The times bucket b holds: from `lower` to `upper`.
    struct Range {
        double lower, upper;
    };
    Range range_of(std::size_t b) const;

    Precision precision_;
    std::vector<std::uint32_t> buckets_;  // [0]: 0 µs; [b + 1]: bucket b
    std::uint64_t count_ = 0;
    std::int64_t max_micros_ = 0;
};

}  // namespace hitwatch
