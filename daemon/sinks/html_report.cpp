// SPDX-License-Identifier: Apache-2.0
#include "sinks/html_report.h"

#include <boost/json.hpp>
#include <algorithm>
#include <functional>
#include <set>

#include "format/json_format.h"

namespace hitwatchd {
namespace json = boost::json;
namespace {

// The page: its data goes where DATA is, as JSON; the script draws it.
constexpr const char* kPage = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hitwatch replay report</title>
<style>
  :root { --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #667085; --line: #e4e7ec; --bar: #3b6fd8;
          --high: #fde2e1; --bad: #c8322a; --warn: #b76e00; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--ink); }
  header { padding: 12px 16px; background: var(--card); border-bottom: 1px solid var(--line); }
  h1 { font-size: 18px; margin: 0 0 4px; }
  main { display: grid; gap: 12px; padding: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 340px), 1fr)); }
  section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 13px; margin: 0 0 8px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
  table { width: 100%; border-collapse: collapse; table-layout: fixed; }
  td, th { padding: 3px 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; text-align: left; }
  td.n, th.n { text-align: right; width: 8em; font-variant-numeric: tabular-nums; padding-left: .8em; }
  svg { width: 100%; height: 200px; display: block; }
  .muted { color: var(--muted); } #source { overflow-wrap: anywhere; } .legend { font-size: 12px; color: var(--muted); }
  .bad { color: var(--bad); font-weight: 600; margin-top: 4px; overflow-wrap: anywhere; }
  .chips { display: flex; flex-wrap: wrap; gap: 6px; } .chip { border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; }
  /* The rows' names over the chart's left edge: its time axis stays the hits chart's. */
  .lanes { position: relative; } .lanes svg { height: 80px; }
  .lane-names { position: absolute; left: 0; top: 0; font-size: 12px; line-height: 20px; pointer-events: none; }
  .lane-names div { background: rgba(255, 255, 255, .8); padding-right: 4px; width: fit-content; }
  ul { list-style: none; margin: 0; padding: 0; } li { padding: 6px 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
  .axis { position: relative; height: 16px; font-size: 11px; color: var(--muted); white-space: nowrap; }
  .axis span { position: absolute; top: 1px; font-variant-numeric: tabular-nums; }
  /* A chart's value scale over its left edge, each name just above its line. */
  .plot { position: relative; }
  .scale { position: absolute; left: 0; top: 0; height: 100%; font-size: 11px; line-height: 13px; color: var(--muted);
           pointer-events: none; }
  .scale span { position: absolute; left: 0; transform: translateY(-100%); background: rgba(255, 255, 255, .8);
                padding-right: 3px; white-space: nowrap; font-variant-numeric: tabular-nums; }
</style>
</head>
<body>
<header><h1>hitwatch replay report</h1><div id="source" class="muted"></div><div id="range" class="muted"></div>
<div id="stopped" class="bad" hidden></div><div id="unread" class="bad" hidden></div></header>
<main>
  <section class="wide"><h2>Summary</h2><div class="chips">
    <span class="chip">hits <b id="total-hits"></b></span><span class="chip">invalid lines <b id="total-invalid"></b></span>
    <span class="chip">bytes <b id="total-bytes"></b></span><span class="chip">alerts <b id="total-alerts"></b></span></div></section>
  <section class="wide"><h2>Hits per interval</h2><div class="plot"><svg id="hits" viewBox="0 0 1000 200"
    preserveAspectRatio="none" role="img"></svg><div class="scale" data-chart="hits"></div></div>
    <div class="axis" data-chart="hits"></div><div class="legend" id="hits-legend"></div></section>
  <section class="wide"><h2>Alert periods</h2><div class="lanes"><div class="lane-names" id="lane-names"></div>
    <svg id="alert-lanes" viewBox="0 0 1000 80" preserveAspectRatio="none" role="img"></svg></div>
    <div class="axis" data-chart="alert-lanes"></div>
    <div class="legend">a row for each kind of alert, marked where it was on: traffic high, 5xx errors, slow
    responses, traffic dropped</div></section>
  <section class="wide"><h2>Top sections over time</h2><div class="plot"><svg id="sections-chart"
    viewBox="0 0 1000 200" preserveAspectRatio="none" role="img"></svg>
    <div class="scale" data-chart="sections-chart"></div></div>
    <div class="axis" data-chart="sections-chart"></div><div class="legend" id="sections-legend"></div></section>
  <section class="wide"><h2>Errors over time</h2><div class="plot"><svg id="errors-chart"
    viewBox="0 0 1000 200" preserveAspectRatio="none" role="img"></svg>
    <div class="scale" data-chart="errors-chart"></div></div>
    <div class="axis" data-chart="errors-chart"></div><div class="legend" id="errors-legend"></div></section>
  <section class="wide" id="latency-card"><h2>Response times over time (ms)</h2><div class="plot"><svg id="latency"
    viewBox="0 0 1000 200" preserveAspectRatio="none" role="img"></svg>
    <div class="scale" data-chart="latency"></div></div>
    <div class="axis" data-chart="latency"></div><div class="legend" id="latency-legend"></div></section>
  <section><h2>Top sections</h2><table id="top-sections"></table></section>
  <section><h2>Status classes and codes</h2><div class="chips" id="status"></div></section>
  <section><h2>Invalid lines by reason</h2><table id="invalid"></table></section>
  <section class="wide"><h2>Alerts</h2><ul id="alerts"></ul></section>
</main>
<script id="data" type="application/json">DATA</script>
<script>
"use strict";
window.reportErrors = [];
window.addEventListener("error", (e) => window.reportErrors.push(String(e.message)));
const data = JSON.parse(document.getElementById("data").textContent);
const fmt = (n) => Number(n).toLocaleString("en-US");
const when = (s) => new Date(s * 1000).toISOString().replace(".000Z", "Z");
const COLORS = ["#3b6fd8", "#c8322a", "#1f8a4c", "#b76e00", "#7a4bd0"];
function el(tag, props, ...children) { const n = document.createElement(tag); Object.assign(n, props || {}); n.append(...children); return n; }
// A chart's lines named in its colours: a key and its name wrap as one.
function keys(series) { return series.map(([n, , c]) => el("span", { style: "color:" + c + ";margin-right:1em;display:inline-block", textContent: "■ " + n })); }
function svg(tag, attrs) { const n = document.createElementNS("http://www.w3.org/2000/svg", tag); for (const k in attrs) n.setAttribute(k, attrs[k]); return n; }
function rows(id, head, entries) {
  document.getElementById(id).replaceChildren(el("tr", {}, ...head.map((h, i) => el("th", { className: i ? "n" : "", textContent: h }))),
    ...entries.map((r) => el("tr", {}, ...r.map((v, i) => el("td", { className: i ? "n" : "", textContent: v })))));
}
const pts = data.points, s = data.summary || {};
const t0 = pts.length ? pts[0].start : 0, t1 = pts.length ? pts[pts.length - 1].end : 1;
const X = (t) => ((t - t0) / Math.max(1, t1 - t0)) * 1000;
// Where value v goes up a chart 200 high whose top is `top`: the top 5 % left clear.
const Y = (v, top) => 200 - (v / top) * 190;
// Each series a line through its points' middles (a null left out). A replay leaves out the
// intervals with no traffic: across such a gap, a count (`counts`) drops to zero and stays
// there, rather than sloping down to the next point hours later.
function lines(id, series, top, counts) {
  const at = (t, v) => X(t).toFixed(1) + "," + Y(v, top).toFixed(1);
  const nodes = [];
  for (const [name, values, color, dash] of series) {
    const d = [];
    values.forEach((v, i) => {
      if (counts && i > 0 && pts[i].start > pts[i - 1].end) d.push(at(pts[i - 1].end, 0), at(pts[i].start, 0));
      if (v !== null) d.push(at((pts[i].start + pts[i].end) / 2, v));
    });
    if (d.length) nodes.push(svg("polyline", { points: d.join(" "), fill: "none", stroke: color, "stroke-width": 1.5,
                                               "stroke-dasharray": dash || "", "vector-effect": "non-scaling-stroke" }));
  }
  document.getElementById(id).append(...nodes);
}
// The times a time axis names: round UTC times (10 s to a week apart, or weeks), at least 80 px
// apart on a chart `width` px wide.
const STEPS = [10, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function ticks(width) {
  const most = Math.max(1, Math.floor(width / 80)), span = Math.max(1, t1 - t0);
  const step = STEPS.find((x) => span / x <= most) || Math.ceil(span / most / 604800) * 604800;
  const times = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) times.push(t);
  return { times, step };
}
// A tick's name: the day at midnight ("May 18"), else the time of day, in UTC as the header's.
function tickName(t, step) {
  const d = new Date(t * 1000);
  if (t % 86400 === 0) return MONTHS[d.getUTCMonth()] + " " + d.getUTCDate();
  return d.toISOString().slice(11, step < 60 ? 19 : 16);
}
// Under each time chart, its ticks named where X puts them (the first and last kept within its
// width), with a faint line up the chart at each. Again on a resize: how many fit changes.
function drawAxes() {
  for (const axis of document.querySelectorAll(".axis")) {
    const chart = document.getElementById(axis.dataset.chart);
    chart.querySelectorAll(".grid").forEach((n) => n.remove());
    const width = axis.clientWidth;
    if (!pts.length || !width) { axis.replaceChildren(); continue; }
    const { times, step } = ticks(width);
    const names = times.map((t) => el("span", { textContent: tickName(t, step) }));
    axis.replaceChildren(...names);
    names.forEach((n, i) => {
      n.dataset.t = times[i];
      const at = (X(times[i]) / 1000) * width - n.offsetWidth / 2;
      n.style.left = Math.max(0, Math.min(at, width - n.offsetWidth)) + "px";
    });
    const height = chart.viewBox.baseVal.height;
    chart.prepend(...times.map((t) => svg("line", { class: "grid", x1: X(t), x2: X(t), y1: 0, y2: height,
                                                      stroke: "var(--line)", "vector-effect": "non-scaling-stroke" })));
  }
}
// A value scale up chart `id`'s left edge: 0 and round values (1, 2 or 5 times a power of ten;
// whole ones for counts) up to `top`, at most 6, each named just above a faint line across.
function scale(id, top, whole) {
  const raw = top / 5, power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(whole ? 1 : 0, [1, 2, 5, 10].map((m) => m * power).find((x) => x >= raw * 0.999));
  const chart = document.getElementById(id), names = [];
  for (let k = 0; k * step <= top * (186 / 190); ++k) {  // a name near the top would stick out of the chart
    const v = Number((k * step).toPrecision(12)), y = Y(v, top);
    chart.prepend(svg("line", { class: "grid-y", x1: 0, x2: 1000, y1: y, y2: y, stroke: "var(--line)",
                                "vector-effect": "non-scaling-stroke" }));
    names.push(el("span", { textContent: fmt(v), style: "top:" + y / 2 + "%" }));
  }
  document.querySelector('.scale[data-chart="' + id + '"]').replaceChildren(...names);
}
// "2015-05-17T10:05:00Z – 10:05:10Z": the time a point spans.
function spanOf(p) {
  const a = when(p.start), b = when(p.end);
  return a + " – " + (a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b);
}
// What each point of chart `id` was, shown on hover (an SVG title): over the chart's height,
// from halfway after the point before to halfway to the next, so a point a few pixels wide in
// a sparse log can be found.
function readouts(id, textOf) {
  const chart = document.getElementById(id), height = chart.viewBox.baseVal.height;
  const mid = (i) => (i <= 0 ? 0 : i >= pts.length ? 1000 : (X(pts[i - 1].end) + X(pts[i].start)) / 2);
  const g = svg("g", { class: "readouts", fill: "transparent" });
  pts.forEach((p, i) => {
    const a = mid(i), b = mid(i + 1);
    const target = svg("rect", { x: a, y: 0, width: Math.max(b - a, 0.5), height: height });
    const title = svg("title", {});
    title.textContent = spanOf(p) + ": " + textOf(p);
    target.append(title);
    g.append(target);
  });
  chart.append(g);
}
const alertsOn = (p) => (p.on.length ? "alerts on: " + p.on.join(", ") : "no alert on");
document.getElementById("source").textContent = data.source || "";
// A window (--since, --until) is said: its alerts learned from lines the page does not show.
const part = [s.since ? "from " + s.since : "", s.until ? "before " + s.until : ""].filter((t) => t).join(" ");
document.getElementById("range").textContent = (s.first ? s.first + " – " + s.last : "no traffic") +
  (part ? ", the window " + part + " (" + (s.outside_window || 0).toLocaleString("en-US") +
    " lines read outside it, not shown)" : "") +
  (data.merged > 1 ? ", " + data.merged + " intervals a point" : "") + (data.alerts_left_out ? ", " + data.alerts_left_out + " older alerts left out" : "");
if (s.stopped_by_signal) {
  const stopped = document.getElementById("stopped");
  stopped.textContent = "Stopped by signal " + s.stopped_by_signal +
    " before the end of the log: this page shows what was read.";
  stopped.hidden = false;
}
if (s.unread) {
  const unread = document.getElementById("unread");
  unread.textContent = "Not all of the input was read: " + s.unread.join("; ");
  unread.hidden = false;
}
document.getElementById("total-hits").textContent = fmt(s.hits || 0);
document.getElementById("total-invalid").textContent = fmt(s.invalid || 0);
document.getElementById("total-bytes").textContent = fmt(s.bytes || 0);
document.getElementById("total-alerts").textContent = fmt(s.alerts || 0);
// Where alert `kind` was on, as [x, width]: a point's alerts are those on at its end, and they
// stay on until the next point (a replay leaves out intervals with no traffic unless an alert
// changes in them, as it does when a drop alert ends).
function onSpans(kind) {
  const spans = [];
  pts.forEach((p, i) => {
    if (!p.on.includes(kind)) return;
    const a = X(p.start), b = X(i + 1 < pts.length ? pts[i + 1].start : p.end);
    const last = spans[spans.length - 1];
    if (last && last[0] + last[1] >= a) last[1] = Math.max(b - last[0], 0.5);  // one rect for a whole period
    else spans.push([a, Math.max(b - a, 0.5)]);
  });
  return spans;
}
// The times alert `kind` was on, shaded over the whole height of chart `id`.
function shade(id, kind, fill) {
  document.getElementById(id).append(...onSpans(kind).map(([x, width]) =>
    svg("rect", { x: x, y: 0, width: width, height: 200, fill: fill, "data-kind": kind })));
}
// Hits: a bar a point, the alert's HIGH points shaded, the limit (per point, scaled like the
// hits) dashed.
{
  const chart = document.getElementById("hits");
  const top = Math.max(1, ...pts.map((p) => p.hits), ...pts.map((p) => p.limit)) * 1.05;
  shade("hits", "traffic", "var(--high)");
  const nodes = [];
  for (const p of pts) {
    const a = X(p.start), b = Math.max(X(p.end), a + 0.5);
    const h = (p.hits / top) * 190;
    nodes.push(svg("rect", { x: a, y: 200 - h, width: Math.max(b - a - 0.2, 0.4), height: h, fill: "var(--bar)" }));
  }
  chart.append(...nodes);
  scale("hits", top, true);
  lines("hits", [["limit", pts.map((p) => (p.limit >= 0 ? p.limit : null)), "var(--bad)", "6 4"]], top);
  document.getElementById("hits-legend").textContent = "peak " + fmt(Math.max(0, ...pts.map((p) => p.hits))) +
    " hits a point; dashed: the alert limit; shaded: traffic alert HIGH; a point's figures on hover";
  // The limit is on the hits of the alert's window (2 minutes): drawn, and said, as what that
  // allows a point on average. A point far above it alerts only if its window is too.
  readouts("hits", (p) => fmt(p.hits) + " hits" +
    (p.limit >= 0 ? "; the alert's limit averaged " + fmt(Math.round(p.limit)) + " a point" : "") +
    (p.invalid ? ", " + fmt(p.invalid) + " invalid" : "") + "; " + alertsOn(p));
}
// Every kind of alert, a row each, marked where it was on.
{
  const kinds = [["traffic", "var(--bad)"], ["errors", "var(--warn)"], ["latency", "#7a4bd0"], ["drop", "var(--bar)"]];
  const byKind = s.alerts_by_kind || {};
  // A kind --alert-kinds leaves out is not watched: "off", not a count of none.
  const watched = (k) => !data.kinds || data.kinds.includes(k);
  document.getElementById("lane-names").replaceChildren(
    ...kinds.map(([k]) => el("div", { textContent: k + " (" + (watched(k) ? fmt(byKind[k] || 0) : "off") + ")" })));
  const nodes = [];
  kinds.forEach(([k, color], row) => {
    for (const [x, width] of onSpans(k)) {
      nodes.push(svg("rect", { x: x, y: row * 20 + 3, width: width, height: 14, fill: color, "data-kind": k }));
    }
    nodes.push(svg("line", { x1: 0, x2: 1000, y1: row * 20 + 19.5, y2: row * 20 + 19.5, stroke: "var(--line)",
                             "vector-effect": "non-scaling-stroke" }));
  });
  document.getElementById("alert-lanes").append(...nodes);
  readouts("alert-lanes", alertsOn);
}
// The run's busiest sections, each over time.
{
  const names = (s.sections || []).map((x) => x.section).filter((n) => n !== "(other)").slice(0, 5);
  const series = names.map((n, i) => [n, pts.map((p) => p.sections[n] || 0), COLORS[i]]);
  const top = Math.max(1, ...series.flatMap((x) => x[1])) * 1.05;
  lines("sections-chart", series, top, true);
  scale("sections-chart", top, true);
  document.getElementById("sections-legend").replaceChildren(...keys(series));
  readouts("sections-chart", (p) => names.map((n) => n + " " + fmt(p.sections[n] || 0)).join(", ") || "no section");
}
// 5xx and 4xx over time, the errors alert's periods shaded: how bad an incident was, and when.
{
  const series = [["5xx", pts.map((p) => p.status[4]), "var(--bad)"],
                  ["4xx", pts.map((p) => p.status[3]), "var(--warn)"]];
  const top = Math.max(1, ...series.flatMap((x) => x[1])) * 1.05;
  shade("errors-chart", "errors", "var(--high)");
  lines("errors-chart", series, top, true);
  scale("errors-chart", top, true);
  document.getElementById("errors-legend").replaceChildren(...keys(series),
    el("span", { textContent: "shaded: 5xx errors alert" }));
  const share = (n, p) => (p.hits ? " (" + (Math.round((n / p.hits) * 1000) / 10).toFixed(1) + " %)" : "");
  readouts("errors-chart", (p) => fmt(p.status[4]) + " 5xx" + share(p.status[4], p) + ", " + fmt(p.status[3]) +
                                  " 4xx" + share(p.status[3], p) + " of " + fmt(p.hits) + " hits");
}
// Response times, when the log has them.
{
  const timed = pts.some((p) => p.latency);
  document.getElementById("latency-card").hidden = !timed;
  if (timed) {
    shade("latency", "latency", "var(--high)");
    const series = [["p50", "p50"], ["p90", "p90"], ["p99", "p99"]].map(([n, k], i) => [n, pts.map((p) => (p.latency ? p.latency[k] : null)), COLORS[i]]);
    // Up to the slowest, however fast (a chart of responses within a millisecond is not left flat).
    const top = Math.max(0, ...series.flatMap((x) => x[1].filter((v) => v !== null))) * 1.05 || 1;
    lines("latency", series, top);
    scale("latency", top, false);
    document.getElementById("latency-legend").replaceChildren(...keys(series),
      el("span", { textContent: "shaded: slow responses alert" }));
    const ms = (v) => fmt(Math.round(v * 10) / 10) + " ms";
    readouts("latency", (p) => (p.latency ? "p50 " + ms(p.latency.p50) + ", p90 " + ms(p.latency.p90) + ", p99 " +
                                            ms(p.latency.p99) : "no response time"));
  }
}
rows("top-sections", ["section", "hits"], (s.sections || []).map((x) => [x.section, fmt(x.hits)]));
document.getElementById("status").replaceChildren(
  ...Object.entries(s.status || {}).map(([c, n]) => el("span", { className: "chip", textContent: c + ": " + fmt(n) })),
  ...Object.entries(s.codes || {}).map(([c, n]) => el("span", { className: "chip muted", textContent: c + ": " + fmt(n) })));
rows("invalid", ["reason", "lines"], Object.entries(s.invalid_reasons || {}).map(([r, n]) => [r, fmt(n)]));
if (!s.invalid) {
  const none = el("td", { className: "muted", textContent: "no invalid line" });
  document.getElementById("invalid").replaceChildren(el("tr", {}, none));
}
document.getElementById("alerts").replaceChildren(...data.alerts.map((a) => el("li", { textContent: when(Date.parse(a.at) / 1000) + " " + (a.message || a.state) })));
if (!data.alerts.length) document.getElementById("alerts").append(el("li", { className: "muted", textContent: "no alert" }));
drawAxes();
window.addEventListener("resize", drawAxes);
window.reportRendered = true;
</script>
</body>
</html>
)HTML";

// JSON inside <script>, with no '<' at all: not only "</script" ends the element early,
// "<!--<script" (from a request line anyone can send) makes the HTML parser skip the real end
// tag. '<' can only be inside a JSON string, where \u003c reads as the same character.
std::string script_safe(const std::string& text) {
    std::string safe;
    safe.reserve(text.size());
    for (const char c : text) {
        if (c == '<') {
            safe += "\\u003c";
        } else {
            safe += c;
        }
    }
    return safe;
}

// ["traffic", "drop"]: the kinds, by name.
json::array names_of(hitwatch::AlertKinds kinds) {
    json::array names;
    for (const auto kind : hitwatch::kAllAlertKinds) {
        if (kinds.has(kind)) names.push_back(json::string(hitwatch::name_of(kind)));
    }
    return names;
}

}  // namespace

void HtmlReport::on_report(const hitwatch::Report& report) {
    next_.on_report(report);
    if (report.backfill) return;
    if (interval_s_ == 0) {
        interval_s_ = monitor_ != nullptr ? monitor_->rule().settings().interval_s
                                          : std::max<std::int64_t>(1, report.interval_end - report.interval_start);
        point_s_ = interval_s_;
        origin_ = report.interval_start;
    }
    Point p;
    p.start = report.interval_start;
    p.end = report.interval_end;
    p.hits = report.hits;
    p.invalid = report.invalid;
    for (std::size_t i = 0; i < p.status.size(); ++i) p.status[i] = report.status_classes[i];
    p.on = report.alerts_on;
    p.latency = report.latency;
    for (const auto& s : report.sections) p.sections[std::string(s.section)] += s.hits;
    if (monitor_ != nullptr && monitor_->rule().learning_left_s() <= 0) {  // no limit while it learns its normal
        const auto& settings = monitor_->rule().settings();
        p.limit = monitor_->rule().limit_hits() * static_cast<double>(settings.interval_s) / static_cast<double>(settings.window_s);
    }
    if (!points_.empty() && bucket_of(points_.back().start) == bucket_of(p.start)) {
        add_to(points_.back(), p);
    } else {
        points_.push_back(std::move(p));
    }
    while (points_.size() >= 2 * kMaxPoints) widen();
}

std::int64_t HtmlReport::bucket_of(hitwatch::UnixSeconds start) const {
    const std::int64_t since = start - origin_;  // floored: a report before the first is in a point of its own
    return since >= 0 ? since / point_s_ : -((-since + point_s_ - 1) / point_s_);
}

void HtmlReport::add_to(Point& a, const Point& b) {
    const double wa = static_cast<double>(a.hits), wb = static_cast<double>(b.hits);
    if (a.latency && b.latency && wa + wb > 0) {  // weighted by hits; the worst p99 and max
        a.latency->p50_ms = (a.latency->p50_ms * wa + b.latency->p50_ms * wb) / (wa + wb);
        a.latency->p90_ms = (a.latency->p90_ms * wa + b.latency->p90_ms * wb) / (wa + wb);
        a.latency->p99_ms = std::max(a.latency->p99_ms, b.latency->p99_ms);
        a.latency->max_ms = std::max(a.latency->max_ms, b.latency->max_ms);
    } else if (!a.latency) {
        a.latency = b.latency;
    }
    a.end = b.end;
    a.hits += b.hits;
    a.invalid += b.invalid;
    for (std::size_t k = 0; k < a.status.size(); ++k) a.status[k] += b.status[k];
    a.limit = a.limit < 0 || b.limit < 0 ? std::max(a.limit, b.limit) : a.limit + b.limit;
    a.on.add(b.on);
    for (const auto& [name, hits] : b.sections) a.sections[name] += hits;
    if (a.sections.size() > 2 * kPointSections) {  // the busiest stay: a section below them is drawn as none here
        std::vector<std::pair<std::uint64_t, std::string>> by_hits;
        for (auto& [name, hits] : a.sections) by_hits.emplace_back(hits, std::move(name));
        std::nth_element(by_hits.begin(), by_hits.begin() + kPointSections, by_hits.end(), std::greater<>());
        by_hits.resize(kPointSections);
        a.sections.clear();
        for (auto& [hits, name] : by_hits) a.sections.emplace(std::move(name), hits);
    }
}

void HtmlReport::widen() {
    point_s_ *= 2;
    std::vector<Point> wider;
    for (Point& p : points_) {
        if (!wider.empty() && bucket_of(wider.back().start) == bucket_of(p.start)) {
            add_to(wider.back(), p);
        } else {
            wider.push_back(std::move(p));
        }
    }
    points_ = std::move(wider);
}

void HtmlReport::on_alert(const hitwatch::AlertEvent& event) {
    next_.on_alert(event);
    alerts_.push_back(hitwatch::to_json_value(event));
    if (alerts_.size() > kMaxAlerts) {
        alerts_.pop_front();
        ++alerts_left_out_;
    }
}

void HtmlReport::on_summary(const hitwatch::RunSummary& summary) {
    next_.on_summary(summary);
    summary_ = hitwatch::to_json_value(summary);
}

std::string HtmlReport::page() const {
    json::object data;
    // The sections the page draws and lists: the summary's.
    std::set<std::string> listed;
    const auto* sections = summary_ ? summary_->if_contains("sections") : nullptr;
    if (sections != nullptr && sections->is_array()) {
        for (const auto& s : sections->as_array()) listed.insert(std::string(s.at("section").as_string()));
    }
    json::array points;
    for (const Point& p : points_) {
        json::object o{{"start", p.start}, {"end", p.end}, {"hits", p.hits}, {"invalid", p.invalid},
                       {"limit", p.limit}};
        json::array status;
        for (const auto n : p.status) status.push_back(n);
        o["status"] = std::move(status);
        o["on"] = names_of(p.on);
        if (p.latency) o["latency"] = json::object{{"p50", p.latency->p50_ms}, {"p90", p.latency->p90_ms}, {"p99", p.latency->p99_ms}};
        json::object sections;
        for (const auto& [name, hits] : p.sections) {
            if (!summary_ || listed.count(name)) sections[name] = hits;
        }
        o["sections"] = std::move(sections);
        points.push_back(std::move(o));
    }
    data["points"] = std::move(points);
    data["merged"] = interval_s_ > 0 ? point_s_ / interval_s_ : 1;  // intervals a point
    json::array alerts;
    for (const auto& a : alerts_) alerts.push_back(a);
    data["alerts"] = std::move(alerts);
    data["alerts_left_out"] = alerts_left_out_;
    if (monitor_ != nullptr) data["kinds"] = names_of(monitor_->rule().settings().kinds);
    if (summary_) data["summary"] = *summary_;
    data["source"] = source_;
    std::string page = kPage;
    page.replace(page.find("DATA"), 4, script_safe(hitwatch::to_json_text(data)));
    return page;
}

}  // namespace hitwatchd
