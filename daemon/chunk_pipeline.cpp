// SPDX-License-Identifier: Apache-2.0
#include "chunk_pipeline.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <system_error>

#include "core/newlines.h"
#include "core/nul_hole.h"
#include "line_summer.h"
#include "logging.h"

namespace hitwatchd {
namespace {

// Lines parsed at a time from a chunk: whatever its lines' lengths (a chunk of empty lines has
// 256 K), what waits to be counted stays within this many records or summed lines.
constexpr std::size_t kLinesAPart = 8192;

// Reads a part of `bytes` of the input into its slot, and finds its whole lines. The first part
// is the head's first bytes, read already (what it holds is counted as read: a cut after it
// names its end); a head is at least a part.
static_assert(kReplayReadBytes >= kChunkBytes, "the first part of a file read at offsets is its head");

void read_range(const ReplayInput& input, std::string_view head, std::size_t bytes, Slot& slot) {
    Range& range = *slot.range;
    Chunk& chunk = slot.chunk;
    if (chunk.capacity < bytes) {
        chunk.data = std::make_unique_for_overwrite<char[]>(bytes);
        chunk.capacity = bytes;
    }
    ssize_t n = 0;
    if (range.at == 0 && !head.empty()) {
        n = static_cast<ssize_t>(std::min(head.size(), bytes));
        std::memcpy(chunk.data.get(), head.data(), static_cast<std::size_t>(n));
    } else {
        n = input.read_at(chunk.data.get(), bytes, range.at);
    }
    range.read = true;
    range.error = n < 0 ? errno : 0;
    range.got = n < 0 ? 0 : static_cast<std::size_t>(n);
    const char* const data = chunk.data.get();
    const void* const first = std::memchr(data, '\n', range.got);
    const void* const last = first ? ::memrchr(data, '\n', range.got) : nullptr;
    range.lines_at = first ? static_cast<std::size_t>(static_cast<const char*>(first) + 1 - data) : 0;
    chunk.size = last ? static_cast<std::size_t>(static_cast<const char*>(last) + 1 - data) : 0;
    chunk.overlong_after = false;
    slot.parsed_to = range.lines_at;
}

// The record of a line, parsed as `r` unless it is over-long.
[[gnu::always_inline]] inline void record_line(Slot& slot, std::string_view text, bool overlong,
                                               const hitwatch::ParseResult& r) {
    const char* const data = slot.chunk.data.get();
    ParsedLine& line = slot.lines.emplace_back();
    line.text_at = static_cast<std::uint32_t>(text.data() - data);
    line.text_size = static_cast<std::uint32_t>(text.size());
    line.overlong = overlong;
    line.section_in_arena = false;
    line.repeated = false;
    line.together = false;
    if (overlong) return;
    line.error = r.error;
    line.read_as = r.read_as;
    if (!r.ok()) return;
    line.time = r.line.time;
    line.bytes = r.line.bytes;
    line.duration_us = r.line.duration_us;
    line.status = static_cast<std::int16_t>(r.line.status);  // 100 to 999
    // Rare (syslog's "message repeated N times"): the counting thread reads it again
    // rather than every record carrying a count.
    line.repeated = r.repeats > 1;
    const char* section = r.line.section.data();
    line.section_size = static_cast<std::uint32_t>(r.line.section.size());
    if (section >= data && section < data + slot.chunk.size) {
        line.section_at = static_cast<std::uint32_t>(section - data);
    } else {
        line.section_in_arena = true;
        line.section_at = static_cast<std::uint32_t>(slot.arena.size());
        slot.arena.append(r.line.section);
    }
}

// Calls on_line(text, end) for each line of the slot's chunk from parsed_to, up to kLinesAPart
// of them (`end` just past its newline), and moves parsed_to past them.
template <class OnLine>
void for_each_line(Slot& slot, OnLine&& on_line) {
    const char* const data = slot.chunk.data.get();
    const char* p = data + slot.parsed_to;
    std::size_t lines = 0;
    hitwatch::for_each_newline(p, slot.chunk.size - slot.parsed_to, [&](const char* newline) {
        if (lines++ == kLinesAPart) return false;  // the rest once these are counted
        on_line(hitwatch::after_hole({p, static_cast<std::size_t>(newline - p)}), newline + 1);
        p = newline + 1;
        return true;
    });
    slot.parsed_to = static_cast<std::size_t>(p - data);
}

}  // namespace

void parse_chunk(hitwatch::LineParser& parser, std::size_t max_line, Slot& slot, bool sum) {
    slot.lines.clear();
    slot.arena.clear();
    slot.sums.clear();
    slot.section_tallies.clear();
    slot.code_tallies.clear();
    slot.timed_hits.clear();
    slot.summing = sum;
    slot.summing_given_up = false;
    hitwatch::ParseResult r;
    if (!sum) {
        for_each_line(slot, [&](std::string_view text, const char*) {
            const bool overlong = text.size() > max_line;
            if (!overlong) parser.parse(text, r);
            record_line(slot, text, overlong, r);
        });
        return;
    }
    // Two loops rather than one that tests `sum`: lines parsed for records alone ran 2-4 %
    // slower through the loop that sums, in some interleaved runs.
    LineSummer summer(slot);
    std::optional<hitwatch::UnixSeconds> latest;
    for_each_line(slot, [&](std::string_view text, const char* end) {
        const bool overlong = text.size() > max_line;
        if (!overlong) {
            parser.parse(text, r);
            // From the text, past a hole's NULs, which its lines counted apart leave out again.
            if (summer.takes(r, latest)) return summer.add(text.data(), end, r);
        }
        summer.close();
        record_line(slot, text, overlong, r);
        if (!overlong && r.ok()) latest = std::max(latest.value_or(r.line.time), r.line.time);
    });
}

ParsePool::ParsePool(unsigned threads) {
    // The workers take no signal (a thread starts with its creator's mask): the kernel gives a
    // process's signal to any thread that does not block it, and SIGTERM must interrupt the
    // counting thread's wait on a quiet pipe or a stalled reader.
    sigset_t all, before;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &before);
    for (unsigned i = 1; i < threads; ++i) {
        try {
            workers_.emplace_back([this, i] { work(i); });
        } catch (const std::system_error& e) {
            // Out of threads (ulimit -u, a cgroup's pids.max): fewer parse, the output is the same.
            HW_LOG(warning) << "cannot start replay thread " << i + 1 << " of " << threads << " (" << e.what()
                            << "): replaying on " << i;
            break;
        }
    }
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
    threads_ = static_cast<unsigned>(workers_.size()) + 1;
}

ParsePool::~ParsePool() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    work_ready_.notify_all();
    for (auto& worker : workers_) worker.join();
}

bool ParsePool::claim(Job& job) {
    if (queue_.empty()) return false;
    job = queue_.front();
    queue_.pop_front();
    job.slot->state = Slot::State::parsing;
    return true;
}

void ParsePool::parse(const Job& job, unsigned thread, std::unique_lock<std::mutex>& lock) {
    lock.unlock();
    if (job.slot->range && !job.slot->range->read) {
        read_range(*job.pipeline->input_, job.pipeline->head_, job.pipeline->chunk_bytes_, *job.slot);
    }
    parse_chunk(job.pipeline->parser(thread), job.pipeline->max_line_, *job.slot,
                job.pipeline->sum_.load(std::memory_order_relaxed));
    lock.lock();
    job.slot->state = Slot::State::parsed;
    parsed_.notify_all();
}

void ParsePool::work(unsigned thread) {
    std::unique_lock lock(mutex_);
    for (;;) {
        Job job{};
        bool claimed = false;
        work_ready_.wait(lock, [&] { return quit_ || (claimed = claim(job)); });
        if (!claimed) return;
        parse(job, thread, lock);
    }
}

ChunkPipeline::ChunkPipeline(ParsePool& pool, const Reading& reading, std::string_view head, std::size_t max_line,
                             std::size_t slots, const ReplayInput* input, std::size_t chunk_bytes)
    : pool_(pool),
      reading_(reading),
      head_(head),
      max_line_(max_line),
      input_(input),
      chunk_bytes_(chunk_bytes),
      parsers_(pool.threads()),
      slots_(slots) {}

ChunkPipeline::~ChunkPipeline() {
    std::unique_lock lock(pool_.mutex_);
    std::erase_if(pool_.queue_, [&](const ParsePool::Job& job) { return job.pipeline == this; });
    pool_.parsed_.wait(lock, [&] {
        return std::none_of(slots_.begin(), slots_.end(),
                            [](const Slot& slot) { return slot.state == Slot::State::parsing; });
    });
}

hitwatch::LineParser& ChunkPipeline::parser(unsigned thread) {
    std::optional<hitwatch::LineParser>& parser = parsers_[thread];
    if (!parser) parser.emplace(parser_for(reading_, head_));
    return *parser;
}

void ChunkPipeline::queue() { push(std::nullopt); }

void ChunkPipeline::queue_range(std::uint64_t at) { push(Range{.at = at}); }

void ChunkPipeline::push(std::optional<Range> range) {
    {
        std::lock_guard lock(pool_.mutex_);
        Slot& slot = slots_[(first_ + count_) % slots_.size()];
        slot.range = range;
        slot.parsed_to = 0;
        slot.state = Slot::State::queued;
        ++count_;
        pool_.queue_.push_back({this, &slot});
    }
    pool_.work_ready_.notify_one();
}

void ChunkPipeline::queue_rest_of_oldest() {
    {
        std::lock_guard lock(pool_.mutex_);
        slots_[first_].state = Slot::State::queued;
        pool_.queue_.push_front({this, &slots_[first_]});
    }
    pool_.work_ready_.notify_one();
}

Slot* ChunkPipeline::oldest_parsed(const volatile std::sig_atomic_t* stop) {
    // Looked at before each chunk, not only while one is awaited: the counting thread that
    // parses too, or a worker ahead of it, may never wait (a 16 MB file went on to its end).
    if (stop != nullptr && *stop != 0) return nullptr;
    std::unique_lock lock(pool_.mutex_);
    Slot& oldest = slots_[first_];
    while (oldest.state != Slot::State::parsed) {
        if (stop != nullptr && *stop != 0) return nullptr;
        ParsePool::Job job{};
        bool claimed = false;
        if (oldest.state == Slot::State::queued) {
            // Its own oldest first: nothing else is counted before it.
            std::erase_if(pool_.queue_, [&](const ParsePool::Job& queued) { return queued.slot == &oldest; });
            oldest.state = Slot::State::parsing;
            job = {this, &oldest};
            claimed = true;
        } else {
            claimed = pool_.claim(job);
        }
        if (claimed) {
            pool_.parse(job, 0, lock);
            continue;
        }
        // A stop signal does not wake a condition variable: look again now and then.
        pool_.parsed_.wait_for(lock, std::chrono::milliseconds(50));
    }
    return &oldest;
}

void ChunkPipeline::counted(const Slot& slot, bool counted_apart) {
    if (counted_apart || (slot.summing && (slot.sums.empty() || slot.summing_given_up))) {
        // The first chunk of a try to fail: those in flight after it fail alike.
        if (sum_.load(std::memory_order_relaxed)) ++failed_tries_;  // so at least 1 while it is off
        sum_.store(false, std::memory_order_relaxed);
        chunks_apart_ = 0;
    } else if (sum_.load(std::memory_order_relaxed)) {
        if (slot.summing) failed_tries_ = 0;
    } else if (may_sum_ && ++chunks_apart_ >= kChunksApart << std::min(failed_tries_ - 1, kMostDoublings)) {
        sum_.store(true, std::memory_order_relaxed);
    }
}

void ChunkPipeline::release_oldest() {
    std::lock_guard lock(pool_.mutex_);
    slots_[first_].state = Slot::State::free;
    first_ = (first_ + 1) % slots_.size();
    --count_;
}

int end_of_chunks(ChunkReader::Status status, const ChunkReader& reader, const ReplayInput& input, ReplayFeed& feed,
                  const volatile std::sig_atomic_t* stop) {
    if (status == ChunkReader::Status::error) feed.input_error("cannot read " + input.name() + ": " + input.error());
    const bool stopped = (stop != nullptr && *stop != 0) || status == ChunkReader::Status::stopped;
    if (!stopped && !reader.pending().empty()) {
        feed.last_line_unterminated(reader.pending(), input.truncated_while_read().has_value());
    }
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

LinesTogether lines_together(const Slot& slot, const LinesSum& sum) {
    const auto part = [](const auto& all, std::uint32_t at, std::uint32_t end) {
        return std::span(all).subspan(at, end - at);
    };
    return {.hits = {.hits = sum.lines,
                     .bytes = sum.bytes,
                     .sections = part(slot.section_tallies, sum.sections_at, sum.sections_end),
                     .codes = part(slot.code_tallies, sum.codes_at, sum.codes_end),
                     .timed = part(slot.timed_hits, sum.timed_at, sum.timed_end)},
            .earliest = sum.earliest,
            .latest = sum.latest};
}

}  // namespace hitwatchd
