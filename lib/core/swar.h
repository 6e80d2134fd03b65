// SPDX-License-Identifier: Apache-2.0
#pragma once
// Byte tests eight at a time in a 64-bit word ("SIMD within a register"), for the parser's
// short fields, where a call to memchr or a loop per byte costs more than the work. Portable
// C++: no intrinsics, any 64-bit target.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace hitwatch::swar {

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighs = 0x8080808080808080ull;

// A word as it lies in memory, without alignment requirements.
template <class Word>
Word load(const char* p) {
    Word word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// Eight bytes from p, the first in the lowest bits whatever the machine's byte order.
inline std::uint64_t load_word(const char* p) {
    auto word = load<std::uint64_t>(p);
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
    return word;
}

// The index of the first byte whose high bit is set in a nonzero mask.
inline unsigned first_marked(std::uint64_t mask) { return static_cast<unsigned>(std::countr_zero(mask)) >> 3; }

// High bit set in each byte equal to c, and only there (exact: safe to negate or to combine
// with other tests; first_equal below is cheaper when only the first match matters).
inline std::uint64_t bytes_equal(std::uint64_t word, char c) {
    const std::uint64_t x = word ^ (kOnes * static_cast<unsigned char>(c));  // matches become 0
    return ~(((x & ~kHighs) + ~kHighs) | x) & kHighs;
}

// High bit set in each byte that is an ASCII digit, and only there: no borrow or carry
// crosses a byte, because each byte's arithmetic is done on its low seven bits.
inline std::uint64_t digit_bytes(std::uint64_t word) {
    const std::uint64_t at_least_0 = (word | kHighs) - kOnes * '0';
    const std::uint64_t above_9 = (word & ~kHighs) + kOnes * (0x80 - '9' - 1);
    return at_least_0 & ~above_9 & ~word & kHighs;
}

// The value of the first `count` bytes of a word (1 to 8), all ASCII digits, the first the
// most significant: shifted so the rest of the word becomes leading zeros, then combined in
// pairs, fours and eights (a well-known trick).
inline std::uint64_t digits_value(std::uint64_t word, unsigned count) {
    std::uint64_t v = (word - kOnes * '0') << (8 * (8 - count));
    v = v * 10 + (v >> 8);
    constexpr std::uint64_t kLowBytes = 0x000000FF000000FFull;
    return ((v & kLowBytes) * (100 + (1000000ull << 32)) + ((v >> 16) & kLowBytes) * (1 + (10000ull << 32))) >> 32;
}

// High bit set in the first byte equal to c, if any. Bytes after it may be marked wrongly
// (a borrow runs on), so only the first mark counts; it stays exact when such masks for
// several bytes are or-ed together.
inline std::uint64_t first_equal(std::uint64_t word, char c) {
    const std::uint64_t x = word ^ (kOnes * static_cast<unsigned char>(c));  // matches become 0
    return (x - kOnes) & ~x & kHighs;
}

// The first `c` in [p, end), or end.
inline const char* find_char(const char* p, const char* end, char c) {
    for (; end - p >= 8; p += 8) {
        const std::uint64_t found = first_equal(load_word(p), c);
        if (found != 0) return p + first_marked(found);
    }
    while (p != end && *p != c) ++p;
    return p;
}

// Whether n bytes at a and b are the same, for n up to 16 read as two words that may
// overlap: no call to memcmp, no loop.
inline bool same_short_bytes(const char* a, const char* b, std::size_t n) {
    if (n >= 8) {
        return ((load<std::uint64_t>(a) ^ load<std::uint64_t>(b)) |
                (load<std::uint64_t>(a + n - 8) ^ load<std::uint64_t>(b + n - 8))) == 0;
    }
    if (n >= 4) {
        return ((load<std::uint32_t>(a) ^ load<std::uint32_t>(b)) |
                (load<std::uint32_t>(a + n - 4) ^ load<std::uint32_t>(b + n - 4))) == 0;
    }
    if (n >= 2) {
        return ((load<std::uint16_t>(a) ^ load<std::uint16_t>(b)) | (a[n - 1] ^ b[n - 1])) == 0;
    }
    return n == 0 || a[0] == b[0];
}

// The same for a size known when compiling.
template <std::size_t N>
bool same_bytes(const char* a, const char* b) {
    static_assert(N <= 16);
    return same_short_bytes(a, b, N);
}

}  // namespace hitwatch::swar
