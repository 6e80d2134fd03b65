// SPDX-License-Identifier: Apache-2.0
#include "core/quick_scan.h"

#include <algorithm>
#include <cstdint>

#include "core/cpu_vectors.h"
#include "core/line_fields.h"

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace hitwatch {
namespace {
namespace windows {  // (a unity build puts other files' anonymous namespaces beside this one)

#if defined(__SSE2__)

// 64 bytes at p as bit masks, byte i at bit i.
struct Window {
    std::uint64_t spaces = 0;
    std::uint64_t quotes = 0;
    std::uint64_t segment_ends = 0;  // ' ', '/', '?', '#': what ends a path segment
};

// The widths a window is compared in: 16, 32 or 64 bytes at a time. The code that reads the
// line from the masks is one template over them; each entry point below is flattened, so all
// of it is compiled into one function per width, with that width's instruction set. (A helper
// for AVX2 may be inlined only into AVX2 code, hence no always_inline in this file.)
struct Sse2 {
    static std::uint64_t bits(__m128i marked, int at) {
        return std::uint64_t{static_cast<std::uint32_t>(_mm_movemask_epi8(marked))} << (16 * at);
    }

    template <bool kSegmentEnds>
    static Window window_at(const char* p) {
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

    // x in [low, low + count), as unsigned bytes.
    static __m128i in_range(__m128i x, char low, char count) {
        const __m128i offset = _mm_sub_epi8(x, _mm_set1_epi8(low));
        return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(static_cast<char>(count - 1))), offset);
    }

    // Bit i set if byte i of the 32 at p is a host character: a digit, a letter, or one of
    // . : - _ % [ ] (the full scanner's kHostChars); the bits above 31 clear.
    static std::uint64_t host_chars(const char* p) {
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
};

// 32 bytes at a time: half the instructions, and one thread's replay of the benchmark log a
// tenth faster than with SSE2 (docs/performance.md).
#define HW_AVX2 gnu::target("avx2,bmi")
struct Avx2 {
    [[HW_AVX2]] static std::uint64_t bits(__m256i marked, int at) {
        return std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(marked))} << (32 * at);
    }

    template <bool kSegmentEnds>
    [[HW_AVX2]] static Window window_at(const char* p) {
        Window w;
        for (int i = 0; i < 2; ++i) {
            const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * i));
            const __m256i space = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(' '));
            w.spaces |= bits(space, i);
            w.quotes |= bits(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')), i);
            if constexpr (kSegmentEnds) {
                const __m256i slash = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('/'));
                const __m256i query = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('?'));
                const __m256i fragment = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('#'));
                const __m256i ends = _mm256_or_si256(_mm256_or_si256(space, slash), _mm256_or_si256(query, fragment));
                w.segment_ends |= bits(ends, i);
            }
        }
        return w;
    }

    [[HW_AVX2]] static __m256i in_range(__m256i x, char low, char count) {
        const __m256i offset = _mm256_sub_epi8(x, _mm256_set1_epi8(low));
        return _mm256_cmpeq_epi8(_mm256_min_epu8(offset, _mm256_set1_epi8(static_cast<char>(count - 1))), offset);
    }

    [[HW_AVX2]] static std::uint64_t host_chars(const char* p) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        __m256i good =
            _mm256_or_si256(in_range(v, '0', 10), in_range(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), 'a', 26));
        for (const char c : {'.', ':', '-', '_', '%', '[', ']'}) {
            good = _mm256_or_si256(good, _mm256_cmpeq_epi8(v, _mm256_set1_epi8(c)));
        }
        return bits(good, 0);
    }
};

// 64 bytes at a time, each compare straight into a mask: 3 % faster again. The host's test
// is AVX2's (32 bytes).
#define HW_AVX512 gnu::target("avx512f,avx512bw,avx2,bmi")
struct Avx512 {
    template <bool kSegmentEnds>
    [[HW_AVX512]] static Window window_at(const char* p) {
        Window w;
        const __m512i v = _mm512_loadu_si512(p);
        w.spaces = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' '));
        w.quotes = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
        if constexpr (kSegmentEnds) {
            w.segment_ends = w.spaces | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('/')) |
                             _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('?')) |
                             _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('#'));
        }
        return w;
    }
    [[HW_AVX512]] static std::uint64_t host_chars(const char* p) { return Avx2::host_chars(p); }
};

// The window of the 64 bytes from p, or of the line's last 64 shifted to start at p, so no
// byte outside the line is read and none past `end` is marked (the line has 64 bytes or more).
template <class Vec, bool kSegmentEnds>
Window window_from(const char* p, const char* end) {
    // Computed, not branched on: whether the field's window reaches the line's end is
    // anybody's guess, line by line.
    const auto room = static_cast<std::uint64_t>(end - p);
    const unsigned shift = static_cast<unsigned>((64 - room) & (std::uint64_t{0} - (room < 64)));
    Window w = Vec::template window_at<kSegmentEnds>(p - shift);
    w.spaces >>= shift;
    w.quotes >>= shift;
    w.segment_ends >>= shift;
    return w;
}

unsigned first_bit(std::uint64_t mask) { return static_cast<unsigned>(__builtin_ctzll(mask)); }

// The first quote in [p, end), given the quotes of the window at p: the windows after it are
// looked at only for a field longer than one (a long path or referer); nullptr if none.
template <class Vec>
const char* first_quote(const char* p, const char* end, std::uint64_t quotes) {
    if (quotes != 0) return p + first_bit(quotes);
    for (p += 64; p < end; p += 64) {
        quotes = window_from<Vec, false>(p, end).quotes;
        if (quotes != 0) return p + first_bit(quotes);
    }
    return nullptr;
}

template <class Vec>
bool combined(std::string_view text, LogLine& line, DateMemo& memo) {
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    // Ends in the user-agent's closing quote: nothing to trim, and no backslash before it.
    if (text.size() < 64 || end[-1] != '"' || end[-2] == '\\') return false;

    // HOST IDENT USER [: the first three spaces of the line, none of the three fields empty
    // ("- -" the usual ident and user).
    std::uint64_t spaces = Vec::template window_at<false>(begin).spaces;
    const unsigned host = spaces == 0 ? 0 : first_bit(spaces);
    // (A host of more than 32 bytes fails the test: it is left to the full scanner.)
    if (host == 0 || (~Vec::host_chars(begin) & ((std::uint64_t{1} << host) - 1)) != 0) return false;
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
    const Window in_request = window_from<Vec, true>(request, end);
    const char* const request_end = first_quote<Vec>(request, end, in_request.quotes);
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
    const char* const referer_end = first_quote<Vec>(referer, end, window_from<Vec, false>(referer, end).quotes);
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

[[gnu::flatten]] bool combined_sse2(std::string_view text, LogLine& line, DateMemo& memo) {
    return combined<Sse2>(text, line, memo);
}

[[HW_AVX2, gnu::flatten]] bool combined_avx2(std::string_view text, LogLine& line, DateMemo& memo) {
    return combined<Avx2>(text, line, memo);
}

[[HW_AVX512, gnu::flatten]] bool combined_avx512(std::string_view text, LogLine& line, DateMemo& memo) {
    return combined<Avx512>(text, line, memo);
}
#undef HW_AVX2
#undef HW_AVX512

#endif  // __SSE2__

using Scan = VectorVariant<quick::Combined>;

// No vector code: every line to the full scanner.
bool none(std::string_view, LogLine&, DateMemo&) { return false; }

// Those this CPU runs, the widest first.
std::vector<Scan> runnable_scans() {
    std::vector<Scan> scans;
#if defined(__SSE2__)
    const CpuVectors has = cpu_vectors();
    if (has.avx512) scans.push_back({combined_avx512, "avx512"});
    if (has.avx2) scans.push_back({combined_avx2, "avx2"});
    scans.push_back({combined_sse2, "sse2"});
#endif
    return scans;
}

Scan widest() {
    const std::vector<Scan> scans = runnable_scans();
    return scans.empty() ? Scan{none, "none"} : scans.front();
}

Scan g_scan = widest();

}  // namespace windows
}  // namespace

quick::Combined quick::widest_combined = windows::g_scan.fn;

const char* quick_scan_kind() { return windows::g_scan.kind; }

void leave_out_avx512_quick_scan() {
    const std::vector<windows::Scan> scans = windows::runnable_scans();
    if (const windows::Scan* scan = widest_without_avx512(scans)) {
        windows::g_scan = *scan;
        quick::widest_combined = scan->fn;
    }
}

std::vector<const char*> quick_scan_kinds() { return kinds_of(windows::runnable_scans()); }

bool quick_combined_by(const char* kind, std::string_view text, LogLine& line, DateMemo& memo) {
    const std::vector<windows::Scan> scans = windows::runnable_scans();
    const windows::Scan* scan = variant_of_kind(scans, kind);
    return scan != nullptr && scan->fn(text, line, memo);
}

}  // namespace hitwatch
