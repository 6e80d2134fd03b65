// SPDX-License-Identifier: Apache-2.0
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

std::string_view MetricCounters::name_of(std::string_view section) {
    if (is_plain_name(section)) return section;
    name_.clear();
    append_section_name(section, name_);
    return name_;
}

SectionSeries& MetricCounters::series_of(std::string_view name) {
    const auto it = series_.find(name);
    return it == series_.end() ? other_ : it->second;
}

void MetricCounters::note_unlisted(std::string_view name) {
    const auto it = unlisted_.find(name);
    if (it != unlisted_.end()) {
        ++it->second;
    } else if (unlisted_.size() < 4 * max_sections_) {
        unlisted_.emplace(std::string(name), 1);
    }
}

void MetricCounters::list(const std::vector<SectionHits>& sections) {
    for (const SectionHits& s : sections) {
        if (series_.size() >= max_sections_) break;
        // The rest of a truncated interval is no section.
        if (s.section == IntervalCounts::kOtherSection || s.section == kOther) continue;
        if (series_.contains(s.section)) continue;
        SectionSeries& series = series_.emplace(std::string(s.section), SectionSeries{}).first->second;
        if (const auto it = unlisted_.find(s.section); it != unlisted_.end()) {
            series.requests = it->second;
            carried_ += it->second;
        }
    }
    unlisted_.clear();
}

std::vector<std::pair<std::string_view, const SectionSeries*>> MetricCounters::sections() const {
    std::vector<std::pair<std::string_view, const SectionSeries*>> all;
    for (const auto& [name, series] : series_) all.emplace_back(name, &series);
    std::sort(all.begin(), all.end());
    // Requests carried away leave "(other)" only as it grows past them.
    other_shown_.durations = other_.durations;
    if (other_.requests >= carried_) other_shown_.requests = std::max(other_shown_.requests, other_.requests - carried_);
    all.emplace_back(kOther, &other_shown_);
    return all;
}

}  // namespace hitwatch
