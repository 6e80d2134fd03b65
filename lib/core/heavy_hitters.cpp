// SPDX-License-Identifier: Apache-2.0
#include "core/heavy_hitters.h"

#include <algorithm>
#include <bit>

namespace hitwatch {

HeavyHitters::HeavyHitters(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

void HeavyHitters::clear() {
    if (counters_.empty()) return;
    counters_.clear();
    buckets_.clear();
    free_buckets_.clear();
    smallest_ = kNone;
    std::fill(slots_.begin(), slots_.end(), 0);
}

std::pair<std::size_t, bool> HeavyHitters::find_slot(std::string_view name, std::uint64_t h) const {
    for (std::size_t i = home(h);; i = (i + 1) & mask_) {
        const std::uint32_t s = slots_[i];
        if (s == 0) return {i, false};
        const Counter& c = counters_[s - 1];
        if (c.hash == h && StringEqual()(c.name, name)) return {i, true};
    }
}

std::size_t HeavyHitters::empty_slot(std::uint64_t h) const {
    std::size_t i = home(h);
    while (slots_[i] != 0) i = (i + 1) & mask_;
    return i;
}

void HeavyHitters::erase_counter_slot(std::uint32_t counter) {
    std::size_t i = home(counters_[counter].hash);
    while (slots_[i] != counter + 1) i = (i + 1) & mask_;
    // Backward shift: each later entry of the run moves up unless its home lies between the
    // gap and itself, so no probe ever stops early at the gap.
    for (std::size_t j = i;;) {
        j = (j + 1) & mask_;
        if (slots_[j] == 0) break;
        const std::size_t at = home(counters_[slots_[j] - 1].hash);
        const bool stays = i <= j ? (i < at && at <= j) : (i < at || at <= j);
        if (stays) continue;
        slots_[i] = slots_[j];
        i = j;
    }
    slots_[i] = 0;
}

std::uint32_t HeavyHitters::push_counter(std::string_view name, std::uint64_t h) {
    if (slots_.empty()) {
        counters_.reserve(capacity_);
        buckets_.reserve(capacity_ + 1);
        slots_.assign(std::bit_ceil(2 * capacity_), 0);
        mask_ = slots_.size() - 1;
        shift_ = 64 - static_cast<unsigned>(std::countr_zero(slots_.size()));
    }
    counters_.push_back({std::string(name), h, 0, kNone, kNone, kNone});
    const auto c = static_cast<std::uint32_t>(counters_.size() - 1);
    slots_[empty_slot(h)] = c + 1;
    return c;
}

void HeavyHitters::assign(const std::vector<std::pair<std::string_view, std::uint64_t>>& exact) {
    clear();
    std::vector<std::pair<std::string_view, std::uint64_t>> by_count(exact.begin(), exact.end());
    std::sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    if (by_count.size() > capacity_) by_count.erase(by_count.begin(), by_count.end() - static_cast<long>(capacity_));
    std::uint32_t last = kNone;
    for (const auto& [name, count] : by_count) {
        if (last == kNone || buckets_[last].count != count) last = new_bucket(count, last);
        attach(push_counter(name, StringHash()(name)), last);
    }
}

void HeavyHitters::add(std::string_view name) {
    const std::uint64_t h = StringHash()(name);
    if (!slots_.empty()) {
        const auto [slot, found] = find_slot(name, h);
        if (found) return increment(slots_[slot] - 1);
    }
    std::uint32_t c;
    if (counters_.size() < capacity_) {
        c = push_counter(name, h);
        // A new name with no hits yet sits in a bucket of 0 at the front, and moves to 1.
        if (smallest_ == kNone || buckets_[smallest_].count != 0) new_bucket(0, kNone);
        attach(c, smallest_);
    } else {
        // The least counted name gives its counter up: the newcomer may have had as many
        // hits as it, unseen, hence the error.
        c = buckets_[smallest_].first;
        erase_counter_slot(c);
        Counter& taken = counters_[c];
        taken.error = buckets_[smallest_].count;
        taken.name.assign(name);  // reuses the string's memory
        taken.hash = h;
        slots_[empty_slot(h)] = c + 1;
    }
    increment(c);
}

std::vector<HeavyHitters::Item> HeavyHitters::items() const {
    std::vector<Item> out;
    out.reserve(counters_.size());
    for (const Counter& c : counters_) out.push_back({c.name, buckets_[c.bucket].count, c.error});
    return out;
}

std::uint32_t HeavyHitters::new_bucket(std::uint64_t count, std::uint32_t after) {
    std::uint32_t b;
    if (!free_buckets_.empty()) {
        b = free_buckets_.back();
        free_buckets_.pop_back();
        buckets_[b] = Bucket{};
    } else {
        buckets_.emplace_back();
        b = static_cast<std::uint32_t>(buckets_.size() - 1);
    }
    buckets_[b].count = count;
    buckets_[b].prev = after;
    buckets_[b].next = after == kNone ? smallest_ : buckets_[after].next;
    if (buckets_[b].next != kNone) buckets_[buckets_[b].next].prev = b;
    if (after == kNone) {
        smallest_ = b;
    } else {
        buckets_[after].next = b;
    }
    return b;
}

void HeavyHitters::attach(std::uint32_t c, std::uint32_t b) {
    Counter& counter = counters_[c];
    counter.bucket = b;
    counter.prev = kNone;
    counter.next = buckets_[b].first;
    if (counter.next != kNone) counters_[counter.next].prev = c;
    buckets_[b].first = c;
}

void HeavyHitters::detach(std::uint32_t c) {
    Counter& counter = counters_[c];
    Bucket& bucket = buckets_[counter.bucket];
    if (counter.prev != kNone) {
        counters_[counter.prev].next = counter.next;
    } else {
        bucket.first = counter.next;
    }
    if (counter.next != kNone) counters_[counter.next].prev = counter.prev;
    if (bucket.first != kNone) return;
    // The bucket is empty: out of the list, back to the pool.
    if (bucket.prev != kNone) {
        buckets_[bucket.prev].next = bucket.next;
    } else {
        smallest_ = bucket.next;
    }
    if (bucket.next != kNone) buckets_[bucket.next].prev = bucket.prev;
    free_buckets_.push_back(counter.bucket);
}

void HeavyHitters::increment(std::uint32_t c) {
    const std::uint32_t from = counters_[c].bucket;
    const std::uint64_t count = buckets_[from].count + 1;
    std::uint32_t to = buckets_[from].next;
    if (to == kNone || buckets_[to].count != count) to = new_bucket(count, from);
    detach(c);  // may free `from`, never `to`
    attach(c, to);
}

}  // namespace hitwatch
