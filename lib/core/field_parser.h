#pragma once
// Reads lines by a compiled format (core/log_format.h): literal text is matched, each field is
// cut at the first byte of the text after it (or at its closing quote) and read by its kind.
#include <string_view>

#include "core/log_format.h"
#include "core/parser.h"

namespace hitwatch {

class FieldParser {
public:
    explicit FieldParser(LogFormat format);

    // As LogParser::parse: never throws, never reads outside `text`.
    ParseResult parse(std::string_view text);
    void parse(std::string_view text, ParseResult& r);

private:
    ParseError scan(std::string_view text, LogLine& line);
    // Whether the line ends in the format's last text, which then ends the last field.
    static bool ends_with_last(const char* p, const char* end, const FormatStep& last);

    LogFormat format_;
    bool section_from_request_;  // the format has a request line and no target field
    DateMemo memo_;
};

}  // namespace hitwatch
