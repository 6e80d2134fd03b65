#include "core/interval.h"

#include <algorithm>

namespace hitwatch {

IntervalCounts::SectionMap::iterator IntervalCounts::insert_section(std::string_view section) {
    if (sections_.size() >= kMaxSections) {
        auto other = sections_.find(kOtherSection);
        if (other != sections_.end()) return other;
        section = kOtherSection;
    }
    return sections_.emplace(std::string(section), 0).first;
}

std::vector<SectionHits> IntervalCounts::top_sections(size_t n) const {
    std::vector<SectionHits> all;
    all.reserve(sections_.size());
    for (const auto& [name, hits] : sections_) {
        if (hits > 0) all.push_back({name, hits});
    }
    const auto busier = [](const SectionHits& a, const SectionHits& b) {
        return a.hits != b.hits ? a.hits > b.hits : a.section < b.section;
    };
    n = std::min(n, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<long>(n), all.end(), busier);
    all.resize(n);
    return all;
}

size_t IntervalCounts::distinct_sections() const {
    return static_cast<size_t>(std::count_if(sections_.begin(), sections_.end(),
                                             [](const auto& entry) { return entry.second > 0; }));
}

void IntervalCounts::reset() {
    hits_ = bytes_ = invalid_ = 0;
    status_classes_.fill(0);
    boost::unordered::erase_if(sections_, [](const auto& entry) { return entry.second == 0; });
    for (auto& entry : sections_) entry.second = 0;
}

}  // namespace hitwatch
