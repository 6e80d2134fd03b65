// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE replay_memory
// What a replay of many logs merged holds for each log, as merged_replay.h states it: a host
// with hundreds of vhost logs replays them all at once. Measured in the Release pass only
// (labelled `memory`): a sanitizer's shadow memory makes RSS say nothing.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "process.h"

using test::run;

namespace {

// `logs` logs in `dir` of `lines` generated lines each, dealt from one log a line at a time, so
// they are written side by side over the same hours; their paths.
std::vector<std::string> logs_side_by_side(const test::TempDir& dir, int logs, int lines) {
    const std::string all = dir.file("all");
    const auto gen = run({GENLOG, "--out", all, "--rate", "50", "--lines", std::to_string(logs * lines)});
    BOOST_TEST_REQUIRE(gen.exit_code == 0, gen.err);
    std::vector<std::string> paths;
    std::vector<std::ofstream> outs;
    for (int i = 0; i < logs; ++i) {
        paths.push_back(dir.file("site" + std::to_string(i) + ".log"));
        outs.emplace_back(paths.back(), std::ios::binary);
    }
    std::ifstream in(all, std::ios::binary);
    std::size_t at = 0;
    for (std::string line; std::getline(in, line); ++at) outs[at % outs.size()] << line << '\n';
    return paths;
}

// The peak RSS in KiB of a replay of `paths` on `threads` threads, which reads `lines` lines.
long replay_peak_kib(const std::vector<std::string>& paths, unsigned threads, long lines) {
    std::vector<std::string> argv{test::hitwatchd(), "--output", "none", "--replay"};
    argv.insert(argv.end(), paths.begin(), paths.end());
    argv.insert(argv.end(), {"--threads", std::to_string(threads)});
    const auto r = run(argv);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find("replayed " + std::to_string(lines) + " lines") != std::string::npos, r.err);
    BOOST_TEST_REQUIRE(r.peak_rss_kib > 0);
    return r.peak_rss_kib;
}

// What a log merged with `logs - 1` others of `lines` lines each holds, in KiB, on `threads`
// threads: the peak RSS of their replay less one log's, shared out.
long per_log_kib(const std::vector<std::string>& paths, unsigned threads, long lines) {
    const long one = replay_peak_kib({paths.front()}, threads, lines);
    const long all = replay_peak_kib(paths, threads, static_cast<long>(paths.size()) * lines);
    const long per_log = (all - one) / static_cast<long>(paths.size() - 1);
    BOOST_TEST_MESSAGE(threads << " threads: one log " << one << " KiB, " << paths.size() << " logs " << all
                               << " KiB: " << per_log << " KiB a log");
    return per_log;
}

}  // namespace

// 120 logs of 300 KB, each more than one read and less than a thread's share (replayed on the
// counting thread whatever --threads says). The head each log's file is first read into (256
// KiB, for `auto`) was kept beside its chunk, as its memory was not given back: 546 KiB a log.
// Given back, 295. Past 16 logs, each log is read in smaller chunks after a smaller head
// (merged_reads: 32 KiB and 64 KiB here): 119. Each log's parser copied the presets `auto`
// chooses from, and two more presets took that to 157; shared by the parsers, 108.
BOOST_AUTO_TEST_CASE(many_logs_merged_hold_a_small_chunk_each) {
    const test::TempDir dir;
    const std::vector<std::string> paths = logs_side_by_side(dir, 120, 1700);
    for (const unsigned threads : {1u, 2u}) BOOST_TEST(per_log_kib(paths, threads, 1700) <= 140, threads << " threads");
}

// 40 logs of 1 MB, each read in parts by a pipeline on 2 threads: 2 chunks in flight a log, with
// their records, and the head its threads' parsers are made from. 941 KiB a log with chunks and
// heads of 256 KiB; 228 with chunks of 64 KiB (81 on 1 thread).
BOOST_AUTO_TEST_CASE(logs_of_several_parts_merged_on_two_threads_hold_two_chunks_each) {
    const test::TempDir dir;
    const std::vector<std::string> paths = logs_side_by_side(dir, 40, 6000);
    for (const unsigned threads : {1u, 2u}) BOOST_TEST(per_log_kib(paths, threads, 6000) <= 320, threads << " threads");
}

// A scanner's flood in one interval: 12,000 paths of 8,000 bytes, each a section of its own.
// Named in full, the interval's table held 10,000 of them (--max-sections) and its heavy-hitter
// summary the rest: 242 MiB at its peak, on 1 thread or 2. Named by their first 256 bytes: 21 MiB.
BOOST_AUTO_TEST_CASE(a_flood_of_long_paths_holds_a_short_name_a_section) {
    const test::TempDir dir;
    const std::string log = dir.file("scanner.log");
    {
        std::ofstream out(log, std::ios::binary);
        const std::string filler(7990, 'a');
        for (int i = 0; i < 12000; ++i) {
            out << "203.0.113.9 - - [07/Dec/2026:10:00:0" << i / 2000 << " +0000] \"GET /" << 100000 + i << filler
                << " HTTP/1.1\" 414 226 \"-\" \"scanner\"\n";
        }
    }
    for (const char* threads : {"1", "2"}) {
        const auto r = run({test::hitwatchd(), "--replay", log, "--output", "json", "--threads", threads});
        BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
        BOOST_TEST(r.err.find("replayed 12000 lines: 12000 hits") != std::string::npos, r.err);
        BOOST_TEST(r.peak_rss_kib <= 40 * 1024, threads << " threads: " << r.peak_rss_kib << " KiB");
        const auto at = r.out.find("\"section\":\"/100000");
        BOOST_TEST_REQUIRE(at != std::string::npos);
        const auto name_end = r.out.find('"', at + 11);
        BOOST_TEST(name_end - (at + 11) == 256u + 3u, r.out.substr(at, 300));  // 256 bytes and "…"
    }
}
