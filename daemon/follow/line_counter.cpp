// SPDX-License-Identifier: Apache-2.0
#include "follow/line_counter.h"

#include "format/printable_text.h"

#include <algorithm>

#include "config/log_sample_check.h"
#include "core/replay_clock.h"
#include "logging.h"

namespace hitwatchd {

hitwatch::RunSummary run_summary(const hitwatch::Monitor& monitor, std::uint64_t lines, std::uint64_t blank,
                                 const InvalidCounts& invalid, std::chrono::steady_clock::duration elapsed) {
    hitwatch::RunSummary s = monitor.run_summary();
    s.lines = lines;
    s.blank = blank;
    const std::uint64_t accounted = s.hits + s.invalid + blank;
    s.pending = lines > accounted ? lines - accounted : 0;
    s.invalid_reasons = reasons(invalid);
    const double seconds = std::chrono::duration<double>(elapsed).count();
    s.lines_per_s = seconds > 0 ? static_cast<double>(lines) / seconds : 0;
    return s;
}

LineCounter::LineCounter(hitwatch::Monitor& monitor, std::string source, size_t max_line, Clock clock,
                         const Reading& reading, std::int64_t max_skew, std::int64_t behind_s)
    : monitor_(monitor),
      reading_(reading),
      parser_(format_of(reading), reading.sections),
      source_(source),
      invalid_log_(std::move(source), max_line),
      clock_(clock),
      max_skew_(max_skew),
      behind_s_(behind_s) {}

void LineCounter::detect_format(std::string_view head, bool error_logs_left_out) {
    if (parser_.decided()) {
        parser_.detect(head);  // a format given as syslog+...: which program's lines are the log's
        head_seen_ = true;
        say_no_bytes(head);
        return;
    }
    const hitwatch::Detection found = parser_.detect(head);
    if (!parser_.decided()) return;  // no line yet
    head_seen_ = true;
    say_detected(found, error_logs_left_out);
    say_no_bytes(head);
}

void LineCounter::say_detected(const hitwatch::Detection& found, bool error_logs_left_out) {
    if (error_logs_left_out && found.error_log()) {
        not_an_access_log_ = true;
        HW_LOG(info) << source_ << " is an error log, not an access log ("
                     << (found.sampled == 1 ? std::string("its one line is an Apache or nginx error line")
                                            : "its first " + std::to_string(found.sampled) +
                                                  " lines are Apache or nginx error lines")
                     << "): its lines are not counted. Leave it out (exclude = ... error.log, for a glob), or give "
                     << "it a format if it is an access log after all";
        return;
    }
    if (!found.guessed()) {
        // A log of one line so far: not "1 of the first 1 lines".
        const std::string matched = found.sampled == 1 ? "its first line matches it"
                                                       : std::to_string(found.matched) + " of the first " +
                                                             std::to_string(found.sampled) + " lines match it";
        HW_LOG(info) << source_ << ": " << found.preset << " (" << matched
                     << (found.format.empty() ? "" : "; read as " + found.format) << ")";
        if (found.unread_fields > 0) {
            HW_LOG(warning) << source_ << ": lines have " << counted(found.unread_fields, "field") << " after "
                            << found.preset
                            << "'s: set format to read them (a LogFormat or log_format string, pasted as the "
                            << "server has it)";
        }
        return;
    }
    if (found.preset == "json") {
        HW_LOG(warning) << source_ << ": its lines are JSON objects, but without a time, a request and a status "
                        << "under the names looked for (time, request, status, ...); reading it as json. Name the "
                        << "fields (--json-field ROLE=NAME, roles: time, request, target, method, status, bytes, "
                        << "duration, host). A line: "
                        << hitwatch::printable_text(found.sample, InvalidLineLog::kExcerptBytes);
        return;
    }
    HW_LOG(warning) << source_
                    << ": no known format (combined, common, vhost_combined, json, alb, haproxy, envoy, istio) matches "
                    << "its first lines; reading it as combined. Set its format (format = PRESET or the server's "
                    << "format string). "
                    << "A line: " << hitwatch::printable_text(found.sample, InvalidLineLog::kExcerptBytes);
}

void LineCounter::say_no_bytes(std::string_view head) {
    if (no_bytes_said_) return;
    const std::vector<std::string> missing = parser_.json_bytes_missing(head);
    if (missing.empty()) return;
    no_bytes_said_ = true;
    HW_LOG(warning) << source_ << ": " << no_bytes_field(missing, "--json-field bytes=NAME");
}

void LineCounter::next_source(std::string source) {
    parser_ = hitwatch::LineParser(format_of(reading_), reading_.sections);
    head_seen_ = false;
    read_as_said_ = 0;
    not_an_access_log_ = false;  // until its own lines say
    invalid_log_.set_source(source);
    source_ = std::move(source);
}

void LineCounter::set_reading(const Reading& reading) {
    if (reading == reading_) return;
    reading_ = reading;
    parser_ = hitwatch::LineParser(format_of(reading), reading.sections);
    head_seen_ = false;
}

bool LineCounter::move_clock(const hitwatch::ParseResult& parsed, std::uint64_t line_number) {
    const hitwatch::UnixSeconds time = parsed.line.time;
    if (waiting_) settle(time);
    if (hitwatch::far_ahead(monitor_.started(), monitor_.now(), time, max_skew_)) {
        const hitwatch::LogLine& line = parsed.line;
        waiting_ = Waiting{parsed, std::string(line.host), std::string(line.section), std::string(line.vhost), line_number};
        return false;
    }
    monitor_.advance_to(time);
    return true;
}

void LineCounter::say_behind() {
    if (++behind_runs_ > kBehindRunsShown) return;  // counted, and said in all at the end
    HW_LOG(warning) << "line " << behind_.first_line() << " of " << source_ << " begins " << hitwatch::BehindRun::kLines
                    << " lines in a row dated more than " << behind_s_ << " s before the lines read so far: "
                    << hitwatch::format_iso8601(behind_.first_time()) << ", " << monitor_.now() - behind_.first_time()
                    << " s before " << hitwatch::format_iso8601(monitor_.now())
                    << ". A replay counts a line where its clock (the latest time read) stands, so these count at the "
                       "later time. Give rotated logs oldest first (zcat access.log.3.gz access.log.2.gz | hitwatchd "
                       "--replay -), or as files, which a replay reads oldest first (hitwatchd --replay access.log*)";
}

void LineCounter::say_read_as(std::uint64_t line_number, const hitwatch::ParseResult& parsed) {
    const auto bit = static_cast<std::uint8_t>(1u << (parsed.read_as - 1));
    if ((read_as_said_ & bit) != 0) return;
    read_as_said_ |= bit;
    const std::string& preset = hitwatch::detectable_presets()[parsed.read_as - 1].name;
    const std::string which = line_number > 0 ? std::string("line ").append(std::to_string(line_number)) : "a line";
    // Its time, to find the server's reload by.
    HW_LOG(info) << which << " of " << source_ << " (" << hitwatch::format_iso8601(parsed.line.time) << ") is "
                 << preset << ", not " << parser_.format_name()
                 << " as its first lines (did the server's log format change?): each line is read in the format it "
                    "is in";
}

bool LineCounter::parses(std::string_view text) {
    hitwatch::ParseResult r;
    parser_.parse(text, r);
    return r.ok() || r.error == hitwatch::ParseError::blank;
}

bool LineCounter::in_window(const hitwatch::ParseResult& parsed) {
    return in_window(parsed.ok() ? window_->dated(parsed.line.time) : window_->undated());
}

bool LineCounter::in_window(hitwatch::TimeWindow::Verdict verdict) {
    using Verdict = hitwatch::TimeWindow::Verdict;
    before_window_ = verdict == Verdict::before;
    if (verdict == Verdict::outside) ++lines_, ++outside_;
    return verdict == Verdict::inside || verdict == Verdict::before;
}

void LineCounter::note_before_window(const hitwatch::ParseResult& parsed) {
    ++before_.lines;
    if (parsed.error == hitwatch::ParseError::blank) {
        ++before_.blank;
    } else if (!parsed.ok()) {
        ++before_.invalid[static_cast<std::size_t>(parsed.error)];
    }
}

void LineCounter::count_overlong(std::uint64_t line_number) {
    if (window_ && !in_window(window_->undated())) return;
    if (before_window_) ++before_.lines, ++before_.invalid[hitwatch::kOverlongReason];
    ++lines_;
    invalid_log_.note_overlong(line_number);
    monitor_.record_invalid();
}

bool LineCounter::count_late(std::string_view text, std::uint64_t line_number, hitwatch::Backfill& backfill,
                             hitwatch::UnixSeconds not_before, hitwatch::UnixSeconds now) {
    ++lines_;
    hitwatch::ParseResult& parsed = parsed_;
    parser_.parse(text, parsed);
    if (!parsed.ok() && parsed.error != hitwatch::ParseError::blank) {
        invalid_log_.note(line_number, parsed.error, text, parser_.expected_time());
    }
    blank_ += parsed.error == hitwatch::ParseError::blank;
    // The wall clock may have stepped back below when the log was last read to its end: then
    // `now` is the latest the line can be said to have been written.
    backfill.record(parsed, std::clamp(parsed.line.time, std::min(not_before, now), now));
    return parsed.ok();
}

void LineCounter::count_overlong_late(std::uint64_t line_number, hitwatch::Backfill& backfill) {
    ++lines_;
    invalid_log_.note_overlong(line_number);
    backfill.record_invalid();
}

void LineCounter::finish() {
    if (waiting_) settle(std::nullopt);
}

void LineCounter::settle(std::optional<hitwatch::UnixSeconds> next) {
    const Waiting line = std::move(*waiting_);
    waiting_.reset();
    if (!next || hitwatch::confirms_jump(line.time(), *next, max_skew_)) {
        monitor_.advance_to(line.time());
    } else {
        // An outlier: counted where the clock stands (or starts, with the next line).
        if (!monitor_.started()) monitor_.advance_to(*next);
        ++outliers_;
        if (outlier_log_.allow(std::chrono::steady_clock::now())) {
            HW_LOG(warning) << "line " << line.line_number << " of " << source_ << " is dated "
                            << hitwatch::format_iso8601(line.time()) << ", more than " << max_skew_
                            << " s (--max-skew) ahead of the lines around it: counted at "
                            << hitwatch::format_iso8601(monitor_.now()) << " without moving the clock";
        }
    }
    hitwatch::ParseResult parsed = line.parsed;
    parsed.line.host = line.host;
    parsed.line.section = line.section;
    parsed.line.vhost = line.vhost;
    monitor_.record(parsed);
}

}  // namespace hitwatchd
