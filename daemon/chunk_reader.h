// SPDX-License-Identifier: Apache-2.0
#pragma once
// Cuts a replay's input into chunks of whole lines for a parallel replay: each chunk ends at
// a newline, so workers can parse chunks on their own and a merge can count them in order.
// Lines longer than max_line are told as a LineAssembler tells them (once each, in their
// place), so a parallel replay counts what a replay on one thread counts.
#include <csignal>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "replay_input.h"

namespace hitwatchd {

// Whole lines, and whether an over-long line (skipped) follows them.
struct Chunk {
    std::unique_ptr<char[]> data;
    std::size_t capacity = 0;
    std::size_t size = 0;
    bool overlong_after = false;
    std::string_view text() const { return {data.get(), size}; }
};

class ChunkReader {
public:
    enum class Status { chunk, end, error, stopped };

    // `chunk_bytes`: about how much a chunk holds (more by up to one line); `head_bytes` (as
    // much or more): the first read's.
    ChunkReader(ReplayInput& input, std::size_t max_line, std::size_t chunk_bytes,
                const volatile std::sig_atomic_t* stop, std::size_t head_bytes = kReplayReadBytes);

    // The first read of the input, as a replay on one thread makes it (kReplayReadBytes, or
    // head_bytes): what `auto` detects the format by. It is given out again as the first chunks.
    Status read_head();
    std::string_view head() const { return head_; }
    // head() stays what it is once given out (a chunk pipeline's threads make their parsers by
    // it), rather than its memory going back.
    void keep_head() { keep_head_ = true; }

    // The next chunk into `chunk` (its buffer reused): `chunk` when it holds lines or an
    // over-long line; `end` when the input has ended (pending() is what follows the last
    // newline); `error` (the input's error()) once the lines read before it are given out, with
    // pending() the rest as at the end; or `stopped` by a stop signal.
    Status next(Chunk& chunk);
    // Reading goes on from where the input stands after parts of it were read elsewhere (a
    // ChunkPipeline's ranges), the head given out: `line` is the start of the line it is in,
    // and `overlong` says that line is over-long (told already, skipped to its newline).
    void resume(std::string line, bool overlong);
    // The bytes after the last newline at the end of the input (none inside an over-long line).
    std::string_view pending() const { return discarding_ ? std::string_view() : std::string_view(carry_); }

private:
    // Bytes into `to`: from the head first, then from the input. As ReplayInput::read.
    ssize_t read(char* to, std::size_t size);
    // Drops the bytes of an over-long line from `chunk` at `from` (`n` bytes read there), up
    // to and with its newline: how many read bytes are left.
    std::size_t skip_overlong(Chunk& chunk, std::size_t from, std::size_t n);

    ReplayInput& input_;
    std::size_t max_line_;
    std::size_t chunk_bytes_;
    const volatile std::sig_atomic_t* stop_;
    std::size_t head_bytes_;
    std::string head_;
    std::size_t head_given_ = 0;
    bool keep_head_ = false;
    std::string carry_;        // the start of a line that the next chunk begins with
    bool discarding_ = false;  // inside an over-long line, until its newline
    bool failed_ = false;      // the input failed: error once the lines before are given out
};

}  // namespace hitwatchd
