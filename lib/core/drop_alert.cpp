// SPDX-License-Identifier: Apache-2.0
#include "core/drop_alert.h"

#include "core/adaptive_rule.h"

namespace hitwatch {

DropAlert::DropAlert(const AlertSettings& settings)
    : KindAlert(AlertKind::drop, settings),
      window_(static_cast<size_t>(settings.window_s)),
      traffic_(settings.window_s, traffic_learning(settings), traffic_band(settings)) {}

void DropAlert::learn() {
    if (window_.total() > 0) traffic_.learn(hits(), active_);  // an empty window teaches nothing
}

void DropAlert::retuned() { traffic_.retune(traffic_learning(settings_), traffic_band(settings_)); }

void DropAlert::describe(AlertEvent& e) const {
    e.hits = window_.total();
    e.normal_hits = traffic_.level();
    e.limit_hits = e.high ? limit() : std::max(0.0, traffic_.recovery_low());
    e.threshold = e.limit_hits;
}

void DropAlert::fill(KindStatus& s) const {
    s.value = hits();
    s.normal = traffic_.level();
    s.limit = limit();
}

}  // namespace hitwatch
