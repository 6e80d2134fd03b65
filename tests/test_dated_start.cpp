// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE dated_start
// With --since, a file that is never rotated is read from where its lines are dated when the
// alert rules begin to learn, found by the times of lines across it: always a line's first
// byte, never after a line the rules should learn from, and the file's start whenever that
// cannot be told.
#include <stdlib.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <ctime>
#include <optional>
#include <string>

#include "dated_start.h"

namespace {

constexpr hitwatch::UnixSeconds kStart = 1765000800;  // 2025-12-06T06:00:00Z

// A combined log line at `time`.
std::string line_at(hitwatch::UnixSeconds time) {
    std::tm tm{};
    const std::time_t t = time;
    ::gmtime_r(&t, &tm);
    char when[40];
    std::strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
    return "10.0.0.1 - - [" + std::string(when) + "] \"GET /api/items HTTP/1.1\" 200 512 \"-\" \"curl/8\"\n";
}

// A line a second from kStart for `seconds`.
std::string log_of(hitwatch::UnixSeconds seconds) {
    std::string log;
    for (hitwatch::UnixSeconds s = 0; s < seconds; ++s) log += line_at(kStart + s);
    return log;
}

// A file holding `bytes`, removed at the end.
class TempFile {
public:
    explicit TempFile(const std::string& bytes) {
        const int fd = ::mkstemp(path_);
        BOOST_TEST_REQUIRE(fd >= 0);
        BOOST_TEST_REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
        ::close(fd);
    }
    ~TempFile() { ::unlink(path_); }
    std::string path() const { return path_; }

private:
    char path_[32] = "/tmp/hitwatch-dated-XXXXXX";
};

std::optional<hitwatchd::DatedStart> start_of(const std::string& bytes, hitwatch::UnixSeconds learns_from,
                                              std::int64_t margin = 0) {
    TempFile file(bytes);
    std::string error;
    const auto input = hitwatchd::ReplayInput::open(file.path(), error);
    BOOST_TEST_REQUIRE(input != nullptr, error);
    const hitwatch::TimeWindow window(learns_from + 86400, std::nullopt, margin);
    return hitwatchd::dated_start(*input, hitwatchd::Reading{}, window, learns_from);
}

}  // namespace

BOOST_AUTO_TEST_CASE(reading_begins_at_a_line_within_a_probe_of_where_the_rules_learn_from) {
    const std::string log = log_of(20000);  // 2.2 MB, 5h33m
    const std::size_t line = line_at(kStart).size();
    for (const std::int64_t margin : {0, 300}) {
        const hitwatch::UnixSeconds learns_from = kStart + 12000;
        const auto start = start_of(log, learns_from, margin);
        BOOST_TEST_REQUIRE(start.has_value());
        BOOST_TEST(!start->disorder.has_value());
        BOOST_TEST_REQUIRE(start->at > 0u);
        BOOST_TEST(log[start->at - 1] == '\n');
        BOOST_TEST(start->at % line == 0u);
        BOOST_TEST(start->dated == kStart + static_cast<hitwatch::UnixSeconds>(start->at / line));
        BOOST_TEST((start->file_begins == kStart));
        // Its first 100 lines and --max-skew end by then; a probe (64 KiB) later they would not.
        BOOST_TEST(start->dated + 99 + margin <= learns_from);
        BOOST_TEST(start->dated + 99 + margin + static_cast<std::int64_t>(65536 / line) + 1 > learns_from);
    }
}

BOOST_AUTO_TEST_CASE(a_file_that_begins_after_the_rules_learn_from_is_read_from_its_start) {
    BOOST_TEST(!start_of(log_of(20000), kStart + 50).has_value());
    BOOST_TEST(!start_of(log_of(20000), kStart - 86400).has_value());
}

BOOST_AUTO_TEST_CASE(logs_joined_with_cat_are_read_from_their_start) {
    // Two days of the same hours: where the first copy's 08:00 is cannot be told from the second's.
    const std::string one = log_of(20000);
    const auto start = start_of(one + one, kStart + 15000, 300);
    BOOST_TEST_REQUIRE(start.has_value());
    BOOST_TEST(start->at == 0u);
    BOOST_TEST_REQUIRE(start->disorder.has_value());
    BOOST_TEST(start->disorder->at > start->disorder->ahead_at);
    BOOST_TEST(start->disorder->dated + 300 < start->disorder->ahead_dated);
    // Lines as late as --max-skew are in order.
    std::string late = one;
    for (std::size_t line = 0; line < 20000; line += 7) {
        const std::size_t at = line * line_at(kStart).size();
        late.replace(at, line_at(kStart).size(), line_at(kStart + static_cast<hitwatch::UnixSeconds>(line) - 299));
    }
    const auto in_order = start_of(late, kStart + 15000, 300);
    BOOST_TEST_REQUIRE(in_order.has_value());
    BOOST_TEST(!in_order->disorder.has_value());
    BOOST_TEST(in_order->at > 0u);
}

BOOST_AUTO_TEST_CASE(a_run_of_lines_that_tell_no_time_is_not_skipped_past) {
    // Garbage where the first probe looks: nothing is known there, so it is no place to begin.
    std::string log = log_of(20000);
    const std::size_t middle = log.find('\n', log.size() / 2) + 1;
    log.insert(middle, std::string(200000, 'x') + "\n");
    const hitwatch::UnixSeconds learns_from = kStart + 15000;
    const auto start = start_of(log, learns_from);
    BOOST_TEST_REQUIRE(start.has_value());
    BOOST_TEST(start->at < middle);
    BOOST_TEST(start->dated + 99 <= learns_from);
}

BOOST_AUTO_TEST_CASE(a_small_file_or_container_pieces_are_read_whole) {
    BOOST_TEST(!start_of(log_of(500), kStart + 400).has_value());  // 64 KiB: one probe
    // Docker's json-file pieces: a line's start may be the middle of a line.
    std::string pieces;
    for (int s = 0; s < 20000; ++s) {
        std::string text = line_at(kStart + s);
        text.pop_back();
        for (std::size_t quote = text.find('"'); quote != std::string::npos; quote = text.find('"', quote + 2)) {
            text.insert(quote, "\\");
        }
        pieces += R"({"log":")" + text.substr(0, 40) + R"(","stream":"stdout","time":"2025-12-06T06:00:00Z"})" "\n";
        pieces += R"({"log":")" + text.substr(40) + R"(\n","stream":"stdout","time":"2025-12-06T06:00:00Z"})" "\n";
    }
    BOOST_TEST(!start_of(pieces, kStart + 15000).has_value());
}
