#include "core/metric_counters.h"

#include <algorithm>

#include "core/section.h"

namespace hitwatch {

void DurationCounts::add(std::int64_t micros) {
    const double seconds = static_cast<double>(micros) / 1e6;
    const auto bucket = std::lower_bound(kDurationBuckets.begin(), kDurationBuckets.end(), seconds) - kDurationBuckets.begin();
    ++buckets[static_cast<std::size_t>(bucket)];
    ++count;
    sum_us = static_cast<std::int64_t>(saturating_add(static_cast<std::uint64_t>(sum_us), static_cast<std::uint64_t>(micros)));
}

SectionSeries& MetricCounters::series_of(std::string_view section) {
    if (series_.empty()) return other_;
    std::string_view name = section;
    if (!is_plain_name(section)) {
        name_.clear();
        append_section_name(section, name_);
        name = name_;
    }
    const auto it = series_.find(name);
    return it == series_.end() ? other_ : it->second;
}

void MetricCounters::list(const std::vector<SectionHits>& sections) {
    for (const SectionHits& s : sections) {
        if (series_.size() >= max_sections_) return;
        // The rest of a truncated interval is no section.
        if (s.section == IntervalCounts::kOtherSection || s.section == kOther) continue;
        if (!series_.contains(s.section)) series_.emplace(std::string(s.section), SectionSeries{});
    }
}

std::vector<std::pair<std::string_view, const SectionSeries*>> MetricCounters::sections() const {
    std::vector<std::pair<std::string_view, const SectionSeries*>> all;
    for (const auto& [name, series] : series_) all.emplace_back(name, &series);
    std::sort(all.begin(), all.end());
    all.emplace_back(kOther, &other_);
    return all;
}

}  // namespace hitwatch
