#include "core/latency.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace hitwatch {

namespace {

size_t bucket_count(double growth) { return static_cast<size_t>(std::ceil(std::log2(LatencyHistogram::kMaxMicros) / std::log2(growth))) + 1; }

// The key of a time of at least 1 µs: its binary exponent and the first kKeyBits bits of its
// mantissa, so that a key's times span a factor of at most 1 + 2^-kKeyBits (1.008), less than
// the smallest growth: they fall in one bucket or in two neighbours.
constexpr int kKeyBits = 7;
constexpr int kExponents = 33;  // 2^0 .. 2^32 (kMaxMicros)
size_t key_of(double t) { return static_cast<size_t>((std::bit_cast<std::uint64_t>(t) >> (52 - kKeyBits)) - (1023ull << kKeyBits)); }

// The first i with t <= g^i, by a search of the bounds; clamped to the last bucket.
size_t search_bucket(const std::vector<double>& bounds, double t) {
    const auto it = std::lower_bound(bounds.begin(), bounds.end(), t);
    return std::min(static_cast<size_t>(it - bounds.begin()), bounds.size() - 1);
}

}  // namespace

// g^0 .. g^(n-1), and for each key the bucket of its smallest time: immutable, one of each
// for each of the two growths in use.
struct LatencyBucketTables {
    std::vector<double> bounds;
    std::vector<std::uint16_t> bucket_of_key;
    explicit LatencyBucketTables(double g) : bounds(bucket_count(g)), bucket_of_key(kExponents << kKeyBits) {
        for (size_t i = 0; i < bounds.size(); ++i) bounds[i] = std::pow(g, static_cast<double>(i));
        for (size_t key = 0; key < bucket_of_key.size(); ++key) {
            const auto smallest = std::bit_cast<double>(static_cast<std::uint64_t>(key + (1023ull << kKeyBits)) << (52 - kKeyBits));
            bucket_of_key[key] = static_cast<std::uint16_t>(search_bucket(bounds, smallest));
        }
    }
};

namespace {

const LatencyBucketTables* tables_for(double growth) {
    static const LatencyBucketTables overall(LatencyHistogram::kOverallGrowth);
    static const LatencyBucketTables section(LatencyHistogram::kSectionGrowth);
    if (growth == LatencyHistogram::kOverallGrowth) return &overall;
    if (growth == LatencyHistogram::kSectionGrowth) return &section;
    return nullptr;
}

}  // namespace

LatencyHistogram::LatencyHistogram(double growth)
    : growth_(growth),
      inverse_log2_growth_(1 / std::log2(growth)),
      tables_(tables_for(growth)),
      buckets_(bucket_count(growth) + 1, 0) {}

size_t LatencyHistogram::bucket_of(std::int64_t micros) const {
    const auto t = static_cast<double>(micros);
    const size_t last = buckets_.size() - 2;
    if (tables_ == nullptr) {  // a growth without tables (tests): the slow way
        return std::min(static_cast<size_t>(std::max(0.0, std::ceil(std::log2(t) * inverse_log2_growth_ - 1e-9))), last);
    }
    // The bucket of the key's smallest time, or the next (see kKeyBits): a table look-up and
    // one comparison, exact, with no log() for each line.
    // Without a branch: which of the two is data, and a mispredicted branch costs more than
    // the rest. (No bound check either: a time up to kMaxMicros is at most the last bound.)
    if (t > kMaxMicros) return last;
    const size_t i = tables_->bucket_of_key[key_of(t)];
    return i + static_cast<size_t>(t > tables_->bounds[i]);
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
