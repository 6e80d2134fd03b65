// SPDX-License-Identifier: Apache-2.0
#include "core/duration_text.h"

#include <cmath>

#include "core/parser.h"

namespace hitwatch {
namespace {

// The unit at the front of `s`, taken off: microseconds in one; 0 if none.
double take_unit(std::string_view& s) {
    static constexpr struct {
        std::string_view name;
        double micros;
    } kUnits[] = {{"ns", 1e-3}, {"us", 1}, {"\xC2\xB5s", 1}, {"\xCE\xBCs", 1}, {"ms", 1e3},
                  {"s", 1e6},   {"m", 60e6}, {"h", 3600e6}};  // "ms" before "m"
    for (const auto& unit : kUnits) {
        if (s.substr(0, unit.name.size()) == unit.name) {
            s.remove_prefix(unit.name.size());
            return unit.micros;
        }
    }
    return 0;
}

// A number with an optional fraction at the front of `s`, taken off; nullopt if none.
std::optional<double> take_number(std::string_view& s) {
    double value = 0, scale = 1;
    size_t i = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 15; ++i) value = value * 10 + (s[i] - '0');
    if (i == 0) return std::nullopt;
    if (i < s.size() && s[i] == '.') {
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) value += (s[i] - '0') * (scale /= 10);
    }
    s.remove_prefix(i);
    return value;
}

}  // namespace

std::optional<std::int64_t> micros_of_duration_text(std::string_view text) {
    if (text.empty()) return std::nullopt;
    double micros = 0;
    while (!text.empty()) {
        const std::optional<double> n = take_number(text);
        if (!n) return std::nullopt;
        const double unit = take_unit(text);
        if (unit == 0) return std::nullopt;
        micros += *n * unit;
    }
    if (!(micros <= static_cast<double>(kMaxDurationMicros))) return std::nullopt;
    return static_cast<std::int64_t>(std::llround(micros));
}

}  // namespace hitwatch
