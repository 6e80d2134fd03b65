// SPDX-License-Identifier: Apache-2.0
#pragma once
// A file that a parallel replay's threads read themselves (ReplayInput::reads_at_offsets), a
// part at a time, each part by the thread that parses it, into its own core's cache; its parts
// handed out oldest first to the thread that counts, which joins the line across each edge in
// order, as a ChunkReader keeps the line it carries. One log's replay (parallel_replay.cpp)
// counts each part whole, logs merged side by side (merged_replay.cpp) a line at a time.
#include <csignal>
#include <cstdint>
#include <optional>
#include <string>

#include "chunk_pipeline.h"

namespace hitwatchd {

// The line that crosses from one part of a file into the next (Range), joined in order on the
// counting thread as a ChunkReader keeps it: an over-long one is told once, when it is found.
class LineJoin {
public:
    explicit LineJoin(std::size_t max_line) : max_line_(max_line) {}
    // Bytes of it, with no newline: true if they make it over-long, which the caller tells now.
    bool add(std::string_view bytes);
    // Its newline: the line, or nullopt if it was over-long (told already).
    std::optional<std::string> end();
    // Reading goes on in `reader`, inside this line.
    void hand_to(ChunkReader& reader) { reader.resume(std::move(line_), overlong_); }

private:
    std::size_t max_line_;
    std::string line_;
    bool overlong_ = false;
};

// The parts of `input` (of `chunk_bytes`, as its chunk reader's reads are) up to its size when
// opened, `slots` in flight on `pool`. They end when all are read, or one read short (the
// file's end, or a cut) or failed: from there a chunk reader goes on (hand_to), and says a read
// error as one thread does.
class FileParts {
public:
    FileParts(ParsePool& pool, const Reading& reading, std::string_view head, std::size_t max_line,
              std::size_t slots, ReplayInput& input, std::size_t chunk_bytes = kChunkBytes);

    // The oldest part once parsed (the next parts queued meanwhile); nullptr when the parts have
    // ended (ended()), or on a stop signal.
    Slot* oldest(const volatile std::sig_atomic_t* stop);
    bool ended() const { return ended_; }

    // The oldest part's first bytes, which end the line the part before began, taken once:
    // whether they made it over-long (the caller tells it now), and the line if its newline is
    // in the part and it is not.
    struct Joined {
        bool overlong = false;
        std::optional<std::string> line;
    };
    Joined join_first(Slot& oldest);
    // The oldest part's lines parsed so far are counted. If it has more, they are parsed next (it
    // stays the oldest); else its last bytes begin the next part's first line -- true if they
    // make that line over-long, which the caller tells now -- and its slot is free.
    bool counted_oldest(Slot& oldest);

    // As ChunkPipeline's.
    void sum_lines() { pipeline_.sum_lines(); }
    void counted(const Slot& slot, bool counted_apart) { pipeline_.counted(slot, counted_apart); }

    // Reading goes on in `reader` where the parts ended, inside the line they end in.
    void hand_to(ChunkReader& reader);

private:
    ReplayInput& input_;
    ChunkPipeline pipeline_;
    LineJoin join_;
    std::uint64_t size_;
    std::size_t chunk_bytes_;
    std::uint64_t next_;     // the next part to queue
    std::uint64_t counted_;  // where the parts counted end
    bool ended_ = false;
};

}  // namespace hitwatchd
