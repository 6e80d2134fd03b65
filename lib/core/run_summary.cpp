#include "core/run_summary.h"

#include <algorithm>

namespace hitwatch {

void RunTotals::add(const AlertEvent& event) {
    if (event.high) {
        ++alerts_;
        high_since_ = event.at;
    } else if (high_since_) {
        alert_seconds_ += std::max<std::int64_t>(0, event.at - *high_since_);
        high_since_.reset();
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
    s.alerts = alerts_;
    s.alert_seconds = alert_seconds_ + (high_since_ ? std::max<std::int64_t>(0, last - *high_since_) : 0);
    return s;
}

}  // namespace hitwatch
