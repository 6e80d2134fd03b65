// SPDX-License-Identifier: Apache-2.0
#pragma once
// The usual Combined Log Format line read from 64-byte vector compares:
//   HOST IDENT USER [TIME] "METHOD /PATH..." STATUS BYTES "REFERER" "USER-AGENT"
// The field ends come from bit masks of the spaces and quotes in a window, not from scans
// with a branch per length (the full scanner's host loop, memchr for each quoted field):
// one thread replays the benchmark log a sixth faster (bench/replay.sh).
// It accepts only lines the full scanner (core/parser.cpp) reads as hits, with the same
// result. Anything else -- an absolute or odd target, an escaped quote, a method or a first
// path segment past the window, eight or more digits of bytes, a line under 64 bytes or not
// ending in a quote, an invalid line -- it leaves to the full scanner, which says what the
// line is. tests/test_parser.cpp holds the two to the same answer on mutated lines, and so
// does the parser fuzzer.
// A window is compared 64 bytes at a time with AVX-512, 32 with AVX2, or 16 with SSE2 (every
// x86-64 CPU): the widest the CPU has, chosen at run time. On other machines every line takes
// the full scanner.
#include <string_view>
#include <vector>

#include "core/parser.h"

namespace hitwatch {

// True if `text` is such a line: then `line` holds what the full scanner would give it (host,
// time, section, status, bytes, combined), and `memo` may have learned its date. False: the
// full scanner must read it; `line` is untouched.
inline bool quick_combined(std::string_view text, LogLine& line, DateMemo& memo) {
    return quick::widest_combined(text, line, memo);
}

// The vector width quick_combined() uses on this CPU: "avx512", "avx2", "sse2", or "none".
const char* quick_scan_kind();
// Leaves out the AVX-512 code, as leave_out_avx512_newline_scan() does (core/newlines.h).
void leave_out_avx512_quick_scan();
// Those this CPU can run, the widest first (none off x86-64), and quick_combined() by one of
// them (for tests).
std::vector<const char*> quick_scan_kinds();
bool quick_combined_by(const char* kind, std::string_view text, LogLine& line, DateMemo& memo);

}  // namespace hitwatch
