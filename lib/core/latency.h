#pragma once
// Response times of an interval as a histogram of buckets that widen with the time, so that
// every percentile it gives is within a fixed relative error of the true one (DDSketch's
// argument): a bucket that holds the times between lo and hi stands for 2 lo hi / (lo + hi),
// within (hi - lo) / (hi + lo) of each of them. Times of 0 µs have a bucket of their own;
// those above kMaxMicros count as kMaxMicros (the maximum stays exact).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hitwatch {

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

    void add(std::int64_t micros);
    // Of the same precision.
    void merge(const LatencyHistogram& other);
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
    std::size_t bucket_of(std::int64_t micros) const;
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
