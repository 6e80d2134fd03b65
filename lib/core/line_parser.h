#pragma once
// A log's parser for its configured format: the hand-written scanner for common/combined,
// a field scanner for any other format, and for `auto` the preset its first lines match.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/field_parser.h"
#include "core/log_format.h"
#include "core/parser.h"

namespace hitwatch {

// What auto-detection found in a log's first lines.
struct Detection {
    std::string preset;   // the preset chosen
    size_t matched = 0;   // of `sampled` non-blank lines
    size_t sampled = 0;
    std::string sample;   // a line no preset took, when none matched most lines
    bool guessed() const { return matched == 0; }
};

// Lines auto-detection looks at.
constexpr size_t kDetectionLines = 100;

class LineParser {
public:
    explicit LineParser(const LogFormat& format);

    // Into `r`, a fresh ParseResult (no copy of it for each line). Inline: it runs for every line.
    void parse(std::string_view text, ParseResult& r) {
        if (!classic_) [[unlikely]] return parse_other(text, r);
        classic_parser_.parse(text, r);
        if (r.error > ParseError::blank) [[unlikely]] r.error = diagnose(text, r.error);
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
    // The format lines are read in: a preset's name or the format string.
    const std::string& format_name() const { return name_; }
    bool has_duration() const { return !classic_ && fields_.format().has_duration; }

private:
    void use(const LogFormat& format);
    void parse_other(std::string_view text, ParseResult& r);
    // A line that does not match: the preset it looks like, if another one takes it.
    [[gnu::cold]] ParseError diagnose(std::string_view text, ParseError error);

    bool decided_ = true;
    bool classic_ = true;  // undecided: false until a line decides
    std::string name_;
    LogParser classic_parser_;
    FieldParser fields_{LogFormat{}};
};

}  // namespace hitwatch
