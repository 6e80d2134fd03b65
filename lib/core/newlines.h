// SPDX-License-Identifier: Apache-2.0
#pragma once
// Finding the newlines of a buffer in one vector pass: a block of bytes is compared with '\n'
// 64 (AVX-512) or 32 (AVX2) at a time and the newlines' offsets are read off the bit masks,
// instead of one call to memchr for each line -- whose set-up and last, mispredicted branch
// cost more than the scan of a 150-byte line. The CPU's vector width is chosen at run time,
// so one binary runs anywhere x86-64 (memchr elsewhere).
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace hitwatch {

// The bytes a block of newlines is found in at a time: its offsets fit a small array.
constexpr std::size_t kNewlineBlock = 4096;

// The offsets of the newlines in [data, data + size) into `offsets`, in order; how many.
// `size` is at most kNewlineBlock; nothing outside [data, data + size) is read. `offsets` has
// room for kNewlineBlock: a scan may write up to two slots past the last newline it finds.
std::size_t find_newlines(const char* data, std::size_t size, std::uint16_t* offsets);

// The vector width find_newlines() uses on this CPU: "avx512", "avx2" or "memchr".
const char* newline_scan_kind();
// Leaves out the AVX-512 scan (when glibc is told to leave out its AVX-512 string functions,
// GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F,...: a machine without it, or one whose clock
// drops under AVX-512, is measured as it would run). Called before any thread starts.
void leave_out_avx512_newline_scan();
// Those this CPU can run, and find_newlines() by one of them (for tests and benchmarks).
std::vector<const char*> newline_scan_kinds();
std::size_t find_newlines_by(const char* kind, const char* data, std::size_t size, std::uint16_t* offsets);

// Calls on_newline(const char*) for each newline in [data, data + size), in order; if it
// returns a bool, false stops there.
template <class OnNewline>
void for_each_newline(const char* data, std::size_t size, OnNewline&& on_newline) {
    std::uint16_t offsets[kNewlineBlock];
    for (std::size_t at = 0; at < size; at += kNewlineBlock) {
        const std::size_t block = size - at < kNewlineBlock ? size - at : kNewlineBlock;
        const char* const base = data + at;
        const std::size_t found = find_newlines(base, block, offsets);
        for (std::size_t i = 0; i < found; ++i) {
            if constexpr (std::is_same_v<decltype(on_newline(base)), bool>) {
                if (!on_newline(base + offsets[i])) return;
            } else {
                on_newline(base + offsets[i]);
            }
        }
    }
}

}  // namespace hitwatch
