// SPDX-License-Identifier: Apache-2.0
#pragma once
// --replay: an existing log, as fast as it can be read, with the log's own time as the clock.
#include <functional>

#include "config/options.h"
#include "core/report.h"

namespace hitwatchd {

// Returns the process exit code: 0 at the end of the input, 1 on an I/O error.
// `write_held`: writes the reports the output holds, before SIGUSR1's summary so far is said.
int run_replay(const Options& options, hitwatch::EventSink& sink, std::function<void()> write_held = {});

}  // namespace hitwatchd
