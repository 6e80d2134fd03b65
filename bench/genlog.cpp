// SPDX-License-Identifier: Apache-2.0
// hitwatch-genlog: writes realistic Apache combined log lines at a given rate, with an
// optional burst. Drives the demo, the tests and the benchmarks.
//
// Offline (default): timestamps are synthetic, starting at --start, `rate` lines per second
// of log time, written as fast as possible. --live: paced in real time, stamped with the real
// clock, the file reopened for every batch so a rotated log is followed like Apache does
// after a reload. --live --write-per-line: one write(2) per line, spread evenly over time, as
// nginx writes an access log without `buffer=` (the file is reopened every 10 ms).
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <thread>

#include "os/posix_io.h"

namespace {

struct Settings {
    std::string out = "-";
    double rate = 10;
    long long lines = -1;     // stop after this many lines (-1: use duration)
    long long duration = 60;  // seconds of log time
    long long start = 1763632800;  // 2025-11-20T10:00:00Z
    long long burst_at = -1, burst_for = 0;
    double burst_rate = 0;
    int jitter = 0;           // lines may carry a time up to this many seconds early
    long long invalid_every = 0;  // every Nth line is garbage
    bool unique_sections = false;  // every line a section of its own (a scanner)
    bool live = false;
    bool write_per_line = false;  // with --live: one write(2) a line, paced
    unsigned seed = 1;
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "hitwatch-genlog: %s\n"
                 "usage: hitwatch-genlog [--out FILE] [--rate R] [--duration S | --lines N]\n"
                 "         [--start EPOCH] [--burst AT:FOR:RATE] [--jitter S]\n"
                 "         [--invalid-every N] [--unique-sections] [--seed N]\n"
                 "         [--live [--write-per-line]]\n",
                 why);
    std::exit(2);
}

Settings parse(int argc, char** argv) {
    Settings s;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage(("missing value for " + arg).c_str());
            return argv[++i];
        };
        if (arg == "--out") s.out = value();
        else if (arg == "--rate") s.rate = std::atof(value());
        else if (arg == "--duration") s.duration = std::atoll(value());
        else if (arg == "--lines") s.lines = std::atoll(value());
        else if (arg == "--start") s.start = std::atoll(value());
        else if (arg == "--jitter") s.jitter = std::atoi(value());
        else if (arg == "--invalid-every") s.invalid_every = std::atoll(value());
        else if (arg == "--seed") s.seed = static_cast<unsigned>(std::atol(value()));
        else if (arg == "--live") s.live = true;
        else if (arg == "--write-per-line") s.write_per_line = true;
        else if (arg == "--unique-sections") s.unique_sections = true;
        else if (arg == "--burst") {
            if (std::sscanf(value(), "%lld:%lld:%lf", &s.burst_at, &s.burst_for, &s.burst_rate) != 3)
                usage("--burst takes AT:FOR:RATE (seconds from start, seconds, lines per second)");
        } else usage(("unknown option " + arg).c_str());
    }
    if (s.rate <= 0) usage("--rate must be positive");
    if (s.write_per_line && !s.live) usage("--write-per-line goes with --live");
    return s;
}

const char* const kSections[] = {
    "/", "/api/users", "/api/orders?id=", "/api/search?q=", "/images/logo.png", "/images/banner-",
    "/blog/2025/11/", "/blog/feed.xml", "/favicon.ico", "/static/css/site.css", "/static/js/app.js",
    "/login", "/report", "/presentations/", "/projects/hitwatch", "/robots.txt", "/Docs/Guide%20One",
    "http://www.example.com/api/health", "/wp-login.php"};
const int kSectionWeights[] = {8, 10, 6, 5, 9, 4, 7, 3, 6, 5, 5, 3, 2, 6, 2, 2, 1, 1, 1};

const char* const kAgents[] = {
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/7.88.1", "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; \\\"quoted\\\" bot/1.0)"};
const char* const kReferers[] = {"-", "https://www.google.com/", "https://www.example.com/",
                                 "https://news.ycombinator.com/item?id=1"};
const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

class LineMaker {
public:
    LineMaker(unsigned seed, bool unique_sections)
        : rng_(seed), section_(std::begin(kSectionWeights), std::end(kSectionWeights)), unique_(unique_sections) {}

    // Appends one line stamped `t` (UTC) to out.
    void append(std::string& out, long long t, bool garbage) {
        if (garbage) {
            out += "this is not a log line \x01\xff \"unbalanced\n";
            return;
        }
        char host[64];
        if (pick(20) == 0) {
            std::snprintf(host, sizeof host, "2001:db8::%x:%x", pick(65536), pick(65536));
        } else {
            std::snprintf(host, sizeof host, "%u.%u.%u.%u", 1 + pick(223), pick(256), pick(256), 1 + pick(254));
        }
        const char* section = kSections[section_(rng_)];
        std::string target = unique_ ? "/scan" + std::to_string(++made_) + "/x" : section;
        const char last = target.back();
        if (target.size() > 1 && (last == '=' || last == '-' || last == '/')) target += std::to_string(pick(1000));
        const int roll = pick(1000);
        const int status = roll < 850 ? 200 : roll < 910 ? 304 : roll < 940 ? 301 : roll < 985 ? 404
                         : roll < 995 ? 500 : 101;
        char bytes[24];
        if (status == 304 || status == 101 || pick(15) == 0) std::strcpy(bytes, "-");
        else std::snprintf(bytes, sizeof bytes, "%u", 200 + pick(90000));
        char line[1024];
        std::snprintf(line, sizeof line, "%s - %s [%s] \"%s %s HTTP/1.1\" %d %s \"%s\" \"%s\"\n", host,
                      pick(10) == 0 ? "alice" : "-", stamp(t), pick(10) == 0 ? "POST" : "GET",
                      target.c_str(), status, bytes, kReferers[pick(4)], kAgents[pick(6)]);
        out += line;
    }

private:
    unsigned pick(unsigned n) { return static_cast<unsigned>(rng_() % n); }

    // "20/Nov/2025:10:00:00 +0000", cached: many lines share a second.
    const char* stamp(long long t) {
        if (t != stamped_) {
            const std::time_t tt = static_cast<std::time_t>(t);
            std::tm tm{};
            gmtime_r(&tt, &tm);
            std::snprintf(stamp_, sizeof stamp_, "%02d/%s/%04d:%02d:%02d:%02d +0000", tm.tm_mday,
                          kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
            stamped_ = t;
        }
        return stamp_;
    }

    std::mt19937 rng_;
    std::discrete_distribution<int> section_;
    bool unique_;
    long long made_ = 0;
    long long stamped_ = -1;
    char stamp_[40] = {};
};

void write_all(int fd, const std::string& data) {
    if (!hitwatch::os::write_all(fd, data.data(), data.size())) {
        std::perror("hitwatch-genlog: write");
        std::exit(1);
    }
}

int open_out(const std::string& path) {
    if (path == "-") return STDOUT_FILENO;
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        std::perror(("hitwatch-genlog: " + path).c_str());
        std::exit(1);
    }
    return fd;
}

void append_to_path(const std::string& path, const std::string& data) {
    const int fd = open_out(path);
    write_all(fd, data);
    if (fd != STDOUT_FILENO) ::close(fd);
}

double rate_at(const Settings& s, long long second) {
    const bool bursting = s.burst_at >= 0 && second >= s.burst_at && second < s.burst_at + s.burst_for;
    return bursting ? s.burst_rate : s.rate;
}

struct Writer {
    const Settings& s;
    LineMaker maker{s.seed, s.unique_sections};
    std::mt19937 jitter_rng{s.seed + 1};
    long long written = 0;

    bool done() const { return s.lines >= 0 && written >= s.lines; }

    // Appends `count` lines stamped `t` (some earlier, with jitter).
    void lines(std::string& out, long long t, long long count) {
        for (long long i = 0; i < count && !done(); ++i) {
            long long late = s.jitter > 0 && jitter_rng() % 4 == 0 ? jitter_rng() % (s.jitter + 1) : 0;
            if (!s.live && t - late < s.start) late = t - s.start;  // nothing before the start
            ++written;
            maker.append(out, t - late, s.invalid_every > 0 && written % s.invalid_every == 0);
        }
    }
};

void run_offline(const Settings& s) {
    const int fd = open_out(s.out);
    Writer w{s};
    std::string out;
    double owed = 0;
    for (long long second = 0; s.lines >= 0 ? !w.done() : second < s.duration; ++second) {
        owed += rate_at(s, second);
        const long long count = static_cast<long long>(owed);
        owed -= static_cast<double>(count);
        w.lines(out, s.start + second, count);
        if (out.size() > (1 << 20)) {
            write_all(fd, out);
            out.clear();
        }
    }
    write_all(fd, out);
}

void run_live(const Settings& s) {
    using clock = std::chrono::steady_clock;
    const auto begin = clock::now();
    Writer w{s};
    std::string out;
    double owed = 0;
    auto last = begin;
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        const auto now = clock::now();
        const double elapsed = std::chrono::duration<double>(now - begin).count();
        if (s.lines < 0 && elapsed >= static_cast<double>(s.duration)) break;
        owed += rate_at(s, static_cast<long long>(elapsed)) * std::chrono::duration<double>(now - last).count();
        last = now;
        const long long count = static_cast<long long>(owed);
        owed -= static_cast<double>(count);
        out.clear();
        w.lines(out, static_cast<long long>(std::time(nullptr)), count);
        if (!out.empty()) append_to_path(s.out, out);
        if (w.done()) break;
    }
    std::fprintf(stderr, "hitwatch-genlog: wrote %lld lines\n", w.written);
}

void run_live_per_line(const Settings& s) {
    using clock = std::chrono::steady_clock;
    ::prctl(PR_SET_TIMERSLACK, 1000UL);  // sleeps of microseconds, not the default 50 us slack
    const auto begin = clock::now();
    Writer w{s};
    std::string line;
    double owed = 0;
    auto last = begin;
    auto reopen_at = begin;
    int fd = -1;
    while (!w.done()) {
        const auto now = clock::now();
        const double elapsed = std::chrono::duration<double>(now - begin).count();
        if (s.lines < 0 && elapsed >= static_cast<double>(s.duration)) break;
        if (now >= reopen_at) {  // a rotated log is followed within 10 ms
            if (fd >= 0) ::close(fd);
            fd = open_out(s.out);
            reopen_at = now + std::chrono::milliseconds(10);
        }
        owed += rate_at(s, static_cast<long long>(elapsed)) * std::chrono::duration<double>(now - last).count();
        last = now;
        for (; owed >= 1 && !w.done(); owed -= 1) {
            line.clear();
            w.lines(line, static_cast<long long>(std::time(nullptr)), 1);
            write_all(fd, line);  // one write(2) per line
        }
        std::this_thread::sleep_for(std::chrono::microseconds(10));
    }
    if (fd >= 0 && fd != STDOUT_FILENO) ::close(fd);
    std::fprintf(stderr, "hitwatch-genlog: wrote %lld lines\n", w.written);
}

}  // namespace

int main(int argc, char** argv) {
    const Settings s = parse(argc, argv);
    if (s.live && s.write_per_line) run_live_per_line(s);
    else if (s.live) run_live(s);
    else run_offline(s);
    return 0;
}
