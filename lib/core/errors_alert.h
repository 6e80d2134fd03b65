// SPDX-License-Identifier: Apache-2.0
#pragma once
// The errors alert: the window's share of 5xx improbably high for its learned normal share
// (binomial noise at the window's request count, plus what the share learned to stray
// beyond it) and at least --alert-min-change above it, with at least --alert-errors-min
// 5xx in the window, so a handful of errors on a quiet site never pages.
#include "core/kind_alert.h"

namespace hitwatch {

class ErrorsAlert : public KindAlert {
public:
    // A first start's noise, as a share of the normal share, until the horizon is learned.
    static constexpr double kPriorShare = 1.0;

    explicit ErrorsAlert(const AlertSettings& settings);

    bool quiet() const override { return requests_.total() == 0 && !active_; }
    double ratio() const;
    double normal_ratio() const { return normal_.level(); }
    double limit_ratio() const { return normal_ratio() + band(); }

protected:
    void push(const SecondCounts& second) override {
        requests_.push(second.hits);
        errors_.push(second.errors);
    }
    bool measurable() const override { return requests_.total() > 0; }
    bool raised() const override;
    bool stays() const override;
    void learn() override;
    const LearnedNormal& learned() const override { return normal_; }
    LearnedNormal& learned() override { return normal_; }
    void retuned() override;
    void describe(AlertEvent& event) const override;
    void fill(KindStatus& status) const override;

private:
    // The binomial variance of the window's share at the normal share.
    double floor_variance() const;
    double band() const;
    double wide_band() const;

    HitWindow requests_;
    HitWindow errors_;
    LearnedNormal normal_;
};

NormalSettings errors_learning(const AlertSettings& settings);

}  // namespace hitwatch
