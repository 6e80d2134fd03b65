// SPDX-License-Identifier: Apache-2.0
#include "core/section.h"

#include <algorithm>

namespace hitwatch {

std::string_view extend_section(std::string_view section, const char* end, int depth) {
    const char* p = section.data() + section.size();
    for (int more = depth - 1; more > 0 && p != end && *p == '/'; --more) {
        const char* q = p + 1;
        while (q != end && *q != '/' && *q != '?' && *q != '#' && *q != ' ' && *q != '"') ++q;
        if (q == p + 1) break;  // "/api/" ends at its trailing slash
        p = q;
    }
    return {section.data(), static_cast<size_t>(p - section.data())};
}
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

// An absolute http(s) URL's authority and what follows it: nullopt for any other target.
struct AbsoluteUrl {
    std::string_view authority;  // user@host:port
    std::string_view rest;       // "/path?query", "?query", "#fragment" or nothing
};
std::optional<AbsoluteUrl> split_absolute(std::string_view target) {
    size_t scheme_length = 0;
    if (starts_with_nocase(target, "http://")) {
        scheme_length = 7;
    } else if (starts_with_nocase(target, "https://")) {
        scheme_length = 8;
    } else {
        return std::nullopt;
    }
    const std::string_view after_scheme = target.substr(scheme_length);
    const size_t end = std::min(after_scheme.find_first_of("/?#"), after_scheme.size());
    return AbsoluteUrl{after_scheme.substr(0, end), after_scheme.substr(end)};
}

void append_percent(unsigned char byte, std::string& out) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
}

// Format characters a terminal shows as nothing, or that reorder what it shows (the
// "Trojan Source" bidi controls): zero-width spaces and joiners, LRM/RLM (U+200B..U+200F),
// bidi embeddings and overrides (U+202A..U+202E), word joiner to the isolates and other
// invisible operators (U+2060..U+206F), the BOM (U+FEFF), interlinear annotations
// (U+FFF9..U+FFFB). Given as the three bytes of their UTF-8.
bool invisible_format(unsigned char b0, unsigned char b1, unsigned char b2) {
    const unsigned code = (b0 & 0x0Fu) << 12 | (b1 & 0x3Fu) << 6 | (b2 & 0x3Fu);
    return (code >= 0x200B && code <= 0x200F) || (code >= 0x202A && code <= 0x202E) ||
           (code >= 0x2060 && code <= 0x206F) || code == 0xFEFF || (code >= 0xFFF9 && code <= 0xFFFB);
}

// The length of the valid UTF-8 sequence of a printable character at the start of `s`
// (its first byte 0x80 or above), or 0: a stray continuation byte, an overlong form, a
// surrogate, a code point past U+10FFFF, a sequence cut short, or a C1 control.
size_t printable_utf8_length(std::string_view s) {
    const auto at = [&s](size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = at(0);
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // no overlong forms
        if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;  // nothing past U+10FFFF
    } else {
        return 0;
    }
    if (s.size() < length || at(1) < low || at(1) > high) return 0;
    for (size_t i = 2; i < length; ++i) {
        if (at(i) < 0x80 || at(i) > 0xBF) return 0;
    }
    if (lead == 0xC2 && at(1) <= 0x9F) return 0;  // U+0080..U+009F: the C1 controls
    if (length == 3 && invisible_format(lead, at(1), at(2))) return 0;
    return length;
}

}  // namespace

bool is_plain_name(std::string_view raw) {
    if (raw.size() > kMaxSectionBytes) return false;
    const char* p = raw.data();
    const char* const end = p + raw.size();
    // Eight bytes at a time: any byte with its high bit set, below 0x20, or 0x7F. The test for
    // "below" may mark bytes after a true match (a borrow runs on), never before one, so it
    // answers "any" exactly.
    for (; end - p >= 8; p += 8) {
        const std::uint64_t word = swar::load_word(p);
        const std::uint64_t below_space = (word - swar::kOnes * 0x20) & ~word & swar::kHighs;
        if (((word & swar::kHighs) | below_space | swar::bytes_equal(word, '\x7f')) != 0) return false;
    }
    for (; p != end; ++p) {
        const auto byte = static_cast<unsigned char>(*p);
        if (byte < 0x20 || byte >= 0x7F) return false;
    }
    return true;
}

void append_section_name(std::string_view whole, std::string& out) {
    std::string_view raw = whole.substr(0, kMaxSectionBytes);
    if (raw.size() < whole.size()) {
        // Cut before a character, not inside one: back over the continuation bytes (10xxxxxx)
        // of the one the cut falls in, at most three.
        for (int back = 0; back < 3 && (static_cast<unsigned char>(whole[raw.size()]) & 0xC0) == 0x80; ++back) {
            raw.remove_suffix(1);
        }
    }
    for (size_t i = 0; i < raw.size();) {
        const auto byte = static_cast<unsigned char>(raw[i]);
        if (byte >= 0x20 && byte < 0x7F) {
            out += raw[i++];
            continue;
        }
        const size_t length = byte >= 0x80 ? printable_utf8_length(raw.substr(i)) : 0;
        if (length > 0) {
            out.append(raw, i, length);
            i += length;
        } else {
            append_percent(byte, out);
            ++i;
        }
    }
    if (raw.size() < whole.size()) out += "\xe2\x80\xa6";  // U+2026, the ellipsis
}

std::string_view host_of_absolute(std::string_view target) {
    const std::optional<AbsoluteUrl> url = split_absolute(target);
    if (!url) return {};
    std::string_view authority = url->authority;
    if (const size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    if (!authority.empty() && authority.front() == '[') return authority.substr(0, authority.find(']') + 1);
    return authority.substr(0, authority.find(':'));
}

std::string_view host_of_absolute_request(std::string_view request) {
    const size_t method_end = request.find(' ');
    if (method_end == std::string_view::npos || method_end + 1 == request.size() || request[method_end + 1] == '/') {
        return {};  // no target, or the usual path: no host in it
    }
    const std::string_view target = request.substr(method_end + 1);
    return host_of_absolute(target.substr(0, target.find(' ')));
}

std::optional<std::string_view> section_of(std::string_view target) {
    std::string_view path;
    if (!target.empty() && target[0] == '/') {
        path = target;
    } else if (const std::optional<AbsoluteUrl> url = split_absolute(target)) {
        // "http://example.com" (or "...?q") asks for the root.
        if (url->rest.empty() || url->rest[0] != '/') return std::string_view("/");
        path = url->rest;
    } else {
        return std::nullopt;
    }
    while (path.size() > 1 && path[1] == '/') path.remove_prefix(1);  // servers merge slashes
    const char* end = segment_end(path.data() + 1, path.data() + path.size());
    return path.substr(0, static_cast<size_t>(end - path.data()));
}

}  // namespace hitwatch
