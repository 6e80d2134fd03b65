// SPDX-License-Identifier: Apache-2.0
#pragma once
// --report-html FILE: a replay's reports, alerts and summary as one self-contained HTML page
// (inline CSS, script and SVG; nothing fetched), written at the end of the replay. It records
// what it draws in a bounded table: a point spans a fixed time, the interval to begin with,
// doubled whenever there are 2 kMaxPoints points (a month of 10 s intervals is drawn at 21
// minutes a point), and a point keeps its busiest kPointSections sections (a log whose paths
// are ids has a new section in every interval), so memory and the page stay small whatever the
// log, and every point of a chart is drawn at the same scale. The page carries, of each
// point's sections, those the summary lists.
#include <boost/json/object.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/monitor.h"
#include "core/report.h"

namespace hitwatchd {

class HtmlReport : public hitwatch::EventSink {
public:
    static constexpr std::size_t kMaxPoints = 2000;
    static constexpr std::size_t kMaxAlerts = 500;
    static constexpr std::size_t kPointSections = 32;

    // Everything goes on to `next` too. `monitor` tells the alert limit at each report.
    HtmlReport(hitwatch::EventSink& next, std::string path) : next_(next), path_(std::move(path)) {}
    void set_monitor(const hitwatch::Monitor* monitor) { monitor_ = monitor; }
    // What was replayed, as the page's header names it ("access.log.2.gz, access.log.1, access.log").
    void set_source(std::string source) { source_ = std::move(source); }

    void on_report(const hitwatch::Report& report) override;
    void on_alert(const hitwatch::AlertEvent& event) override;
    void on_summary(const hitwatch::RunSummary& summary) override;

    // The page, with what was recorded.
    std::string page() const;

private:
    struct Point {
        hitwatch::UnixSeconds start = 0, end = 0;
        std::uint64_t hits = 0, invalid = 0;
        std::array<std::uint64_t, 5> status{};  // 1xx..5xx
        double limit = -1;                      // hits an interval may have before the alert; -1: learning
        hitwatch::AlertKinds on;  // the kinds of alert on in any of its intervals (drop: low)
        std::optional<hitwatch::LatencySummary> latency;
        std::map<std::string, std::uint64_t> sections;  // its intervals' listed ones, the busiest
    };
    // The point `start` falls in, counted from the first report's start.
    std::int64_t bucket_of(hitwatch::UnixSeconds start) const;
    // Adds `b`, the intervals after `a`'s, to `a`.
    static void add_to(Point& a, const Point& b);
    // Points span twice the time they did: each neighbour that falls in the same one is added.
    void widen();

    hitwatch::EventSink& next_;
    std::string path_;
    const hitwatch::Monitor* monitor_ = nullptr;
    std::vector<Point> points_;
    hitwatch::UnixSeconds origin_ = 0;  // the first report's start
    std::int64_t interval_s_ = 0;       // the report interval: 0 before the first report
    std::int64_t point_s_ = 0;          // the time a point spans: interval_s_ times a power of 2
    std::deque<boost::json::object> alerts_;
    std::uint64_t alerts_left_out_ = 0;
    std::optional<boost::json::object> summary_;
    std::string source_;
};

}  // namespace hitwatchd
