// SPDX-License-Identifier: Apache-2.0
#pragma once
// --replay: an existing log, as fast as it can be read, with the log's own time as the clock.
#include <csignal>
#include <functional>

#include "config/options.h"
#include "core/report.h"

namespace hitwatchd {

// What a replay asks of the outputs main() made for it.
struct ReplayOutputs {
    // Writes the reports standard output and the report file hold (before SIGUSR1's summary so far
    // is said).
    std::function<void()> write_held;
    // True once nothing takes the reports any more: standard output's reader went away, and
    // there is no other output (the replay then stops, `hitwatchd --replay month.log | head`).
    std::function<bool()> unread;
};

// Set by SIGTERM or SIGINT once a replay runs: the signal's number.
const volatile std::sig_atomic_t* replay_stop_signal();

// Returns the process exit code: 0 at the end of the input, 1 on an I/O error.
int run_replay(const Options& options, hitwatch::EventSink& sink, ReplayOutputs outputs = {});

}  // namespace hitwatchd
