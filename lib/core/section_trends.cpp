// SPDX-License-Identifier: Apache-2.0
#include "core/section_trends.h"

#include <algorithm>

namespace hitwatch {

double SectionTrends::rate() const {
    return std::max(learning_.alpha, 1.0 / static_cast<double>(std::max<std::uint64_t>(1, intervals_)));
}

void SectionTrends::on_interval(const std::vector<SectionHits>& busiest, std::uint64_t hits, bool alert_on) {
    std::vector<std::pair<std::string, std::uint64_t>> interval;
    for (const SectionHits& s : busiest) {
        if (s.section != IntervalCounts::kOtherSection) interval.emplace_back(std::string(s.section), s.hits);
    }
    recent_.push_back(interval);
    while (recent_.size() > window_intervals_) recent_.pop_front();
    anomalous_ = alert_on ? anomalous_ + 1 : 0;
    // As the traffic's normal: nothing from an empty interval or the first minutes of an alert.
    if (hits == 0 || (anomalous_ > 0 && anomalous_ <= learning_.freeze)) return;
    ++intervals_;
    const double a = rate();
    for (auto& [name, share] : share_) share *= 1 - a;
    for (const auto& [name, count] : interval) {
        share_[name] += a * static_cast<double>(count) / static_cast<double>(hits);
    }
    boost::unordered::erase_if(share_, [](const auto& entry) { return entry.second < 1e-6; });
    if (share_.size() > kMaxSections) {
        std::vector<std::pair<double, std::string>> by_share;
        for (const auto& [name, share] : share_) by_share.emplace_back(share, name);
        const auto drop = static_cast<long>(share_.size() - kMaxSections);
        std::nth_element(by_share.begin(), by_share.begin() + drop, by_share.end());
        for (long i = 0; i < drop; ++i) share_.erase(by_share[static_cast<size_t>(i)].second);
    }
}

std::vector<SectionGrowth> SectionTrends::grew_most(const std::vector<SectionHits>& current, double into,
                                                    double normal_window, size_t n) const {
    boost::unordered_flat_map<std::string, double, StringHash, StringEqual> in_window;
    // The window ends now: the oldest interval counts for the part of it still inside, in
    // proportion (whole at an interval's end).
    const bool full = recent_.size() == window_intervals_;
    for (size_t i = 0; i < recent_.size(); ++i) {
        const double part = i == 0 && full ? 1 - into : 1.0;
        for (const auto& [name, hits] : recent_[i]) in_window[name] += part * static_cast<double>(hits);
    }
    for (const SectionHits& s : current) {
        if (s.section != IntervalCounts::kOtherSection) in_window[std::string(s.section)] += static_cast<double>(s.hits);
    }
    std::vector<SectionGrowth> grew;
    for (const auto& [name, hits] : in_window) {
        const auto known = share_.find(name);
        const double normal = (known == share_.end() ? 0.0 : known->second) * normal_window;
        const auto whole = static_cast<std::uint64_t>(hits + 0.5);
        if (static_cast<double>(whole) >= normal + 1) grew.push_back({name, whole, normal});
    }
    const auto more = [](const SectionGrowth& a, const SectionGrowth& b) {
        const double ga = static_cast<double>(a.hits) - a.normal, gb = static_cast<double>(b.hits) - b.normal;
        return ga != gb ? ga > gb : a.section < b.section;
    };
    std::sort(grew.begin(), grew.end(), more);
    if (grew.size() > n) grew.resize(n);
    return grew;
}

SectionShares SectionTrends::saved() const {
    SectionShares s;
    s.shares.assign(share_.begin(), share_.end());
    std::sort(s.shares.begin(), s.shares.end());
    s.intervals = intervals_;
    s.anomalous = anomalous_;
    return s;
}

void SectionTrends::restore(const SectionShares& saved) {
    share_.clear();
    for (const auto& [name, share] : saved.shares) {
        if (share_.size() < kMaxSections) share_[name] = share;
    }
    intervals_ = saved.intervals;
    anomalous_ = saved.anomalous;
}

}  // namespace hitwatch
