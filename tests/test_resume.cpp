// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE resume
// Where a log is picked up after a restart, one row per case: the saved files, the files
// found beside the log, and the plan.
#include "tail/resume.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using namespace hitwatch;

namespace {

// A saved file: inode `inode` read up to `offset` of its `size` bytes, with a 1 KiB head.
SavedFile saved(std::uint64_t inode, std::uint64_t offset, std::optional<std::uint64_t> size) {
    SavedFile f;
    f.identity = {1, inode, 0xABC + inode, 1024};
    f.offset = offset;
    f.size = size;
    return f;
}

// A file found now: its inode and size, whether its head is each saved file's.
Candidate found(const std::string& path, std::uint64_t inode, std::uint64_t size, std::vector<bool> heads,
                bool is_log_path = false) {
    Candidate c;
    c.path = path;
    c.device = 1;
    c.inode = inode;
    c.size = size;
    c.head_matches = std::move(heads);
    c.is_log_path = is_log_path;
    return c;
}

Candidate with_gzip(Candidate c) {
    c.compressed = true;
    return c;
}

// A compressed copy whose length could not be told (damaged, or still being written).
Candidate unmeasured(Candidate c) {
    c.compressed = true;
    c.size_known = false;
    c.size = 0;
    return c;
}

struct Row {
    const char* what;
    std::vector<SavedFile> saved;
    std::vector<Candidate> candidates;
    // The plan, as text: "drain 1 from 0; resume 0; lost 0/0" (drains as candidate from
    // saved; the current: "resume S", "from start", "wait"; lost bytes / lost files).
    std::string plan;
};

std::string text_of(const ResumePlan& p) {
    std::string out;
    for (const auto& d : p.drains) out += "drain " + std::to_string(d.candidate) + " from " + std::to_string(d.saved) + "; ";
    switch (p.current) {
        case ResumePlan::Current::resume: out += "resume " + std::to_string(p.current_saved); break;
        case ResumePlan::Current::from_start: out += "from start"; break;
        case ResumePlan::Current::wait: out += "wait"; break;
    }
    out += "; lost " + std::to_string(p.lost_bytes) + "/" + std::to_string(p.lost_files);
    for (const std::size_t k : p.unmeasured) out += "; unmeasured " + std::to_string(k);
    return p.cut_bytes > 0 ? out + "; cut " + std::to_string(p.cut_bytes) : out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_restart_case_makes_its_plan) {
    const std::vector<Row> rows = {
        {"nothing saved for a known path, which exists now: appeared while stopped, read from its start", {},
         {found("access.log", 7, 500, {}, true)}, "from start; lost 0/0"},
        {"nothing saved and nothing there: wait", {}, {}, "wait; lost 0/0"},
        {"untouched: resume", {saved(7, 300, 400)}, {found("access.log", 7, 900, {true}, true)}, "resume 0; lost 0/0"},
        {"renamed and created while stopped: drain the old, read the new from its start",
         {saved(7, 300, 400)},
         {found("access.log.1", 7, 400, {true}), found("access.log", 8, 50, {false}, true)},
         "drain 0 from 0; from start; lost 0/0"},
        {"renamed twice while stopped: found by inode wherever it is",
         {saved(7, 300, 400)},
         {found("access.log.2", 7, 400, {true}), found("access.log.1", 9, 60, {false}),
          found("access.log", 8, 50, {false}, true)},
         "drain 0 from 0; from start; lost 0/0"},
        {"renamed and not created again: drain it, wait for the path",
         {saved(7, 300, 400)}, {found("access.log.1", 7, 400, {true})}, "drain 0 from 0; wait; lost 0/0"},
        {"copytruncate while stopped: the copy (another inode, the same head) is drained, the path read again",
         {saved(7, 300, 400)},
         {found("access.log.1", 12, 400, {true}), found("access.log", 7, 80, {false}, true)},
         "drain 0 from 0; from start; lost 0/0"},
        {"copytruncate, and the copy was compressed: what was not read is lost, and says how much",
         {saved(7, 300, 400)},
         {found("access.log.1.gz", 12, 90, {false}), found("access.log", 7, 80, {false}, true)},
         "from start; lost 100/1"},
        {"copytruncate and compress while stopped: the gzip copy says how much of it was not read",
         {saved(7, 300, 400)},
         {with_gzip(found("access.log.1.gz", 12, 1500, {true})), found("access.log", 7, 80, {false}, true)},
         "from start; lost 1200/1"},
        {"renamed and compressed while stopped, read to its end at the stop: the copy's measure says nothing is lost",
         {saved(7, 400, 400)},
         {with_gzip(found("access.log.1.gz", 12, 400, {true})), found("access.log", 8, 80, {false}, true)},
         "from start; lost 0/0"},
        {"renamed and compressed while stopped: lost too, by the copy's measure",
         {saved(7, 300, 400)},
         {with_gzip(found("access.log.1.gz", 12, 700, {true})), found("access.log", 8, 80, {false}, true)},
         "from start; lost 400/1"},
        {"compressed while stopped, its length not told: it is that file still, said unmeasured, not missing",
         {saved(7, 300, 400)},
         {unmeasured(found("access.log.1.zst", 12, 0, {true})), found("access.log", 8, 80, {false}, true)},
         "from start; lost 0/0; unmeasured 0"},
        {"a copy shorter than the saved offset is not that file", {saved(7, 300, 400)},
         {found("access.log.1", 12, 200, {true}), found("access.log", 7, 80, {false}, true)}, "from start; lost 100/1"},
        {"the same inode with another head: the inode was reused, read the new file from its start (the old one "
         "is gone, as it was after the stop)",
         {saved(7, 300, 300)}, {found("access.log", 7, 900, {false}, true)}, "from start; lost 0/1"},
        {"a rotated file still draining at the stop, and the current one",
         {saved(5, 100, 200), saved(7, 300, 300)},
         {found("access.log.1", 5, 200, {true, false}), found("access.log", 7, 350, {false, true}, true)},
         "drain 0 from 0; resume 1; lost 0/0"},
        {"a state file of version 1 knew no sizes: a file not found is lost, by how much is not known",
         {saved(7, 300, std::nullopt)}, {found("access.log", 8, 50, {false}, true)}, "from start; lost 0/1"},
        {"cut short while stopped (a crash lost its last writes, truncate -s): the same inode and head, shorter "
         "than the offset: the same file, resumed (at its end)",
         {saved(7, 3000, 3500)}, {found("access.log", 7, 2000, {true}, true)}, "resume 0; lost 0/0; cut 500"},
        {"cut short past the offset: resumed where it was, what was cut of the unread part is said",
         {saved(7, 3000, 3500)}, {found("access.log", 7, 3200, {true}, true)}, "resume 0; lost 0/0; cut 300"},
        {"a rotated file cut short while it drained: drained from its end",
         {saved(5, 3000, 3000), saved(7, 10, 10)},
         {found("access.log.1", 5, 2000, {true, false}), found("access.log", 7, 50, {false, true}, true)},
         "drain 0 from 0; resume 1; lost 0/0"},
        {"a copy beside it wins over the path with its head: a copytruncate whose new lines began as the old",
         {saved(7, 3000, 3500)},
         {found("access.log.1", 12, 3500, {true}), found("access.log", 7, 2000, {true}, true)},
         "drain 0 from 0; from start; lost 0/0"},
        {"a file read to its end and gone since: it may have grown after the stop, by how much is not known",
         {saved(7, 400, 400)}, {found("access.log", 8, 50, {false}, true)}, "from start; lost 0/1"},
        {"the path itself holds a copy only if nothing beside it does",
         {saved(7, 300, 400)},
         {found("access.log", 12, 900, {true}, true), found("access.log.1", 13, 400, {true})},
         "drain 1 from 0; from start; lost 0/0"},
    };
    for (const auto& row : rows) BOOST_TEST(text_of(plan_resume(row.saved, row.candidates)) == row.plan, row.what);
}

BOOST_AUTO_TEST_CASE(an_empty_head_matches_only_the_same_inode) {
    // A file saved while empty has a head of 0 bytes, which any file "matches": only its
    // own inode may stand for it, or an old rotated file would be read again.
    SavedFile empty = saved(7, 0, 0);
    empty.identity.head_length = 0;
    const std::vector<Candidate> others = {found("access.log.1", 3, 5000, {true}), found("access.log", 9, 10, {true}, true)};
    BOOST_TEST(text_of(plan_resume({empty}, others)) == "from start; lost 0/1");  // gone, with what came after
    const std::vector<Candidate> same = {found("access.log.1", 3, 5000, {true}), found("access.log", 7, 10, {true}, true)};
    BOOST_TEST(text_of(plan_resume({empty}, same)) == "resume 0; lost 0/0");
}

BOOST_AUTO_TEST_CASE(a_file_never_readable_resumes_by_inode_alone) {
    SavedFile unread = saved(7, 4000, 4000);
    unread.identity.head_length = 0;
    unread.unread = true;
    BOOST_TEST(text_of(plan_resume({unread}, {found("access.log", 7, 4100, {false}, true)})) == "resume 0; lost 0/0");
    BOOST_TEST(text_of(plan_resume({unread}, {found("access.log", 8, 4100, {false}, true)})) == "from start; lost 0/1");
}

BOOST_AUTO_TEST_CASE(locate_finds_the_copy_of_a_file_truncated_while_it_was_read) {
    const SavedFile reading = saved(7, 300, 1000);
    const std::vector<Candidate> beside = {found("access.log.2.gz", 20, 90, {false}), found("access.log.1", 21, 1000, {true})};
    const auto copy = locate(reading, 0, beside, {false, false});
    BOOST_TEST_REQUIRE(copy.has_value());
    BOOST_TEST(*copy == 1u);
    BOOST_TEST(!locate(reading, 0, beside, {false, true}).has_value());  // taken already
}

BOOST_AUTO_TEST_CASE(a_file_cut_short_resumes_at_its_new_end_and_a_longer_one_where_it_was) {
    SavedFile reading = saved(7, 3000, 3500);
    reading.lines_before = 40;
    const SavedFile cut = resume_point(reading, found("access.log", 7, 2000, {true}, true));
    BOOST_TEST(cut.offset == 2000u);
    BOOST_TEST(!cut.lines_before.has_value());  // the line it ends in is not known
    const SavedFile kept = resume_point(reading, found("access.log", 7, 3200, {true}, true));
    BOOST_TEST(kept.offset == 3000u);
    BOOST_TEST(kept.lines_before.value_or(0) == 40u);
    SavedFile overlong = saved(7, 3000, 3500);
    overlong.overlong_read = 400;  // an over-long line being skipped, cut in its middle
    const SavedFile inside = resume_point(overlong, found("access.log", 7, 3200, {true}, true));
    BOOST_TEST(inside.offset == 3200u);
    BOOST_TEST(inside.overlong_read == 0u);
}
