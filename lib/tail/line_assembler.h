#pragma once
// Turns chunks read from a file into complete lines, in place, with bounded memory.
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

namespace hitwatch {

class LineAssembler {
public:
    // Lines longer than max_line bytes are reported as overlong and skipped to their
    // newline; reads land in chunks of at least chunk bytes.
    explicit LineAssembler(size_t max_line = 64 * 1024, size_t chunk = 1 << 20)
        : max_line_(max_line), buffer_(max_line + chunk + 1) {}

    // Where the next read should land.
    std::span<char> free_space() { return {buffer_.data() + end_, buffer_.size() - end_}; }

    // `n` bytes were read into free_space(). Calls on_line(std::string_view) for each
    // complete line (without its '\n') and on_overlong() once for each over-long line.
    template <class OnLine, class OnOverlong>
    void commit(size_t n, OnLine&& on_line, OnOverlong&& on_overlong) {
        const size_t scan_from = end_;
        end_ += n;
        char* const data = buffer_.data();
        const char* p = data + scan_from;
        const char* const end = data + end_;
        while (const void* found = std::memchr(p, '\n', static_cast<size_t>(end - p))) {
            const char* newline = static_cast<const char*>(found);
            const size_t length = static_cast<size_t>(newline - (data + begin_));
            if (discarding_) {
                discarding_ = false;
            } else if (length > max_line_) {
                on_overlong();
            } else {
                on_line(std::string_view(data + begin_, length));
            }
            begin_ = static_cast<size_t>(newline + 1 - data);
            consumed_ += discarded_ + length + 1;
            discarded_ = 0;
            p = newline + 1;
        }
        keep_partial_line(on_overlong);
    }

    // The bytes of an unterminated last line (for input that has ended).
    std::string_view pending() const {
        return discarding_ ? std::string_view() : std::string_view(buffer_.data() + begin_, end_ - begin_);
    }
    // Forgets the pending bytes (after they have been counted at end of input).
    void drop_pending() {
        consumed_ += discarded_ + end_ - begin_;
        discarded_ = 0;
        begin_ = end_ = 0;
        discarding_ = false;
    }

    // Bytes of input through the last complete (or skipped) line: where a reader that
    // restarts should resume.
    std::uint64_t consumed() const { return consumed_; }

private:
    template <class OnOverlong>
    void keep_partial_line(OnOverlong&& on_overlong) {
        const size_t partial = end_ - begin_;
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
            std::memmove(buffer_.data(), buffer_.data() + begin_, partial);
            begin_ = 0;
            end_ = partial;
        }
    }

    size_t max_line_;
    std::vector<char> buffer_;
    size_t begin_ = 0;  // first byte of the line in progress
    size_t end_ = 0;    // one past the last byte read
    bool discarding_ = false;  // inside an over-long line, waiting for its newline
    std::uint64_t discarded_ = 0;  // bytes of that line dropped so far
    std::uint64_t consumed_ = 0;
};

}  // namespace hitwatch
