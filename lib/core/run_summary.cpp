// SPDX-License-Identifier: Apache-2.0
#include "core/run_summary.h"

#include <algorithm>

namespace hitwatch {

void RunTotals::add(const AlertEvent& event) {
    const auto k = static_cast<size_t>(event.kind);
    const UnixSeconds at = std::clamp(event.at, from_, until_);
    if (event.high) {
        alerts_[k] += event.at >= from_ && event.at < until_;
        since_[k] = at;
    } else if (since_[k]) {
        alert_seconds_[k] += std::max<std::int64_t>(0, at - *since_[k]);
        since_[k].reset();
    }
}

RunSummary RunTotals::summary(size_t top, UnixSeconds first, UnixSeconds last) const {
    RunSummary s;
    s.first = first;
    s.last = last;
    s.hits = totals_.hits();
    s.bytes = totals_.bytes();
    s.invalid = totals_.invalid();
    s.status_classes = totals_.status_classes();
    s.codes = totals_.codes();
    s.sections = totals_.top_sections(top);
    s.sections_truncated = totals_.truncated();
    if (!s.sections.empty() && s.sections.front().section != IntervalCounts::kOtherSection) {
        s.most_popular_section = std::string(s.sections.front().section);
    }
    for (size_t k = 0; k < kAlertKinds; ++k) {
        s.alerts_by_kind[k] = alerts_[k];
        s.alert_seconds_by_kind[k] = alert_seconds_[k] + (since_[k] ? std::max<std::int64_t>(0, last - *since_[k]) : 0);
        s.alerts += s.alerts_by_kind[k];
        s.alert_seconds += s.alert_seconds_by_kind[k];
    }
    return s;
}

}  // namespace hitwatch
