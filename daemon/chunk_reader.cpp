// SPDX-License-Identifier: Apache-2.0
#include "chunk_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/nul_hole.h"
#include "tail/line_assembler.h"

namespace hitwatchd {

ChunkReader::ChunkReader(ReplayInput& input, std::size_t max_line, std::size_t chunk_bytes,
                         const volatile std::sig_atomic_t* stop, std::size_t head_bytes)
    : input_(input), max_line_(max_line), chunk_bytes_(chunk_bytes), stop_(stop), head_bytes_(head_bytes) {}

ChunkReader::Status ChunkReader::read_head() {
    // What a replay on one thread reads first, so `auto` detects the format by the same bytes.
    head_.resize(head_bytes_);
    const ssize_t n = input_.read(head_.data(), head_.size(), stop_);
    if (n < 0) {
        head_.clear();
        return errno == EINTR ? Status::stopped : Status::error;
    }
    head_.resize(static_cast<std::size_t>(n));
    return n == 0 ? Status::end : Status::chunk;
}

ssize_t ChunkReader::read(char* to, std::size_t size) {
    if (head_given_ < head_.size()) {
        const std::size_t n = std::min(size, head_.size() - head_given_);
        std::memcpy(to, head_.data() + head_given_, n);
        head_given_ += n;
        // Its memory back: assigning an empty string would keep the buffer (libstdc++ copies
        // a short string into the one it has), so 256 KiB a log merged stayed beside its chunk.
        if (head_given_ == head_.size() && !keep_head_) std::string().swap(head_);
        return static_cast<ssize_t>(n);
    }
    return input_.read(to, size, stop_);
}

void ChunkReader::resume(std::string line, bool overlong) {
    head_given_ = head_.size();
    carry_ = std::move(line);
    discarding_ = overlong;
}

std::size_t ChunkReader::skip_overlong(Chunk& chunk, std::size_t from, std::size_t n) {
    char* const start = chunk.data.get() + from;
    const void* newline = std::memchr(start, '\n', n);
    if (newline == nullptr) return 0;
    discarding_ = false;
    const std::size_t after = static_cast<std::size_t>(static_cast<const char*>(newline) + 1 - start);
    std::memmove(start, start + after, n - after);
    return n - after;
}

ChunkReader::Status ChunkReader::next(Chunk& chunk) {
    // Room for a chunk and a line that starts before its end (at most max_line + 1 with its newline).
    const std::size_t capacity = chunk_bytes_ + max_line_ + 1;
    if (chunk.capacity < capacity) {
        chunk.data = std::make_unique_for_overwrite<char[]>(capacity);
        chunk.capacity = capacity;
    }
    chunk.overlong_after = false;
    if (failed_) return Status::error;  // after the lines read before the error
    std::memcpy(chunk.data.get(), carry_.data(), carry_.size());
    chunk.size = carry_.size();
    carry_.clear();
    for (;;) {
        if (stop_ != nullptr && *stop_ != 0) return Status::stopped;
        const std::size_t room = std::min(capacity - chunk.size, chunk_bytes_);
        const ssize_t got = read(chunk.data.get() + chunk.size, room);
        if (got < 0 && errno == EINTR) return Status::stopped;
        if (got <= 0) {
            // The end, or an error (a truncated archive): the lines read are counted first, as
            // on one thread, and what follows the last newline is pending, not a line.
            failed_ = got < 0;
            const void* last = ::memrchr(chunk.data.get(), '\n', chunk.size);
            const std::size_t lines = last ? static_cast<std::size_t>(static_cast<const char*>(last) + 1 - chunk.data.get()) : 0;
            carry_.assign(chunk.data.get() + lines, chunk.size - lines);
            chunk.size = lines;
            if (lines > 0) return Status::chunk;
            return failed_ ? Status::error : Status::end;
        }
        std::size_t n = static_cast<std::size_t>(got);
        if (discarding_) n = skip_overlong(chunk, chunk.size, n);
        if (n == 0) continue;
        const std::size_t scanned_from = chunk.size;
        chunk.size += n;
        // The line in progress: after the last newline, which only the new bytes can hold.
        const void* last = ::memrchr(chunk.data.get() + scanned_from, '\n', n);
        const char* line_start = last ? static_cast<const char*>(last) + 1 : nullptr;
        if (line_start == nullptr) {
            // No newline in the new bytes: the line began at the chunk's last newline before them.
            const void* before = ::memrchr(chunk.data.get(), '\n', scanned_from);
            line_start = before ? static_cast<const char*>(before) + 1 : chunk.data.get();
        }
        const std::size_t lines = static_cast<std::size_t>(line_start - chunk.data.get());
        if (chunk.size > lines && chunk.data[lines] == '\0') [[unlikely]] {
            // A hole longer than a read is no partial line either (core/nul_hole.h).
            char* const start = chunk.data.get() + lines;
            const std::size_t hole = hitwatch::leading_nuls(start, chunk.size - lines);
            std::memmove(start, start + hole, chunk.size - lines - hole);
            chunk.size -= hole;
            // Past the head, what is read next is where the input stands: on to the hole's end.
            if (chunk.size == lines && head_given_ >= head_.size()) input_.skip_hole();
        }
        const std::size_t partial = chunk.size - lines;
        if (partial > max_line_) {
            // As LineAssembler: an over-long line is told once, here, and skipped to its newline.
            chunk.size = lines;
            chunk.overlong_after = true;
            discarding_ = true;
            return Status::chunk;
        }
        // A chunk is what one read brought, after the line carried over: a short read (a pipe
        // with nothing more for now) does not wait for more, so what came is counted while the
        // writer takes its time, and before a stop signal; and a read that bytes were taken out
        // of (an over-long line's end, NULs) does not take the next read's lines in, so every
        // read is of chunk_bytes and a chunk ends where a part read at offsets ends (merged
        // logs look ahead of a line within its chunk and the next, merged_replay.cpp).
        if (lines > 0) {
            carry_.assign(line_start, partial);
            chunk.size = lines;
            return Status::chunk;
        }
    }
}

}  // namespace hitwatchd
