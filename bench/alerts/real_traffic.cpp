// SPDX-License-Identifier: Apache-2.0
// hitwatch-realtraffic: the real-traffic benchmark's two halves, exactly as
// ../shared/realtraffic/README.md defines them.
//
//   hitwatch-realtraffic log SERIES.csv > SERIES.log
//       The series as an access log: each row's timestamp (UTC) starts its 300 seconds; one
//       Python-compatible random.Random(7) for the whole file draws round(value) offsets
//       with randrange(300) per row, sorted, one combined line at each, status 200, a small
//       byte count, no response time, the path cycling over a handful of sections.
//   hitwatch-realtraffic score WINDOWS.json SERIES.csv ALERTS.jsonl [SERIES.csv ALERTS.jsonl ...]
//       Scores what `hitwatchd --replay SERIES.log --output json` printed: an alert is an
//       alert event whose state is not "recovered" (any kind), at its `at`; a labelled window
//       is caught when an alert lies inside it (edges included); a false alert lies outside
//       every window. Prints a Markdown row per series and one for the total (false alerts
//       a day: the sum of false alerts over the sum of days), with the hours spent in alert
//       outside the windows.
#include <boost/json.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "python_random.h"

namespace {

using Seconds = long long;

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "hitwatch-realtraffic: %s\n", why.c_str());
    std::exit(2);
}

// "2015-02-26 21:42:53" (and any fraction after it) as seconds since the epoch, UTC.
Seconds parse_time(const std::string& text) {
    std::tm tm{};
    if (!strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &tm)) fail("not a time: " + text);
    return timegm(&tm);
}

// "2015-02-26T21:42:53Z", as hitwatchd writes `at`.
Seconds parse_iso(const std::string& text) {
    std::tm tm{};
    if (!strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) fail("not an ISO 8601 time: " + text);
    return timegm(&tm);
}

struct Row {
    Seconds start;
    long long value;
};

std::vector<Row> read_series(const std::string& path) {
    std::ifstream in(path);
    if (!in) fail("cannot read " + path);
    std::string line;
    std::getline(in, line);  // timestamp,value
    std::vector<Row> rows;
    while (std::getline(in, line)) {
        const size_t comma = line.find(',');
        if (comma == std::string::npos) continue;
        rows.push_back({parse_time(line.substr(0, comma)), std::llround(std::stod(line.substr(comma + 1)))});
    }
    return rows;
}

std::string base_name(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

int write_log(const std::string& csv) {
    static const char* const kSections[] = {"/api/items", "/static/app.js", "/images/logo.png", "/blog/post", "/"};
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    hitwatch_bench::PythonRandom random(7);
    std::string out;
    std::vector<std::uint32_t> offsets;
    unsigned long long n = 0;
    for (const Row& row : read_series(csv)) {
        offsets.clear();
        for (long long i = 0; i < row.value; ++i) offsets.push_back(random.randrange(300));
        std::sort(offsets.begin(), offsets.end());
        for (const std::uint32_t offset : offsets) {
            const time_t t = static_cast<time_t>(row.start + offset);
            std::tm tm{};
            gmtime_r(&t, &tm);
            char line[200];
            std::snprintf(line, sizeof line,
                          "10.0.%u.%u - - [%02d/%s/%04d:%02d:%02d:%02d +0000] \"GET %s HTTP/1.1\" 200 512 \"-\" \"realtraffic\"\n",
                          static_cast<unsigned>(n / 256 % 256), static_cast<unsigned>(n % 256), tm.tm_mday, kMonths[tm.tm_mon],
                          tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, kSections[n % 5]);
            out += line;
            ++n;
            if (out.size() > (1 << 20)) {
                std::fwrite(out.data(), 1, out.size(), stdout);
                out.clear();
            }
        }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

struct Window {
    Seconds start, end;
};

struct Result {
    std::string series;
    double days = 0;
    unsigned caught = 0, windows = 0, alerts = 0, false_alerts = 0;
    double hours_outside = 0;  // in alert, outside every window
    std::map<std::string, unsigned> false_by_kind;
};

// The seconds of [from, to) outside every window.
double outside(Seconds from, Seconds to, const std::vector<Window>& windows) {
    double seconds = static_cast<double>(std::max<Seconds>(0, to - from));
    for (const Window& w : windows) {
        const Seconds a = std::max(from, w.start), b = std::min(to, w.end);
        if (b > a) seconds -= static_cast<double>(b - a);
    }
    return std::max(0.0, seconds);
}

Result score_series(const boost::json::object& labels, const std::string& csv, const std::string& alerts_path) {
    Result r;
    r.series = base_name(csv);
    const std::vector<Row> rows = read_series(csv);
    r.days = static_cast<double>(rows.size()) * 300 / 86400;
    const Seconds end = rows.empty() ? 0 : rows.back().start + 300;
    std::vector<Window> windows;
    const auto* listed = labels.if_contains(r.series);
    if (!listed || !listed->is_array()) fail("no windows for " + r.series);
    for (const auto& w : listed->as_array()) {
        windows.push_back({parse_time(std::string(w.as_array().at(0).as_string())), parse_time(std::string(w.as_array().at(1).as_string()))});
    }
    r.windows = static_cast<unsigned>(windows.size());
    std::vector<bool> caught(windows.size(), false);
    std::ifstream in(alerts_path);
    if (!in) fail("cannot read " + alerts_path);
    std::map<std::string, Seconds> on_since;  // by kind
    std::string line;
    while (std::getline(in, line)) {
        boost::system::error_code ec;
        const boost::json::value v = boost::json::parse(line, ec);
        if (ec || !v.is_object()) continue;
        const auto& o = v.as_object();
        if (!o.contains("type") || o.at("type") != "alert") continue;
        const std::string kind = o.contains("kind") ? std::string(o.at("kind").as_string()) : "traffic";
        const Seconds at = parse_iso(std::string(o.at("at").as_string()));
        if (o.at("state") == "recovered") {
            if (on_since.count(kind)) r.hours_outside += outside(on_since[kind], at, windows) / 3600;
            on_since.erase(kind);
            continue;
        }
        ++r.alerts;
        on_since[kind] = at;
        bool inside = false;
        for (size_t i = 0; i < windows.size(); ++i) {
            if (at >= windows[i].start && at <= windows[i].end) inside = caught[i] = true;
        }
        if (!inside) {
            ++r.false_alerts;
            ++r.false_by_kind[kind];
        }
    }
    for (const auto& [kind, since] : on_since) r.hours_outside += outside(since, end, windows) / 3600;
    r.caught = static_cast<unsigned>(std::count(caught.begin(), caught.end(), true));
    return r;
}

std::string kinds_text(const std::map<std::string, unsigned>& by_kind) {
    std::string text;
    for (const auto& [kind, n] : by_kind) text += (text.empty() ? "" : ", ") + kind + " " + std::to_string(n);
    return text.empty() ? "-" : text;
}

int score(int argc, char** argv) {
    std::ifstream in(argv[2]);
    if (!in) fail(std::string("cannot read ") + argv[2]);
    std::stringstream text;
    text << in.rdbuf();
    const boost::json::value labels = boost::json::parse(text.str());
    std::printf("| series | days | alerts | false alerts | false a day | by kind | windows caught | hours in alert outside windows |\n"
                "|---|---|---|---|---|---|---|---|\n");
    Result total;
    total.series = "**total**";
    for (int i = 3; i + 1 < argc; i += 2) {
        const Result r = score_series(labels.as_object(), argv[i], argv[i + 1]);
        std::printf("| %s | %.1f | %u | %u | %.2f | %s | %u of %u | %.1f |\n", r.series.c_str(), r.days, r.alerts, r.false_alerts,
                    r.false_alerts / r.days, kinds_text(r.false_by_kind).c_str(), r.caught, r.windows, r.hours_outside);
        total.days += r.days;
        total.alerts += r.alerts;
        total.false_alerts += r.false_alerts;
        total.caught += r.caught;
        total.windows += r.windows;
        total.hours_outside += r.hours_outside;
        for (const auto& [kind, n] : r.false_by_kind) total.false_by_kind[kind] += n;
    }
    std::printf("| %s | %.1f | %u | %u | **%.2f** | %s | %u of %u | %.1f |\n", total.series.c_str(), total.days, total.alerts,
                total.false_alerts, total.false_alerts / std::max(total.days, 1e-9), kinds_text(total.false_by_kind).c_str(),
                total.caught, total.windows, total.hours_outside);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string what = argc > 1 ? argv[1] : "";
    if (what == "log" && argc == 3) return write_log(argv[2]);
    if (what == "score" && argc >= 5 && argc % 2 == 1) return score(argc, argv);
    std::fprintf(stderr,
                 "usage: hitwatch-realtraffic log SERIES.csv > SERIES.log\n"
                 "       hitwatch-realtraffic score WINDOWS.json SERIES.csv ALERTS.jsonl [SERIES.csv ALERTS.jsonl ...]\n");
    return 2;
}
