// SPDX-License-Identifier: Apache-2.0
#pragma once
// A replay on several threads: workers parse the input's chunks, and this thread counts the
// parsed lines into the feed in the order of the log -- the same calls, in the same order, as
// a replay on one thread makes, so the reports and alerts are the same. Lines that cannot move
// the clock come summed (LinesSum), counted at once where that counts as one by one would.
// While the chunk to count next is still being parsed, this thread parses a waiting chunk
// itself. A plain file is read in parts at offsets, each by the thread that parses it, the
// line across each edge joined here; anything else (compressed, a pipe, a file with holes)
// this thread reads in chunks of whole lines (and inflates).
//
// Memory: at most 2 x threads chunks are read and not yet counted, each 256 KiB of text (and
// up to one line more, --max-line) and at most 8192 lines of it parsed at a time: a record of
// 48 bytes a line, or for lines summed their sum's record and sum (96 bytes), their tallies and
// response times (56 bytes a line at most) and the map that finds a section's tally (at most
// 50 bytes a line): under 2 MiB a chunk whatever the lines (with the default --max-line), so
// 2 threads hold at most 8 MiB of chunks. (A part read at an offset is 256 KiB, and the one
// line across its edges that is joined is kept to --max-line.)
#include <csignal>

#include "replay_feed.h"
#include "replay_input.h"

namespace hitwatchd {

// The threads a replay parses on when --threads is not given: the cores this process may run
// on, or fewer when a cgroup's CPU quota gives it fewer CPUs' time (a container's --cpus).
unsigned available_cores();

class ParsePool;

// Reads `input` to its end (or a stop signal) into `feed` on this thread and `pool`'s workers:
// 0, or 1 on a read error. On a stop signal, the chunks up to the first one not parsed yet are
// counted. `feed` reads lines on their own (lines_parse_alone()) once its format is decided.
// One pool serves a log's files one after another: a month of rotations is not 720 threads
// started and joined.
int replay_parallel(ReplayInput& input, ReplayFeed& feed, ParsePool& pool, const volatile std::sig_atomic_t* stop);

}  // namespace hitwatchd
