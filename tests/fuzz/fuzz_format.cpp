// SPDX-License-Identifier: Apache-2.0
// Format strings and the lines read by them are outside bytes too: the first line of the
// input is a format (compiled, or rejected with a message), the rest are lines in it, read
// with sections named by host and three path segments. Lines
// must never be read out of bounds, and a hit must have a status, a section, and a byte
// count and a response time within their limits (a JSON "nan" or 1e300, or %{ms}T of 18
// digits, is an invalid line, never an overflowing conversion: the fuzz build checks float
// casts, which GCC's -fsanitize=undefined does not).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/line_parser.h"
#include "core/log_format.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const size_t first = std::min(input.find('\n'), input.size());
    const hitwatch::CompiledFormat compiled = hitwatch::compile_format(input.substr(0, first));
    if (!compiled.ok()) return 0;
    // Every kind: format strings, presets, json, auto (which the first line then decides).
    hitwatch::LineParser parser(compiled.format, hitwatch::SectionRule{true, 3});
    for (size_t start = first + 1; start <= input.size();) {
        const size_t end = std::min(input.find('\n', start), input.size());
        const hitwatch::ParseResult r = parser.parse(input.substr(start, end - start));
        if (r.ok() && (r.line.status < 100 || r.line.status > 999 || r.line.section.empty() ||
                       r.line.bytes > hitwatch::kMaxBytes || r.line.duration_us > hitwatch::kMaxDurationMicros)) {
            __builtin_trap();
        }
        start = end + 1;
    }
    return 0;
}
