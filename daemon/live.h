#pragma once
// Live mode: follows the logs on one Asio event loop, counts each line when it arrives,
// reports every interval, and checkpoints after each report and on exit.
#include "options.h"
#include "report.h"

namespace hitwatchd {

// Runs until SIGTERM or SIGINT; returns the process exit code.
int run_live(const Options& options, hitwatch::EventSink& out);

}  // namespace hitwatchd
