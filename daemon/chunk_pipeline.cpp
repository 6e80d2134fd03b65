// SPDX-License-Identifier: Apache-2.0
#include "chunk_pipeline.h"

#include "core/newlines.h"
#include "core/nul_hole.h"

namespace hitwatchd {
namespace {

// Lines parsed at a time from a chunk: whatever its lines' lengths (a chunk of empty lines has
// 256 K), what waits to be counted stays within this many records.
constexpr std::size_t kLinesAPart = 8192;

}  // namespace

void parse_chunk(hitwatch::LineParser& parser, std::size_t max_line, Slot& slot) {
    slot.lines.clear();
    slot.arena.clear();
    const char* const data = slot.chunk.data.get();
    const char* const end = data + slot.chunk.size;
    hitwatch::ParseResult r;
    const char* p = data + slot.parsed_to;
    hitwatch::for_each_newline(p, slot.chunk.size - slot.parsed_to, [&](const char* newline) {
        if (slot.lines.size() == kLinesAPart) return false;  // the rest once these are counted
        const std::string_view text = hitwatch::after_hole({p, static_cast<std::size_t>(newline - p)});
        ParsedLine& line = slot.lines.emplace_back();
        line.text_at = static_cast<std::uint32_t>(text.data() - data);
        line.text_size = static_cast<std::uint32_t>(text.size());
        line.overlong = text.size() > max_line;
        line.section_in_arena = false;
        line.repeated = false;
        p = newline + 1;
        if (line.overlong) return true;
        parser.parse(text, r);
        line.error = r.error;
        line.read_as = r.read_as;
        if (!r.ok()) return true;
        line.time = r.line.time;
        line.bytes = r.line.bytes;
        line.duration_us = r.line.duration_us;
        line.status = static_cast<std::int16_t>(r.line.status);  // 100 to 999
        // Rare (syslog's "message repeated N times"): the counting thread reads it again
        // rather than every record carrying a count.
        line.repeated = r.repeats > 1;
        const char* section = r.line.section.data();
        line.section_size = static_cast<std::uint32_t>(r.line.section.size());
        if (section >= data && section < end) {
            line.section_at = static_cast<std::uint32_t>(section - data);
        } else {
            line.section_in_arena = true;
            line.section_at = static_cast<std::uint32_t>(slot.arena.size());
            slot.arena.append(r.line.section);
        }
        return true;
    });
    slot.parsed_to = static_cast<std::size_t>(p - data);
}


int end_of_chunks(ChunkReader::Status status, const ChunkReader& reader, const ReplayInput& input, ReplayFeed& feed,
                  const volatile std::sig_atomic_t* stop) {
    if (status == ChunkReader::Status::error) feed.input_error("cannot read " + input.name() + ": " + input.error());
    const bool stopped = (stop != nullptr && *stop != 0) || status == ChunkReader::Status::stopped;
    if (!stopped && !reader.pending().empty()) feed.last_line_unterminated(reader.pending());
    return status == ChunkReader::Status::error ? 1 : 0;
}

void to_parse_result(const Slot& slot, const ParsedLine& line, hitwatch::ParseResult& r) {
    r.error = line.error;
    r.read_as = line.read_as;
    if (line.error != hitwatch::ParseError::none) return;
    r.line.time = line.time;
    r.line.bytes = line.bytes;
    r.line.duration_us = line.duration_us;
    r.line.status = line.status;
    const char* const data = line.section_in_arena ? slot.arena.data() : slot.chunk.data.get();
    r.line.section = {data + line.section_at, line.section_size};
}

}  // namespace hitwatchd
