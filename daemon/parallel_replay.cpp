// SPDX-License-Identifier: Apache-2.0
#include "parallel_replay.h"

#include <sched.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "chunk_reader.h"
#include "core/line_parser.h"
#include "core/newlines.h"
#include "core/nul_hole.h"
#include "os/cpu_quota.h"
#include "logging.h"

namespace hitwatchd {
namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;
// Lines parsed at a time from a chunk: whatever its lines' lengths (a chunk of empty lines has
// 256 K), what waits to be counted stays within this many records.
constexpr std::size_t kLinesAPart = 8192;

// One line as a worker parsed it: what the counter reads of a parse, with the line's text and
// section as offsets (into the chunk, or the chunk's arena for a section the parser built).
struct ParsedLine {
    hitwatch::UnixSeconds time;
    std::uint64_t bytes;
    std::int64_t duration_us;
    std::uint32_t text_at;
    std::uint32_t text_size;
    std::uint32_t section_at;
    std::uint32_t section_size;
    std::int16_t status;
    hitwatch::ParseError error;
    std::uint8_t read_as;  // ParseResult::read_as
    bool section_in_arena;
    bool overlong;
    bool repeated;  // it stands for more than one request (ParseResult::repeats): counted anew
};

static_assert(sizeof(ParsedLine) == 48, "the memory bound in parallel_replay.h counts 48 bytes a line");

struct Slot {
    enum class State { free, queued, parsing, parsed };
    Chunk chunk;
    std::vector<ParsedLine> lines;
    std::string arena;  // sections that are not in the line's text (by host, unescaped JSON)
    std::size_t parsed_to = 0;  // bytes of the chunk whose lines are parsed (and counted, once parsed)
    State state = State::free;
    bool parsed_whole() const { return parsed_to == chunk.size; }
};

// Parses a chunk's lines into its slot, as LineAssembler and LineParser read them.
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

// Counts a parsed chunk into the feed, line by line, as a replay on one thread would.
void count_chunk(const Slot& slot, ReplayFeed& feed) {
    const char* const data = slot.chunk.data.get();
    hitwatch::ParseResult r;
    for (const ParsedLine& line : slot.lines) {
        const std::string_view text(data + line.text_at, line.text_size);
        if (line.overlong) {
            feed.overlong();
            continue;
        }
        if (line.repeated) [[unlikely]] {
            feed.line(text);
            continue;
        }
        r.error = line.error;
        r.read_as = line.read_as;
        if (line.error == hitwatch::ParseError::none) {
            r.line.time = line.time;
            r.line.bytes = line.bytes;
            r.line.duration_us = line.duration_us;
            r.line.status = line.status;
            r.line.section = {(line.section_in_arena ? slot.arena.data() : data) + line.section_at, line.section_size};
        }
        feed.parsed_line(text, r);
    }
    if (slot.parsed_whole() && slot.chunk.overlong_after) feed.overlong();
}

// The chunks in flight, oldest first, and the workers that parse them.
class ChunkPipeline {
public:
    // `threads` - 1 workers, each with a parser reading as `reading` says, its format detected
    // by `head` as the feed's was.
    ChunkPipeline(const Reading& reading, std::string_view head, std::size_t max_line, unsigned threads)
        : slots_(2 * threads), max_line_(max_line) {
        for (unsigned i = 1; i < threads; ++i) {
            try {
                workers_.emplace_back([this, parser = parser_for(reading, head)]() mutable { work(parser); });
            } catch (const std::system_error& e) {
                // Out of threads (ulimit -u, a cgroup's pids.max): fewer parse, the output is the same.
                HW_LOG(warning) << "cannot start replay thread " << i + 1 << " of " << threads << " (" << e.what()
                                << "): replaying on " << i;
                break;
            }
        }
    }
    ~ChunkPipeline() {
        {
            std::lock_guard lock(mutex_);
            quit_ = true;
        }
        work_ready_.notify_all();
        for (auto& worker : workers_) worker.join();
    }

    bool full() const { return count_ == slots_.size(); }
    bool empty() const { return count_ == 0; }
    // The free slot to read the next chunk into (only this thread touches a free slot).
    Chunk& next_free() { return slots_[(first_ + count_) % slots_.size()].chunk; }
    // The chunk read into next_free() is for the workers.
    void queue() {
        {
            std::lock_guard lock(mutex_);
            Slot& slot = slots_[(first_ + count_) % slots_.size()];
            slot.parsed_to = 0;
            slot.state = Slot::State::queued;
            ++count_;
        }
        work_ready_.notify_one();
    }
    // The oldest chunk's lines so far are counted: the rest of it is for the workers.
    void queue_rest_of_oldest() {
        {
            std::lock_guard lock(mutex_);
            slots_[first_].state = Slot::State::queued;
        }
        work_ready_.notify_one();
    }

    // The oldest chunk once it is parsed (this thread parses waiting chunks meanwhile), or
    // nullptr if `stop` came first.
    Slot* oldest_parsed(hitwatch::LineParser& parser, const volatile std::sig_atomic_t* stop) {
        std::unique_lock lock(mutex_);
        Slot& oldest = slots_[first_];
        while (oldest.state != Slot::State::parsed) {
            if (stop != nullptr && *stop != 0) return nullptr;
            if (Slot* waiting = claim_queued()) {
                lock.unlock();
                parse_chunk(parser, max_line_, *waiting);
                lock.lock();
                waiting->state = Slot::State::parsed;
                continue;
            }
            // A stop signal does not wake a condition variable: look again now and then.
            parsed_.wait_for(lock, std::chrono::milliseconds(50));
        }
        return &oldest;
    }
    // The oldest chunk is counted: its slot is free.
    void release_oldest() {
        std::lock_guard lock(mutex_);
        slots_[first_].state = Slot::State::free;
        first_ = (first_ + 1) % slots_.size();
        --count_;
    }

private:
    // The oldest queued chunk, now being parsed by the caller (the mutex held).
    Slot* claim_queued() {
        for (std::size_t i = 0; i < count_; ++i) {
            Slot& slot = slots_[(first_ + i) % slots_.size()];
            if (slot.state == Slot::State::queued) {
                slot.state = Slot::State::parsing;
                return &slot;
            }
        }
        return nullptr;
    }

    void work(hitwatch::LineParser& parser) {
        std::unique_lock lock(mutex_);
        for (;;) {
            Slot* slot = nullptr;
            work_ready_.wait(lock, [&] { return quit_ || (slot = claim_queued()) != nullptr; });
            if (slot == nullptr) return;
            lock.unlock();
            parse_chunk(parser, max_line_, *slot);
            lock.lock();
            slot->state = Slot::State::parsed;
            parsed_.notify_one();
        }
    }

    std::vector<Slot> slots_;  // a ring: count_ slots in flight from first_
    std::size_t first_ = 0;
    std::size_t count_ = 0;
    std::size_t max_line_;
    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable parsed_;
    bool quit_ = false;
    std::vector<std::thread> workers_;
};

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
        const char* p = chunk.data.get();
        hitwatch::for_each_newline(p, chunk.size, [&](const char* newline) {
            const std::string_view text = hitwatch::after_hole({p, static_cast<std::size_t>(newline - p)});
            if (text.size() > feed.max_line()) {
                feed.overlong();
            } else {
                feed.line(text);
            }
            p = newline + 1;
        });
        if (chunk.overlong_after) feed.overlong();
    }
    return status;
}

// Chunks parsed on `threads` threads, counted in order on this one.
ChunkReader::Status count_in_parallel(ReplayInput& input, ChunkReader& reader, ReplayFeed& feed, unsigned threads,
                                      const volatile std::sig_atomic_t* stop) {
    hitwatch::LineParser parser = parser_for(feed.reading(), reader.head());
    ChunkPipeline pipeline(feed.reading(), reader.head(), feed.max_line(), threads);
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
        const Slot* oldest = pipeline.oldest_parsed(parser, stop);
        if (oldest == nullptr) return ChunkReader::Status::stopped;  // the chunks after it are not counted
        count_chunk(*oldest, feed);
        if (oldest->parsed_whole()) {
            pipeline.release_oldest();
        } else {
            pipeline.queue_rest_of_oldest();
        }
    }
}

}  // namespace

int replay_parallel(ReplayInput& input, ReplayFeed& feed, unsigned threads, const volatile std::sig_atomic_t* stop) {
    ChunkReader reader(input, feed.max_line(), kChunkBytes, stop);
    ChunkReader::Status status = reader.read_head();
    if (!reader.head().empty()) feed.first_bytes(reader.head());
    if (status == ChunkReader::Status::chunk) {
        status = feed.lines_parse_alone() ? count_in_parallel(input, reader, feed, threads, stop)
                                          : count_in_order(reader, feed);
    }
    if (status == ChunkReader::Status::error) feed.input_error("cannot read " + input.name() + ": " + input.error());
    // What was read before an error ends there too, as on one thread (a truncated archive).
    const bool stopped = stop != nullptr && *stop != 0;
    if (!stopped && status != ChunkReader::Status::stopped && !reader.pending().empty()) {
        feed.last_line_unterminated(reader.pending());
    }
    return status == ChunkReader::Status::error ? 1 : 0;
}

}  // namespace hitwatchd
