// SPDX-License-Identifier: Apache-2.0
#pragma once
// The chunks of a log in flight in a parallel replay, oldest first, and the workers that parse
// them: this thread reads chunks (chunk_reader.h) into free slots and queues them, the workers
// parse each into records of its lines, and this thread takes the oldest once it is parsed,
// parsing waiting chunks itself meanwhile.
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "chunk_reader.h"
#include "config/options.h"
#include "core/line_parser.h"
#include "logging.h"
#include "replay_feed.h"

namespace hitwatchd {

// What a chunk holds: about this much, and up to one line more.
constexpr std::size_t kChunkBytes = 256 * 1024;

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

// Parses a chunk's lines into its slot (from parsed_to, a part at a time), as LineAssembler and
// LineParser read them.
void parse_chunk(hitwatch::LineParser& parser, std::size_t max_line, Slot& slot);

// The end of a file read in chunks (`status` not a chunk): a read error said, and what follows
// the last newline counted as one thread would (what was read before an error ends there too:
// a truncated archive), unless a stop signal came. 1 on a read error, else 0.
int end_of_chunks(ChunkReader::Status status, const ChunkReader& reader, const ReplayInput& input, ReplayFeed& feed,
                  const volatile std::sig_atomic_t* stop);

// A line's record as the line counter takes a parse: `r`'s section points into the slot.
void to_parse_result(const Slot& slot, const ParsedLine& line, hitwatch::ParseResult& r);

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


}  // namespace hitwatchd
