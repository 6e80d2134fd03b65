// SPDX-License-Identifier: Apache-2.0
#pragma once
// The daemon's own messages, through Boost.Log, one line each on stderr with a level.
#include <boost/log/trivial.hpp>
#include <csignal>
#include <cstdint>
#include <string>
#include <string_view>

namespace hitwatchd {

// level: debug, info, warning or error.
void setup_logging(const std::string& level);
// A reload's new level.
void set_log_level(const std::string& level);
// Once `*stop` is set (a replay's stop signal), a standard error that takes nothing for
// os::kStoppingWaitMs (a terminal stopped by ^S, which standard output shares) is given up:
// the messages after it are dropped, and the replay ends.
void give_up_stderr_at(const volatile std::sig_atomic_t* stop);

// "1 line", "2 lines": a count and its noun, for messages.
inline std::string counted(std::uint64_t n, std::string_view noun) {
    return std::to_string(n).append(" ").append(noun).append(n == 1 ? "" : "s");
}

}  // namespace hitwatchd

#define HW_LOG(severity) BOOST_LOG_TRIVIAL(severity)
