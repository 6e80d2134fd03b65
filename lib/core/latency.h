#pragma once
// Response times of an interval as a log-bucketed histogram: bucket i holds the times in
// (g^(i-1), g^i] microseconds and stands for 2 g^i / (g + 1), so every percentile it gives is
// within (g - 1) / (g + 1) of the true one (relative error; DDSketch's argument). Times of
// 0 µs have a bucket of their own; those above kMaxMicros count as kMaxMicros (the maximum
// stays exact).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hitwatch {

struct LatencyBucketTables;

struct LatencySummary {
    double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

class LatencyHistogram {
public:
    static constexpr double kMaxMicros = 4294967296.0;  // 2^32 µs: 71 minutes
    // Relative errors: 1 % for an interval's overall times (4.4 KiB), 5 % for a section's
    // (0.9 KiB each, so 10,000 sections take about 10 MiB).
    static constexpr double kOverallGrowth = 1.02;  // error 0.99 %
    static constexpr double kSectionGrowth = 1.1;   // error 4.76 %

    explicit LatencyHistogram(double growth);

    void add(std::int64_t micros);
    void merge(const LatencyHistogram& other);
    void clear();

    std::uint64_t count() const { return count_; }
    bool empty() const { return count_ == 0; }
    // The time with rank ceil(q * count) in ascending order, as the bucket that holds it
    // stands for it; 0 when empty.
    double percentile_micros(double q) const;
    LatencySummary summary() const;
    double relative_error() const { return (growth_ - 1) / (growth_ + 1); }

private:
    // The bucket of a time of at least 1 µs.
    std::size_t bucket_of(std::int64_t micros) const;

    double growth_;
    double inverse_log2_growth_;  // 1 / log2(growth)
    const LatencyBucketTables* tables_;  // shared by the histograms of a growth (latency.cpp)
    std::vector<std::uint32_t> buckets_;  // [0]: 0 µs; [i + 1]: bucket i
    std::uint64_t count_ = 0;
    std::int64_t max_micros_ = 0;
};

}  // namespace hitwatch
