// SPDX-License-Identifier: Apache-2.0
#pragma once
// The compact human view, for a terminal.
#include <string>

#include "core/report.h"

namespace hitwatch {

// Two lines: the interval's figures, then its busiest sections.
std::string to_text(const Report& report);
// The alert message itself, marked so it stands out among reports.
std::string to_text(const AlertEvent& event);
// The run's summary as a small table: totals, statuses, alerts, the busiest sections.
std::string to_text(const RunSummary& summary);

}  // namespace hitwatch
