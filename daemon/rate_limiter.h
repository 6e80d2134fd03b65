// SPDX-License-Identifier: Apache-2.0
#pragma once
// Lets a message through at most once per period and counts what it held back, so a flood
// of bad lines cannot flood the daemon's own log.
#include <chrono>
#include <cstdint>

namespace hitwatchd {

template <class Clock = std::chrono::steady_clock>
class RateLimiter {
public:
    explicit RateLimiter(typename Clock::duration period) : period_(period) {}

    // True if a message may go out at `now`; otherwise it is counted as suppressed.
    bool allow(typename Clock::time_point now) {
        if (sent_any_ && now - last_ < period_) {
            ++suppressed_;
            return false;
        }
        sent_any_ = true;
        last_ = now;
        return true;
    }

    // How many were held back since the last call, and start counting again.
    std::uint64_t take_suppressed() {
        const std::uint64_t n = suppressed_;
        suppressed_ = 0;
        return n;
    }

private:
    typename Clock::duration period_;
    typename Clock::time_point last_{};
    bool sent_any_ = false;
    std::uint64_t suppressed_ = 0;
};

}  // namespace hitwatchd
