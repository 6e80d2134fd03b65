// SPDX-License-Identifier: Apache-2.0
// libFuzzer: any bytes as log lines, through the parser, the section naming rule and the
// interval counts (with a small limit, so the heavy-hitter summary is reached). Checks what
// must hold whatever the input: a name is valid printable UTF-8, counts add up, and the quick
// path for the usual combined line (core/quick_scan.h), in each vector width this CPU runs,
// reads each line as the full scanner does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/interval.h"
#include "core/parser.h"
#include "core/quick_scan.h"
#include "core/section.h"

namespace {

bool same_hit(const hitwatch::LogLine& a, const hitwatch::LogLine& b) {
    return a.host == b.host && a.time == b.time && a.section == b.section && a.status == b.status && a.bytes == b.bytes &&
           a.combined == b.combined;
}

// Well-formed UTF-8 with no control character: what a section name must always be.
bool printable_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) return false;
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (c >= 0x80 && (c < 0xC2 || c > 0xF4)) return false;
        if (i + n > s.size()) return false;
        for (size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        }
        i += n;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    hitwatch::LogParser parser;
    static const std::vector<const char*> kinds = hitwatch::quick_scan_kinds();
    hitwatch::DateMemo memo;
    hitwatch::IntervalCounts counts(16);
    std::uint64_t hits = 0;
    for (size_t start = 0; start <= input.size();) {
        const size_t end = std::min(input.find('\n', start), input.size());
        const std::string_view text = input.substr(start, end - start);
        const hitwatch::ParseResult r = parser.parse(text);
        const hitwatch::ParseResult full = hitwatch::parse_line_in_full(text);
        if (r.error != full.error) __builtin_trap();
        if (r.ok() && !same_hit(r.line, full.line)) __builtin_trap();
        for (const char* kind : kinds) {  // the parser takes the widest; the others the same
            hitwatch::LogLine quick;
            if (hitwatch::quick_combined_by(kind, text, quick, memo) && !(full.ok() && same_hit(quick, full.line))) {
                __builtin_trap();
            }
        }
        if (r.ok()) {
            if (r.line.status < 100 || r.line.status > 999) __builtin_trap();
            counts.add_hit(r.line.section, r.line.status, r.line.bytes);
            ++hits;
        }
        start = end + 1;
    }
    std::uint64_t listed = 0;
    for (const auto& s : counts.top_sections(1000)) {
        if (!printable_utf8(s.section)) __builtin_trap();
        listed += s.hits;
    }
    if (listed != hits) __builtin_trap();  // exact, or the listed bounds and "(other)"
    std::string name;
    hitwatch::append_section_name(input, name);
    if (!printable_utf8(name)) __builtin_trap();
    if (hitwatch::is_plain_name(input) && name != input) __builtin_trap();  // plain: kept as it is
    (void)hitwatch::section_of(input);
    return 0;
}
