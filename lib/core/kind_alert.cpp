// SPDX-License-Identifier: Apache-2.0
#include "core/kind_alert.h"

#include <algorithm>

namespace hitwatch {

KindAlert::KindAlert(AlertKind kind, const AlertSettings& settings)
    : kind_(kind), settings_(settings), whole_after_(static_cast<std::uint64_t>(settings.window_s)) {}

std::optional<AlertEvent> KindAlert::on_second(UnixSeconds now, const SecondCounts& second) {
    push(second);
    ++seconds_;
    if (!whole() || !enabled()) return std::nullopt;
    // Not measurable (too few requests for a share or a percentile): an alert ends, none begins.
    const bool on = measurable() && learned().warm() && (active_ ? stays() : raised());
    if (on == active_) return std::nullopt;
    active_ = on;
    if (on) since_ = now;
    return event(now);
}

void KindAlert::on_interval() {
    if (whole() && measurable()) learn();
}

void KindAlert::skip_seconds(std::uint64_t seconds) {
    // Past a whole window of them, the window is empty whatever follows.
    const auto pushes = std::min<std::uint64_t>(seconds, static_cast<std::uint64_t>(window_seconds()));
    for (std::uint64_t i = 0; i < pushes; ++i) push({});
    seconds_ += seconds;
}

std::optional<AlertEvent> KindAlert::retune(UnixSeconds now, const AlertSettings& settings) {
    settings_ = settings;
    retuned();
    if (!active_ || enabled()) return std::nullopt;
    active_ = false;
    AlertEvent e = event(now);
    e.ended_by_reload = true;
    return e;
}

AlertEvent KindAlert::event(UnixSeconds now) const {
    AlertEvent e;
    e.kind = kind_;
    e.high = active_;
    e.rule = AlertRuleKind::adaptive;
    e.window_s = settings_.window_s;
    e.at = now;
    if (!active_) e.duration_s = since_ > 0 ? now - since_ : 0;
    describe(e);
    return e;
}

KindStatus KindAlert::status() const {
    KindStatus s;
    s.kind = kind_;
    s.enabled = enabled();
    s.active = active_;
    s.judging = whole() && learned().warm();
    if (!learned().warm()) {
        const auto& settings = learned().settings();
        s.learning_left_s = static_cast<std::int64_t>(settings.warm_up - learned().intervals()) * settings_.interval_s;
    }
    fill(s);
    return s;
}

void KindAlert::restore(const SavedKind& saved) {
    learned().restore(saved.learning);
    active_ = saved.active;
    since_ = saved.active ? saved.since : 0;
}

}  // namespace hitwatch
