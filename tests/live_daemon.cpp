// SPDX-License-Identifier: Apache-2.0
#include "live_daemon.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

namespace json = boost::json;
using namespace std::chrono_literals;

namespace test {

Seen seen_in(const std::string& out_path) {
    Seen s;
    std::istringstream in(read_file(out_path));
    for (std::string line; std::getline(in, line);) {
        json::object o;
        try {
            o = json::parse(line).as_object();
        } catch (...) {
            continue;  // a line being written right now
        }
        if (o.at("type") == "alert") {
            (o.at("state") == "high" ? s.alerts : s.recoveries) += 1;
            continue;
        }
        if (o.at("type") != "report") continue;
        ++s.reports;
        s.hits += o.at("hits").to_number<std::int64_t>();
        s.invalid += o.at("invalid").to_number<std::int64_t>();
        s.rotations += o.at("rotations").to_number<std::int64_t>();
        s.truncations += o.at("truncations").to_number<std::int64_t>();
        if (const auto* lost = o.if_contains("lost_bytes")) s.lost_bytes += lost->to_number<std::int64_t>();
    }
    return s;
}

DaemonOptions as_unprivileged(const TempDir& dir, std::vector<std::string> extra) {
    DaemonOptions how;
    how.extra = std::move(extra);
    if (::geteuid() == 0) {
        ::chmod(dir.path().c_str(), 0777);
        how.prefix = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    }
    return how;
}

void stopped_long_ago(const TempDir& dir, const std::string& log, const std::vector<std::string>& extra,
                      std::int64_t seconds_ago) {
    write_file(log, "");
    {
        DaemonOptions how;
        how.extra = extra;
        how.out = dir.file("first.json");
        Daemon first(dir, {log}, how);
        BOOST_TEST(first.stop() == 0);
    }
    json::object state = json::parse(read_file(dir.file("state.json"))).as_object();
    state["reported_until"] = static_cast<std::int64_t>(std::time(nullptr)) - seconds_ago;
    state.erase("alert");
    write_file(dir.file("state.json"), json::serialize(state));
}

std::int64_t lines_in(const std::string& path) {
    const std::string text = read_file(path);
    return static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n'));
}

Daemon::Daemon(const TempDir& dir, const std::vector<std::string>& logs, std::vector<std::string> extra)
    : Daemon(dir, logs, DaemonOptions{std::move(extra), {}, {}, "", "", true}) {}

Daemon::Daemon(const TempDir& dir, const std::vector<std::string>& logs, const DaemonOptions& how)
    : out_(how.out.empty() ? dir.file("out.json") : how.out), err_(dir.file("err.txt")) {
    std::vector<std::string> argv = how.prefix;
    for (const std::string& arg : {hitwatchd(), std::string("--output"), std::string("json"), std::string("--state-file"),
                                   how.state_file.empty() ? dir.file("state.json") : how.state_file}) {
        argv.push_back(arg);
    }
    if (std::find(how.extra.begin(), how.extra.end(), "--interval") == how.extra.end()) {
        argv.push_back("--interval");
        argv.push_back("1");
    }
    for (const auto& log : logs) {
        argv.push_back("--log");
        argv.push_back(log);
    }
    argv.insert(argv.end(), how.extra.begin(), how.extra.end());
    // Reports and messages of earlier runs in the same directory are kept: settle_at() adds
    // up everything in the file, and says() looks only at what this run writes after them.
    if (struct stat st {}; ::stat(err_.c_str(), &st) == 0) err_start_ = static_cast<std::size_t>(st.st_size);
    process_ = std::make_unique<Background>(argv, out_, err_, how.spawn);
    if (how.wait_until_following) says("following", 10s);
}

DaemonOptions syslog_over_udp(int port, std::vector<std::string> extra) {
    DaemonOptions how;
    how.extra = {"--listen-syslog", "udp://127.0.0.1:" + std::to_string(port)};
    how.extra.insert(how.extra.end(), extra.begin(), extra.end());
    how.wait_until_following = false;
    return how;
}

bool Daemon::receives_syslog(int port) const {
    return says("receiving syslog messages on udp://127.0.0.1:" + std::to_string(port));
}

bool Daemon::says(const std::string& text, std::chrono::milliseconds limit) const {
    return wait_for([&] { return err().find(text, err_start_) != std::string::npos; }, limit);
}

std::int64_t Daemon::settle_at(std::int64_t hits, std::chrono::milliseconds limit) {
    wait_for([&] { return seen_in(out_).hits >= hits; }, limit);
    std::this_thread::sleep_for(1500ms);  // and nothing more arrives
    return seen_in(out_).hits;
}

int Daemon::stop(int sig) {
    process_->signal(sig);
    if (!wait_for([&] { return !process_->alive(); }, 30s)) {
        process_->signal(SIGKILL);  // a daemon that does not answer fails its test, not the run
        process_->wait();
        return -1;
    }
    return process_->wait();
}

void limit_file_size(int pid, std::uint64_t bytes) {
    rlimit limit{};
    BOOST_TEST_REQUIRE(::prlimit(pid, RLIMIT_FSIZE, nullptr, &limit) == 0);
    // The soft limit only: raising a hard limit again takes a capability root may not have.
    limit.rlim_cur = std::min<rlim_t>(bytes, limit.rlim_max);
    BOOST_TEST_REQUIRE(::prlimit(pid, RLIMIT_FSIZE, &limit, nullptr) == 0);
}

void generate(const std::string& log, int lines, int seed) {
    const auto r = run({GENLOG, "--out", log, "--lines", std::to_string(lines), "--rate", "1000", "--seed",
                        std::to_string(seed)});
    BOOST_TEST_REQUIRE(r.exit_code == 0);
}

void append_requests(const std::string& log, const std::vector<std::string>& sections, const std::string& after) {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[64];
    std::strftime(stamp, sizeof stamp, "%d/%b/%Y:%H:%M:%S +0000", &utc);
    std::ofstream out(log, std::ios::app);
    for (const auto& section : sections) {
        out << "10.0.0.1 - - [" << stamp << "] \"GET " << section << "/page HTTP/1.1\" 200 100 \"-\" \"test\"" << after << "\n";
    }
}

void logrotate(const TempDir& dir, const std::string& log, const std::string& directives) {
    const std::string config = dir.file("logrotate.conf");
    write_file(config, log + " {\n    rotate 20\n    " + directives + "\n    missingok\n}\n");
    ::chmod(config.c_str(), 0644);
    const auto r = run({"/usr/sbin/logrotate", "-f", "-s", dir.file("logrotate.state"), config});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
}

std::int64_t written_by(const std::string& err) {
    const size_t at = err.find("wrote ");
    return at == std::string::npos ? -1 : std::stoll(err.substr(at + 6));
}

NotifyListener::NotifyListener(const std::string& name) : fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name.data(), std::min(name.size(), sizeof addr.sun_path - 1));
    if (name[0] == '@') addr.sun_path[0] = '\0';
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    BOOST_TEST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), length) == 0);
    timeval timeout{0, 100000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

NotifyListener::~NotifyListener() { ::close(fd_); }

void NotifyListener::listen_for(std::chrono::milliseconds how_long) {
    const auto until = std::chrono::steady_clock::now() + how_long;
    char buf[4096];
    while (std::chrono::steady_clock::now() < until) {
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n > 0) heard.emplace_back(std::chrono::steady_clock::now(), std::string(buf, static_cast<size_t>(n)));
    }
}

long NotifyListener::count(const std::string& prefix) const {
    return std::count_if(heard.begin(), heard.end(), [&](const auto& m) { return m.second.rfind(prefix, 0) == 0; });
}

void write_config(const std::string& path, const std::vector<std::string>& logs, double threshold,
                  const std::string& more) {
    std::string text = "interval = 1\noutput = json\n";
    for (const auto& log : logs) text += "log = " + log + "\n";
    text += "[alert]\nrule = absolute\nwindow = 10\nthreshold = " + std::to_string(threshold) + "\n";
    text += "[syslog]\ndisabled = true\n" + more;
    // Replaced whole, so a reload never reads half a file.
    write_file(path + ".new", text);
    std::rename((path + ".new").c_str(), path.c_str());
}

}  // namespace test
