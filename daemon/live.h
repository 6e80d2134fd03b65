// SPDX-License-Identifier: Apache-2.0
#pragma once
// Live mode: follows the logs on one Asio event loop, counts each line when it arrives,
// reports every interval, and checkpoints after each report and on exit.
#include <boost/asio/io_context.hpp>
#include <functional>
#include <optional>

#include "config/options.h"
#include "core/report.h"

namespace hitwatchd {

class Sinks;

// Reads the configuration again for a reload; nullopt if it is invalid (already logged).
using Reread = std::function<std::optional<Options>()>;

// Runs `io` until SIGTERM or SIGINT; returns the process exit code. SIGHUP reloads.
int run_live(const Options& options, boost::asio::io_context& io, Sinks& sinks, Reread reread);

}  // namespace hitwatchd
