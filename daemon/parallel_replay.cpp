// SPDX-License-Identifier: Apache-2.0
#include "parallel_replay.h"

#include <sched.h>

#include <optional>
#include <thread>
#include <vector>

#include "chunk_pipeline.h"
#include "file_parts.h"
#include "core/line_parser.h"
#include "core/newlines.h"
#include "core/nul_hole.h"
#include "os/cpu_quota.h"
#include "logging.h"

namespace hitwatchd {
namespace {

// Whole lines, counted one by one from their text as one thread reads them.
void count_lines(std::string_view lines, ReplayFeed& feed) {
    const char* p = lines.data();
    hitwatch::for_each_newline(p, lines.size(), [&](const char* newline) {
        const std::string_view text = hitwatch::after_hole({p, static_cast<std::size_t>(newline - p)});
        if (text.size() > feed.max_line()) {
            feed.overlong();
        } else {
            feed.line(text);
        }
        p = newline + 1;
    });
}

// A sum's lines (ParsedLine::together), at once or one by one: true if one by one. Not
// inlined, so that the loop over the records stays as small as it was (with this inlined, lines
// counted from records took about 3 % more CPU).
[[gnu::noinline]] bool count_sum(const Slot& slot, const ParsedLine& line, ReplayFeed& feed) {
    if (feed.lines_together(lines_together(slot, slot.sums[line.section_at]))) return false;
    count_lines({slot.chunk.data.get() + line.text_at, line.text_size}, feed);
    return true;
}

// Counts a parsed chunk's records into the feed, in order, as a replay on one thread counts
// its lines: true if some of its sums were counted one by one. A chunk with no sums has a loop
// without the test for one, as it had before there were sums.
template <bool kSums>
bool count_records(const Slot& slot, ReplayFeed& feed) {
    const char* const data = slot.chunk.data.get();
    hitwatch::ParseResult r;
    bool apart = false;
    const std::size_t n = slot.lines.size();
    for (std::size_t i = 0; i < n; ++i) {
        const ParsedLine& line = slot.lines[i];
        prefetch_section_ahead(slot, i);
        if (kSums && line.together) {
            apart |= count_sum(slot, line, feed);
            continue;
        }
        const std::string_view text(data + line.text_at, line.text_size);
        if (line.overlong) {
            feed.overlong();
            continue;
        }
        if (line.repeated) [[unlikely]] {
            feed.line(text);
            continue;
        }
        to_parse_result(slot, line, r);
        feed.parsed_line(text, r);
    }
    return apart;
}

bool count_chunk(const Slot& slot, ReplayFeed& feed) {
    const bool apart = slot.sums.empty() ? count_records<false>(slot, feed) : count_records<true>(slot, feed);
    if (slot.parsed_whole() && slot.chunk.overlong_after) feed.overlong();
    return apart;
}

}  // namespace

unsigned available_cores() {
    cpu_set_t cores;
    CPU_ZERO(&cores);
    unsigned n = std::max(1u, std::thread::hardware_concurrency());
    if (::sched_getaffinity(0, sizeof cores, &cores) == 0 && CPU_COUNT(&cores) > 0) {
        n = static_cast<unsigned>(CPU_COUNT(&cores));
    }
    const std::optional<unsigned> quota = hitwatch::os::cgroup_cpu_limit();
    return quota ? std::min(n, *quota) : n;
}

namespace {

// Lines that may join the next ones (container pieces): every line in order through the feed's
// own parser, on this thread.
ChunkReader::Status count_in_order(ChunkReader& reader, ReplayFeed& feed) {
    ChunkReader::Status status;
    Chunk chunk;
    while ((status = reader.next(chunk)) == ChunkReader::Status::chunk) {
        count_lines({chunk.data.get(), chunk.size}, feed);
        if (chunk.overlong_after) feed.overlong();
        feed.answer_signals();
        if (feed.past_window()) return ChunkReader::Status::stopped;  // past --until: not read on
    }
    return status;
}

// The lines of a file its parse threads read part by part (ReplayInput::reads_at_offsets), up to
// its size when opened, counted in order on this thread: false if a stop signal came. Where the
// parts end, or where one read short (its end, or a cut) or failed, `reader` goes on.
bool count_ranges(ParsePool& pool, ReplayInput& input, ChunkReader& reader, ReplayFeed& feed,
                  const volatile std::sig_atomic_t* stop) {
    FileParts parts(pool, feed.reading(), reader.head(), feed.max_line(), 2 * std::size_t{pool.threads()}, input);
    if (!feed.window()) parts.sum_lines();
    while (Slot* const slot = parts.oldest(stop)) {
        const FileParts::Joined joined = parts.join_first(*slot);
        if (joined.overlong) feed.overlong();
        if (joined.line) feed.line(*joined.line);
        parts.counted(*slot, count_chunk(*slot, feed));
        feed.answer_signals();
        if (parts.counted_oldest(*slot)) feed.overlong();
        if (feed.past_window()) return false;  // past --until: the parts after are not counted
    }
    if (!parts.ended()) return false;
    parts.hand_to(reader);
    return true;
}

// Chunks parsed on `pool`'s threads, counted in order on this one.
ChunkReader::Status count_in_parallel(ReplayInput& input, ChunkReader& reader, ReplayFeed& feed, ParsePool& pool,
                                      const volatile std::sig_atomic_t* stop) {
    reader.keep_head();
    if (input.reads_at_offsets() && !count_ranges(pool, input, reader, feed, stop)) {
        return ChunkReader::Status::stopped;
    }
    ChunkPipeline pipeline(pool, feed.reading(), reader.head(), feed.max_line(), 2 * std::size_t{pool.threads()});
    if (!feed.window()) pipeline.sum_lines();
    ChunkReader::Status status = ChunkReader::Status::chunk;
    for (;;) {
        while (status == ChunkReader::Status::chunk && !pipeline.full()) {
            // A pipe with nothing in it yet: what was read is counted before the read that
            // waits for the writer (tail -f | hitwatchd --replay -).
            if (!pipeline.empty() && input.would_wait()) break;
            status = reader.next(pipeline.next_free());
            if (status == ChunkReader::Status::chunk) pipeline.queue();
        }
        if (pipeline.empty()) return status;
        const Slot* oldest = pipeline.oldest_parsed(stop);
        if (oldest == nullptr) return ChunkReader::Status::stopped;  // the chunks after it are not counted
        pipeline.counted(*oldest, count_chunk(*oldest, feed));
        feed.answer_signals();
        if (feed.past_window()) return ChunkReader::Status::stopped;  // past --until: not read on
        if (oldest->parsed_whole()) {
            pipeline.release_oldest();
        } else {
            pipeline.queue_rest_of_oldest();
        }
    }
}

}  // namespace

int replay_parallel(ReplayInput& input, ReplayFeed& feed, ParsePool& pool, const volatile std::sig_atomic_t* stop) {
    ChunkReader reader(input, feed.max_line(), kChunkBytes, stop);
    ChunkReader::Status status = reader.read_head();
    if (!reader.head().empty()) feed.first_bytes(reader.head());
    if (status == ChunkReader::Status::chunk) {
        status = feed.lines_parse_alone() ? count_in_parallel(input, reader, feed, pool, stop)
                                          : count_in_order(reader, feed);
    }
    return end_of_chunks(status, reader, input, feed, stop);
}

}  // namespace hitwatchd
