// SPDX-License-Identifier: Apache-2.0
#pragma once
// Logs written side by side -- two web servers behind one balancer, two sites of one server --
// replayed as one: each log's files are read one after another (its rotations, oldest first),
// and of the logs' next lines the one dated first is counted first, so each interval holds
// every log's lines of its time, as a live daemon following them all would have counted them.
// Each log keeps its own format, line numbers and invalid lines (ReplayFeed::add_log).
//
// With --threads N, every log's chunks are parsed by one pool of N - 1 workers, however many
// logs, while this thread merges and counts, and parses chunks while the next one to count is
// not parsed yet; a plain file's parts are read by the thread that parses them, as one log's
// are (parallel_replay.h), a compressed one's chunks by this thread. The output is the same
// for any N. Memory: each log holds one chunk (merged_reads: 256 KiB up to 16 logs, as little
// as 16 KiB past 256; and up to one line more, --max-line) when it is read on this thread: with
// one thread, or a file of up to 3 reads (kOneThreadBytes); and its head while the head is
// given out as chunks. 120 logs of 300 KB held 120 KiB each (tests/test_replay_memory.cpp). A
// file read on N threads holds 2 x ceil(N / logs) chunks, each with its records (under 1 MiB
// in all, parallel_replay.h), and its head (what `auto` decided its format by, for the
// threads' parsers) while it is read: 40 logs of 1 MB, 228 KiB a log on 2 threads.
#include <csignal>
#include <string>
#include <vector>

#include "chunk_pipeline.h"
#include "replay_feed.h"
#include "replay_input.h"

namespace hitwatchd {

// What each log's files are read by: a head (what `auto` detects the format by) and chunks. Up
// to 16 logs, 256 KiB each, as one log's. With more, both shrink (halved while every log's chunks
// come to more than 4 MiB, to 16 KiB; a head of 64 KiB at least, about 350 lines) so that
// each line is still in the caches when it is counted: 100 logs of 3 MB, 1 thread, 868 -> 730
// ms (chunks of 32 KiB; interleaved, 7 rounds). The same for any --threads, so the output is.
struct MergedReads {
    std::size_t chunk = kChunkBytes;
    std::size_t head = kReplayReadBytes;
};
constexpr std::size_t kMergedChunksBytes = 4 * 1024 * 1024;
constexpr std::size_t kSmallestMergedChunk = 16 * 1024;
constexpr std::size_t kSmallestMergedHead = 64 * 1024;
MergedReads merged_reads(std::size_t logs);

// The log a file of that name is a rotation of: its path without what logrotate, rotatelogs
// and cronolog add -- a compressor's suffix (.gz .bz2 .xz .zst), a number (.1, .1700000000),
// a date (-20261205, -2026120512, .2026-12-05, -2026-12-05; before the extension too:
// access-20261205.log). "web1/access.log.2.gz" is "web1/access.log".
std::string rotated_log_name(const std::string& path);

// The files of a replay (oldest first) by the log each is a rotation of, in the order of each
// log's first file; every file in one log when one of them is not a regular file (a pipe's
// order is the one given).
std::vector<std::vector<ReplayFile>> logs_of(const std::vector<ReplayFile>& files);

// Replays `logs` (two or more) into `feed`, whose log 0 is the first one's, on `threads`
// threads, up to their ends or a stop signal: 0, or 1 if a file could not be opened or read to
// its end (said, and the files after it read). `latest_mtime`: the latest modification time
// of the files opened.
int replay_merged(const std::vector<std::vector<ReplayFile>>& logs, ReplayFeed& feed, unsigned threads,
                  const volatile std::sig_atomic_t* stop, hitwatch::UnixSeconds& latest_mtime);

}  // namespace hitwatchd
