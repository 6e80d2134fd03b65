#define BOOST_TEST_MODULE live
// Drives the real hitwatchd --log on real files, with real logrotate and real signals.
// Reports come every second (--interval 1) to keep the tests short.
#include <sys/stat.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "process.h"

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

struct Seen {
    std::int64_t hits = 0, invalid = 0, rotations = 0, truncations = 0, reports = 0;
};

Seen seen_in(const std::string& out_path) {
    Seen s;
    std::istringstream in(test::read_file(out_path));
    for (std::string line; std::getline(in, line);) {
        json::object o;
        try {
            o = json::parse(line).as_object();
        } catch (...) {
            continue;  // a line being written right now
        }
        if (o.at("type") != "report") continue;
        ++s.reports;
        s.hits += o.at("hits").to_number<std::int64_t>();
        s.invalid += o.at("invalid").to_number<std::int64_t>();
        s.rotations += o.at("rotations").to_number<std::int64_t>();
        s.truncations += o.at("truncations").to_number<std::int64_t>();
    }
    return s;
}

std::int64_t lines_in(const std::string& path) {
    const std::string text = test::read_file(path);
    return static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n'));
}

// A hitwatchd following `logs` in `dir`, its reports in dir/out.json.
class Daemon {
public:
    Daemon(const test::TempDir& dir, const std::vector<std::string>& logs, std::vector<std::string> extra = {})
        : out_(dir.file("out.json")), err_(dir.file("err.txt")) {
        std::vector<std::string> argv = {HITWATCHD, "--interval", "1", "--output", "json", "--state-file",
                                         dir.file("state.json")};
        for (const auto& log : logs) {
            argv.push_back("--log");
            argv.push_back(log);
        }
        argv.insert(argv.end(), extra.begin(), extra.end());
        process_ = std::make_unique<test::Background>(argv, out_, err_);
        wait_for([&] { return test::read_file(err_).find("following") != std::string::npos; }, 10s);
    }

    template <class Condition>
    static bool wait_for(Condition condition, std::chrono::milliseconds limit) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            if (condition()) return true;
            std::this_thread::sleep_for(50ms);
        }
        return condition();
    }

    // Waits until the reports add up to `hits` (or the limit passes); the final figure.
    std::int64_t settle_at(std::int64_t hits, std::chrono::milliseconds limit = 15s) {
        wait_for([&] { return seen_in(out_).hits >= hits; }, limit);
        std::this_thread::sleep_for(1500ms);  // and nothing more arrives
        return seen_in(out_).hits;
    }

    int stop(int sig = SIGTERM) {
        process_->signal(sig);
        return process_->wait();
    }
    void signal(int sig) { process_->signal(sig); }
    Seen seen() const { return seen_in(out_); }
    std::string err() const { return test::read_file(err_); }

private:
    std::string out_, err_;
    std::unique_ptr<test::Background> process_;
};

void generate(const std::string& log, int lines) {
    const auto r = test::run({GENLOG, "--out", log, "--lines", std::to_string(lines), "--rate", "1000"});
    BOOST_TEST_REQUIRE(r.exit_code == 0);
}

void logrotate(const test::TempDir& dir, const std::string& log, const std::string& mode) {
    const std::string config = dir.file("logrotate.conf");
    test::write_file(config, log + " {\n    rotate 20\n    " + mode + "\n    missingok\n    nocompress\n}\n");
    ::chmod(config.c_str(), 0644);
    const auto r = test::run({"/usr/sbin/logrotate", "-f", "-s", dir.file("logrotate.state"), config});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
}

// Lines written by a live writer; it reports them on stderr.
std::int64_t written_by(const std::string& err) {
    const size_t at = err.find("wrote ");
    return at == std::string::npos ? -1 : std::stoll(err.substr(at + 6));
}

}  // namespace

BOOST_AUTO_TEST_CASE(appends_while_running_are_counted_once_and_start_is_at_the_end) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    generate(log, 500);  // before the start: not counted (like tail -n 0)
    Daemon d(dir, {log});
    generate(log, 3000);
    generate(log, 2000);
    BOOST_TEST(d.settle_at(5000) == 5000);
    BOOST_TEST(d.stop() == 0);
    const std::string state = test::read_file(dir.file("state.json"));
    BOOST_TEST(state.find("\"offset\":" + std::to_string(std::filesystem::file_size(log))) != std::string::npos,
               state);
}

BOOST_AUTO_TEST_CASE(real_logrotate_create_while_a_writer_appends) {
    for (const char* watch : {"inotify", "poll"}) {
        test::TempDir dir;
        const std::string log = dir.file("access.log");
        Daemon d(dir, {log}, {"--watch", watch});
        test::Background writer({GENLOG, "--out", log, "--live", "--rate", "20000", "--duration", "7"},
                                dir.file("writer.out"), dir.file("writer.err"));
        for (int i = 0; i < 5; ++i) {
            std::this_thread::sleep_for(1s);
            logrotate(dir, log, "create");
        }
        BOOST_TEST_REQUIRE(writer.wait() == 0);
        const std::int64_t written = written_by(test::read_file(dir.file("writer.err")));
        BOOST_TEST(written > 100000);
        BOOST_TEST(d.settle_at(written) == written, watch);
        BOOST_TEST(d.seen().rotations >= 5, watch);
        BOOST_TEST(d.stop() == 0);
    }
}

BOOST_AUTO_TEST_CASE(copytruncate_is_read_again_from_the_start) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    Daemon d(dir, {log});
    generate(log, 1000);
    BOOST_TEST(d.settle_at(1000) == 1000);
    logrotate(dir, log, "copytruncate");
    generate(log, 500);
    BOOST_TEST(d.settle_at(1500) == 1500);
    logrotate(dir, log, "copytruncate");
    generate(log, 700);
    BOOST_TEST(d.settle_at(2200) == 2200);
    BOOST_TEST(d.seen().truncations == 2);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(deleted_then_recreated_and_absent_at_start) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    Daemon d(dir, {log});  // absent: waited for, then read from its start
    BOOST_TEST(d.err().find("waiting for it") != std::string::npos, d.err());
    generate(log, 80);
    BOOST_TEST(d.settle_at(80) == 80);
    std::filesystem::remove(log);
    std::this_thread::sleep_for(300ms);
    generate(log, 50);
    BOOST_TEST(d.settle_at(130) == 130);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_partial_line_waits_and_an_overlong_line_is_invalid) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    Daemon d(dir, {log}, {"--max-line", "1024"});
    const std::string line =
        "10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] \"GET /half HTTP/1.1\" 200 5 \"-\" \"ua\"\n";
    {
        std::ofstream(log, std::ios::app) << line.substr(0, 30);
    }
    std::this_thread::sleep_for(1500ms);
    BOOST_TEST(d.seen().invalid == 0);  // the first half alone is not a bad line
    {
        std::ofstream(log, std::ios::app) << line.substr(30) << std::string(5000, 'x') << "\n" << line;
    }
    BOOST_TEST(d.settle_at(2) == 2);
    BOOST_TEST(d.seen().invalid == 1);
    BOOST_TEST(d.stop() == 0);
}

BOOST_AUTO_TEST_CASE(kill_9_and_restart_neither_loses_nor_doubles) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    std::int64_t before_kill = 0;
    test::Background writer({GENLOG, "--out", log, "--live", "--rate", "5000", "--duration", "6"},
                            dir.file("writer.out"), dir.file("writer.err"));
    {
        // --from-start: the writer may be ahead of the daemon's start.
        Daemon first(dir, {log}, {"--from-start"});
        std::this_thread::sleep_for(2500ms);
        BOOST_TEST(first.stop(SIGKILL) == 128 + SIGKILL);
        before_kill = first.seen().hits;
    }
    std::filesystem::rename(dir.file("out.json"), dir.file("first.json"));
    std::this_thread::sleep_for(700ms);  // lines written while no daemon runs
    Daemon second(dir, {log});
    BOOST_TEST_REQUIRE(writer.wait() == 0);
    const std::int64_t written = lines_in(log);
    BOOST_TEST(written_by(test::read_file(dir.file("writer.err"))) == written);
    BOOST_TEST(before_kill > 0);
    BOOST_TEST(second.settle_at(written - before_kill) + before_kill == written);
    BOOST_TEST(second.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_corrupt_state_file_is_moved_aside) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    test::write_file(dir.file("state.json"), "{\"version\":1,\"logs\":[{\"pa");
    Daemon d(dir, {log});
    BOOST_TEST(d.err().find("is unreadable") != std::string::npos, d.err());
    BOOST_TEST(std::filesystem::exists(dir.file("state.json.corrupt")));
    generate(log, 300);
    BOOST_TEST(d.settle_at(300) == 300);
    BOOST_TEST(d.stop() == 0);
    BOOST_TEST(test::read_file(dir.file("state.json")).find("\"version\":1") == 1u);
}

BOOST_AUTO_TEST_CASE(sighup_reopens_the_report_file_after_it_was_moved_away) {
    test::TempDir dir;
    const std::string log = dir.file("access.log");
    const std::string reports = dir.file("reports.json");
    Daemon d(dir, {log}, {"--report-file", reports});
    generate(log, 100);
    BOOST_TEST(d.settle_at(100) == 100);
    std::filesystem::rename(reports, reports + ".1");  // what logrotate does
    d.signal(SIGHUP);
    BOOST_TEST(Daemon::wait_for([&] { return d.err().find("SIGHUP") != std::string::npos; }, 5s));
    generate(log, 50);
    BOOST_TEST(d.settle_at(150) == 150);
    BOOST_TEST(Daemon::wait_for([&] { return seen_in(reports).hits == 50; }, 5s));
    BOOST_TEST(seen_in(reports).hits == 50);
    BOOST_TEST(seen_in(reports + ".1").hits == 100);
    BOOST_TEST(d.stop() == 0);
}
