// SPDX-License-Identifier: Apache-2.0
#include "file_parts.h"

#include <utility>

#include "core/nul_hole.h"

namespace hitwatchd {

bool LineJoin::add(std::string_view bytes) {
    if (overlong_) return false;
    if (line_.empty()) bytes = hitwatch::after_hole(bytes);
    if (line_.size() + bytes.size() > max_line_) {
        overlong_ = true;
        line_.clear();
        return true;
    }
    line_.append(bytes);
    return false;
}

std::optional<std::string> LineJoin::end() {
    const bool overlong = std::exchange(overlong_, false);
    std::string line = std::exchange(line_, std::string());
    if (overlong) return std::nullopt;
    return line;
}

FileParts::FileParts(ParsePool& pool, const Reading& reading, std::string_view head, std::size_t max_line,
                     std::size_t slots, ReplayInput& input, std::size_t chunk_bytes)
    : input_(input),
      pipeline_(pool, reading, head, max_line, slots, &input, chunk_bytes),
      join_(max_line),
      size_(input.size().value_or(0)),
      chunk_bytes_(chunk_bytes),
      next_(input.begins_at()),
      counted_(input.begins_at()) {}

Slot* FileParts::oldest(const volatile std::sig_atomic_t* stop) {
    if (ended_) return nullptr;
    while (!pipeline_.full() && next_ < size_) {
        pipeline_.queue_range(next_);
        next_ += chunk_bytes_;
    }
    Slot* const slot = pipeline_.empty() ? nullptr : pipeline_.oldest_parsed(stop);
    if (pipeline_.empty() || (slot != nullptr && slot->range->error != 0)) {
        ended_ = true;  // the part that failed is read again by the chunk reader
        return nullptr;
    }
    return slot;
}

FileParts::Joined FileParts::join_first(Slot& oldest) {
    Range& range = *oldest.range;
    if (range.joined) return {};
    range.joined = true;
    Joined joined;
    joined.overlong = join_.add(range.first(oldest.chunk));
    if (range.lines_at != 0) joined.line = join_.end();
    return joined;
}

bool FileParts::counted_oldest(Slot& oldest) {
    if (!oldest.parsed_whole()) {
        pipeline_.queue_rest_of_oldest();
        return false;
    }
    const Range& range = *oldest.range;
    const bool overlong = join_.add(range.last(oldest.chunk));
    counted_ = range.at + range.got;
    input_.read_to(counted_);
    ended_ = range.got < chunk_bytes_;  // the parts after it are read again by the chunk reader
    pipeline_.release_oldest();
    return overlong;
}

void FileParts::hand_to(ChunkReader& reader) {
    input_.read_to(counted_);
    join_.hand_to(reader);
}

}  // namespace hitwatchd
