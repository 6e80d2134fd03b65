// SPDX-License-Identifier: Apache-2.0
#pragma once
// A log's parser for its configured format: the hand-written scanner for common/combined,
// a field scanner for any other format, and for `auto` the preset its first lines match.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_parser.h"
#include "core/json_line_parser.h"
#include "core/line_wrapper.h"
#include "core/log_format.h"
#include "core/parser.h"

namespace hitwatch {

// What auto-detection found in a log's first lines.
struct Detection {
    std::string preset;   // the preset chosen
    size_t matched = 0;   // of `sampled` non-blank lines
    size_t sampled = 0;
    std::string sample;   // a line no preset took, when none matched most lines
    size_t error_log_lines = 0;  // sampled lines that no preset took and that are error-log lines
    std::string format;   // the format string read, when fields after combined's are read too
    size_t unread_fields = 0;  // fields after combined's that are not read (not a kind it knows)
    bool guessed() const { return matched == 0; }
    // Every line looked at is an Apache or nginx error log's: not an access log at all.
    bool error_log() const { return matched == 0 && sampled > 0 && error_log_lines == sampled; }
};

// Lines auto-detection looks at.
constexpr size_t kDetectionLines = 100;

// How a section is named: by the first `depth` segments of the path ("/api/v1" at 2), and with
// `by_host` after the virtual host ("shop.example/api") when the line has one.
struct SectionRule {
    bool by_host = false;
    int depth = 1;
    bool plain() const { return !by_host && depth == 1; }
    bool operator==(const SectionRule&) const = default;
};

class LineParser {
public:
    explicit LineParser(const LogFormat& format, SectionRule rule = {});

    // Into `r`, which may hold the previous line's result (see LogParser). Inline: it runs for
    // every line.
    void parse(std::string_view text, ParseResult& r) {
        r.read_as = 0;
        if (!plain_classic_) [[unlikely]] return parse_other(text, r);
        classic_parser_.parse(text, r);
        if (r.error > ParseError::blank) [[unlikely]] not_read(text, r);
    }
    ParseResult parse(std::string_view text) {
        ParseResult r;
        parse(text, r);
        return r;
    }

    // `auto`: chooses the preset that the most of the first kDetectionLines non-blank lines of
    // `head` match (the first in detectable_presets() on a tie; combined when none matches).
    // An explicit format is kept as it is.
    Detection detect(std::string_view head);
    bool decided() const { return decided_; }
    // A JSON log's first lines (after detect()) of which some read and none has a bytes field
    // under the names looked for: those names (its bytes count as 0). Else, or not JSON, none.
    std::vector<std::string> json_bytes_missing(std::string_view head);
    // Whether a line may be joined with the lines after it (a container runtime's pieces), so
    // that lines must be parsed in order by one parser. (syslog's lines are whole.)
    bool joins_lines() const { return wrapper_ == LineWrapper::cri || wrapper_ == LineWrapper::docker; }
    // Where a line that is not read stops matching the format, for a person to read
    // (--check-config); column 0 when the format does not tell (JSON).
    [[gnu::cold]] FieldParser::Mismatch mismatch(std::string_view text);
    // The format lines are read in: a preset's name or the format string.
    const std::string& format_name() const { return name_; }
    // Why a line whose time does not fit is invalid, in this format's terms (expected_time()).
    const std::string& expected_time() const { return expected_time_; }

private:
    void use(const LogFormat& format);
    // Combined's lines with response times or a host after its fields: read with them.
    void read_what_follows_combined(const std::vector<std::string_view>& sampled, Detection& found);
    // Applies rule_ to a parsed line of `text`.
    void name_section(std::string_view text, LogLine& line);
    void parse_other(std::string_view text, ParseResult& r);
    // A line as the format inside any container wrapper reads it.
    void parse_inner(std::string_view text, ParseResult& r);
    // A container runtime's line: its content, or (a piece, or not in the wrapper's shape)
    // nothing, with `r` saying so.
    bool unwrap(std::string_view text, std::string_view& inner, ParseResult& r);
    // `auto` on a container runtime's lines: their wrapper, and the head with what is inside.
    LineWrapper unwrap_head(std::string_view head, std::string& inside) const;
    // A line that does not match: the preset it looks like, if another one takes it.
    [[gnu::cold]] ParseError diagnose(std::string_view text, ParseError error);
    // mismatch() of a line inside any wrapper.
    FieldParser::Mismatch mismatch_inside(std::string_view text);
    // A line the format does not read (r.error says why): in a format `auto` chose, read in the
    // preset it is in, if another one takes it (the log's format changed); else why not.
    [[gnu::cold]] void not_read(std::string_view text, ParseResult& r);
    // Whether a preset is what this parser reads already (not another format to try).
    bool is_own(const LogFormat& preset) const;
    // syslog+: the access_tags_ of these first lines (the same for every parser given them).
    void learn_access_tags(std::string_view head);

    SectionRule rule_;
    bool plain_rule_ = true;
    // A section named after its host, in two buffers used in turn: a line's section stays valid
    // while one more line is read (the replay clock reads a line it held back before it
    // counts the current one).
    std::string sections_[2];
    bool which_ = false;
    bool decided_ = true;
    bool classic_ = true;  // undecided: false until a line decides
    bool plain_classic_ = true;  // classic_ with the plain section rule, no wrapper: the fast path
    LineWrapper wrapper_ = LineWrapper::none;
    std::string pieces_[2];    // of a container's line not whole yet, by stream (Unwrapped::stream)
    std::string inside_[2];    // a line's content, in two buffers used in turn (as sections_)
    bool which_inside_ = false;
    std::string name_;
    std::string expected_time_ = describe(ParseError::bad_time);
    LogParser classic_parser_;
    FieldParser fields_{LogFormat{}};
    std::unique_ptr<JsonLineParser> json_;  // a JSON log's (its buffer is only paid for then)
    bool detected_ = false;  // `auto` chose the format: lines of the other presets are read too
    bool diagnoses_ = true;  // false: one of others_, whose owner says why a line is not read
    std::vector<std::unique_ptr<LineParser>> others_;  // by detectable_presets(), made when needed
    // syslog+: the programs whose messages among the head's lines are read, and the tag of the
    // line being read. A line of another program that is not read is other_program.
    std::vector<std::string> access_tags_;
    std::string_view tag_;
    std::uint32_t repeats_ = 1;  // of the syslog line being read (Unwrapped::repeats)
    IsoTimeMemo wrapper_times_;  // the day and zone of the wrapper's last time
    // detectable_presets(), the JSON one reading each role where the format given says
    // (--json-field): what `auto` chooses from, and what a line is tried in when not read.
    // Shared by the parsers that read them alike.
    std::shared_ptr<const std::vector<LogFormat>> presets_;
};

// Whether `line` reads in `preset`, by a parser of its own (detection and diagnosis).
bool reads_as(const LogFormat& preset, std::string_view line);

}  // namespace hitwatch
