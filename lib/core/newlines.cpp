// SPDX-License-Identifier: Apache-2.0
#include "core/newlines.h"

#include <cstring>

#include "core/cpu_vectors.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace hitwatch {
namespace {

std::size_t find_newlines_memchr(const char* data, std::size_t size, std::uint16_t* offsets) {
    std::size_t found = 0;
    for (const char* p = data, *end = data + size;;) {
        const void* newline = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
        if (newline == nullptr) return found;
        offsets[found++] = static_cast<std::uint16_t>(static_cast<const char*>(newline) - data);
        p = static_cast<const char*>(newline) + 1;
    }
}

#if defined(__x86_64__)
// The set bits of `mask` as offsets from `at`. Access log lines run to 100-300 bytes, so most
// 64-byte blocks hold no newline or one, which at random: a loop that stops at the last bit
// mispredicts its exit on many of them (cachegrind's model: 1.5 a line). Two offsets are
// written whatever the mask (slots past the count are written over by the next block or
// never read); only a block with more than two loops.
[[gnu::always_inline, gnu::target("bmi,popcnt")]] inline std::size_t take_bits(
    std::uint64_t mask, std::size_t at, std::uint16_t* offsets, std::size_t found) {
    const auto count = static_cast<std::size_t>(_mm_popcnt_u64(mask));
    offsets[found] = static_cast<std::uint16_t>(at + _tzcnt_u64(mask));
    mask = _blsr_u64(mask);
    offsets[found + 1] = static_cast<std::uint16_t>(at + _tzcnt_u64(mask));
    if (count > 2) [[unlikely]] {
        mask = _blsr_u64(mask);
        for (std::size_t i = found + 2; mask != 0; ++i) {
            offsets[i] = static_cast<std::uint16_t>(at + _tzcnt_u64(mask));
            mask = _blsr_u64(mask);
        }
    }
    return found + count;
}

[[gnu::target("avx512f,avx512bw,bmi,popcnt")]] std::size_t find_newlines_avx512(const char* data, std::size_t size,
                                                                                   std::uint16_t* offsets) {
    const __m512i newline = _mm512_set1_epi8('\n');
    std::size_t found = 0;
    std::size_t at = 0;
    for (; at + 64 <= size; at += 64) {
        const __m512i bytes = _mm512_loadu_si512(data + at);
        found = take_bits(_mm512_cmpeq_epi8_mask(bytes, newline), at, offsets, found);
    }
    if (at < size) {
        // A masked load reads (and may fault on) only the bytes the mask selects.
        const __mmask64 rest = (~0ull) >> (64 - (size - at));
        const __m512i bytes = _mm512_maskz_loadu_epi8(rest, data + at);
        found = take_bits(_mm512_mask_cmpeq_epi8_mask(rest, bytes, newline), at, offsets, found);
    }
    return found;
}

[[gnu::target("avx2,bmi,popcnt")]] std::size_t find_newlines_avx2(const char* data, std::size_t size,
                                                                   std::uint16_t* offsets) {
    const __m256i newline = _mm256_set1_epi8('\n');
    std::size_t found = 0;
    std::size_t at = 0;
    for (; at + 64 <= size; at += 64) {
        const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + at));
        const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + at + 32));
        const auto low_mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, newline)));
        const auto high_mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, newline)));
        found = take_bits(std::uint64_t{high_mask} << 32 | low_mask, at, offsets, found);
    }
    for (; at < size; ++at) {
        if (data[at] == '\n') offsets[found++] = static_cast<std::uint16_t>(at);
    }
    return found;
}
#endif

using FindNewlines = std::size_t (*)(const char*, std::size_t, std::uint16_t*);
using Scan = VectorVariant<FindNewlines>;

// Those this CPU runs, the widest first.
std::vector<Scan> runnable_scans() {
    std::vector<Scan> scans;
#if defined(__x86_64__)
    const CpuVectors has = cpu_vectors();
    if (has.avx512) scans.push_back({find_newlines_avx512, "avx512"});
    if (has.avx2) scans.push_back({find_newlines_avx2, "avx2"});
#endif
    scans.push_back({find_newlines_memchr, "memchr"});
    return scans;
}

Scan g_scan = runnable_scans().front();

}  // namespace

std::size_t find_newlines(const char* data, std::size_t size, std::uint16_t* offsets) {
    return g_scan.fn(data, size, offsets);
}

const char* newline_scan_kind() { return g_scan.kind; }

void leave_out_avx512_newline_scan() {
    const std::vector<Scan> scans = runnable_scans();
    if (const Scan* scan = widest_without_avx512(scans)) g_scan = *scan;
}

std::vector<const char*> newline_scan_kinds() { return kinds_of(runnable_scans()); }

std::size_t find_newlines_by(const char* kind, const char* data, std::size_t size, std::uint16_t* offsets) {
    const std::vector<Scan> scans = runnable_scans();
    const Scan* scan = variant_of_kind(scans, kind);
    return scan != nullptr ? scan->fn(data, size, offsets) : 0;
}

}  // namespace hitwatch
