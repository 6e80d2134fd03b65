// SPDX-License-Identifier: Apache-2.0
#pragma once
// Tells a step of the wall clock (an administrator's `date -s`, NTP correcting a host that
// booted in 1970) from the passing of time, by comparing it with the steady clock at each
// reading. The times come in as arguments, so tests need no real clock.
#include <chrono>
#include <cstdint>
#include <optional>

namespace hitwatchd {

class WallClockWatch {
public:
    using Wall = std::chrono::system_clock::time_point;
    using Steady = std::chrono::steady_clock::time_point;

    // Steps of at most `tolerance_s` seconds are taken as time passing (slewing, jitter).
    explicit WallClockWatch(std::int64_t tolerance_s) : tolerance_(std::chrono::seconds(tolerance_s)) {}
    void set_tolerance(std::int64_t tolerance_s) { tolerance_ = std::chrono::seconds(tolerance_s); }

    // How many seconds the wall clock stepped (forwards > 0, backwards < 0) since the last
    // reading beyond the time the steady clock saw pass; 0 if no more than the tolerance.
    std::int64_t step(Wall wall, Steady steady) {
        std::int64_t stepped = 0;
        if (last_) {
            const auto expected = last_->wall + std::chrono::duration_cast<Wall::duration>(steady - last_->steady);
            const auto off = wall - expected;
            if (off > tolerance_ || off < -tolerance_) {
                stepped = std::chrono::round<std::chrono::seconds>(off).count();
            }
        }
        last_ = Reading{wall, steady};
        return stepped;
    }

private:
    struct Reading {
        Wall wall;
        Steady steady;
    };
    std::chrono::system_clock::duration tolerance_;
    std::optional<Reading> last_;
};

}  // namespace hitwatchd
