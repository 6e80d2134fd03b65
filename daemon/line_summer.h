// SPDX-License-Identifier: Apache-2.0
#pragma once
// A parse thread's sums of a chunk's lines (LinesSum): valid lines in a row that the counting
// thread may count at once, each summed as the chunk is parsed.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

#include "chunk_pipeline.h"

namespace hitwatchd {

// Sums a slot's lines as parse_chunk() finds them: one sum open at a time, its tallies at the
// end of the slot's.
class LineSummer {
public:
    explicit LineSummer(Slot& slot) : slot_(slot) {}
    ~LineSummer() { close(); }
    LineSummer(const LineSummer&) = delete;
    LineSummer& operator=(const LineSummer&) = delete;

    // Whether a line parsed as `r` can be summed: `latest` is the latest time of the lines before
    // it in the chunk recorded one by one.
    bool takes(const hitwatch::ParseResult& r, std::optional<hitwatch::UnixSeconds> latest) const {
        const hitwatch::LogLine& line = r.line;
        const char* const data = slot_.chunk.data.get();
        return !slot_.summing_given_up && r.ok() && latest && line.time <= *latest && r.read_as == 0 &&
               r.repeats == 1 && line.section.data() >= data &&
               line.section.data() + line.section.size() <= data + slot_.chunk.size;
    }
    // Adds the line from `at` to `end` (past its newline), parsed as `r`.
    void add(const char* at, const char* end, const hitwatch::ParseResult& r) {
        const char* const data = slot_.chunk.data.get();
        if (open_ == nullptr) open(static_cast<std::uint32_t>(at - data));
        ParsedLine& record = slot_.lines.back();
        record.text_size = static_cast<std::uint32_t>(end - data) - record.text_at;
        LinesSum& sum = *open_;
        const hitwatch::LogLine& line = r.line;
        ++sum.lines;
        sum.bytes = hitwatch::saturating_add(sum.bytes, line.bytes);
        sum.earliest = std::min(sum.earliest, line.time);
        sum.latest = std::max(sum.latest, line.time);
        std::uint16_t& code = slot_.code_tally_at[static_cast<std::size_t>(line.status - 100)];
        if (code == 0) {
            slot_.code_tallies.push_back({line.status, 0});
            code = static_cast<std::uint16_t>(slot_.code_tallies.size() - sum.codes_at);
        }
        ++slot_.code_tallies[sum.codes_at + code - 1].hits;
        const auto [it, added] = slot_.section_tally_at.try_emplace(
            line.section, static_cast<std::uint32_t>(slot_.section_tallies.size()));
        if (added) slot_.section_tallies.push_back({line.section, 0});
        ++slot_.section_tallies[it->second].hits;
        if (line.duration_us >= 0) slot_.timed_hits.push_back({it->second - sum.sections_at, line.duration_us});
        // Sums of a section or two a line (a scanner's flood of paths) save the counting thread
        // nothing, and cost this one a table entry a line: the rest of the chunk is recorded.
        if (++summed_ % kLinesJudged == 0 && slot_.section_tallies.size() > summed_ / 2) {
            slot_.summing_given_up = true;
            close();
        }
    }
    static constexpr std::size_t kLinesJudged = 256;
    // A line recorded one by one comes next.
    void close() {
        if (open_ == nullptr) return;
        open_->sections_end = static_cast<std::uint32_t>(slot_.section_tallies.size());
        open_->codes_end = static_cast<std::uint32_t>(slot_.code_tallies.size());
        open_->timed_end = static_cast<std::uint32_t>(slot_.timed_hits.size());
        for (std::uint32_t i = open_->codes_at; i < open_->codes_end; ++i) {
            slot_.code_tally_at[static_cast<std::size_t>(slot_.code_tallies[i].status - 100)] = 0;
        }
        slot_.section_tally_at.clear();
        open_ = nullptr;
    }

private:
    void open(std::uint32_t text_at) {
        ParsedLine& record = slot_.lines.emplace_back();
        record.text_at = text_at;
        record.section_at = static_cast<std::uint32_t>(slot_.sums.size());
        record.overlong = record.repeated = record.section_in_arena = false;
        record.together = true;
        record.error = hitwatch::ParseError::none;
        open_ = &slot_.sums.emplace_back();
        open_->earliest = std::numeric_limits<hitwatch::UnixSeconds>::max();
        open_->latest = std::numeric_limits<hitwatch::UnixSeconds>::min();
        open_->sections_at = static_cast<std::uint32_t>(slot_.section_tallies.size());
        open_->codes_at = static_cast<std::uint32_t>(slot_.code_tallies.size());
        open_->timed_at = static_cast<std::uint32_t>(slot_.timed_hits.size());
    }

    Slot& slot_;
    LinesSum* open_ = nullptr;  // the last of the slot's sums, while lines join it
    std::size_t summed_ = 0;    // lines summed, of the chunk
};

}  // namespace hitwatchd
