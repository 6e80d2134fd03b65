// SPDX-License-Identifier: Apache-2.0
#include "core/latency.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

namespace hitwatch {

namespace latency_detail {

namespace {
double smallest_of_key(size_t key) { return std::bit_cast<double>(static_cast<std::uint64_t>(key + (1023ull << kKeyBits)) << (52 - kKeyBits)); }
}  // namespace

SectionTables::SectionTables() {
    for (size_t i = 0; i < bounds.size(); ++i) bounds[i] = std::pow(LatencyHistogram::kSectionGrowth, static_cast<double>(i));
    for (size_t key = 0; key < bucket_of_key.size(); ++key) {
        const double smallest = smallest_of_key(key << kSectionShift);
        const auto first = std::lower_bound(bounds.begin(), bounds.end(), smallest);  // first i with t <= g^i
        bucket_of_key[key] = static_cast<std::uint8_t>(std::min<size_t>(first - bounds.begin(), bounds.size() - 1));
    }
}

const SectionTables kSectionTables;

}  // namespace latency_detail

using namespace latency_detail;

LatencyHistogram::LatencyHistogram(Precision precision)
    : precision_(precision), buckets_((precision == Precision::overall ? kKeys : kSectionBuckets) + 1, 0) {}

LatencyHistogram::Range LatencyHistogram::range_of(size_t b) const {
    if (precision_ == Precision::overall) return {smallest_of_key(b), smallest_of_key(b + 1)};
    return {std::pow(kSectionGrowth, static_cast<double>(b) - 1), std::pow(kSectionGrowth, static_cast<double>(b))};
}

double LatencyHistogram::relative_error() const {
    if (precision_ == Precision::overall) return 1.0 / ((2 << kKeyBits) + 1);  // the widest: m = 0
    return (kSectionGrowth - 1) / (kSectionGrowth + 1);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    // Most logs have no response times: an empty histogram's 2049 buckets add nothing, and a
    // sparse log merges one each interval.
    if (other.count_ == 0) return;
    for (size_t i = 0; i < buckets_.size() && i < other.buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    max_micros_ = std::max(max_micros_, other.max_micros_);
}

void LatencyHistogram::subtract(const LatencyHistogram& other) {
    if (other.count_ == 0) return;
    for (size_t i = 0; i < buckets_.size() && i < other.buckets_.size(); ++i) buckets_[i] -= other.buckets_[i];
    count_ -= other.count_;
    if (count_ == 0) max_micros_ = 0;
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
