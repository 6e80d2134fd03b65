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

}  // namespace

// 120 logs of 300 KB, each more than one read and less than a thread's share (replayed on the
// counting thread whatever --threads says): each log holds one chunk, 256 KiB of lines and the
// line across its end, and no more. The head each log's file is first read into (256 KiB, for
// `auto`) was kept beside it, as its memory was not given back: 535 KiB a log.
BOOST_AUTO_TEST_CASE(many_logs_merged_hold_one_chunk_each) {
    const test::TempDir dir;
    constexpr int kLogs = 120, kLines = 1700;
    const std::vector<std::string> paths = logs_side_by_side(dir, kLogs, kLines);
    for (const unsigned threads : {1u, 2u}) {
        const long one = replay_peak_kib({paths.front()}, threads, kLines);
        const long all = replay_peak_kib(paths, threads, long{kLogs} * kLines);
        const long per_log = (all - one) / (kLogs - 1);
        BOOST_TEST_MESSAGE(threads << " threads: one log " << one << " KiB, " << kLogs << " logs " << all
                                   << " KiB: " << per_log << " KiB a log");
        BOOST_TEST(per_log <= 320, threads << " threads: " << per_log << " KiB a log");
    }
}
