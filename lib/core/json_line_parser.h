// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads JSON logs: one object per line (nginx escape=json, Caddy, Traefik and others), each
// field found by its role under the names such logs use, or under the name a user gives.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>

#include "core/log_format.h"
#include "core/parser.h"

namespace hitwatch {

class JsonLineParser {
public:
    // `depth`: path segments a section has (see extend_section()).
    explicit JsonLineParser(JsonFields fields = default_json_fields(), int depth = 1);
    JsonLineParser(const JsonLineParser&) = delete;
    JsonLineParser& operator=(const JsonLineParser&) = delete;

    // As LogParser::parse. Strings the line holds (its section, its host) are copied, and stay
    // valid while one more line is read.
    ParseResult parse(std::string_view text);
    // The time a line with no time field has (a container runtime's time of it); 0: none, and
    // such a line is invalid (bad_time).
    void set_time_when_none(UnixSeconds time) { time_when_none_ = time; }
    // Whether the last line read had a bytes field under the names looked for ("-" counts: a
    // response with no body). A log whose lines have none counts 0 bytes, which is said.
    bool had_bytes_field() const { return had_bytes_field_; }
    const JsonFields& fields() const { return fields_; }

private:
    ParseError scan(std::string_view text, LogLine& line);

    JsonFields fields_;
    int depth_;
    UnixSeconds time_when_none_ = 0;
    unsigned char buffer_[16384];  // most lines parse without an allocation
    boost::json::parser parser_;
    std::string strings_[2][2];  // [turn][section, host]
    std::string as_json_;  // a line in nginx's default escaping, made JSON
    bool turn_ = false;
    bool had_bytes_field_ = false;
};

}  // namespace hitwatch
