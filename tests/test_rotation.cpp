// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE rotation
// What a followed log does next, one row per case: the facts observed, the step decided.
#include "tail/rotation.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using namespace hitwatch;

namespace {

struct Row {
    const char* what;
    TailFacts facts;
    TailStep step;
};

// An open regular file of `size` bytes, `read` of them read, the path naming `path`.
TailFacts open_file(std::uint64_t size, std::uint64_t read, PathState path = PathState::open_file) {
    TailFacts f;
    f.has_current = true;
    f.size = size;
    f.largest_size = size;
    f.position = read;
    f.read_to_end = read >= size;
    f.path = path;
    return f;
}

template <class Change>
TailFacts with(TailFacts f, Change change) {
    change(f);
    return f;
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_observed_case_decides_its_step) {
    const std::vector<Row> rows = {
        {"nothing open, the path names a file", with(TailFacts{}, [](auto& f) { f.path = PathState::another_file; }),
         TailStep::open_path},
        {"nothing open, the path names nothing", with(TailFacts{}, [](auto& f) { f.path = PathState::absent; }),
         TailStep::wait},
        {"nothing open, the path names a directory", with(TailFacts{}, [](auto& f) { f.path = PathState::not_a_log; }),
         TailStep::wait},
        {"nothing open, the path cannot be looked at", with(TailFacts{}, [](auto& f) { f.path = PathState::unknown; }),
         TailStep::wait},
        {"more to read", open_file(1000, 400), TailStep::keep_reading},
        {"all read, the path still names it: idle", open_file(1000, 1000), TailStep::keep_reading},
        {"all read, the path cannot be looked at now", open_file(1000, 1000, PathState::unknown), TailStep::keep_reading},
        {"smaller than what was read, its head gone: truncated",
         with(open_file(10, 400), [](auto& f) { f.head_changed = true; }), TailStep::rewind_truncated},
        {"smaller than it was, though past the offset, another head: truncated and written again",
         with(open_file(900, 400), [](auto& f) {
             f.largest_size = 1000;
             f.head_changed = true;
         }),
         TailStep::rewind_truncated},
        {"smaller than what was read, its head intact, no copy beside it: cut short in place (truncate -s)",
         open_file(2000, 4000), TailStep::cut_short},
        {"smaller than it was, though past the offset, its head intact: cut short, its unread end gone",
         with(open_file(900, 400), [](auto& f) { f.largest_size = 1000; }), TailStep::cut_short},
        {"smaller, its head intact, a copy beside it: a copytruncate whose new lines began as the old ones did",
         with(open_file(2000, 4000), [](auto& f) { f.copy_beside = true; }), TailStep::rewind_truncated},
        {"as large as before but another head: truncated, written again past the offset",
         with(open_file(5000, 400), [](auto& f) { f.head_changed = true; }), TailStep::rewind_truncated},
        {"all read, the path names another file: renamed and created",
         open_file(1000, 1000, PathState::another_file), TailStep::open_new_after_rename},
        // Before: read the old one to its end first, the path not looked at; a second rotation
        // meanwhile took the new file away unread and unsaid (2,370,000 of 5,925,000 lines lost
        // in test_live_memory's five quick rotations of 200 MiB).
        {"more to read, the path names another file: the new one opened now, the old finished beside it",
         open_file(1000, 400, PathState::another_file), TailStep::open_new_after_rename},
        {"all read, the path names a directory now", open_file(1000, 1000, PathState::not_a_log),
         TailStep::open_new_after_rename},
        {"all read, the path is gone, the file still linked: moved away",
         open_file(1000, 1000, PathState::absent), TailStep::drain_moved},
        {"all read, the path is gone and so is the file: deleted",
         with(open_file(1000, 1000, PathState::absent), [](auto& f) { f.links = 0; }), TailStep::finish_deleted},
        {"deleted with more to read: read it first",
         with(open_file(1000, 10, PathState::absent), [](auto& f) { f.links = 0; }), TailStep::keep_reading},
        {"a FIFO is never truncated, whatever its size says",
         with(open_file(0, 500), [](auto& f) { f.is_stream = true; f.read_to_end = false; }), TailStep::keep_reading},
        {"a FIFO read to its end: idle",
         with(open_file(0, 500), [](auto& f) { f.is_stream = true; f.read_to_end = true; }), TailStep::keep_reading},
        {"a FIFO replaced by a file", with(open_file(0, 500, PathState::another_file), [](auto& f) {
             f.is_stream = true;
             f.read_to_end = true;
         }),
         TailStep::open_new_after_rename},
    };
    for (const auto& row : rows) {
        BOOST_TEST(name_of(decide(row.facts)) == name_of(row.step), row.what);
    }
}
