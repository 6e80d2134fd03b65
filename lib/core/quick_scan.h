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
// SSE2 (every x86-64 CPU), so no dispatch; elsewhere every line takes the full scanner.
#include <cstdint>
#include <string_view>

#include "core/line_fields.h"
#include "core/parser.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace hitwatch {

#if defined(__SSE2__)
namespace quick {

// 64 bytes at p as bit masks, byte i at bit i.
struct Window {
    std::uint64_t spaces = 0;
    std::uint64_t quotes = 0;
    std::uint64_t segment_ends = 0;  // ' ', '/', '?', '#': what ends a path segment
};

[[gnu::always_inline]] inline std::uint64_t bits(__m128i marked, int at) {
    return std::uint64_t{static_cast<std::uint32_t>(_mm_movemask_epi8(marked))} << (16 * at);
}

template <bool kSegmentEnds>
[[gnu::always_inline]] inline Window window_at(const char* p) {
    Window w;
    for (int i = 0; i < 4; ++i) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
        const __m128i space = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
        w.spaces |= bits(space, i);
        w.quotes |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), i);
        if constexpr (kSegmentEnds) {
            const __m128i ends = _mm_or_si128(_mm_or_si128(space, _mm_cmpeq_epi8(v, _mm_set1_epi8('/'))),
                                              _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('?')),
                                                           _mm_cmpeq_epi8(v, _mm_set1_epi8('#'))));
            w.segment_ends |= bits(ends, i);
        }
    }
    return w;
}

// The window of the 64 bytes from p, or of the line's last 64 shifted to start at p, so no
// byte outside the line is read and none past `end` is marked (the line has 64 bytes or more).
template <bool kSegmentEnds>
[[gnu::always_inline]] inline Window window_from(const char* p, const char* end) {
    // Computed, not branched on: whether the field's window reaches the line's end is
    // anybody's guess, line by line.
    const auto room = static_cast<std::uint64_t>(end - p);
    const unsigned shift = static_cast<unsigned>((64 - room) & (std::uint64_t{0} - (room < 64)));
    Window w = window_at<kSegmentEnds>(p - shift);
    w.spaces >>= shift;
    w.quotes >>= shift;
    w.segment_ends >>= shift;
    return w;
}

// Bit i set if byte i of the 32 at p is a host character: a digit, a letter, or one of
// . : - _ % [ ] (the full scanner's kHostChars); the bits above 31 clear.
[[gnu::always_inline]] inline std::uint64_t host_chars(const char* p) {
    // x in [low, low + count), as unsigned bytes.
    const auto in_range = [](__m128i x, char low, char count) {
        const __m128i offset = _mm_sub_epi8(x, _mm_set1_epi8(low));
        return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(static_cast<char>(count - 1))), offset);
    };
    std::uint64_t ok = 0;
    for (int i = 0; i < 2; ++i) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
        // Setting bit 5 folds 'A'-'Z' onto 'a'-'z' and nothing else into it.
        __m128i good = _mm_or_si128(in_range(v, '0', 10), in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26));
        for (const char c : {'.', ':', '-', '_', '%', '[', ']'}) {
            good = _mm_or_si128(good, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
        }
        ok |= bits(good, i);
    }
    return ok;
}

inline unsigned first_bit(std::uint64_t mask) { return static_cast<unsigned>(__builtin_ctzll(mask)); }

// The first quote in [p, end), given the quotes of the window at p: the windows after it are
// looked at only for a field longer than one (a long path or referer); nullptr if none.
[[gnu::always_inline]] inline const char* first_quote(const char* p, const char* end, std::uint64_t quotes) {
    if (quotes != 0) return p + first_bit(quotes);
    for (p += 64; p < end; p += 64) {
        quotes = window_from<false>(p, end).quotes;
        if (quotes != 0) return p + first_bit(quotes);
    }
    return nullptr;
}

}  // namespace quick

// True if `text` is such a line: then `line` holds what the full scanner would give it (host,
// time, section, status, bytes, combined), and `memo` may have learned its date. False: the
// full scanner must read it; `line` is untouched.
[[gnu::always_inline]] inline bool quick_combined(std::string_view text, LogLine& line, DateMemo& memo) {
    using namespace quick;
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    // Ends in the user-agent's closing quote: nothing to trim, and no backslash before it.
    if (text.size() < 64 || end[-1] != '"' || end[-2] == '\\') return false;

    // HOST IDENT USER [: the first three spaces of the line, none of the three fields empty
    // ("- -" the usual ident and user).
    std::uint64_t spaces = window_at<false>(begin).spaces;
    const unsigned host = spaces == 0 ? 0 : first_bit(spaces);
    // (A host of more than 32 bytes fails the test: it is left to the full scanner.)
    if (host == 0 || (~host_chars(begin) & ((std::uint64_t{1} << host) - 1)) != 0) return false;
    spaces &= spaces - 1;
    const unsigned ident_end = spaces == 0 ? 0 : first_bit(spaces);
    spaces &= spaces - 1;
    const unsigned user_end = spaces == 0 ? 0 : first_bit(spaces);
    if (ident_end <= host + 1 || user_end <= ident_end + 1) return false;
    // '[' 26 bytes of time "] \"" and at least 8 bytes more.
    const char* const time_text = begin + user_end + 2;
    if (end - time_text < 37 || time_text[-1] != '[' || !swar::same_bytes<3>(time_text + 26, "] \"")) return false;
    UnixSeconds time = 0;
    if (!clf_time({time_text, 26}, time, memo)) return false;

    // The request: its closing quote, the space after the method, the path's first segment.
    const char* const request = time_text + 29;
    const Window in_request = window_from<true>(request, end);
    const char* const request_end = first_quote(request, end, in_request.quotes);
    if (request_end == nullptr || request_end[-1] == '\\') return false;  // [-1]: the opening quote at least
    const auto closing = static_cast<std::size_t>(request_end - request);
    if (in_request.spaces == 0) return false;
    const unsigned target = first_bit(in_request.spaces) + 1;
    // An origin-form path ("/x", not "//x", which servers merge) after a method in the window.
    if (target == 1 || target >= 63 || target >= closing || request[target] != '/') return false;
    if (target + 1 < closing && request[target + 1] == '/') return false;
    const std::uint64_t segment_ends = in_request.segment_ends >> (target + 1) << (target + 1);
    std::size_t section_end = closing;
    if (segment_ends != 0) {
        section_end = std::min<std::size_t>(closing, first_bit(segment_ends));
    } else if (closing > 64) {
        return false;  // a first segment longer than the window
    }

    // " STATUS BYTES \"": three digits from 100, then up to seven digits or '-' (a word read).
    const char* p = request_end + 1;
    if (end - p < 5 + 8 || p[0] != ' ' || p[4] != ' ') return false;
    const unsigned hundreds = static_cast<unsigned char>(p[1]) - '0';
    const unsigned tens = static_cast<unsigned char>(p[2]) - '0';
    const unsigned ones = static_cast<unsigned char>(p[3]) - '0';
    if (hundreds - 1 > 8 || tens > 9 || ones > 9) return false;
    p += 5;
    std::uint64_t bytes = 0;
    if (*p == '-') {
        ++p;
    } else {
        const std::uint64_t word = swar::load_word(p);
        const std::uint64_t other = ~swar::digit_bytes(word) & swar::kHighs;
        if (other == 0) return false;
        const unsigned digits = swar::first_marked(other);
        if (digits == 0) return false;
        bytes = swar::digits_value(word, digits);
        p += digits;
    }
    if (end - p < 3 || p[0] != ' ' || p[1] != '"') return false;

    // The referer's closing quote, then " \"" and a user-agent that the line's last quote closes.
    const char* const referer = p + 2;
    const char* const referer_end = first_quote(referer, end, window_from<false>(referer, end).quotes);
    if (referer_end == nullptr || referer_end[-1] == '\\') return false;
    const char* const agent = referer_end + 1;  // at " \""
    if (end - agent < 3 || agent[0] != ' ' || agent[1] != '"') return false;

    line.host = {begin, host};
    line.time = time;
    line.section = {request + target, section_end - target};
    line.status = static_cast<int>(hundreds * 100 + tens * 10 + ones);
    line.bytes = bytes;
    line.combined = true;
    return true;
}

#else

inline bool quick_combined(std::string_view, LogLine&, DateMemo&) { return false; }

#endif

}  // namespace hitwatch
