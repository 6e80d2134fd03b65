// SPDX-License-Identifier: Apache-2.0
#pragma once
// Turns chunks read from a file into complete lines, in place, with bounded memory: the
// buffer grows with what there is to read (up to one chunk plus the longest line) and is
// given back when the source is idle, so a thousand quiet logs cost almost nothing. The NULs
// of a hole in front of a line are no part of it (core/nul_hole.h).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>

#include "core/newlines.h"
#include "core/nul_hole.h"

namespace hitwatch {

class LineAssembler {
public:
    // The smallest read worth a system call.
    static constexpr std::size_t kMinRead = 16 * 1024;

    // What a read lands in by default, and so what a replay's first read -- the bytes `auto`
    // detects the format by -- holds.
    static constexpr std::size_t kDefaultChunk = 1 << 20;

    // Lines longer than max_line bytes are reported as overlong and skipped to their
    // newline; a read lands in at most `chunk` bytes.
    explicit LineAssembler(std::size_t max_line = 64 * 1024, std::size_t chunk = kDefaultChunk)
        : max_line_(max_line), chunk_(chunk) {}

    // Where the next read should land: room for `want` bytes (at least kMinRead, at most
    // one chunk), after the partial line kept from the last read.
    std::span<char> free_space(std::size_t want = SIZE_MAX) {
        // min/max, not clamp: a chunk smaller than kMinRead (tests use tiny ones) wins.
        const std::size_t room = std::min(std::max(want, kMinRead), chunk_);
        if (capacity_ - end_ < room) grow(end_ + room);
        return {buffer_.get() + end_, capacity_ - end_};
    }

    // `n` bytes were read into free_space(). Calls on_line(std::string_view) for each
    // complete line (without its '\n') and on_overlong() once for each over-long line.
    template <class OnLine, class OnOverlong>
    void commit(std::size_t n, OnLine&& on_line, OnOverlong&& on_overlong) {
        const std::size_t scan_from = end_;
        end_ += n;
        char* const data = buffer_.get();
        for_each_newline(data + scan_from, end_ - scan_from, [&](const char* newline) {
            std::size_t length = static_cast<std::size_t>(newline - (data + begin_));
            if (discarding_) {
                discarding_ = false;
            } else {
                if (data[begin_] == '\0') [[unlikely]] length -= skip_hole(length);
                if (length > max_line_) {
                    on_overlong();
                } else {
                    on_line(std::string_view(data + begin_, length));
                }
            }
            begin_ = static_cast<std::size_t>(newline + 1 - data);
            consumed_ += discarded_ + length + 1;
            discarded_ = 0;
        });
        keep_partial_line(on_overlong);
    }

    // The bytes of an unterminated last line (for input that has ended).
    std::string_view pending() const {
        return discarding_ ? std::string_view() : std::string_view(buffer_.get() + begin_, end_ - begin_);
    }
    // Forgets the pending bytes (after they have been counted at end of input).
    void drop_pending() {
        consumed_ += discarded_ + end_ - begin_;
        discarded_ = 0;
        begin_ = end_ = 0;
        discarding_ = false;
        in_hole_ = false;
    }

    // The bytes read so far end inside a hole, with no line begun after it: a reader that can
    // ask where the hole ends may skip() to there.
    bool in_hole() const { return in_hole_; }
    // `n` more bytes of that hole, not read.
    void skip(std::uint64_t n) { consumed_ += n; }

    // Bytes of input through the last complete (or skipped) line: where a reader that
    // restarts should resume.
    std::uint64_t consumed() const { return consumed_; }

    // Bytes of the over-long line being skipped that were read so far (0 when none): a
    // checkpoint keeps them, so a restart does not count that line again.
    std::uint64_t overlong_read() const { return discarding_ ? discarded_ : 0; }

    // Continues inside an over-long line whose first `already_read` bytes were read and
    // counted invalid before a restart: the rest of it, up to its newline, is skipped.
    void continue_overlong_line(std::uint64_t already_read) {
        drop_pending();
        consumed_ = 0;
        discarding_ = true;
        discarded_ = already_read;
    }

    // Gives the buffer back if it holds no partial line (the source is idle).
    void release() {
        if (end_ != begin_) return;
        begin_ = end_ = 0;
        buffer_.reset();
        capacity_ = 0;
    }
    std::size_t capacity() const { return capacity_; }

private:
    // Room for `needed` bytes, keeping the partial line (always at the start of the buffer).
    void grow(std::size_t needed) {
        const std::size_t most = max_line_ + chunk_ + 1;
        const std::size_t size = std::min(std::max(needed, 2 * capacity_), std::max(most, needed));
        auto bigger = std::make_unique_for_overwrite<char[]>(size);
        if (end_ > 0) std::memcpy(bigger.get(), buffer_.get(), end_);
        buffer_ = std::move(bigger);
        capacity_ = size;
    }

    // The NULs of a hole at the line's start, within its first `length` bytes, skipped and
    // consumed (core/nul_hole.h): how many.
    std::size_t skip_hole(std::size_t length) {
        const std::size_t hole = leading_nuls(buffer_.get() + begin_, length);
        begin_ += hole;
        consumed_ += hole;
        return hole;
    }

    template <class OnOverlong>
    void keep_partial_line(OnOverlong&& on_overlong) {
        // A hole longer than a read is no partial line either.
        in_hole_ = false;
        if (!discarding_ && begin_ < end_ && buffer_[begin_] == '\0') [[unlikely]] {
            skip_hole(end_ - begin_);
            in_hole_ = begin_ == end_;
        }
        const std::size_t partial = end_ - begin_;
        if (partial > max_line_ && !discarding_) {
            on_overlong();
            discarding_ = true;
        }
        if (discarding_) {
            // Its bytes count as consumed only once its newline arrives.
            discarded_ += partial;
            begin_ = end_ = 0;
            return;
        }
        if (begin_ > 0) {
            std::memmove(buffer_.get(), buffer_.get() + begin_, partial);
            begin_ = 0;
            end_ = partial;
        }
    }

    std::size_t max_line_;
    std::size_t chunk_;
    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;        // first byte of the line in progress
    std::size_t end_ = 0;          // one past the last byte read
    bool discarding_ = false;      // inside an over-long line, waiting for its newline
    bool in_hole_ = false;         // the bytes read end in a hole
    std::uint64_t discarded_ = 0;  // bytes of that line dropped so far
    std::uint64_t consumed_ = 0;
};

}  // namespace hitwatch
