// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the alerts carry across a restart, with what it was computed under; the state file
// serializes it (state/checkpoint), the monitor saves and restores it.
#include <vector>

#include "core/alert.h"
#include "core/kind_alert.h"
#include "core/section_trends.h"

namespace hitwatch {

struct SavedAlert {
    AlertRuleKind rule = AlertRuleKind::adaptive;
    std::int64_t window_s = 0;
    std::int64_t interval_s = 0;
    UnixSeconds saved_at = 0;
    AlertState state;               // the traffic rule's window and what it learned
    std::vector<SavedKind> kinds;   // the errors, latency and drop alerts
    SectionShares sections;         // the sections' normal shares
};

}  // namespace hitwatch
