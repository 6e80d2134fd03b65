// SPDX-License-Identifier: Apache-2.0
#pragma once
// The drop alert: the window's hits improbably low for their learned normal (down to none
// at all: the server is down, a load balancer dropped it) and at least --alert-min-change
// below it. Armed only while the normal is at least --alert-drop-min hits a window, so a
// quiet night or a small site never pages. It learns the window's hits as the adaptive
// traffic rule does (core/traffic_normal.h) whatever the traffic rule, and an empty window
// teaches it nothing: a site that is down stays low until traffic comes back.
#include "core/kind_alert.h"
#include "core/traffic_normal.h"

namespace hitwatch {

class DropAlert : public KindAlert {
public:
    explicit DropAlert(const AlertSettings& settings);

    bool quiet() const override { return window_.total() == 0 && (active_ || !armed()); }
    bool armed() const { return traffic_.level() >= settings_.drop_min; }
    // The window's learned normal, whether or not the drop alert is on.
    const TrafficNormal& traffic() const { return traffic_; }

protected:
    void push(const SecondCounts& second) override {
        window_.push(second.hits);
        traffic_.push_second(second.hits);
    }
    bool measurable() const override { return true; }
    bool raised() const override { return armed() && traffic_.fell(hits()); }
    bool stays() const override { return traffic_.still_low(hits()); }
    void learn() override;
    const LearnedNormal& learned() const override { return traffic_.normal(); }
    LearnedNormal& learned() override { return traffic_.normal(); }
    void retuned() override;
    void describe(AlertEvent& event) const override;
    void fill(KindStatus& status) const override;

private:
    double hits() const { return static_cast<double>(window_.total()); }
    double limit() const { return std::max(0.0, traffic_.level() - traffic_.band()); }

    HitWindow window_;
    TrafficNormal traffic_;
};

}  // namespace hitwatch
