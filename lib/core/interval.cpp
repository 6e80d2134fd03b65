#include "core/interval.h"

#include <algorithm>
#include <cmath>

#include "core/section.h"

namespace hitwatch {

IntervalCounts::IntervalCounts(size_t max_sections)
    : max_sections_(max_sections), summary_(max_sections), next_max_sections_(max_sections) {}

std::string_view IntervalCounts::name_of(std::string_view section) {
    if (is_plain_name(section)) return section;
    name_.clear();
    append_section_name(section, name_);
    return name_;
}

void IntervalCounts::add_latency(std::string_view section, std::int64_t duration_us) {
    latency_.add(duration_us);
    // Looked up as it came first: a name that needs encoding differs from every key, which
    // are all names, so only then is it encoded.
    auto it = section_latency_.find(section);
    if (it == section_latency_.end()) {
        const std::string_view name = name_of(section);
        it = section_latency_.find(name);
        if (it == section_latency_.end()) {
            if (truncated_ || section_latency_.size() >= max_sections_) return;
            it = section_latency_.emplace(std::string(name), LatencyHistogram(LatencyHistogram::kSectionGrowth)).first;
        }
    }
    it->second.add(duration_us);
}

void IntervalCounts::count_new(std::string_view section) {
    const std::string_view name = name_of(section);
    if (truncated_) return summary_.add(name);
    auto it = sections_.find(name);
    if (it != sections_.end() && it->second > 0) {
        ++it->second;  // odd bytes whose name is counted already
        return;
    }
    if (distinct_ == max_sections_) {
        truncate();
        return summary_.add(name);
    }
    if (it == sections_.end()) it = sections_.emplace(std::string(name), 0).first;
    ++distinct_;
    ++it->second;
}

void IntervalCounts::truncate() {
    std::vector<std::pair<std::string_view, std::uint64_t>> exact;
    exact.reserve(distinct_);
    for (const auto& [name, hits] : sections_) {
        if (hits > 0) exact.emplace_back(name, hits);
    }
    summary_.assign(exact);
    truncated_ = true;
}

void IntervalCounts::add_named(std::string_view name, std::uint64_t hits) {
    if (!truncated_) {
        auto it = sections_.find(name);
        if (it == sections_.end() || it->second == 0) {
            if (distinct_ == max_sections_) {
                truncate();
            } else {
                if (it == sections_.end()) it = sections_.emplace(std::string(name), 0).first;
                ++distinct_;
            }
        }
        if (!truncated_) {
            it->second += hits;
            return;
        }
    }
    for (std::uint64_t i = 0; i < hits; ++i) summary_.add(name);
}

void IntervalCounts::merge(const IntervalCounts& other) {
    // Its sections first (truncating here may copy this interval's names), then its totals.
    if (other.truncated_ && !truncated_) truncate();
    for (const SectionHits& s : other.held_sections()) add_named(s.section, s.hits);
    hits_ += other.hits_;
    bytes_ += other.bytes_;
    invalid_ += other.invalid_;
    for (size_t i = 0; i < kStatusCodes; ++i) codes_[i] += other.codes_[i];
    latency_.merge(other.latency_);
    for (const auto& [name, histogram] : other.section_latency_) {
        auto it = section_latency_.find(name);
        if (it == section_latency_.end()) {
            if (truncated_ || section_latency_.size() >= max_sections_) continue;
            it = section_latency_.emplace(name, LatencyHistogram(LatencyHistogram::kSectionGrowth)).first;
        }
        it->second.merge(histogram);
    }
}

std::vector<SectionHits> IntervalCounts::held_sections() const {
    std::vector<SectionHits> all;
    if (truncated_) {
        for (const auto& item : summary_.items()) all.push_back({item.name, item.count - item.error, item.error});
    } else {
        all.reserve(distinct_);
        for (const auto& [name, hits] : sections_) {
            if (hits > 0) all.push_back({name, hits, 0});
        }
    }
    return all;
}

std::vector<SectionHits> IntervalCounts::top_sections(size_t n) const {
    std::vector<SectionHits> all = held_sections();
    const auto busier = [](const SectionHits& a, const SectionHits& b) {
        return a.hits != b.hits ? a.hits > b.hits : a.section < b.section;
    };
    n = std::min(n, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<long>(n), all.end(), busier);
    all.resize(n);
    if (!section_latency_.empty()) {
        for (auto& s : all) {
            const auto it = section_latency_.find(s.section);
            if (it != section_latency_.end() && !it->second.empty()) s.latency = it->second.summary();
        }
    }
    if (truncated_) {
        std::uint64_t listed = 0;
        for (const auto& s : all) listed += s.hits;
        all.push_back({kOtherSection, hits_ - listed, 0});
    }
    return all;
}

std::array<std::uint64_t, kStatusClasses> IntervalCounts::status_classes() const {
    std::array<std::uint64_t, kStatusClasses> classes{};
    for (size_t i = 0; i < kStatusCodes; ++i) classes[i / 100] += codes_[i];
    return classes;
}

size_t IntervalCounts::distinct_sections() const { return truncated_ ? summary_.size() : distinct_; }

void IntervalCounts::reset() {
    hits_ = bytes_ = invalid_ = 0;
    codes_.fill(0);
    latency_.clear();
    boost::unordered::erase_if(section_latency_, [](const auto& entry) { return entry.second.empty(); });
    for (auto& entry : section_latency_) entry.second.clear();
    boost::unordered::erase_if(sections_, [](const auto& entry) { return entry.second == 0; });
    for (auto& entry : sections_) entry.second = 0;
    distinct_ = 0;
    truncated_ = false;
    summary_.clear();
    if (next_max_sections_ != max_sections_) {
        max_sections_ = next_max_sections_;
        summary_ = HeavyHitters(max_sections_);
        sections_.clear();
        section_latency_.clear();
    }
}

void IntervalCounts::set_max_sections(size_t max_sections) { next_max_sections_ = max_sections; }

}  // namespace hitwatch
