// SPDX-License-Identifier: Apache-2.0
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

void IntervalCounts::add_latency(SectionCount& section, std::int64_t duration_us) {
    if (!section.latency) section.latency = std::make_unique<LatencyHistogram>(LatencyHistogram::Precision::section);
    section.latency->add(duration_us);
}

IntervalCounts::SectionCount* IntervalCounts::named_entry(std::string_view name) {
    auto it = sections_.find(name);
    if (it == sections_.end() || it->second.hits == 0) {  // else odd bytes whose name is counted already
        if (distinct_ == max_sections_) {
            truncate();
            return nullptr;
        }
        if (it == sections_.end()) it = sections_.emplace(std::string(name), SectionCount{}).first;
        ++distinct_;
    }
    return &it->second;
}

void IntervalCounts::count_new(std::string_view section, std::int64_t duration_us) {
    // Once truncated, sections are only counted: the summary keeps no response times.
    const std::string_view name = name_of(section);
    SectionCount* const entry = truncated_ ? nullptr : named_entry(name);
    if (entry == nullptr) return summary_.add(name);
    ++entry->hits;
    if (duration_us >= 0) add_latency(*entry, duration_us);
}

void IntervalCounts::truncate() {
    std::vector<std::pair<std::string_view, std::uint64_t>> exact;
    exact.reserve(distinct_);
    for (const auto& [name, count] : sections_) {
        if (count.hits > 0) exact.emplace_back(name, count.hits);
    }
    summary_.assign(exact);
    truncated_ = true;
}

IntervalCounts::SectionCount& IntervalCounts::exact_entry(std::string_view section) {
    const auto it = sections_.find(section);
    if (it != sections_.end() && it->second.hits > 0) return it->second;
    return *named_entry(name_of(section));  // not null: room_for() holds
}

void IntervalCounts::add_together(const HitsTogether& together) {
    hits_ += together.hits;
    bytes_ = saturating_add(bytes_, together.bytes);
    for (const CodeTally& code : together.codes) codes_[static_cast<size_t>(code.status - 100)] += code.hits;
    const size_t before = sections_.size();
    together_.clear();
    for (const SectionTally& tally : together.sections) {
        SectionCount& entry = exact_entry(tally.section);
        entry.hits += tally.hits;
        together_.push_back(&entry);
    }
    if (together.timed.empty()) return;
    if (sections_.size() != before) {
        // An entry made may have moved those found before it: found again, with none made now.
        together_.clear();
        for (const SectionTally& tally : together.sections) together_.push_back(&exact_entry(tally.section));
    }
    for (const TimedHit& hit : together.timed) {
        latency_.add(hit.duration_us);
        add_latency(*together_[hit.section], hit.duration_us);
    }
}

void IntervalCounts::add_named(std::string_view name, std::uint64_t hits) {
    if (SectionCount* const entry = truncated_ ? nullptr : named_entry(name)) {
        entry->hits += hits;
        return;
    }
    for (std::uint64_t i = 0; i < hits; ++i) summary_.add(name);
}

void IntervalCounts::merge(const IntervalCounts& other) {
    // Its sections first (truncating here may copy this interval's names), then its totals.
    if (other.truncated_ && !truncated_) truncate();
    for (const SectionHits& s : other.held_sections()) add_named(s.section, s.hits);
    hits_ += other.hits_;
    bytes_ = saturating_add(bytes_, other.bytes_);
    invalid_ += other.invalid_;
    for (size_t i = 0, end = codes_end(other.codes_, other.hits_); i < end; ++i) codes_[i] += other.codes_[i];
    latency_.merge(other.latency_);
    if (truncated_) return;
    for (const auto& [name, count] : other.sections_) {
        if (count.hits == 0 || !count.latency) continue;
        const auto it = sections_.find(name);  // there: add_named() counted it above
        if (it == sections_.end()) continue;
        if (!it->second.latency) it->second.latency = std::make_unique<LatencyHistogram>(LatencyHistogram::Precision::section);
        it->second.latency->merge(*count.latency);
    }
}

std::vector<SectionHits> IntervalCounts::held_sections() const {
    std::vector<SectionHits> all;
    if (truncated_) {
        for (const auto& item : summary_.items()) all.push_back({item.name, item.count - item.error, item.error});
    } else {
        all.reserve(distinct_);
        for (const auto& [name, count] : sections_) {
            if (count.hits > 0) all.push_back({name, count.hits, 0});
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
    if (!truncated_ && !latency_.empty()) {
        for (auto& s : all) {
            const auto it = sections_.find(s.section);
            if (it != sections_.end() && it->second.latency && !it->second.latency->empty()) {
                s.latency = it->second.latency->summary();
            }
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
    // A class's hundred codes summed in a loop of their own, which the compiler vectorizes (a
    // report asks for the classes several times, and a sparse log has a report a line).
    std::array<std::uint64_t, kStatusClasses> classes{};
    const size_t end = codes_end(codes_, hits_);
    for (size_t c = 0; c < kStatusClasses && 100 * c < end; ++c) {
        std::uint64_t sum = 0;
        for (size_t i = 100 * c; i < std::min(100 * c + 100, end); ++i) sum += codes_[i];
        classes[c] = sum;
    }
    return classes;
}

size_t IntervalCounts::distinct_sections() const { return truncated_ ? summary_.size() : distinct_; }

void IntervalCounts::reset() {
    std::fill_n(codes_.begin(), codes_end(codes_, hits_), 0);
    hits_ = bytes_ = invalid_ = 0;
    latency_.clear();
    boost::unordered::erase_if(sections_, [](const auto& entry) { return entry.second.hits == 0; });
    for (auto& entry : sections_) {
        entry.second.hits = 0;
        if (entry.second.latency) entry.second.latency->clear();
    }
    distinct_ = 0;
    truncated_ = false;
    summary_.clear();
    if (next_max_sections_ != max_sections_) {
        max_sections_ = next_max_sections_;
        summary_ = HeavyHitters(max_sections_);
        sections_.clear();
    }
}

void IntervalCounts::set_max_sections(size_t max_sections) { next_max_sections_ = max_sections; }

}  // namespace hitwatch
