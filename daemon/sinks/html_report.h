// SPDX-License-Identifier: Apache-2.0
#pragma once
// --report-html FILE: a replay's reports, alerts and summary as one self-contained HTML page
// (inline CSS, script and SVG; nothing fetched), written at the end of the replay. It records
// what it draws in a bounded table: past kMaxPoints points, neighbours are merged (a month of
// 10 s intervals is drawn at about 20 minutes a point), so memory and the page stay small
// whatever the log.
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

    // Everything goes on to `next` too. `monitor` tells the alert limit at each report.
    HtmlReport(hitwatch::EventSink& next, std::string path) : next_(next), path_(std::move(path)) {}
    void set_monitor(const hitwatch::Monitor* monitor) { monitor_ = monitor; }

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
        bool high = false;
        std::optional<hitwatch::LatencySummary> latency;
        std::map<std::string, std::uint64_t> sections;  // the interval's listed ones
        int merged = 1;                                 // intervals in it
    };
    void merge_neighbours();

    hitwatch::EventSink& next_;
    std::string path_;
    const hitwatch::Monitor* monitor_ = nullptr;
    std::vector<Point> points_;
    std::deque<boost::json::object> alerts_;
    std::uint64_t alerts_left_out_ = 0;
    std::optional<boost::json::object> summary_;
};

}  // namespace hitwatchd
