// SPDX-License-Identifier: Apache-2.0
#include "core/absolute_rule.h"

namespace hitwatch {

AbsoluteRule::AbsoluteRule(const AlertSettings& settings) : AlertRule(settings, static_cast<size_t>(settings.window_s)) {}

std::optional<AlertEvent> AbsoluteRule::on_second(UnixSeconds now, std::uint64_t hits) {
    window_.push(hits);
    return judge(now, settings_.threshold, limit_hits(), limit_hits(), 0);
}

void AbsoluteRule::age(UnixSeconds from, UnixSeconds to) {
    if (to <= from) return;
    const auto seconds = static_cast<std::uint64_t>(to - from);
    for (std::uint64_t i = 0; i < seconds && i < window_.slots(); ++i) window_.push(0);
}

}  // namespace hitwatch
