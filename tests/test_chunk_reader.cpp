// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE chunk_reader
// A parallel replay cuts its input into chunks of whole lines and finds their newlines with
// vector compares: what it reads must be what a replay on one thread reads through the
// LineAssembler -- the same lines, over-long lines and unterminated last line, in the same
// order -- whatever the line lengths, chunk edges, read sizes and holes (core/nul_hole.h); so
// must a file read in parts at offsets by the threads that parse them (file_parts.h).
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "chunk_reader.h"
#include "core/newlines.h"
#include "file_parts.h"
#include "core/nul_hole.h"
#include "tail/line_assembler.h"

namespace {

// What a reader made of its input: "L<text>" for a line, "O" for an over-long one, "P<text>"
// for the unterminated end.
using Events = std::vector<std::string>;

Events through_the_assembler(const std::string& input, std::size_t max_line, std::size_t read_size) {
    Events events;
    hitwatch::LineAssembler lines(max_line);
    for (std::size_t at = 0; at < input.size();) {
        const auto space = lines.free_space(read_size);
        const std::size_t n = std::min({space.size(), read_size, input.size() - at});
        std::copy_n(input.data() + at, n, space.data());
        at += n;
        lines.commit(
            n, [&](std::string_view line) { events.push_back(std::string("L").append(line)); },
            [&] { events.push_back("O"); });
    }
    if (!lines.pending().empty()) events.push_back(std::string("P").append(lines.pending()));
    return events;
}

// The lines of `chunk`, each "L<text>" or, past max_line, "O".
void add_lines(const hitwatchd::Chunk& chunk, std::size_t max_line, Events& events) {
    const char* p = chunk.data.get();
    hitwatch::for_each_newline(p, chunk.size, [&](const char* newline) {
        const std::string_view line = hitwatch::after_hole({p, static_cast<std::size_t>(newline - p)});
        events.push_back(line.size() > max_line ? std::string("O") : std::string("L").append(line));
        p = newline + 1;
    });
}

// What `reader` reads from where it stands to the end of its input.
void read_on(hitwatchd::ChunkReader& reader, hitwatchd::ChunkReader::Status status, std::size_t max_line,
             Events& events) {
    hitwatchd::Chunk chunk;
    while (status == hitwatchd::ChunkReader::Status::chunk &&
           (status = reader.next(chunk)) == hitwatchd::ChunkReader::Status::chunk) {
        BOOST_TEST_REQUIRE((chunk.size == 0 || chunk.data[chunk.size - 1] == '\n'), "a chunk ends at a newline");
        add_lines(chunk, max_line, events);
        if (chunk.overlong_after) events.push_back("O");
    }
    BOOST_TEST_REQUIRE((status == hitwatchd::ChunkReader::Status::end));
    if (!reader.pending().empty()) events.push_back(std::string("P").append(reader.pending()));
}

Events through_chunks(const std::string& path, std::size_t max_line, std::size_t chunk_bytes) {
    Events events;
    std::string error;
    const auto input = hitwatchd::ReplayInput::open(path, error);
    BOOST_TEST_REQUIRE(input != nullptr, error);
    hitwatchd::ChunkReader reader(*input, max_line, chunk_bytes, nullptr);
    read_on(reader, reader.read_head(), max_line, events);
    return events;
}

// Read in parts by `threads` threads' parsers, the lines across their edges joined, and then
// by the chunk reader from where the parts end.
Events through_parts(const std::string& path, std::size_t max_line, unsigned threads) {
    Events events;
    std::string error;
    const auto input = hitwatchd::ReplayInput::open(path, error);
    BOOST_TEST_REQUIRE(input != nullptr, error);
    BOOST_TEST_REQUIRE(input->reads_at_offsets());
    hitwatchd::ChunkReader reader(*input, max_line, hitwatchd::kChunkBytes, nullptr);
    const auto status = reader.read_head();
    reader.keep_head();
    hitwatchd::ParsePool pool(threads);
    hitwatchd::Reading reading;
    reading.format = "combined";
    hitwatchd::FileParts parts(pool, reading, reader.head(), max_line, 2 * threads, *input);
    while (hitwatchd::Slot* const slot = parts.oldest(nullptr)) {
        const hitwatchd::FileParts::Joined joined = parts.join_first(*slot);
        if (joined.overlong) events.push_back("O");
        if (joined.line) events.push_back(std::string("L").append(*joined.line));
        // What the parse threads found: each record's text.
        for (const hitwatchd::ParsedLine& line : slot->lines) {
            const std::string_view text(slot->chunk.data.get() + line.text_at, line.text_size);
            events.push_back(line.overlong ? std::string("O") : std::string("L").append(text));
        }
        if (parts.counted_oldest(*slot)) events.push_back("O");
    }
    BOOST_TEST_REQUIRE(parts.ended());
    parts.hand_to(reader);
    read_on(reader, status, max_line, events);
    return events;
}

// Lines of random lengths around max_line, some empty, some far longer than a chunk.
std::string random_input(std::mt19937& random, std::size_t max_line, std::size_t bytes) {
    std::string input;
    std::uniform_int_distribution<int> kind(0, 19);
    while (input.size() < bytes) {
        const int k = kind(random);
        std::size_t length = k == 0   ? 0
                             : k == 1 ? max_line + std::uniform_int_distribution<std::size_t>(0, 3)(random)
                             : k == 2 ? std::uniform_int_distribution<std::size_t>(max_line, 40 * max_line)(random)
                                      : std::uniform_int_distribution<std::size_t>(1, max_line)(random);
        // The hole a writer that does not append leaves after copytruncate: NULs, no line.
        if (k == 3) input.append(std::uniform_int_distribution<std::size_t>(1, 40 * max_line)(random), '\0');
        for (std::size_t i = 0; i < length; ++i) input += static_cast<char>('a' + i % 26);
        input += '\n';
    }
    // Some end with an unterminated line, short or over-long.
    const int end = kind(random) % 4;
    if (end == 1) input += "half a line";
    if (end == 2) input += std::string(max_line + 5, 'z');
    return input;
}

}  // namespace

BOOST_AUTO_TEST_CASE(find_newlines_finds_what_memchr_finds_at_every_size_and_alignment) {
    std::mt19937 random(7);
    std::string bytes(hitwatch::kNewlineBlock + 64, 'x');
    std::uint16_t expected[hitwatch::kNewlineBlock], found[hitwatch::kNewlineBlock];
    // One byte in `every` a newline: all of them, several to a 64-byte block, about one (as in
    // an access log: the scans write two offsets a block without a branch), and mostly none.
    for (const unsigned every : {1u, 7u, 70u, 400u}) {
        for (char& c : bytes) c = random() % every == 0 ? '\n' : 'x';
        for (const char* kind : hitwatch::newline_scan_kinds()) {
            for (std::size_t start = 0; start < 64; start += 7) {
                for (std::size_t size = 0; size <= hitwatch::kNewlineBlock; size += (size < 200 ? 1 : 61)) {
                    const std::size_t want = hitwatch::find_newlines_by("memchr", bytes.data() + start, size, expected);
                    const std::size_t got = hitwatch::find_newlines_by(kind, bytes.data() + start, size, found);
                    BOOST_TEST_REQUIRE(got == want, kind << " at " << start << " size " << size << " every " << every);
                    BOOST_TEST_REQUIRE(std::equal(found, found + got, expected),
                                       kind << " at " << start << " size " << size << " every " << every);
                }
            }
        }
    }
    BOOST_TEST_MESSAGE("newline scan on this CPU: " << hitwatch::newline_scan_kind());
}

BOOST_AUTO_TEST_CASE(chunks_and_parts_read_the_lines_the_assembler_reads) {
    char path[] = "/tmp/hitwatch-chunks-XXXXXX";
    const int fd = ::mkstemp(path);
    BOOST_TEST_REQUIRE(fd >= 0);
    std::mt19937 random(2026);
    for (int round = 0; round < 60; ++round) {
        const std::size_t max_line = std::uniform_int_distribution<std::size_t>(256, 3000)(random);
        const std::size_t chunk_bytes = std::uniform_int_distribution<std::size_t>(512, 20000)(random);
        // Past the reader's first 1 MiB read, so chunks after the head are cut from reads too.
        const std::string input = random_input(random, max_line, round % 3 == 0 ? (1 << 20) + 300000 : 100000);
        BOOST_TEST_REQUIRE(::ftruncate(fd, 0) == 0);
        BOOST_TEST_REQUIRE(::pwrite(fd, input.data(), input.size(), 0) == static_cast<ssize_t>(input.size()));
        const Events expected = through_the_assembler(input, max_line, 65536);
        std::vector<Events> ways{through_chunks(path, max_line, chunk_bytes)};
        // Parts of 256 KiB, the last one short, lines, holes and over-long lines across their
        // edges: on 1, 2 and 3 threads.
        if (input.size() > 2 * hitwatchd::kChunkBytes) ways.push_back(through_parts(path, max_line, 1 + round / 3 % 3));
        for (const Events& got : ways) {
            BOOST_TEST_REQUIRE(got.size() == expected.size(), "round " << round);
            for (std::size_t i = 0; i < got.size(); ++i) {
                BOOST_TEST_REQUIRE(got[i] == expected[i], "round " << round << ", event " << i);
            }
        }
    }
    ::close(fd);
    ::unlink(path);
}

namespace {

// Bytes this process has read through read(2) and its kin so far (/proc/self/io).
long long bytes_read_so_far() {
    std::FILE* io = std::fopen("/proc/self/io", "r");
    BOOST_TEST_REQUIRE(io != nullptr);
    long long rchar = -1;
    BOOST_TEST_REQUIRE(std::fscanf(io, "rchar: %lld", &rchar) == 1);
    std::fclose(io);
    return rchar;
}

}  // namespace

// A sparse copy of a log whose writer does not append is mostly hole: as long as the log had
// grown when it was last truncated, gigabytes after weeks of rotations. It was read through
// as NULs; the reader now skips to where the file system has data again.
BOOST_AUTO_TEST_CASE(a_hole_the_file_system_keeps_no_data_for_is_skipped_not_read) {
    char path[] = "/tmp/hitwatch-chunks-XXXXXX";
    const int fd = ::mkstemp(path);
    BOOST_TEST_REQUIRE(fd >= 0);
    const std::string before = "one\ntwo\n", after = "three\nfour\n";
    const off_t hole = off_t{8} << 30;
    BOOST_TEST_REQUIRE(::pwrite(fd, before.data(), before.size(), 0) == static_cast<ssize_t>(before.size()));
    BOOST_TEST_REQUIRE(::pwrite(fd, after.data(), after.size(), hole) == static_cast<ssize_t>(after.size()));
    const long long read_before = bytes_read_so_far();
    const Events events = through_chunks(path, 4096, 64 * 1024);
    const Events expected = {"Lone", "Ltwo", "Lthree", "Lfour"};
    BOOST_TEST(events == expected, boost::test_tools::per_element());
    BOOST_TEST(bytes_read_so_far() - read_before < (64ll << 20));
    ::close(fd);
    ::unlink(path);
}

// logrotate's copytruncate on a log while it is replayed: the reads end early, where the file
// now ends. That looked like the log's end -- its cut last line said to be half written -- and
// nothing said that the lines after where reading was had not been read.
BOOST_AUTO_TEST_CASE(a_file_truncated_while_it_is_read_says_where_reading_was) {
    char path[] = "/tmp/hitwatch-chunks-XXXXXX";
    const int fd = ::mkstemp(path);
    BOOST_TEST_REQUIRE(fd >= 0);
    std::string log;
    for (int i = 0; log.size() < 3 * hitwatchd::kReplayReadBytes; ++i) log += "line " + std::to_string(i) + "\n";
    const auto write_log = [&] {
        BOOST_TEST_REQUIRE(::ftruncate(fd, 0) == 0);
        BOOST_TEST_REQUIRE(::pwrite(fd, log.data(), log.size(), 0) == static_cast<ssize_t>(log.size()));
    };
    std::string error;
    std::vector<char> buffer(65536);
    {  // Read on one thread, to its end: nothing said.
        write_log();
        const auto input = hitwatchd::ReplayInput::open(path, error);
        BOOST_TEST_REQUIRE(input != nullptr, error);
        while (input->read(buffer.data(), buffer.size(), nullptr) > 0) {
        }
        BOOST_TEST(!input->truncated_while_read().has_value());
    }
    {  // On one thread, truncated to 100 bytes after the first read.
        write_log();
        const auto input = hitwatchd::ReplayInput::open(path, error);
        BOOST_TEST_REQUIRE(input != nullptr, error);
        BOOST_TEST_REQUIRE(input->read(buffer.data(), buffer.size(), nullptr) == 65536);
        BOOST_TEST_REQUIRE(::ftruncate(fd, 100) == 0);
        BOOST_TEST(input->read(buffer.data(), buffer.size(), nullptr) == 0);
        const auto truncation = input->truncated_while_read();
        BOOST_TEST_REQUIRE(truncation.has_value());
        BOOST_TEST(truncation->to == 100u);
        BOOST_TEST(truncation->at == 65536u);
    }
    {  // In chunks (several threads), truncated to nothing after the head was read.
        write_log();
        const auto input = hitwatchd::ReplayInput::open(path, error);
        BOOST_TEST_REQUIRE(input != nullptr, error);
        hitwatchd::ChunkReader reader(*input, 4096, 16384, nullptr);
        BOOST_TEST_REQUIRE((reader.read_head() == hitwatchd::ChunkReader::Status::chunk));
        const auto head = reader.head().size();
        BOOST_TEST_REQUIRE(head < log.size());
        BOOST_TEST_REQUIRE(::ftruncate(fd, 0) == 0);
        hitwatchd::Chunk chunk;
        auto status = hitwatchd::ChunkReader::Status::chunk;
        while ((status = reader.next(chunk)) == hitwatchd::ChunkReader::Status::chunk) {
        }
        BOOST_TEST((status == hitwatchd::ChunkReader::Status::end));
        const auto truncation = input->truncated_while_read();
        BOOST_TEST_REQUIRE(truncation.has_value());
        BOOST_TEST(truncation->to == 0u);
        BOOST_TEST(truncation->at == head);
    }
    ::close(fd);
    ::unlink(path);
}
