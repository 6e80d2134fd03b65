// SPDX-License-Identifier: Apache-2.0
#pragma once
// Hashing and comparing section names: std::string keys looked up by std::string_view into
// the read buffer, so a lookup allocates nothing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/swar.h"

namespace hitwatch {

// Hashes std::string and std::string_view alike, so lookups by a view into the read buffer
// allocate nothing. Sections are short: eight bytes at a time with a multiply-xorshift mix
// costs a fraction of the standard library's byte-wise hash. The tail is read with loads
// that may overlap, never copied to a small buffer first: a wide load of bytes just stored
// narrowly stalls the CPU.
struct StringHash {
    using is_transparent = void;
    using is_avalanching = void;  // the final multiply-xorshift mixes every bit
    size_t operator()(std::string_view s) const {
        constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
        const char* p = s.data();
        const size_t n = s.size();
        std::uint64_t h = n * kMul;
        std::uint64_t tail = 0;
        if (n >= 8) {
            for (size_t i = 0; i + 8 < n; i += 8) {
                h = (h ^ swar::load<std::uint64_t>(p + i)) * kMul;
                h ^= h >> 29;
            }
            tail = swar::load<std::uint64_t>(p + n - 8);
        } else if (n >= 4) {
            tail = std::uint64_t{swar::load<std::uint32_t>(p)} << 32 | swar::load<std::uint32_t>(p + n - 4);
        } else if (n > 0) {
            tail = std::uint64_t{static_cast<unsigned char>(p[0])} << 16 |
                   std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 | static_cast<unsigned char>(p[n - 1]);
        }
        h = (h ^ tail) * kMul;
        return static_cast<size_t>(h ^ (h >> 32));
    }
};

// Compares std::string and std::string_view alike; short ones without a call to memcmp.
struct StringEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const {
        if (a.size() != b.size()) return false;
        return a.size() <= 16 ? swar::same_short_bytes(a.data(), b.data(), a.size()) : a == b;
    }
};

}  // namespace hitwatch
