#include "core/latency.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

namespace hitwatch {

namespace {

// A time's key: its binary exponent and the first kKeyBits bits of its mantissa. A key holds
// the times from 2^e (1 + m/64) to 2^e (1 + (m+1)/64): the overall precision's bucket.
constexpr int kKeyBits = 6;
constexpr size_t kKeys = (32 << kKeyBits) + 1;  // 2^0 .. 2^32 (kMaxMicros)
size_t key_of(double t) { return static_cast<size_t>((std::bit_cast<std::uint64_t>(t) >> (52 - kKeyBits)) - (1023ull << kKeyBits)); }
double smallest_of_key(size_t key) { return std::bit_cast<double>(static_cast<std::uint64_t>(key + (1023ull << kKeyBits)) << (52 - kKeyBits)); }

// The section precision's buckets g^0 .. g^(n-1), the last at least kMaxMicros.
constexpr size_t kSectionBuckets = 234;  // ceil(log(2^32) / log(1.1)) + 1
// A coarser key for the section table: 16 a doubling, so a key's times span a factor of at
// most 1 + 1/16, less than g: they fall in one bucket or in two neighbours.
constexpr int kSectionShift = kKeyBits - 4;

// g^0 .. g^(n-1), and for each coarse key the bucket of its smallest time: 2.4 KiB that stay
// in the cache, built before main().
struct SectionTables {
    std::array<double, kSectionBuckets> bounds{};
    std::array<std::uint8_t, (kKeys >> kSectionShift) + 1> bucket_of_key{};
    SectionTables() {
        for (size_t i = 0; i < bounds.size(); ++i) bounds[i] = std::pow(LatencyHistogram::kSectionGrowth, static_cast<double>(i));
        for (size_t key = 0; key < bucket_of_key.size(); ++key) {
            const double smallest = smallest_of_key(key << kSectionShift);
            const auto first = std::lower_bound(bounds.begin(), bounds.end(), smallest);  // first i with t <= g^i
            bucket_of_key[key] = static_cast<std::uint8_t>(std::min<size_t>(first - bounds.begin(), bounds.size() - 1));
        }
    }
};

const SectionTables kSectionTables;

}  // namespace

LatencyHistogram::LatencyHistogram(Precision precision)
    : precision_(precision), buckets_((precision == Precision::overall ? kKeys : kSectionBuckets) + 1, 0) {}

inline size_t LatencyHistogram::bucket_of(std::int64_t micros) const {
    const double t = std::min(static_cast<double>(micros), kMaxMicros);
    if (precision_ == Precision::overall) return key_of(t);
    // The bucket of the coarse key's smallest time, or the next: exact, with no log() for each
    // line, and without a branch (which of the two is data; a mispredicted branch costs more
    // than the rest). No bound check: a time up to kMaxMicros is at most the last bound.
    const size_t i = kSectionTables.bucket_of_key[key_of(t) >> kSectionShift];
    return i + static_cast<size_t>(t > kSectionTables.bounds[i]);
}

void LatencyHistogram::add(std::int64_t micros) {
    ++count_;
    max_micros_ = std::max(max_micros_, micros);
    ++buckets_[micros <= 0 ? 0 : bucket_of(micros) + 1];
}

LatencyHistogram::Range LatencyHistogram::range_of(size_t b) const {
    if (precision_ == Precision::overall) return {smallest_of_key(b), smallest_of_key(b + 1)};
    return {std::pow(kSectionGrowth, static_cast<double>(b) - 1), std::pow(kSectionGrowth, static_cast<double>(b))};
}

double LatencyHistogram::relative_error() const {
    if (precision_ == Precision::overall) return 1.0 / ((2 << kKeyBits) + 1);  // the widest: m = 0
    return (kSectionGrowth - 1) / (kSectionGrowth + 1);
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
        const auto [lower, upper] = range_of(b - 1);
        // Never past the largest time seen (the last bucket holds it).
        return std::min(2 * lower * upper / (lower + upper), static_cast<double>(max_micros_));
    }
    return static_cast<double>(max_micros_);
}

LatencySummary LatencyHistogram::summary() const {
    return {percentile_micros(0.5) / 1000, percentile_micros(0.9) / 1000, percentile_micros(0.99) / 1000,
            static_cast<double>(max_micros_) / 1000};
}

}  // namespace hitwatch
