#pragma once
// Live mode: follows the logs on one Asio event loop, counts each line when it arrives,
// reports every interval, and checkpoints after each report and on exit.
#include <boost/asio/io_context.hpp>
#include <functional>

#include "options.h"
#include "report.h"

namespace hitwatchd {

// Runs `io` until SIGTERM or SIGINT; returns the process exit code. SIGHUP calls on_hangup.
int run_live(const Options& options, boost::asio::io_context& io, hitwatch::EventSink& out,
             std::function<void()> on_hangup);

}  // namespace hitwatchd
