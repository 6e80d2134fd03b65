// SPDX-License-Identifier: Apache-2.0
#pragma once
// The daemon's own messages, through Boost.Log, one line each on stderr with a level.
#include <boost/log/trivial.hpp>
#include <string>

namespace hitwatchd {

// level: debug, info, warning or error.
void setup_logging(const std::string& level);
// A reload's new level.
void set_log_level(const std::string& level);

}  // namespace hitwatchd

#define HW_LOG(severity) BOOST_LOG_TRIVIAL(severity)
