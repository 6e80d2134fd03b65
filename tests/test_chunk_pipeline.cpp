// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE chunk_pipeline
// One pool of threads parses the chunks of every log's pipeline: each pipeline gets its own
// chunks back parsed, in its order, whichever thread parsed them, and a pipeline that goes
// with chunks still queued or being parsed (a stop signal, the end of a file) takes them back
// first. (The sanitizer pass runs this too.)
#include <boost/test/unit_test.hpp>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "chunk_pipeline.h"

namespace {

// `lines` combined lines, all of section /<name>, at 10:00:00 + their number in seconds.
std::string lines_of(const std::string& name, int lines, int first = 0) {
    std::string text;
    for (int i = first; i < first + lines; ++i) {
        char line[200];
        std::snprintf(line, sizeof line,
                      "192.0.2.1 - - [20/Nov/2026:10:%02d:%02d +0000] \"GET /%s/%d HTTP/1.1\" 200 5 \"-\" \"t\"\n",
                      i / 60 % 60, i % 60, name.c_str(), i);
        text += line;
    }
    return text;
}

void fill(hitwatchd::Chunk& chunk, const std::string& text) {
    chunk.data = std::make_unique<char[]>(text.size());
    chunk.capacity = text.size();
    chunk.size = text.size();
    chunk.overlong_after = false;
    std::memcpy(chunk.data.get(), text.data(), text.size());
}

hitwatchd::Reading combined() {
    hitwatchd::Reading reading;
    reading.format = "combined";
    return reading;
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_pipeline_gets_its_own_chunks_back_in_order) {
    const hitwatchd::Reading reading = combined();
    hitwatchd::ParsePool pool(3);
    BOOST_TEST(pool.threads() == 3u);
    const std::vector<std::string> names = {"a", "b", "c", "d", "e"};  // more logs than threads
    std::vector<std::string> heads;
    for (const auto& name : names) heads.push_back(lines_of(name, 20));
    std::vector<std::unique_ptr<hitwatchd::ChunkPipeline>> pipelines;
    for (const auto& head : heads) {
        pipelines.push_back(std::make_unique<hitwatchd::ChunkPipeline>(pool, reading, head, 64 * 1024, 2));
    }
    // Every pipeline's two chunks queued at once: 10 for 3 threads.
    for (std::size_t p = 0; p < pipelines.size(); ++p) {
        for (int chunk = 0; chunk < 2; ++chunk) {
            BOOST_TEST_REQUIRE(!pipelines[p]->full());
            fill(pipelines[p]->next_free(), lines_of(names[p], 300, chunk * 300));
            pipelines[p]->queue();
        }
        BOOST_TEST(pipelines[p]->full());
    }
    for (int chunk = 0; chunk < 2; ++chunk) {
        for (std::size_t p = 0; p < pipelines.size(); ++p) {
            hitwatchd::Slot* slot = pipelines[p]->oldest_parsed(nullptr);
            BOOST_TEST_REQUIRE(slot != nullptr);
            BOOST_TEST_REQUIRE(slot->parsed_whole());
            BOOST_TEST_REQUIRE(slot->lines.size() == 300u);
            hitwatch::ParseResult r;
            for (std::size_t i = 0; i < slot->lines.size(); ++i) {
                BOOST_TEST_REQUIRE((slot->lines[i].error == hitwatch::ParseError::none));
                hitwatchd::to_parse_result(*slot, slot->lines[i], r);
                BOOST_TEST_REQUIRE(r.line.section == "/" + names[p], p << " " << chunk << " " << i);
                BOOST_TEST_REQUIRE(r.line.time % 86400 == 36000 + chunk * 300 + static_cast<long>(i) % 3600);
            }
            pipelines[p]->release_oldest();
        }
    }
    for (const auto& pipeline : pipelines) BOOST_TEST(pipeline->empty());
}

BOOST_AUTO_TEST_CASE(a_pipeline_can_go_with_chunks_in_flight) {
    // Chunks of 8192 lines and more, so that some are still queued or being parsed when their
    // pipeline goes (a stop signal, a file's end): it takes back those queued and waits for
    // those being parsed, and the pool's other pipelines go on. A stress test, under ASan in
    // the sanitizer pass: which chunks are where when it goes is the threads' doing.
    const hitwatchd::Reading reading = combined();
    const std::string big = lines_of("x", 9000);
    for (int round = 0; round < 20; ++round) {
        hitwatchd::ParsePool pool(4);
        const std::string head = lines_of("x", 20);
        auto going = std::make_unique<hitwatchd::ChunkPipeline>(pool, reading, head, 64 * 1024, 4);
        hitwatchd::ChunkPipeline staying(pool, reading, head, 64 * 1024, 2);
        for (int chunk = 0; chunk < 4; ++chunk) {
            fill(going->next_free(), big);
            going->queue();
        }
        fill(staying.next_free(), lines_of("y", 100));
        staying.queue();
        going.reset();
        hitwatchd::Slot* slot = staying.oldest_parsed(nullptr);
        BOOST_TEST_REQUIRE(slot != nullptr);
        BOOST_TEST(slot->lines.size() == 100u);
        staying.release_oldest();
    }
}

BOOST_AUTO_TEST_CASE(a_pipeline_going_takes_back_its_queued_chunks) {
    // The one worker is busy with another pipeline's chunk while this one's wait in the queue
    // and it goes: they must leave the queue with it, not be parsed later from freed memory
    // (which ASan reports, in the sanitizer pass).
    const hitwatchd::Reading reading = combined();
    const std::string head = lines_of("x", 20);
    for (int round = 0; round < 5; ++round) {
        hitwatchd::ParsePool pool(2);
        hitwatchd::ChunkPipeline busy(pool, reading, head, 64 * 1024, 2);
        fill(busy.next_free(), lines_of("x", 9000));
        busy.queue();
        {
            hitwatchd::ChunkPipeline going(pool, reading, head, 64 * 1024, 2);
            for (int chunk = 0; chunk < 2; ++chunk) {
                fill(going.next_free(), lines_of("y", 100));
                going.queue();
            }
        }
        hitwatchd::Slot* slot = busy.oldest_parsed(nullptr);
        BOOST_TEST_REQUIRE(slot != nullptr);
        BOOST_TEST(slot->lines.size() == 8192u);  // a part at a time
    }
}

BOOST_AUTO_TEST_CASE(a_stop_signal_leaves_the_oldest_chunk_uncounted_if_not_parsed) {
    const hitwatchd::Reading reading = combined();
    hitwatchd::ParsePool pool(1);  // no workers: nothing parses but the caller
    BOOST_TEST(pool.threads() == 1u);
    const std::string head = lines_of("x", 20);
    hitwatchd::ChunkPipeline pipeline(pool, reading, head, 64 * 1024, 2);
    fill(pipeline.next_free(), lines_of("x", 10));
    pipeline.queue();
    volatile std::sig_atomic_t stop = 15;
    BOOST_TEST(pipeline.oldest_parsed(&stop) == nullptr);
    stop = 0;
    hitwatchd::Slot* slot = pipeline.oldest_parsed(&stop);
    BOOST_TEST_REQUIRE(slot != nullptr);
    BOOST_TEST(slot->lines.size() == 10u);
}

namespace {

// `lines` combined lines of one second: the first is recorded, the rest can be summed.
std::string one_second(int lines) {
    std::string text;
    for (int i = 0; i < lines; ++i) {
        text += "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET /s" + std::to_string(i % 3) +
                " HTTP/1.1\" 200 5 \"-\" \"t\"\n";
    }
    return text;
}

}  // namespace

// Workers sum lines until a chunk's sums are counted one by one (or none could be summed);
// then they parse records for kChunksApart chunks, and after a try that fails at once for
// twice as many.
BOOST_AUTO_TEST_CASE(workers_stop_summing_after_a_chunk_counted_apart_and_try_again_later) {
    const hitwatchd::Reading reading = combined();
    hitwatchd::ParsePool pool(1);  // this thread parses each chunk when it asks for it: no race
    const std::string text = one_second(50);
    hitwatchd::ChunkPipeline pipeline(pool, reading, text, 64 * 1024, 2);
    pipeline.sum_lines();
    // Parses the next chunk (`lines`), counted as `apart` says: whether it was summed.
    const auto next = [&](const std::string& lines, bool apart) {
        fill(pipeline.next_free(), lines);
        pipeline.queue();
        hitwatchd::Slot* slot = pipeline.oldest_parsed(nullptr);
        BOOST_TEST_REQUIRE(slot != nullptr);
        const bool summed = slot->summing;
        BOOST_TEST(summed == !slot->sums.empty());  // these lines can be summed whenever they are tried
        if (summed) BOOST_TEST(slot->sums.front().lines == 49u);
        pipeline.counted(*slot, apart);
        pipeline.release_oldest();
        return summed;
    };
    BOOST_TEST(next(text, false));
    BOOST_TEST(next(text, true));  // counted apart: workers stop
    for (unsigned i = 0; i < hitwatchd::ChunkPipeline::kChunksApart; ++i) BOOST_TEST(!next(text, false), i);
    BOOST_TEST(next(text, true));  // tried again, and failed at once: twice as long
    for (unsigned i = 0; i < 2 * hitwatchd::ChunkPipeline::kChunksApart; ++i) BOOST_TEST(!next(text, false), i);
    BOOST_TEST(next(text, false));  // a try that works: summing goes on
    BOOST_TEST(next(text, false));
    // A chunk of lines that cannot be summed (each a second later than the one before) stops it too.
    fill(pipeline.next_free(), lines_of("t", 50));
    pipeline.queue();
    hitwatchd::Slot* slot = pipeline.oldest_parsed(nullptr);
    BOOST_TEST_REQUIRE(slot != nullptr);
    BOOST_TEST(slot->summing);
    BOOST_TEST(slot->sums.empty());
    pipeline.counted(*slot, false);
    pipeline.release_oldest();
    BOOST_TEST(!next(text, false));
}
