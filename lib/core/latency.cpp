#include "core/latency.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace hitwatch {

namespace {

size_t bucket_count(double growth) { return static_cast<size_t>(std::ceil(std::log2(LatencyHistogram::kMaxMicros) / std::log2(growth))) + 1; }

// g^0 .. g^(n-1): immutable, one table for each of the two growths in use.
const std::vector<double>* bounds_for(double growth) {
    const auto make = [](double g) {
        std::vector<double> bounds(bucket_count(g));
        for (size_t i = 0; i < bounds.size(); ++i) bounds[i] = std::pow(g, static_cast<double>(i));
        return bounds;
    };
    static const std::vector<double> overall = make(LatencyHistogram::kOverallGrowth);
    static const std::vector<double> section = make(LatencyHistogram::kSectionGrowth);
    if (growth == LatencyHistogram::kOverallGrowth) return &overall;
    if (growth == LatencyHistogram::kSectionGrowth) return &section;
    return nullptr;
}

}  // namespace

LatencyHistogram::LatencyHistogram(double growth)
    : growth_(growth),
      inverse_log2_growth_(1 / std::log2(growth)),
      bounds_(bounds_for(growth)),
      buckets_(bucket_count(growth) + 1, 0) {}

size_t LatencyHistogram::bucket_of(std::int64_t micros) const {
    // The first i with t <= g^i. log2(t) estimated from the double's exponent and mantissa
    // (log2(1 + x) ~ x + 0.346 x (1 - x), within 0.01), then corrected against the bounds:
    // exact, with no log() call for each line.
    const auto t = static_cast<double>(micros);
    const auto bits = std::bit_cast<std::uint64_t>(t);
    const auto e = static_cast<double>(static_cast<int>((bits >> 52) & 0x7FF) - 1023);
    const double x = static_cast<double>(bits & ((1ull << 52) - 1)) * 0x1p-52;
    const double low = (e + x + 0.346 * x * (1 - x)) * inverse_log2_growth_;
    const size_t last = buckets_.size() - 2;
    size_t i = std::min(static_cast<size_t>(low), last);  // t >= 1, so low >= 0: a cast floors it
    if (bounds_ == nullptr) {  // a growth without a table: the slow way
        return std::min(static_cast<size_t>(std::max(0.0, std::ceil(std::log2(t) * inverse_log2_growth_ - 1e-9))), last);
    }
    while (i > 0 && t <= (*bounds_)[i - 1]) --i;
    while (i < last && t > (*bounds_)[i]) ++i;
    return i;
}

void LatencyHistogram::add(std::int64_t micros) {
    ++count_;
    max_micros_ = std::max(max_micros_, micros);
    // [0]: 0 µs; [i + 1]: t in (g^(i-1), g^i]. The last bucket takes the longest times.
    ++buckets_[micros <= 0 ? 0 : bucket_of(micros) + 1];
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    for (size_t i = 0; i < buckets_.size() && i < other.buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    max_micros_ = std::max(max_micros_, other.max_micros_);
}

void LatencyHistogram::clear() {
    if (count_ == 0) return;
    std::fill(buckets_.begin(), buckets_.end(), 0);
    count_ = 0;
    max_micros_ = 0;
}

double LatencyHistogram::percentile_micros(double q) const {
    if (count_ == 0) return 0;
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
    std::uint64_t seen = 0;
    for (size_t b = 0; b < buckets_.size(); ++b) {
        seen += buckets_[b];
        if (seen < rank) continue;
        if (b == 0) return 0;
        const double stands_for = 2 * std::pow(growth_, static_cast<double>(b - 1)) / (growth_ + 1);
        // Never past the largest time seen (the last bucket holds it).
        return std::min(stands_for, static_cast<double>(max_micros_));
    }
    return static_cast<double>(max_micros_);
}

LatencySummary LatencyHistogram::summary() const {
    return {percentile_micros(0.5) / 1000, percentile_micros(0.9) / 1000, percentile_micros(0.99) / 1000,
            static_cast<double>(max_micros_) / 1000};
}

}  // namespace hitwatch
