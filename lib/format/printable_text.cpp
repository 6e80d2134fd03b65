// SPDX-License-Identifier: Apache-2.0
#include "format/printable_text.h"

#include <cstdio>

namespace hitwatch {
namespace {

// The length of the valid UTF-8 sequence at `p` (overlong forms, surrogates and code points
// past U+10FFFF are not valid), or 0.
std::size_t utf8_length(const unsigned char* p, std::size_t left) {
    const unsigned char c = p[0];
    std::size_t n = 0;
    std::uint32_t min = 0, code = 0;
    if (c >= 0xc2 && c <= 0xdf) n = 2, min = 0x80, code = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef) n = 3, min = 0x800, code = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4) n = 4, min = 0x10000, code = c & 0x07;
    else return 0;
    if (left < n) return 0;
    for (std::size_t i = 1; i < n; ++i) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        code = code << 6 | (p[i] & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
    if (code >= 0x80 && code <= 0x9f) return 0;  // C1 controls: escaped as the bytes they are
    return n;
}

}  // namespace

std::string printable_text(std::string_view text, std::size_t limit) {
    const std::size_t end = text.size() < limit ? text.size() : limit;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    std::string out;
    out.reserve(end);
    for (std::size_t i = 0; i < end;) {
        if (p[i] >= 0x20 && p[i] < 0x7f) {
            out += static_cast<char>(p[i++]);
            continue;
        }
        if (const std::size_t n = p[i] >= 0x80 ? utf8_length(p + i, end - i) : 0) {
            out.append(text.data() + i, n);
            i += n;
            continue;
        }
        char escaped[5];
        std::snprintf(escaped, sizeof escaped, "\\x%02x", p[i++]);
        out += escaped;
    }
    if (text.size() > end) out += "...";
    return out;
}

}  // namespace hitwatch
