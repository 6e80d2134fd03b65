// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE replay_alerts
// The alert rules on the real hitwatchd --replay: the original tool's baseline rule exactly as
// 0.1 raised it, and the default adaptive rule quiet on a real log and loud on a burst.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "process.h"
#include "report_lines.h"

using test::json_lines;
using test::n;
using test::of_type;
using test::run;

namespace {

const std::string kData = DATA_DIR "/baseline_alerts/";

// A generated log of its own (the generator appends to what it is given).
std::string genlog(const test::TempDir& dir, const std::string& name, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {GENLOG, "--out", dir.file(name)};
    argv.insert(argv.end(), args.begin(), args.end());
    BOOST_TEST_REQUIRE(run(argv).exit_code == 0);
    return dir.file(name);
}

// The alerts of a replay of `log` with the baseline rule and `options`, against those 0.1
// raised: every field the same; the message the same up to its new explanation.
void same_as_before(const std::string& log, std::vector<std::string> options, const std::string& captured) {
    std::vector<std::string> argv = {test::hitwatchd(), "--replay", log, "--output", "json", "--alert-rule", "baseline"};
    argv.insert(argv.end(), options.begin(), options.end());
    const auto r = run(argv);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto now = of_type(json_lines(r.out), "alert");
    const auto then = json_lines(test::read_file(kData + captured));
    BOOST_TEST_REQUIRE(now.size() == then.size(), captured);
    for (size_t i = 0; i < then.size(); ++i) {
        for (const char* field : {"type", "state", "rule", "hits", "window_s", "threshold", "limit_hits", "at"}) {
            BOOST_TEST(now[i].at(field) == then[i].at(field), captured << " alert " << i << " " << field);
        }
        const std::string message(now[i].at("message").as_string()), original(then[i].at("message").as_string());
        BOOST_TEST(message.rfind(original + " (", 0) == 0u, message);
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_baseline_rule_raises_its_alerts_exactly_as_the_original_did) {
    test::TempDir dir;
    same_as_before(CORPUS "/apache_logs", {}, "corpus.jsonl");
    same_as_before(genlog(dir, "burst.log", {"--rate", "5", "--duration", "900", "--start", "1763632800", "--burst", "300:60:30"}), {},
                   "burst.jsonl");
    const std::string jitter =
        genlog(dir, "jitter.log", {"--rate", "20", "--duration", "3600", "--jitter", "30", "--burst", "1200:180:40", "--seed", "7"});
    same_as_before(jitter, {}, "jitter_burst.jsonl");
    same_as_before(jitter, {"--interval", "5", "--alert-window", "60", "--alert-margin", "50"},
                   "jitter_burst_i5_w60_m50.jsonl");
}
