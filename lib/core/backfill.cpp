// SPDX-License-Identifier: Apache-2.0
#include "core/backfill.h"

namespace hitwatch {

Backfill::Backfill(std::int64_t interval_s, size_t max_sections, UnixSeconds history_from, UnixSeconds seconds_from)
    : interval_s_(interval_s),
      max_sections_(max_sections),
      history_from_(history_from),
      seconds_from_(seconds_from),
      older_(max_sections) {}

IntervalCounts& Backfill::counts_at(UnixSeconds at) {
    if (at < history_from_) {
        if (older_.empty() || at < older_first_) older_first_ = at;
        if (older_.empty() || at > older_last_) older_last_ = at;
        return older_;
    }
    const UnixSeconds start = align_down(at, interval_s_);
    auto it = by_interval_.find(start);
    if (it == by_interval_.end()) it = by_interval_.emplace(start, IntervalCounts(max_sections_)).first;
    return it->second;
}

void Backfill::record(const ParseResult& parsed, UnixSeconds at) {
    if (parsed.ok()) {
        last_at_ = at;
        IntervalCounts& counts = counts_at(at);
        const std::size_t before = counts.distinct_sections();
        for (std::uint32_t i = 0; i < parsed.repeats; ++i) {
            counts.add_hit(parsed.line.section, parsed.line.status, parsed.line.bytes, parsed.line.duration_us);
        }
        const std::size_t after = counts.distinct_sections();  // less once truncated: no more held
        sections_ += after > before ? after - before : 0;
        if (at >= seconds_from_) seconds_[at] += parsed.repeats;
        hits_ += parsed.repeats;
    } else if (parsed.error != ParseError::blank) {
        record_invalid();
    }
}

void Backfill::record_invalid() {
    counts_at(last_at_).add_invalid();
    ++invalid_;
}

std::vector<Backfill::Interval> Backfill::intervals() const {
    std::vector<Interval> out;
    if (!older_.empty()) out.push_back({older_first_, older_last_ + 1, &older_});
    for (const auto& [start, counts] : by_interval_) out.push_back({start, start + interval_s_, &counts});
    return out;
}

}  // namespace hitwatch
