// SPDX-License-Identifier: Apache-2.0
#pragma once
// A sliding window over the last N completed buckets (seconds or intervals) of hits.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace hitwatch {

class HitWindow {
public:
    explicit HitWindow(size_t slots) : buckets_(slots, 0) {}

    // A completed bucket enters; the oldest leaves.
    void push(std::uint64_t hits) {
        total_ -= buckets_[next_];
        buckets_[next_] = hits;
        total_ += hits;
        next_ = next_ + 1 == buckets_.size() ? 0 : next_ + 1;
        if (pushed_ < buckets_.size()) ++pushed_;
    }

    // Hits counted late into the bucket `ago` buckets before the newest (0: the newest); ignored
    // when that bucket has left the window or was never filled.
    void add(std::uint64_t ago, std::uint64_t hits) {
        if (ago >= pushed_) return;
        const size_t at = (next_ + buckets_.size() - 1 - static_cast<size_t>(ago)) % buckets_.size();
        buckets_[at] += hits;
        total_ += hits;
    }

    std::uint64_t total() const { return total_; }
    // Every slot holds a real bucket; before that, the missing ones count as 0.
    bool full() const { return pushed_ == buckets_.size(); }
    size_t slots() const { return buckets_.size(); }

    // Oldest first, for the checkpoint.
    std::vector<std::uint64_t> buckets() const {
        std::vector<std::uint64_t> out(buckets_.begin() + static_cast<long>(next_), buckets_.end());
        out.insert(out.end(), buckets_.begin(), buckets_.begin() + static_cast<long>(next_));
        return out;
    }

    size_t pushed() const { return pushed_; }

    // Back to a saved state: `oldest_first` as buckets() gave it, `pushed` as pushed() did.
    void restore(const std::vector<std::uint64_t>& oldest_first, size_t pushed) {
        std::fill(buckets_.begin(), buckets_.end(), 0);
        next_ = 0;
        pushed_ = 0;
        total_ = 0;
        for (std::uint64_t hits : oldest_first) push(hits);
        pushed_ = std::min(pushed, buckets_.size());
    }

private:
    std::vector<std::uint64_t> buckets_;
    size_t next_ = 0;
    size_t pushed_ = 0;
    std::uint64_t total_ = 0;
};

}  // namespace hitwatch
