// SPDX-License-Identifier: Apache-2.0
#pragma once
// The daemon's own messages, through Boost.Log, one line each on stderr with a level.
#include <boost/log/trivial.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace hitwatchd {

// level: debug, info, warning or error.
void setup_logging(const std::string& level);
// A reload's new level.
void set_log_level(const std::string& level);

// "1 line", "2 lines": a count and its noun, for messages.
inline std::string counted(std::uint64_t n, std::string_view noun) {
    return std::to_string(n).append(" ").append(noun).append(n == 1 ? "" : "s");
}

}  // namespace hitwatchd

#define HW_LOG(severity) BOOST_LOG_TRIVIAL(severity)
