// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE checkpoint
#include "state/checkpoint.h"

#include "core/baseline_rule.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace hitwatch;

namespace {

SavedFile file(std::uint64_t inode, std::uint64_t offset, std::uint64_t size) {
    SavedFile f;
    f.identity = {1, inode, 0xffffffffffffffffull, 1024};
    f.offset = offset;
    f.size = size;
    return f;
}

LoadedCheckpoint load(const std::string& text) { return checkpoint_from_json(text, "/srv/www"); }

// Today's state file with `replace` applied to its text.
std::string today_with(const std::string& from, const std::string& to) {
    std::string text =
        R"({"version":4,"logs":[{"path":"/var/log/a.log","files":[{"device":1,"inode":2,"head_hash":3,"head_length":1024,"offset":100,"size":200}]},)"
        R"({"path":"/var/log/b.log","files":[{"device":1,"inode":5,"head_hash":6,"head_length":10,"offset":7,"size":9}]}],)"
        R"("alert":{"rule":"absolute","window_s":3,"interval_s":1,"saved_at":1763632800,"buckets":[1,2,3],"pushed":3,"high":false,"sum":0,"flushes":0,)"
        R"("kinds":[],"sections":{"intervals":0,"anomalous":0,"shares":[]}}})";
    const size_t at = text.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos, from);
    return text.replace(at, from.size(), to);
}

}  // namespace

BOOST_AUTO_TEST_CASE(round_trips_through_json) {
    Checkpoint c;
    SavedFile skipping = file(3, 7, 9000);
    skipping.overlong_read = 8000;
    skipping.lines_before = 2;
    c.logs.push_back({"/var/log/a.log", {file(2, 555, 600), skipping}, std::nullopt});
    c.logs.push_back({"/var/log/b.log", {}, -(std::int64_t{1} << 40)});  // catching up from its start
    SavedFile unread = file(4, 4096, 4096);
    unread.identity.head_length = 0;
    unread.unread = true;
    c.logs.push_back({"/var/log/c.log", {unread}, 1763632000});
    AlertState state{{1, 2, 3}, 3, true, 100, 4, 0, std::nullopt};
    c.alert = SavedAlert{AlertRuleKind::absolute, 3, 1, 1763632800, state, {}, {}};
    const auto back = load(to_json(c));
    BOOST_TEST_REQUIRE(back.checkpoint.has_value(), back.error);
    BOOST_TEST(back.warnings.empty());
    BOOST_TEST_REQUIRE(back.checkpoint->logs.size() == 3u);
    const SavedLog* a = back.checkpoint->find("/var/log/a.log");
    BOOST_TEST_REQUIRE(a != nullptr);
    BOOST_TEST(a->files.size() == 2u);
    BOOST_TEST(a->files[0].identity.head_hash == 0xffffffffffffffffull);
    BOOST_TEST(a->files[0].offset == 555u);
    BOOST_TEST(*a->files[0].size == 600u);
    BOOST_TEST(!a->files[0].lines_before.has_value());
    BOOST_TEST(a->files[1].overlong_read == 8000u);
    BOOST_TEST(*a->files[1].lines_before == 2u);
    BOOST_TEST(back.checkpoint->find("/var/log/c.log")->files[0].unread);
    BOOST_TEST(!a->catching_up_from.has_value());
    BOOST_TEST(*back.checkpoint->find("/var/log/b.log")->catching_up_from == -(std::int64_t{1} << 40));
    BOOST_TEST(*back.checkpoint->find("/var/log/c.log")->catching_up_from == 1763632000);
    BOOST_TEST(back.checkpoint->find("/nope") == nullptr);
    BOOST_TEST_REQUIRE(back.checkpoint->alert.has_value());
    BOOST_TEST((back.checkpoint->alert->rule == AlertRuleKind::absolute));
    BOOST_TEST((back.checkpoint->alert->state.buckets == std::vector<std::uint64_t>{1, 2, 3}));
    BOOST_TEST(back.checkpoint->alert->state.high);
    BOOST_TEST(back.checkpoint->alert->state.sum == 100u);
}

BOOST_AUTO_TEST_CASE(a_state_file_written_by_version_0_1_is_read_and_upgraded) {
    // Written by hitwatchd 0.1 (commit 64c206a), byte for byte: an absolute path, a log
    // that was absent, a baseline window; and one with a relative path.
    const std::string written =
        R"({"version":1,"logs":[{"path":"/tmp/orig/st/access.log","files":[{"device":65024,"inode":10952968,"head_hash":3789320702993781269,"head_length":1024,"offset":60215}]},{"path":"/tmp/orig/st/absent.log","files":[]}],"alert":{"rule":"baseline","window_s":5,"interval_s":1,"saved_at":1795732641,"buckets":[300,0,0,50,0],"pushed":5,"high":false,"sum":350,"flushes":1}})";
    const auto loaded = load(written + "\n");
    BOOST_TEST_REQUIRE(loaded.checkpoint.has_value(), loaded.error);
    BOOST_TEST_REQUIRE(loaded.warnings.size() == 1u);
    BOOST_TEST(loaded.warnings[0] == "state file of version 1 upgraded to version 4");
    const Checkpoint& c = *loaded.checkpoint;
    BOOST_TEST_REQUIRE(c.logs.size() == 2u);
    const SavedFile& f = c.logs[0].files.at(0);
    BOOST_TEST(f.identity.device == 65024u);
    BOOST_TEST(f.identity.inode == 10952968u);
    BOOST_TEST(f.identity.head_hash == 3789320702993781269ull);
    BOOST_TEST(f.offset == 60215u);
    BOOST_TEST(!f.size.has_value());  // version 1 did not know it
    BOOST_TEST(c.logs[1].files.empty());
    BOOST_TEST_REQUIRE(c.alert.has_value());
    BOOST_TEST((c.alert->state.buckets == std::vector<std::uint64_t>{300, 0, 0, 50, 0}));
    BOOST_TEST(c.alert->state.flushes == 1u);

    const std::string relative =
        R"({"version":1,"logs":[{"path":"access.log","files":[{"device":65024,"inode":10952968,"head_hash":3789320702993781269,"head_length":1024,"offset":60215}]}],"alert":{"rule":"absolute","window_s":3,"interval_s":1,"saved_at":1795732646,"buckets":[0,0,0],"pushed":3,"high":false,"sum":0,"flushes":0}})";
    const auto moved = load(relative);
    BOOST_TEST_REQUIRE(moved.checkpoint.has_value(), moved.error);
    BOOST_TEST(moved.checkpoint->logs.at(0).path == "/srv/www/access.log");
}

BOOST_AUTO_TEST_CASE(text_that_is_no_checkpoint_is_corrupt_and_says_why) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "not JSON"},
        {"{", "not JSON"},
        {"[]", "state file: expected an object"},
        {R"({"version":5,"logs":[]})", "version must be a whole number from 1 to 4, not 5"},
        {R"({"version":"2","logs":[]})", "version must be a whole number"},
        {R"({"version":2})", "logs is missing"},
        {R"({"version":2,"logs":{}})", "logs must be an array"},
    };
    for (const auto& [text, why] : cases) {
        const auto loaded = load(text);
        BOOST_TEST(!loaded.checkpoint.has_value(), text);
        BOOST_TEST(loaded.error.find(why) != std::string::npos, text << " -> " << loaded.error);
    }
}

BOOST_AUTO_TEST_CASE(a_field_out_of_range_drops_its_log_and_keeps_the_others) {
    const std::vector<std::pair<std::pair<std::string, std::string>, std::string>> cases = {
        // The head length sizes a read into a 1 KiB buffer: never more than 1 KiB.
        {{R"("head_length":1024)", R"("head_length":1025)"}, "head_length must be a whole number from 0 to 1024"},
        {{R"("head_length":1024)", R"("head_length":4294967296)"}, "head_length"},
        {{R"("head_length":1024)", R"("head_length":-1)"}, "head_length"},
        {{R"("head_length":1024)", R"("head_length":1.5)"}, "head_length"},
        {{R"("head_length":1024)", R"("head_length":"10")"}, "head_length"},
        {{R"("device":1,"inode":2)", R"("device":-1,"inode":2)"}, "device"},
        {{R"("offset":100)", R"("offset":1e300)"}, "offset"},
        {{R"("offset":100)", R"("offset":300)"}, "offset 300 lies past the size 200"},
        {{R"("size":200)", R"("size":200,"lines_before":101)"}, "lines_before is more than the bytes"},
        {{R"("size":200)", R"("size":200,"overlong_read":150)"}, "lies past the size"},
        {{R"("path":"/var/log/a.log")", R"("path":"var/log/a.log")"}, "path must be absolute"},
        {{R"("path":"/var/log/a.log")", R"("path":"")"}, "path must be 1 to 4096 bytes"},
        {{R"("path":"/var/log/a.log")", R"("path":"/var/log/b.log")"}, "/var/log/b.log again"},
        {{R"("path":"/var/log/a.log")", R"("path":7)"}, "path must be a string"},
        {{R"("files":[{"device":1,"inode":2)", R"("files":[3,{"device":1,"inode":2)"}, "files[0]: expected an object"},
        {{R"("path":"/var/log/a.log")", R"("path":"/var/log/a.log","catching_up_from":1e300)"}, "catching_up_from"},
        {{R"("path":"/var/log/a.log")", R"("path":"/var/log/a.log","catching_up_from":"soon")"}, "catching_up_from"},
    };
    for (const auto& [edit, why] : cases) {
        const std::string text = today_with(edit.first, edit.second);
        const auto loaded = load(text);
        BOOST_TEST_REQUIRE(loaded.checkpoint.has_value(), text);
        BOOST_TEST(loaded.checkpoint->logs.size() == 1u, text);
        BOOST_TEST(loaded.checkpoint->find("/var/log/b.log") != nullptr, text);
        BOOST_TEST(loaded.checkpoint->alert.has_value(), text);
        BOOST_TEST_REQUIRE(loaded.warnings.size() == 1u, text);
        BOOST_TEST(loaded.warnings[0].find(why) != std::string::npos, text << " -> " << loaded.warnings[0]);
        BOOST_TEST(loaded.warnings[0].find("that log's entry is dropped") != std::string::npos);
    }
    const std::string long_path(5000, 'x');
    const auto too_long = load(today_with(R"("/var/log/a.log")", "\"/" + long_path + "\""));
    BOOST_TEST(too_long.checkpoint->logs.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_bad_alert_section_drops_the_alert_alone) {
    const std::vector<std::pair<std::pair<std::string, std::string>, std::string>> cases = {
        {{R"("buckets":[1,2,3])", R"("buckets":[1,2])"}, "2 buckets for a window of 3"},
        {{R"("buckets":[1,2,3])", R"("buckets":[1,-2,3])"}, "buckets[1] is not a count"},
        {{R"("pushed":3)", R"("pushed":4)"}, "pushed must be a whole number from 0 to 3"},
        {{R"("rule":"absolute")", R"("rule":"magic")"}, "unknown rule"},
        {{R"("window_s":3)", R"("window_s":2000000000)"}, "window_s"},
        {{R"("interval_s":1)", R"("interval_s":2)"}, "not a multiple"},
        {{R"("high":false)", R"("high":0)"}, "high must be true or false"},
    };
    for (const auto& [edit, why] : cases) {
        const std::string text = today_with(edit.first, edit.second);
        const auto loaded = load(text);
        BOOST_TEST_REQUIRE(loaded.checkpoint.has_value(), text);
        BOOST_TEST(loaded.checkpoint->logs.size() == 2u);
        BOOST_TEST(!loaded.checkpoint->alert.has_value(), text);
        BOOST_TEST_REQUIRE(loaded.warnings.size() == 1u, text);
        BOOST_TEST(loaded.warnings[0].find(why) != std::string::npos, text << " -> " << loaded.warnings[0]);
    }
}

BOOST_AUTO_TEST_CASE(mutated_state_files_never_crash_the_loader_and_what_loads_is_in_range) {
    // A mutation fuzz (the libFuzzer target in tests/fuzz runs the same loader longer).
    std::mt19937 rng(42);
    const std::string base = today_with(R"("size":9)", R"("size":9,"lines_before":3,"overlong_read":1)");
    const std::string alphabet = "0123456789-+.eE\"{}[],:tfnul \\/x";
    std::size_t loaded_any = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text = base;
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            const size_t at = rng() % text.size();
            switch (rng() % 3) {
                case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
                case 1: text.erase(at, 1 + rng() % 8); break;
                default: text.insert(at, std::string(1 + rng() % 3, alphabet[rng() % alphabet.size()])); break;
            }
            if (text.empty()) text.assign(1, '{');
        }
        const auto loaded = load(text);
        if (!loaded.checkpoint) continue;
        ++loaded_any;
        for (const auto& log : loaded.checkpoint->logs) {
            BOOST_TEST_REQUIRE(log.path.front() == '/');
            for (const auto& f : log.files) {
                BOOST_TEST_REQUIRE(f.identity.head_length <= FileIdentity::kHeadBytes);
                if (f.size) BOOST_TEST_REQUIRE(f.offset <= *f.size);
            }
        }
        if (loaded.checkpoint->alert) {
            const SavedAlert& a = *loaded.checkpoint->alert;
            BOOST_TEST_REQUIRE(a.state.pushed <= a.state.buckets.size());
            BOOST_TEST_REQUIRE(a.window_s % a.interval_s == 0);
        }
    }
    BOOST_TEST(loaded_any > 1000u);  // the mutations reach the field checks, not just the JSON parser
}

BOOST_AUTO_TEST_CASE(alert_state_restores_into_a_rule) {
    AlertSettings s;
    s.rule = AlertRuleKind::baseline;
    s.window_s = 30;
    s.interval_s = 10;
    s.margin = 0;
    BaselineRule before(s), after(s);
    for (int i = 1; i <= 5; ++i) before.on_interval(10 * i, 7);
    after.restore(before.state());
    BOOST_TEST(after.window_hits() == before.window_hits());
    BOOST_TEST(after.mean() == before.mean());
    const auto a = before.on_interval(60, 30), b = after.on_interval(60, 30);
    BOOST_TEST((a.has_value() && b.has_value() && a->hits == b->hits));
}

BOOST_AUTO_TEST_CASE(writes_atomically_and_leaves_nothing_behind_when_it_fails) {
    char dir[] = "/tmp/hitwatch-checkpoint-XXXXXX";
    BOOST_TEST_REQUIRE(mkdtemp(dir) != nullptr);
    const std::string path = std::string(dir) + "/state.json";
    std::string error;
    BOOST_TEST(write_file_atomically(path, "one", error));
    BOOST_TEST(write_file_atomically(path, "two", error));
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    BOOST_TEST(text.str() == "two");
    BOOST_TEST(!write_file_atomically(std::string(dir) + "/missing/state.json", "x", error));
    BOOST_TEST(error.find("cannot create") == 0u, error);

    // The rename fails (a directory holds the name): the temporary file must not stay.
    const std::string blocked = std::string(dir) + "/blocked.json";
    std::filesystem::create_directories(blocked + "/inside");
    BOOST_TEST(!write_file_atomically(blocked, "three", error));
    BOOST_TEST(error.find("cannot rename") == 0u, error);
    BOOST_TEST(!std::filesystem::exists(blocked + ".tmp"));
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(the_adaptive_rules_learning_and_an_alerts_start_round_trip) {
    Checkpoint c;
    AlertState state{std::vector<std::uint64_t>(120, 20), 120, true, 0, 0, 1763632700,
                     NormalLearning{2400.5, -0.25, 3.5, 1.25, 3600, 2, {}}};
    SavedAlert saved{AlertRuleKind::adaptive, 120, 10, 1763632800, state, {}, {}};
    saved.kinds.push_back({AlertKind::errors, NormalLearning{0.01, 0, 1.5, 0.9, 700, 0, {}}, true, 1763632750});
    saved.kinds.push_back({AlertKind::latency, NormalLearning{-1.5, 0, 1, 0.84, 12, 0, {-1.4, -1.6}}, false, 0});
    saved.sections = {{{"/api", 0.75}, {"/static", 0.25}}, 3600, 0};
    c.alert = saved;
    const auto back = load(to_json(c));
    BOOST_TEST_REQUIRE(back.checkpoint.has_value(), back.error);
    const SavedAlert& a = *back.checkpoint->alert;
    const AlertState& s = a.state;
    BOOST_TEST((a.rule == AlertRuleKind::adaptive));
    BOOST_TEST(s.high_since == 1763632700);
    BOOST_TEST_REQUIRE(s.learning.has_value());
    BOOST_TEST((*s.learning == state.learning.value()));
    BOOST_TEST_REQUIRE(a.kinds.size() == 2u);
    BOOST_TEST((a.kinds[0].kind == AlertKind::errors));
    BOOST_TEST(a.kinds[0].active);
    BOOST_TEST(a.kinds[0].since == 1763632750);
    BOOST_TEST((a.kinds[1].learning == saved.kinds[1].learning));  // a warm-up in progress too
    BOOST_TEST(a.sections.intervals == 3600u);
    BOOST_TEST((a.sections.shares == saved.sections.shares));
    // Out of range: the alert section is dropped, the rest kept.
    std::string text = to_json(c);
    text.replace(text.find("\"dispersion\":"), 13, "\"dispersion\":-");
    const auto bad = load(text);
    BOOST_TEST(!bad.checkpoint->alert.has_value());
    BOOST_TEST(bad.warnings.at(0).find("dispersion must be a number") != std::string::npos, bad.warnings.at(0));
    c.alert->sections.shares[0].second = 1.75;
    BOOST_TEST(load(to_json(c)).warnings.at(0).find("shares[0] must be [section, share from 0 to 1]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_version_2_state_file_keeps_what_the_traffic_rule_learned) {
    // As hitwatch wrote it before the rule learned its noise at the window's own scale.
    const std::string v2 =
        R"({"version":2,"logs":[],"alert":{"rule":"adaptive","window_s":120,"interval_s":10,"saved_at":1763632800,)"
        R"("buckets":[)" + std::string(119 * 3, ' ') + R"(],"pushed":120,"high":false,"sum":0,"flushes":0,)"
        R"("learning":{"level":2400.5,"trend":0.5,"mean":200,"spread":1200,"previous":198,"intervals":3600}}})";
    std::string text = v2;
    std::string buckets;
    for (int i = 0; i < 120; ++i) buckets += (i ? ",20" : "20");
    text.replace(text.find("[ "), 119 * 3 + 2, "[" + buckets + "]");
    const auto loaded = load(text);
    BOOST_TEST_REQUIRE(loaded.checkpoint.has_value(), loaded.error);
    BOOST_TEST(loaded.warnings.at(0) == "state file of version 2 upgraded to version 4");
    BOOST_TEST_REQUIRE(loaded.checkpoint->alert.has_value());
    const auto& learning = loaded.checkpoint->alert->state.learning;
    BOOST_TEST_REQUIRE(learning.has_value());
    BOOST_TEST(learning->level == 2400.5);
    BOOST_TEST(learning->trend == 0.5);
    BOOST_TEST(learning->intervals == 3600u);
    BOOST_TEST(learning->dispersion == 3.0);  // 1200 / 2 / 200: its old measure, a first guess
    BOOST_TEST(learning->tail == kLogGaussianTail);
    BOOST_TEST(loaded.checkpoint->alert->kinds.empty());
}
