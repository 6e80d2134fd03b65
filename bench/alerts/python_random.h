// SPDX-License-Identifier: Apache-2.0
#pragma once
// Python's random.Random(seed).randrange(n), bit for bit: the Mersenne Twister as CPython
// seeds it from an integer (init_by_array over the seed's 32-bit words) and draws below n
// (getrandbits of n's bit length, redrawn while too large). ../shared/realtraffic/README.md
// defines its logs with this generator, so every tool that builds them draws the same lines.
#include <array>
#include <bit>
#include <cstdint>

namespace hitwatch_bench {

class PythonRandom {
public:
    explicit PythonRandom(std::uint32_t seed) {
        init(19650218u);
        std::size_t i = 1;
        for (std::size_t k = kN; k > 0; --k) {  // init_by_array with the one word `seed`
            mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525u)) + seed;
            if (++i >= kN) {
                mt_[0] = mt_[kN - 1];
                i = 1;
            }
        }
        for (std::size_t k = kN - 1; k > 0; --k) {
            mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941u)) - static_cast<std::uint32_t>(i);
            if (++i >= kN) {
                mt_[0] = mt_[kN - 1];
                i = 1;
            }
        }
        mt_[0] = 0x80000000u;
        next_ = kN;
    }

    // randrange(n), n from 1 to 2^32 - 1.
    std::uint32_t randrange(std::uint32_t n) {
        const int bits = std::bit_width(n);
        for (;;) {
            const std::uint32_t r = draw() >> (32 - bits);
            if (r < n) return r;
        }
    }

private:
    static constexpr std::size_t kN = 624, kM = 397;

    void init(std::uint32_t s) {
        mt_[0] = s;
        for (std::size_t i = 1; i < kN; ++i) {
            mt_[i] = 1812433253u * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
        }
    }

    std::uint32_t draw() {
        if (next_ >= kN) {
            for (std::size_t k = 0; k < kN; ++k) {
                const std::uint32_t y = (mt_[k] & 0x80000000u) | (mt_[(k + 1) % kN] & 0x7fffffffu);
                mt_[k] = mt_[(k + kM) % kN] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
            }
            next_ = 0;
        }
        std::uint32_t y = mt_[next_++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    std::array<std::uint32_t, kN> mt_{};
    std::size_t next_ = kN;
};

}  // namespace hitwatch_bench
