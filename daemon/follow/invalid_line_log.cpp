// SPDX-License-Identifier: Apache-2.0
#include "follow/invalid_line_log.h"

#include <cstdio>
#include <numeric>
#include <utility>

#include "format/printable_text.h"
#include "logging.h"

namespace hitwatchd {

std::vector<std::pair<std::string, std::uint64_t>> reasons(const InvalidCounts& counts) {
    std::vector<std::pair<std::string, std::uint64_t>> named;
    for (std::size_t reason = 0; reason < counts.size(); ++reason) {
        if (counts[reason] > 0) named.emplace_back(reason_name(reason), counts[reason]);
    }
    return named;
}

std::string reason_text(std::size_t reason, std::size_t max_line) {
    if (reason == kOverlong) return "longer than --max-line " + std::to_string(max_line) + " bytes";
    return hitwatch::describe(static_cast<hitwatch::ParseError>(reason));
}

std::array<RateLimiter<CoarseSteadyClock>, kInvalidReasons> InvalidLineLog::make_limiters() {
    using Limiter = RateLimiter<CoarseSteadyClock>;
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<Limiter, kInvalidReasons>{((void)I, Limiter(kSamplePeriod))...};
    }(std::make_index_sequence<kInvalidReasons>());
}

void InvalidLineLog::note(std::uint64_t line_number, hitwatch::ParseError error, std::string_view text,
                          std::string_view expected_time) {
    if (error == hitwatch::ParseError::bad_time && expected_time != expected_time_) expected_time_ = expected_time;
    log(static_cast<std::size_t>(error), line_number, text);
}

std::string InvalidLineLog::reason_text(std::size_t reason) const {
    if (reason == static_cast<std::size_t>(hitwatch::ParseError::bad_time) && !expected_time_.empty()) return expected_time_;
    return hitwatchd::reason_text(reason, max_line_);
}

void InvalidLineLog::note_overlong(std::uint64_t line_number) { log(kOverlong, line_number, {}); }

std::uint64_t InvalidLineLog::total() const { return std::accumulate(counts_.begin(), counts_.end(), std::uint64_t{0}); }

void InvalidLineLog::log(std::size_t reason, std::uint64_t line_number, std::string_view text) {
    ++counts_[reason];
    if (!limiters_[reason].allow(CoarseSteadyClock::now())) {
        ++held_back_[reason];
        ++not_shown_;
        return;
    }
    // A file first met at its end has lines of unknown number.
    std::string message = line_number > 0 ? "invalid line " + std::to_string(line_number) + " of " + source_ + ": "
                                          : "invalid line in " + source_ + ": ";
    message += reason_text(reason);
    if (!text.empty()) message += ": " + hitwatch::printable_text(text, kExcerptBytes);
    if (const auto held = std::exchange(held_back_[reason], 0); held > 0) {
        message += " (" + std::to_string(held) + " more like it not shown)";
    }
    HW_LOG(warning) << message;
}

}  // namespace hitwatchd
