// SPDX-License-Identifier: Apache-2.0
#pragma once
// The chunks of a log in flight in a parallel replay, oldest first, and the threads that parse
// them: this thread reads chunks (chunk_reader.h) into free slots and queues them, the workers
// parse each into records of its lines, and this thread takes the oldest once it is parsed,
// parsing waiting chunks itself meanwhile. The workers are a pool that every log's pipeline
// shares, so a replay of more logs than threads parses on all of them.
#include <array>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "chunk_reader.h"
#include "config/options.h"
#include "core/interval.h"
#include "core/line_parser.h"
#include "core/string_hash.h"
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
    // It stands for valid lines a worker summed (LinesSum): text_at and text_size span their
    // bytes, newlines included, and section_at is the sum's index in the slot's sums.
    bool together;
};

static_assert(sizeof(ParsedLine) == 48, "the memory bound in parallel_replay.h counts 48 bytes a line");

// Valid lines in a row that a worker summed rather than recording each: none dated after the
// latest line before them in the chunk (so none moves the replay clock, which that line moved),
// none with a section the parser built, more than one request, or another preset. The counting
// thread counts them at once (LinesTogether), or one by one from their text where that would
// count otherwise. Their tallies and response times are the slot's, from *_at to *_end.
struct LinesSum {
    std::uint32_t lines = 0;
    std::uint64_t bytes = 0;
    hitwatch::UnixSeconds earliest = 0;
    hitwatch::UnixSeconds latest = 0;
    std::uint32_t sections_at = 0;
    std::uint32_t sections_end = 0;
    std::uint32_t codes_at = 0;
    std::uint32_t codes_end = 0;
    std::uint32_t timed_at = 0;
    std::uint32_t timed_end = 0;
};

// A part of a file a parse thread reads itself (ReplayInput::reads_at_offsets): the pipeline's
// chunk_bytes at `at`, of which only whole lines are parsed there; the bytes before its first
// newline end the line the part before began, and the bytes after its last newline begin the
// next part's first line, which the counting thread joins (file_parts.h).
struct Range {
    std::uint64_t at = 0;
    std::size_t got = 0;      // bytes read: fewer than chunk_bytes at the end (or a cut)
    int error = 0;            // errno of a read that failed
    std::size_t lines_at = 0;  // just after its first newline (0 if it has none)
    bool read = false;
    bool joined = false;  // its first bytes were joined to the line before (by the counting thread)
    // What it reads before its first newline, and after its last (its whole text if it has none).
    std::string_view first(const Chunk& chunk) const {
        return {chunk.data.get(), lines_at == 0 ? got : lines_at - 1};
    }
    std::string_view last(const Chunk& chunk) const {
        return lines_at == 0 ? std::string_view() : std::string_view(chunk.data.get() + chunk.size, got - chunk.size);
    }
};

// A cache line of its own: a worker writes the slot it parses (its lines' vector grows a line
// at a time) while the counting thread reads the one before it.
struct alignas(64) Slot {
    enum class State { free, queued, parsing, parsed };
    Chunk chunk;
    std::optional<Range> range;  // read by the thread that parses it, not by a ChunkReader
    std::vector<ParsedLine> lines;
    std::string arena;  // sections that are not in the line's text (by host, unescaped JSON)
    std::vector<LinesSum> sums;
    std::vector<hitwatch::SectionTally> section_tallies;
    std::vector<hitwatch::CodeTally> code_tallies;
    std::vector<hitwatch::TimedHit> timed_hits;
    // While a sum is open: where its tally of a section, and of a code (1 + its index; 0: none), is.
    boost::unordered_flat_map<std::string_view, std::uint32_t, hitwatch::StringHash, hitwatch::StringEqual>
        section_tally_at;
    std::array<std::uint16_t, hitwatch::kStatusCodes> code_tally_at{};
    std::size_t parsed_to = 0;  // bytes of the chunk whose lines are parsed (and counted, once parsed)
    bool summing = false;       // its lines were parsed with sums where they could be
    bool summing_given_up = false;  // ... until their sums were found to hold too few lines
    State state = State::free;
    bool parsed_whole() const { return parsed_to == chunk.size; }
};

// Parses a chunk's lines into its slot (from parsed_to, a part at a time), as LineAssembler and
// LineParser read them; with `sum`, lines that can be are summed (LinesSum).
void parse_chunk(hitwatch::LineParser& parser, std::size_t max_line, Slot& slot, bool sum = false);

// The end of a file read in chunks (`status` not a chunk): a read error said, and what follows
// the last newline counted as one thread would (what was read before an error ends there too:
// a truncated archive), unless a stop signal came. 1 on a read error, else 0.
int end_of_chunks(ChunkReader::Status status, const ChunkReader& reader, const ReplayInput& input, ReplayFeed& feed,
                  const volatile std::sig_atomic_t* stop);

// How far ahead of the line it counts the counting thread asks for a section's bytes (12 to 64
// within the noise, 3 and 6 slower).
constexpr std::size_t kPrefetchLines = 24;

// Asks for the bytes of the section of the line kPrefetchLines after `line`, if the slot has it:
// they are in the cache of the core that parsed them and, asked for early, come while the lines
// before are counted (one log on 2 threads: 88 -> 83 ms). A sum's record (together) asks for
// bytes near the chunk's start, which does no harm.
inline void prefetch_section_ahead(const Slot& slot, std::size_t line) {
    if (line + kPrefetchLines >= slot.lines.size()) return;
    const ParsedLine& ahead = slot.lines[line + kPrefetchLines];
    __builtin_prefetch((ahead.section_in_arena ? slot.arena.data() : slot.chunk.data.get()) + ahead.section_at);
}

// A line's record as the line counter takes a parse: `r`'s section points into the slot.
void to_parse_result(const Slot& slot, const ParsedLine& line, hitwatch::ParseResult& r);
// A sum's lines as the line counter takes them.
LinesTogether lines_together(const Slot& slot, const LinesSum& sum);

class ChunkPipeline;

// The threads that parse chunks, shared by the pipelines of every log a replay reads: `threads`
// - 1 workers, and the thread that counts, which parses too while the chunk it needs next is not
// parsed yet. Chunks are parsed in the order they were queued, whatever their log, which is
// about the order they are counted in.
class ParsePool {
public:
    explicit ParsePool(unsigned threads);
    ~ParsePool();
    ParsePool(const ParsePool&) = delete;
    ParsePool& operator=(const ParsePool&) = delete;

    // This thread and the workers that started.
    unsigned threads() const { return threads_; }

private:
    friend class ChunkPipeline;
    struct Job {
        ChunkPipeline* pipeline;
        Slot* slot;
    };
    // The first job queued, now the caller's to parse (the mutex held); false if none.
    bool claim(Job& job);
    // Parses a claimed job on thread `thread` (0: the counting thread) with `lock` (on the
    // mutex) let go meanwhile, and marks it parsed.
    void parse(const Job& job, unsigned thread, std::unique_lock<std::mutex>& lock);
    void work(unsigned thread);

    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable parsed_;
    std::deque<Job> queue_;
    bool quit_ = false;
    unsigned threads_ = 1;
    std::vector<std::thread> workers_;
};

// One file's chunks in flight, oldest first, parsed by a pool's threads.
class ChunkPipeline {
public:
    // Up to `slots` chunks in flight, parsed as `reading` says, the format detected by `head` as
    // the feed's was (ChunkReader::keep_head(): a thread makes its parser on its first chunk).
    // `input`: chunks are parts of it (queue_range) of `chunk_bytes`, each read by the thread
    // that parses it.
    ChunkPipeline(ParsePool& pool, const Reading& reading, std::string_view head, std::size_t max_line,
                  std::size_t slots, const ReplayInput* input = nullptr, std::size_t chunk_bytes = kChunkBytes);
    // Its chunks not parsed yet are taken back, and those being parsed waited for.
    ~ChunkPipeline();
    ChunkPipeline(const ChunkPipeline&) = delete;
    ChunkPipeline& operator=(const ChunkPipeline&) = delete;

    bool full() const { return count_ == slots_.size(); }
    bool empty() const { return count_ == 0; }
    // The free slot to read the next chunk into (only this thread touches a free slot).
    Chunk& next_free() { return slots_[(first_ + count_) % slots_.size()].chunk; }
    // The chunk read into next_free() is for the pool.
    void queue();
    // The part of the input at `at` is for the pool, to read and parse.
    void queue_range(std::uint64_t at);
    // The oldest chunk's lines so far are counted: the rest of it is for the pool, first.
    void queue_rest_of_oldest();
    // The oldest chunk once it is parsed (this thread parses waiting chunks meanwhile, its own
    // first), or nullptr if `stop` came first.
    Slot* oldest_parsed(const volatile std::sig_atomic_t* stop);
    // The oldest chunk is counted: its slot is free.
    void release_oldest();

    // Workers sum lines (LinesSum) from now on: a replay of one log, with no window.
    void sum_lines() { sum_ = may_sum_ = true; }
    // `slot` is counted, some of its sums `counted_apart` (one by one). If so, or if its lines
    // were parsed to be summed and none was, or too few to be worth it, workers stop summing:
    // what made them count apart (more sections than the interval counts exactly, lines far
    // behind) tends to last, and lines that cannot be summed are parsed faster without trying.
    // They try again after kChunksApart chunks, and after each try that fails at once after
    // twice as many, up to kChunksApart << kMostDoublings.
    void counted(const Slot& slot, bool counted_apart);
    static constexpr unsigned kChunksApart = 16;
    static constexpr unsigned kMostDoublings = 6;

private:
    friend class ParsePool;
    // The next free slot, holding `range` if it is a part of the input to read, for the pool.
    void push(std::optional<Range> range);
    // Thread `thread`'s parser, made on its first chunk (each is used by its thread alone).
    hitwatch::LineParser& parser(unsigned thread);

    ParsePool& pool_;
    Reading reading_;
    std::string_view head_;
    std::size_t max_line_;
    const ReplayInput* input_;
    std::size_t chunk_bytes_;
    std::vector<std::optional<hitwatch::LineParser>> parsers_;  // by thread
    std::vector<Slot> slots_;  // a ring: count_ slots in flight from first_
    std::size_t first_ = 0;
    std::size_t count_ = 0;
    std::atomic<bool> sum_{false};  // read by the workers as they begin a chunk
    bool may_sum_ = false;
    unsigned chunks_apart_ = 0;  // counted since summing stopped
    unsigned failed_tries_ = 0;  // in a row
};

}  // namespace hitwatchd
