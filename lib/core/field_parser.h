// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads lines by a compiled format (core/log_format.h): literal text is matched, each field is
// cut at the first byte of the text after it (or at its closing quote) and read by its kind.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/log_format.h"
#include "core/parser.h"

namespace hitwatch {

class FieldParser {
public:
    explicit FieldParser(LogFormat format);
    // Its steps point into its format: moved with it, never copied apart from it.
    FieldParser(const FieldParser&) = delete;
    FieldParser& operator=(const FieldParser&) = delete;
    FieldParser(FieldParser&&) = default;
    FieldParser& operator=(FieldParser&&) = default;

    // As LogParser::parse: never throws, never reads outside `text`.
    ParseResult parse(std::string_view text);
    void parse(std::string_view text, ParseResult& r) {
        longest_list_ = 0;
        r.error = scan(text, r.line);
        if (r.error != ParseError::none && longest_list_ > 1) [[unlikely]] parse_with_shorter_lists(text, r);
    }

    // Where a line stops matching the format, for a person to read (--check-config): the
    // 1-based column in `text` and what the format has there. Column 0: the line matches.
    struct Mismatch {
        size_t column = 0;
        std::string expected;  // "$status", or the text "\" [" the format has there
    };
    [[gnu::cold]] Mismatch mismatch(std::string_view text);

private:
    // What a step's field is, as one value: the common pairs of how a field ends and what it
    // holds have a case of their own, so that such a step costs one dispatch, not two.
    enum class Op : std::uint8_t {
        skip_word,       // to_stop, skip: %h %l %u, any unquoted field not read
        skip_quoted,     // quoted, skip: "%{Referer}i", "$http_user_agent"
        clf_time,        // fixed_clf, time_clf: %t, $time_local
        quoted_request,  // quoted, request: "%r", "$request"
        status_word,     // to_stop, status
        bytes_word,      // to_stop, bytes
        other,           // any other pair, and a field before the format's last text
    };

    // What scan() reads of a step, small and flat: the literal as a masked word when it is
    // at most 8 bytes (one compare instead of a call), the rest as FormatStep has it.
    struct HotStep {
        std::uint64_t literal_word = 0, literal_mask = 0;
        const FormatStep* source = nullptr;  // its long literal, its time pattern
        std::uint32_t literal_size = 0;
        bool literal_in_word = true;
        bool literal_known = false;  // empty, or the byte that ended the field before
        bool before_tail = false;  // see end_from_line_end()
        Op op = Op::other;
        FormatStep::Span span = FormatStep::Span::to_stop;
        Field field = Field::skip;
        char stop = 0;
        ParseError error = ParseError::bad_field;
    };

    static Op op_of(const HotStep& step);
    // Fills `line` (all of it) from `text`.
    ParseError scan(std::string_view text, LogLine& line);
    // Reads the step's field at p, leaving p after it; its span and field are given apart
    // from the step so that a caller that knows them has the code for them alone.
    ParseError take(FormatStep::Span span, Field field, const HotStep& step, const char*& p, const char* end, LogLine& line);
    // A field marked before_tail: where it ends, as the end of the line tells (the format's
    // last text there, or the last field's literal before it); nullptr when it does not tell.
    const char* end_from_line_end(const char* p, const char* end) const;
    static bool literal_matches(const HotStep& step, const char* p, const char* end);
    // A line that the list fields, each read as far as it goes, did not match: read again with
    // lists of one item fewer than the longest, then of one item. A list that ends in a comma
    // ("1.2.3.4, - - [...]": a client sent "X-Forwarded-For: 1.2.3.4,") would otherwise take
    // the next field as its last item. Every list of the line is cut alike, so a line with a
    // second list stays invalid. `r` keeps the first reading's error if neither matches.
    [[gnu::cold]] void parse_with_shorter_lists(std::string_view text, ParseResult& r);

    LogFormat format_;
    std::vector<HotStep> hot_;  // the steps with a field
    HotStep text_;              // the format's last text, after its last field
    std::string last_field_literal_;  // see the constructor
    bool section_from_request_;  // the format has a request line and no target field
    bool has_status_;
    DateMemo memo_;
    LocalTimeMemo local_;
    size_t longest_list_ = 0;      // the most items a list field of the line took
    size_t list_items_limit_ = 0;  // 0: none (set while parse_with_shorter_lists() reads)
};

}  // namespace hitwatch
