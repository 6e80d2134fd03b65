// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE replay_threads
// A replay on several threads says what a replay on one says, byte for byte but the
// summary's lines_per_s: the real corpus, and a generated log whose chunk edges (every
// 256 KiB read) fall between lines out of time order, lines dated far ahead, a jump of days,
// blank, over-long and invalid lines, chunks of tens of thousands of lines, with an
// unterminated last line.
#include <boost/test/unit_test.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "process.h"
#include "report_lines.h"

using test::run;

namespace {

const std::string kCorpus = CORPUS "/apache_logs";
constexpr std::size_t kChunk = 256 * 1024;  // what a parallel replay reads at a time

// What a replay prints, without what may differ from run to run (its speed).
std::string replay_output(const std::vector<std::string>& args, unsigned threads, int exit_code = 0) {
    std::vector<std::string> argv{test::hitwatchd(), "--output", "json", "--threads", std::to_string(threads)};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run(argv);
    BOOST_TEST_REQUIRE(r.exit_code == exit_code, r.err);
    static const std::regex speed(",\"lines_per_s\":[-+.eE0-9]+");
    return std::regex_replace(r.out, speed, "");
}

void same_output_for(const std::vector<std::string>& args, const std::vector<unsigned>& threads) {
    const std::string one = replay_output(args, 1);
    BOOST_TEST_REQUIRE(test::of_type(test::json_lines(one), "summary").size() == 1u);
    for (const unsigned n : threads) {
        const std::string many = replay_output(args, n);
        BOOST_TEST((many == one), n << " threads differ from one (" << many.size() << " bytes, " << one.size() << ")");
    }
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t newline = text.find('\n', at);
        lines.push_back(text.substr(at, newline - at + 1));
        at = newline + 1;
    }
    return lines;
}

// A line dated years after the generated ones.
const std::string ahead = "10.9.9.9 - - [25/Nov/2030:00:00:00 +0000] \"GET /ahead HTTP/1.1\" 200 5\n";

// The lines of a generated log in `dir`, of 8000 lines, 20 a second from `start`.
std::vector<std::string> generated(const test::TempDir& dir, const std::string& name, long start) {
    const std::string path = dir.file(name);
    const auto gen = run({GENLOG, "--out", path, "--rate", "20", "--lines", "8000", "--start", std::to_string(start)});
    BOOST_TEST_REQUIRE(gen.exit_code == 0);
    return lines_of(test::read_file(path));
}

// The generated lines with, before each chunk edge (every `chunk` bytes), the line the edge's
// test needs: the last line of a chunk dated far ahead (an outlier, or a jump the next chunk
// confirms), blank, or an over-long line across the edge.
std::string with_edges(const std::vector<std::string>& lines, const std::vector<std::string>& later,
                       std::size_t chunk = kChunk) {
    const std::string overlong = std::string(300 * 1024, 'x') + "\n";  // longer than a chunk
    const std::string long_line = "10.0.0.1 - - [x] " + std::string(5000, 'y') + "\n";
    std::string log;
    std::size_t edge = chunk;
    int k = 0;
    const auto add = [&](const std::string& line) {
        if (log.size() + line.size() > edge) {
            switch (k++ % 5) {
                case 0: log += ahead; break;  // told an outlier by the line after the edge
                case 1: log += "\n\r\n"; break;
                case 2: log += long_line; break;
                case 3: log += overlong; break;
                case 4: log += "garbage at the edge\n"; break;
            }
            edge = (log.size() / chunk + 1) * chunk;
        }
        log += line;
    };
    for (const auto& line : lines) add(line);
    // Chunks of more lines than a worker parses at a time: mostly empty and one-byte lines.
    for (int i = 0; i < 60000; ++i) log += i % 20 == 0 ? lines.back() : i % 5 == 0 ? "x\n" : "\n";
    // The second part starts days later: the jump is confirmed across the next edge.
    edge = (log.size() / chunk + 1) * chunk;
    while (log.size() + later.front().size() <= edge) log += lines.back();
    for (const auto& line : later) add(line);
    log += "10.0.0.1 - - [27/Nov/2025:10:00:00 +0000] \"GET /unterminated HTTP/1.1\" 200 5";
    return log;
}

// `seconds_later`: its lines that much later than another's (a second server's log of the
// same time, written side by side). `chunk`: where the edges are.
[[maybe_unused]] std::string generated_log(const test::TempDir& dir, const std::string& name = "edges.log",
                                           long seconds_later = 0, std::size_t chunk = kChunk) {  // (not sanitized)
    const auto part = [&](const char* part_name, long start) {
        const std::string path = dir.file(name + "." + part_name);
        const auto gen = run({GENLOG, "--out", path, "--rate", "200", "--lines", "12000", "--jitter", "30", "--start",
                              std::to_string(start + seconds_later), "--burst", "20:20:2000", "--invalid-every", "97"});
        BOOST_TEST_REQUIRE(gen.exit_code == 0);
        return lines_of(test::read_file(path));
    };
    const std::string log = dir.file(name);
    test::write_file(log, with_edges(part("first", 1763632800), part("later", 1763892000), chunk));
    return log;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_corpus_replayed_on_two_threads_reads_as_on_one) {
    same_output_for({"--replay", kCorpus, "--top", "100"}, {2});
}

#ifndef HITWATCH_SANITIZED  // the sanitizer pass runs the corpus only
BOOST_AUTO_TEST_CASE(the_corpus_replayed_on_four_threads_reads_as_on_one) {
    same_output_for({"--replay", kCorpus, "--top", "100", "--all-intervals"}, {4});
}

BOOST_AUTO_TEST_CASE(lines_out_of_order_and_far_ahead_across_chunk_edges_read_as_on_one_thread) {
    test::TempDir dir;
    const std::string log = generated_log(dir);
    same_output_for({"--replay", log, "--max-line", "4096", "--max-skew", "600"}, {2, 3, 4});
    // The edges were where the test means them: outliers, a jump, over-long lines were read.
    const auto summary = test::of_type(test::json_lines(replay_output({"--replay", log, "--max-line", "4096",
                                                                        "--max-skew", "600"}, 2)),
                                       "summary");
    BOOST_TEST_REQUIRE(summary.size() == 1u);
    BOOST_TEST(test::n(summary[0].at("lines")) > 84000);
    BOOST_TEST(summary[0].at("unterminated_last_line") == true);

    // Two such logs written side by side, merged in time order: each read in parts at offsets
    // by the threads that parse them, the line across each edge joined by the counting thread.
    const std::string beside = generated_log(dir, "beside.log", 7);
    same_output_for({"--replay", log, beside, "--max-line", "4096", "--max-skew", "600"}, {2, 3});
}

BOOST_AUTO_TEST_CASE(several_files_one_of_them_gzip_read_as_on_one_thread) {
    test::TempDir dir;
    // The generated log cut in three, given newest first, the oldest gzipped: each file is
    // read on its own threads, its format detected, in order of their first lines.
    const std::string log = test::read_file(generated_log(dir));
    const std::size_t third = log.find('\n', log.size() / 3) + 1, two_thirds = log.find('\n', 2 * log.size() / 3) + 1;
    test::write_file(dir.file("access.log.2"), log.substr(0, third));
    BOOST_TEST_REQUIRE(run({"/usr/bin/gzip", dir.file("access.log.2")}).exit_code == 0);
    test::write_file(dir.file("access.log.1"), log.substr(third, two_thirds - third));
    test::write_file(dir.file("access.log"), log.substr(two_thirds));
    same_output_for({"--replay", dir.file("access.log"), dir.file("access.log.1"), dir.file("access.log.2.gz"),
                     "--max-line", "4096", "--max-skew", "600"},
                    {2, 4});
}

BOOST_AUTO_TEST_CASE(sections_named_by_host_read_as_on_one_thread) {
    test::TempDir dir;
    // vhost_combined: the parser builds each section ("shop.example/api") in a buffer of its own.
    std::string vhost;
    int i = 0;
    for (const auto& line : lines_of(test::read_file(kCorpus))) {
        vhost += (i++ % 3 == 0 ? "shop.example:443 " : "blog.example:80 ") + line;
    }
    const std::string log = dir.file("vhost.log");
    test::write_file(log, vhost + vhost);  // twice: past the first chunks
    same_output_for({"--replay", log, "--section-by", "host", "--section-depth", "2", "--top", "50"}, {2, 4});
}

namespace {

// The corpus as a JSON log (nginx's escape=json): each path written with \/, so the parser
// unescapes every section into a buffer of its own thread, and each line with a response time
// and a host, so reports have latency percentiles and the slowest sections.
std::string corpus_as_json() {
    std::string log;
    int i = 0;
    for (const auto& line : lines_of(test::read_file(kCorpus))) {
        const std::size_t open = line.find(" ["), close = line.find("] \"", open);
        const std::size_t end = line.find("\" ", close + 3);
        if (open == std::string::npos || close == std::string::npos || end == std::string::npos) continue;
        std::istringstream after(line.substr(end + 2));
        std::string status, bytes;
        after >> status >> bytes;
        std::string request;
        for (const char c : line.substr(close + 3, end - close - 3)) {
            if (c == '/' || c == '"' || c == '\\') request += '\\';
            request += c;
        }
        log += "{\"time_local\":\"" + line.substr(open + 2, close - open - 2) + "\",\"host\":\"" +
               (i % 3 == 0 ? "shop.example" : "blog.example") + "\",\"request\":\"" + request +
               "\",\"status\":" + status + ",\"body_bytes_sent\":" + (bytes == "-" ? "0" : bytes) +
               ",\"request_time\":" + std::to_string(i * 37 % 2000 / 1000.0) + "}\n";
        ++i;
    }
    BOOST_TEST_REQUIRE(i == 10000);
    return log;
}

}  // namespace

BOOST_AUTO_TEST_CASE(json_lines_with_escaped_paths_and_response_times_read_as_on_one_thread) {
    test::TempDir dir;
    const std::string log = dir.file("access.json");
    const std::string json = corpus_as_json();
    test::write_file(log, json + json);  // twice: past the first chunks
    same_output_for({"--replay", log, "--top", "50"}, {2, 4});
    same_output_for({"--replay", log, "--section-by", "host", "--section-depth", "2"}, {2});
    // It was read as meant: every line, sections unescaped, response times in the reports.
    const std::string out = replay_output({"--replay", log}, 2);
    const auto summary = test::of_type(test::json_lines(out), "summary");
    BOOST_TEST_REQUIRE(summary.size() == 1u);
    BOOST_TEST(test::n(summary[0].at("hits")) == 20000);
    BOOST_TEST(test::n(summary[0].at("invalid")) == 0);
    BOOST_TEST(out.find("{\"section\":\"/presentations\",\"hits\":") != std::string::npos);
    BOOST_TEST(out.find("\"latency_ms\":{\"p50\":") != std::string::npos);
}
#endif

#ifndef HITWATCH_SANITIZED
// Workers sum lines that do not move the clock, and the counting thread counts a sum at once
// only where that counts as one line at a time would (LineCounter::count_together); elsewhere
// it counts the sum's lines one by one. Each place that must not count a sum at once: more
// sections than an interval counts exactly (--max-sections), lines far behind the clock (said
// by their line number), and lines dated far ahead mid-chunk (one waits for the next line, and
// those after it are later than the clock the outlier did not move).
BOOST_AUTO_TEST_CASE(lines_summed_by_workers_count_as_on_one_thread_where_a_sum_cannot_count_at_once) {
    test::TempDir dir;
    const auto generate = [&](const std::string& name, const std::string& lines, const std::vector<std::string>& more) {
        std::vector<std::string> argv{GENLOG, "--out", dir.file(name), "--rate", "300", "--lines", lines};
        argv.insert(argv.end(), more.begin(), more.end());
        BOOST_TEST_REQUIRE(run(argv).exit_code == 0);
        return lines_of(test::read_file(dir.file(name)));
    };
    static const std::regex speed(",\"lines_per_s\":[-+.eE0-9]+");
    static const std::regex when("(^|\n)[0-9T:.-]+Z ");
    // What a replay of `path` says on `threads` threads, warnings too.
    const auto said = [&](const std::string& path, unsigned threads, const std::vector<std::string>& more = {}) {
        std::vector<std::string> argv{test::hitwatchd(), "--output", "json", "--threads", std::to_string(threads),
                                      "--replay", path, "--max-sections", "200", "--max-skew", "600", "--top", "20"};
        argv.insert(argv.end(), more.begin(), more.end());
        const auto r = run(argv);
        BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
        return std::regex_replace(r.out, speed, "") + std::regex_replace(r.err, when, "$1");
    };

    // Lines 20 s out of order, with invalid lines; for 27 s as many lines again, each of a
    // section of its own; 400 lines 183 s behind the clock, after the chunks workers count apart
    // once a sum could not be counted at once (ChunkPipeline::kChunksApart).
    const auto steady =
        generate("steady", "60000", {"--jitter", "20", "--start", "1763632800", "--invalid-every", "211"});
    const auto many = generate("many", "8000", {"--start", "1763632850", "--unique-sections"});
    std::string log;
    for (std::size_t i = 0; i < steady.size(); ++i) {
        log += steady[i];
        if (i >= 15000 && i < 23000) log += many[i - 15000];
        if (i == 55000) for (std::size_t j = 0; j < 400; ++j) log += steady[j];
    }
    const std::string mixed = dir.file("mixed.log");
    test::write_file(mixed, log);
    const std::string one = said(mixed, 1);
    BOOST_TEST(one.find("\"sections_truncated\":true") != std::string::npos);
    BOOST_TEST(one.find("line 63002 of " + mixed + " begins 100 lines in a row dated more than 120 s before") !=
               std::string::npos, one.substr(one.size() - 2000));
    for (const unsigned threads : {2u, 4u}) BOOST_TEST(said(mixed, threads) == one, threads << " threads");

    // The same lines with a response time each (%D), ten times slower for a while (a latency
    // alert): summed with their times, which go into the interval's, each section's and each
    // second's figures.
    std::string timed;
    for (std::size_t at = 0, i = 0; at < log.size(); ++i) {
        const std::size_t newline = log.find('\n', at);
        const std::size_t micros = (i * 7919 % 20000 + 1000) * (i >= 50000 && i < 56000 ? 10 : 1);
        timed += log.substr(at, newline - at) + " " + std::to_string(micros) + "\n";
        at = newline + 1;
    }
    const std::string timed_path = dir.file("timed.log");
    test::write_file(timed_path, timed);
    const std::vector<std::string> with_times{
        "--log-format", R"(%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D)", "--alert-window", "30"};
    const std::string timed_one = said(timed_path, 1, with_times);
    BOOST_TEST(timed_one.find("\"latency_ms\":{\"p50\":") != std::string::npos);
    BOOST_TEST(timed_one.find("\"kind\":\"latency\"") != std::string::npos);
    for (const unsigned threads : {2u, 4u}) {
        BOOST_TEST(said(timed_path, threads, with_times) == timed_one, threads << " threads, timed");
    }

    // Lines in order; first in a part, a line dated far ahead, and after a few lines an invalid
    // one: the lines after it, summed (none is later than the outlier), span an interval's end
    // the clock must reach before them.
    const auto in_order = generate("in_order", "20000", {"--start", "1763640000"});
    log.clear();
    std::size_t edge = kChunk;
    bool placed = false;
    for (std::size_t i = 0; i < in_order.size(); ++i) {
        log += in_order[i];
        if (log.size() < edge) continue;
        edge += kChunk;
        if (placed || i < 3000 || (i / 300) % 10 < 8) continue;  // 1 or 2 s before the interval's end
        log += ahead + in_order[i] + in_order[i] + "garbage\n";
        placed = true;
    }
    BOOST_TEST_REQUIRE(placed);
    const std::string ordered = dir.file("ordered.log");
    test::write_file(ordered, log);
    const std::string ordered_one = said(ordered, 1);
    BOOST_TEST(ordered_one.find("is dated 2030-11-25T00:00:00Z, more than 600 s (--max-skew) ahead") !=
               std::string::npos);
    for (const unsigned threads : {2u, 4u}) BOOST_TEST(said(ordered, threads) == ordered_one, threads << " threads");
}
#endif

// A file is read by each thread a part at a time (256 KiB at offsets a multiple of it), the
// lines across the parts' edges joined in order on the counting thread: every way a line can
// meet an edge says on any number of threads what it says on one, warnings too.
BOOST_AUTO_TEST_CASE(lines_across_the_edges_of_the_parts_threads_read_read_as_on_one_thread) {
    test::TempDir dir;
    const std::vector<std::string> corpus = lines_of(test::read_file(kCorpus));
    std::size_t next = 0;
    std::string log;
    // Corpus lines, then a line of filler, up to exactly `at`.
    const auto fill_to = [&](std::size_t at) {
        while (log.size() + corpus[next % corpus.size()].size() + 8 <= at) log += corpus[next++ % corpus.size()];
        if (log.size() < at) log += std::string(at - log.size() - 1, 'f') + "\n";
    };
    const std::string line = corpus[7];
    std::size_t edge = kChunk;
    const auto with = [&](const std::string& before, const std::string& after) {
        fill_to(edge - before.size());
        log += before + after;
        edge += kChunk;
    };
    with("", line);                                     // a line ends at the edge, the next begins on it
    with(line.substr(0, line.size() - 1), "\n" + line);  // a newline first in the part
    with("", "\n\n" + line);                            // an empty line first
    with(std::string(100, '\0'), std::string(50, '\0') + line);     // NULs across the edge
    with(line.substr(0, 30), line.substr(30));          // a line cut in two
    with(line.substr(0, line.size() - 2) + "\r", "\n" + line);  // CRLF split
    with(std::string(3000, 'y'), std::string(3000, 'y') + "\n");  // over-long with --max-line 4096
    with(std::string(2000, 'w'), std::string(2096, 'w') + "\n");  // 4096 bytes: not over-long
    with(std::string(10, 'z'), std::string(600 * 1024, 'z') + "\n");  // a part with no newline at all
    with(std::string(3000, '\0'), std::string(5000, '\0') + line);  // NULs only, longer than 4096
    fill_to(edge + 1000);
    // Another log of the same edges to merge it with: its requests PUTs, so it is no copy.
    std::string beside = log.substr(0, 5 * kChunk) + corpus[9];
    for (std::size_t at = 0; (at = beside.find("\"GET ", at)) != std::string::npos; at += 5) beside.replace(at, 5, "\"PUT ");
    const std::string beside_path = dir.file("beside.log");
    test::write_file(beside_path, beside);
    log += line.substr(0, 40);  // no newline at its end
    const std::string path = dir.file("edges.log");
    test::write_file(path, log);
    static const std::regex speed(",\"lines_per_s\":[-+.eE0-9]+");
    static const std::regex when("(^|\n)[0-9T:.-]+Z ");
    for (const std::string max_line : {"4096", "65536"}) {
        // Alone, and merged with the other log (each read in parts by the threads that parse it).
        for (const std::vector<std::string>& logs : {std::vector<std::string>{path}, {path, beside_path}}) {
            const auto said = [&](unsigned threads) {
                std::vector<std::string> argv{test::hitwatchd(), "--output", "json", "--threads",
                                              std::to_string(threads), "--max-line", max_line, "--replay"};
                argv.insert(argv.end(), logs.begin(), logs.end());
                const auto r = run(argv);
                return std::regex_replace(r.out, speed, "") + std::regex_replace(r.err, when, "$1");
            };
            const std::string one = said(1);
            BOOST_TEST(one.find("has no newline") != std::string::npos, one);
            BOOST_TEST(one.find("longer than --max-line") != std::string::npos, one);
            // Merged, not left out as a copy of the other.
            BOOST_TEST((logs.size() == 1 || (one.find("beside.log: combined") != std::string::npos &&
                                             one.find("is a copy") == std::string::npos)),
                       one);
            for (const unsigned threads : {2u, 3u}) {
                BOOST_TEST(said(threads) == one,
                           "--max-line " << max_line << ", " << threads << " threads, " << logs.size() << " logs");
            }
        }
    }
}

#ifndef HITWATCH_SANITIZED
// Logs merged side by side looked ahead of a line dated far ahead only within its chunk (now
// within it and the next), so a chunk must end where it ends on one thread. On several threads a merged log's parts end at
// every 256 KiB read; on one, a chunk after an over-long line took in the next read's lines
// too, so a line dated far ahead that ended the read was looked past on one thread (an
// outlier) and not on two (a jump). Found by a differential run of generated logs.
BOOST_AUTO_TEST_CASE(merged_logs_with_an_over_long_line_before_a_part_edge_read_as_on_one_thread) {
    test::TempDir dir;
    const std::vector<std::string> lines = generated(dir, "lines", 1763632800);
    std::string log;
    std::size_t next = 0;
    const auto fill_to = [&](std::size_t at) {
        while (next < lines.size() && log.size() + lines[next].size() <= at) log += lines[next++];
    };
    // Over-long with --max-line 4096, and already at the first edge: the reader skips it there.
    fill_to(kChunk - 5000);
    log += std::string(6000, 'o') + "\n";
    fill_to(2 * kChunk - ahead.size() - 300);
    log += std::string(2 * kChunk - ahead.size() - log.size() - 2, 'f') + "\n";  // an invalid line
    log += ahead;  // the last line of the second read; the line after it crosses the edge
    BOOST_TEST_REQUIRE(log.size() == 2 * kChunk - 1);
    fill_to(5 * kChunk);
    const std::string path = dir.file("web1.log");
    test::write_file(path, log);
    generated(dir, "web2.log", 1763632805);
    same_output_for({"--replay", path, dir.file("web2.log"), "--max-line", "4096", "--max-skew", "600"}, {2, 3});
}

// Past 16 logs merged, each log is read in smaller chunks (64 KiB for 40 logs; merged_reads),
// after a smaller head, so that its lines are still in the caches when they are counted and
// hundreds of logs hold tens of MB, not hundreds: the parts threads read are as small, and the
// output is the same on any number of threads. One log has the edge cases at every 64 KiB (an
// outlier, a blank, a long and an over-long line, garbage, and a jump of days), 38 are small
// (read on the counting thread), one is gzip.
BOOST_AUTO_TEST_CASE(more_than_16_logs_merged_are_read_in_smaller_chunks_as_on_one_thread) {
    constexpr std::size_t kLogs = 40, kSmallerChunk = 64 * 1024;
    test::TempDir dir;
    std::vector<std::string> args{"--replay", generated_log(dir, "edges.log", 0, kSmallerChunk)};
    for (std::size_t i = 1; i < kLogs; ++i) {
        const std::string path = dir.file("site" + std::to_string(i) + ".log");
        const auto gen = run({GENLOG, "--out", path, "--rate", "5", "--lines", "1500", "--jitter", "20", "--start",
                              std::to_string(1763632800 + 7 * i), "--invalid-every", "41"});
        BOOST_TEST_REQUIRE(gen.exit_code == 0);
        if (i == 1) BOOST_TEST_REQUIRE(run({"/usr/bin/gzip", path}).exit_code == 0);
        args.push_back(i == 1 ? path + ".gz" : path);
    }
    args.insert(args.end(), {"--max-skew", "600"});
    same_output_for(args, {2, 3});
}
#endif

// Logs merged side by side: a line dated far ahead waits for the next valid line of its log
// to tell an outlier from the start of a jump, as one log's line counter does. The merged
// reader looked only at the very next line, and only within the line's chunk: an outlier last
// in its chunk (every 256 KiB read), or followed by an invalid line, was taken for a jump, and
// its log waited behind it while the other log was counted to its end; then every later line
// of it counted as late, in the last interval. Each outlier must count as one line where the
// clock stands, and move no other line: the reports are those of the logs without them, one
// hit more in an interval for each.
BOOST_AUTO_TEST_CASE(an_outlier_in_logs_merged_side_by_side_holds_back_no_line_of_its_log) {
    test::TempDir dir;
    const std::vector<std::string> lines = generated(dir, "lines", 1763632800);
    generated(dir, "web2.log", 1763632805);
    std::string log, without;
    std::size_t next = 0;
    const auto fill_to = [&](std::size_t at) {
        for (; next < lines.size() && log.size() + lines[next].size() <= at; ++next) log += lines[next], without += lines[next];
    };
    const auto add = [&](const std::string& line, bool outlier) { log += line, without += outlier ? "" : line; };
    // The last line of the second read: an invalid line of filler up to it.
    fill_to(2 * kChunk - ahead.size() - 300);
    add(std::string(2 * kChunk - ahead.size() - log.size() - 1, 'f') + "\n", false);
    add(ahead, true);
    BOOST_TEST_REQUIRE(log.size() == 2 * kChunk);
    // Within a chunk, with a blank line and an invalid one after it.
    fill_to(3 * kChunk + kChunk / 2);
    add(ahead, true);
    add("\n", false);
    add("garbage after an outlier\n", false);
    fill_to(5 * kChunk);
    const std::string web2 = dir.file("web2.log");
    const auto hits_by_interval = [&](const std::vector<std::string>& web1, unsigned threads, std::string& err) {
        std::vector<std::string> argv{test::hitwatchd(), "--output", "json", "--threads", std::to_string(threads),
                                      "--replay", web2};
        argv.insert(argv.end(), web1.begin(), web1.end());
        const auto r = run(argv);
        BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
        err = r.err;
        std::vector<std::int64_t> hits;
        for (const auto& report : test::of_type(test::json_lines(r.out), "report")) hits.push_back(test::n(report.at("hits")));
        return hits;
    };
    std::string err;
    test::write_file(dir.file("web1.log"), without);
    const std::vector<std::int64_t> expected = hits_by_interval({dir.file("web1.log")}, 1, err);
    BOOST_TEST_REQUIRE(expected.size() > 30u);
    const auto same_but_the_outliers = [&](const std::vector<std::string>& web1, const char* how) {
        for (const unsigned threads : {1u, 2u, 3u}) {
            const std::vector<std::int64_t> got = hits_by_interval(web1, threads, err);
            BOOST_TEST_REQUIRE(got.size() == expected.size(), how << ", " << threads << " threads");
            std::int64_t more = 0;
            for (std::size_t i = 0; i < got.size(); ++i) {
                BOOST_TEST((got[i] == expected[i] || got[i] == expected[i] + 1),
                           how << ", " << threads << " threads, interval " << i << ": " << got[i] << " hits, "
                               << expected[i] << " without the outliers");
                more += got[i] - expected[i];
            }
            BOOST_TEST(more == 2, how << ", " << threads << " threads");
            BOOST_TEST(err.find("2 lines dated more than --max-skew ahead of the lines around them") != std::string::npos,
                       how << ": " << err);
            BOOST_TEST(err.find("lines in a row dated more than") == std::string::npos, how << ": " << err);
        }
    };
    test::write_file(dir.file("web1.log"), log);
    same_but_the_outliers({dir.file("web1.log")}, "one file");
    // The first outlier the last line of a rotated file: the next valid line is the next file's.
    test::write_file(dir.file("web1.log.1"), log.substr(0, 2 * kChunk));
    test::write_file(dir.file("web1.log"), log.substr(2 * kChunk));
    same_but_the_outliers({dir.file("web1.log"), dir.file("web1.log.1")}, "rotated");
}

// A writer that does not append (its output redirected with '>') goes on at its old offset
// after copytruncate empties its log: the file reads as NUL bytes up to there. Such a hole took
// the line after it along as one over-long line, and one in front of the first line was all
// `auto` saw of a 1 MiB head. The NULs are no line: the corpus with holes in it reads as the
// corpus, on any number of threads.
BOOST_AUTO_TEST_CASE(the_holes_a_writer_that_does_not_append_leaves_are_no_lines) {
    test::TempDir dir;
    const std::string corpus = test::read_file(kCorpus);
    const std::size_t third = corpus.find('\n', corpus.size() / 3) + 1;
    const std::size_t two_thirds = corpus.find('\n', 2 * corpus.size() / 3) + 1;
    const std::string log = dir.file("app.log");
    test::write_file(log, std::string(1536 * 1024, '\0') + corpus.substr(0, third) + std::string(3000, '\0') +
                              corpus.substr(third, two_thirds - third) + std::string(300 * 1024, '\0') +
                              corpus.substr(two_thirds));
    const std::string expected = replay_output({"--replay", kCorpus}, 1);
    BOOST_TEST((replay_output({"--replay", log}, 1) == expected));
    BOOST_TEST((replay_output({"--replay", log}, 2) == expected));
}

// A rotated archive cut short (the disk filled while logrotate compressed it) read as if it
// ended there: exit 0 and no word of the loss, and on several threads the half line at the cut
// went unsaid. Now the cut is an error naming the file, the lines before it count, the file
// after it is read, the exit is 1, and every thread count says the same.
BOOST_AUTO_TEST_CASE(a_truncated_gzip_is_an_error_and_the_lines_around_it_still_count) {
    test::TempDir dir;
    const std::string log = test::read_file(kCorpus);
    const std::size_t half = log.find('\n', log.size() / 2) + 1;
    const std::string older = dir.file("access.log.1");
    test::write_file(older, log.substr(0, half));
    BOOST_TEST_REQUIRE(run({"/usr/bin/gzip", older}).exit_code == 0);
    const std::string whole = test::read_file(older + ".gz");
    test::write_file(older + ".gz", whole.substr(0, whole.size() * 6 / 10));
    const std::string newer = dir.file("access.log");
    test::write_file(newer, log.substr(half));
    const auto inflated = run({"/bin/sh", "-c", "zcat '" + older + ".gz' 2>/dev/null | wc -l"});
    const auto lines_before_cut = std::stoull(inflated.out);
    BOOST_TEST_REQUIRE(lines_before_cut > 0u);

    const auto r = run({test::hitwatchd(), "--output", "json", "--threads", "1", "--replay", newer, older + ".gz"});
    BOOST_TEST(r.exit_code == 1, r.err);
    BOOST_TEST(r.err.find("cannot read " + older + ".gz: gzip: the compressed data ends early") != std::string::npos,
               r.err);
    BOOST_TEST(r.err.find("the last line of " + older + ".gz has no newline and does not parse: left out") !=
                   std::string::npos, r.err);
    const auto summary = test::of_type(test::json_lines(r.out), "summary");
    BOOST_TEST_REQUIRE(summary.size() == 1u);
    BOOST_TEST(test::n(summary[0].at("lines")) == lines_before_cut + lines_of(log.substr(half)).size());
    // The summary says it too, as the text view does: it was the whole log's summary before.
    const std::string cut = "cannot read " + older + ".gz: gzip: the compressed data ends early (a truncated file)";
    BOOST_TEST_REQUIRE(summary[0].contains("unread"));
    BOOST_TEST(summary[0].at("unread") == boost::json::array({boost::json::string(cut)}));
    const auto text = run({test::hitwatchd(), "--output", "text", "--replay", newer, older + ".gz"});
    BOOST_TEST(text.out.find("== summary ==") < text.out.find("  " + cut + "\n"), text.out);

    const std::string one = replay_output({"--replay", newer, older + ".gz"}, 1, 1);
    for (const unsigned n : {2u, 4u}) {
        BOOST_TEST((replay_output({"--replay", newer, older + ".gz"}, n, 1) == one), n << " threads differ from one");
    }
}
