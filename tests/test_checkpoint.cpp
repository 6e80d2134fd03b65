#define BOOST_TEST_MODULE checkpoint
#include "state/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace hitwatch;

BOOST_AUTO_TEST_CASE(round_trips_through_json) {
    Checkpoint c;
    c.logs.push_back({"/var/log/a.log", {{{1, 2, 0xffffffffffffffffull, 1024}, 555}, {{1, 3, 42, 10}, 7}}});
    c.logs.push_back({"/var/log/b.log", {}});
    AlertState state{{1, 2, 3}, 3, true, 100, 4};
    c.alert = SavedAlert{AlertRuleKind::absolute, 3, 1, 1763632800, state};
    std::string error;
    const auto back = checkpoint_from_json(to_json(c), error);
    BOOST_TEST_REQUIRE(back.has_value(), error);
    BOOST_TEST_REQUIRE(back->logs.size() == 2u);
    const SavedLog* a = back->find("/var/log/a.log");
    BOOST_TEST_REQUIRE(a != nullptr);
    BOOST_TEST(a->files.size() == 2u);
    BOOST_TEST(a->files[0].identity.head_hash == 0xffffffffffffffffull);
    BOOST_TEST(a->files[0].offset == 555u);
    BOOST_TEST(a->files[1].identity.inode == 3u);
    BOOST_TEST(back->find("/nope") == nullptr);
    BOOST_TEST_REQUIRE(back->alert.has_value());
    BOOST_TEST((back->alert->rule == AlertRuleKind::absolute));
    BOOST_TEST((back->alert->state.buckets == std::vector<std::uint64_t>{1, 2, 3}));
    BOOST_TEST(back->alert->state.high);
    BOOST_TEST(back->alert->state.sum == 100u);
}

BOOST_AUTO_TEST_CASE(corrupt_text_says_why) {
    for (const char* text : {"", "{", "[]", "{\"version\":2,\"logs\":[]}", "{\"version\":1}",
                             "{\"version\":1,\"logs\":[{\"path\":3,\"files\":[]}]}",
                             "{\"version\":1,\"logs\":[{\"path\":\"/a\",\"files\":[{\"device\":-1}]}]}"}) {
        std::string error;
        BOOST_TEST(!checkpoint_from_json(text, error).has_value(), text);
        BOOST_TEST(!error.empty(), text);
    }
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

BOOST_AUTO_TEST_CASE(writes_atomically_and_reports_failure) {
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
    std::remove(path.c_str());
    ::rmdir(dir);
}
