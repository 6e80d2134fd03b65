#include "core/section_trends.h"

#include <algorithm>

namespace hitwatch {

void SectionTrends::on_interval(const std::vector<SectionHits>& busiest) {
    std::vector<std::pair<std::string, std::uint64_t>> interval;
    for (const SectionHits& s : busiest) {
        if (s.section != IntervalCounts::kOtherSection) interval.emplace_back(std::string(s.section), s.hits);
    }
    // Every known section decays; those of this interval take in their hits.
    for (auto& [name, normal] : normal_) normal *= 1 - alpha_;
    for (const auto& [name, hits] : interval) normal_[name] += alpha_ * static_cast<double>(hits);
    boost::unordered::erase_if(normal_, [](const auto& entry) { return entry.second < 1e-3; });
    if (normal_.size() > kMaxSections) {
        std::vector<std::pair<double, std::string>> by_normal;
        for (const auto& [name, normal] : normal_) by_normal.emplace_back(normal, name);
        std::nth_element(by_normal.begin(), by_normal.begin() + static_cast<long>(normal_.size() - kMaxSections),
                         by_normal.end());
        for (size_t i = 0; i < normal_.size() - kMaxSections; ++i) normal_.erase(by_normal[i].second);
    }
    recent_.push_back(std::move(interval));
    while (recent_.size() > window_intervals_) recent_.pop_front();
}

std::vector<SectionGrowth> SectionTrends::grew_most(const std::vector<SectionHits>& current, size_t n) const {
    boost::unordered_flat_map<std::string, std::uint64_t, StringHash, StringEqual> in_window;
    for (const auto& interval : recent_) {
        for (const auto& [name, hits] : interval) in_window[name] += hits;
    }
    for (const SectionHits& s : current) {
        if (s.section != IntervalCounts::kOtherSection) in_window[std::string(s.section)] += s.hits;
    }
    std::vector<SectionGrowth> grew;
    for (const auto& [name, hits] : in_window) {
        const auto known = normal_.find(name);
        const double normal = (known == normal_.end() ? 0.0 : known->second) * static_cast<double>(window_intervals_);
        if (static_cast<double>(hits) >= normal + 1) grew.push_back({name, hits, normal});
    }
    const auto more = [](const SectionGrowth& a, const SectionGrowth& b) {
        const double ga = static_cast<double>(a.hits) - a.normal, gb = static_cast<double>(b.hits) - b.normal;
        return ga != gb ? ga > gb : a.section < b.section;
    };
    std::sort(grew.begin(), grew.end(), more);
    if (grew.size() > n) grew.resize(n);
    return grew;
}

}  // namespace hitwatch
