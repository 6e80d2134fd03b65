// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reading hitwatchd's JSON lines back in the integration tests. The parser is strict: a line
// that is not valid JSON or not valid UTF-8 fails the test.
#include <boost/json.hpp>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace test {

namespace json = boost::json;

inline std::vector<json::object> json_lines(const std::string& out) {
    std::vector<json::object> objects;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) objects.push_back(json::parse(line).as_object());
    return objects;
}

inline std::vector<json::object> of_type(const std::vector<json::object>& all, const char* type) {
    std::vector<json::object> some;
    for (const auto& o : all) {
        if (o.at("type") == type) some.push_back(o);
    }
    return some;
}

inline std::int64_t n(const json::value& v) { return v.to_number<std::int64_t>(); }

struct Totals {
    std::int64_t hits = 0, bytes = 0, invalid = 0;
    std::map<std::string, std::int64_t> sections, status;
};

inline Totals add_up(const std::vector<json::object>& reports) {
    Totals t;
    for (const auto& r : reports) {
        t.hits += n(r.at("hits"));
        t.bytes += n(r.at("bytes"));
        t.invalid += n(r.at("invalid"));
        for (const auto& s : r.at("sections").as_array()) {
            t.sections[std::string(s.at("section").as_string())] += n(s.at("hits"));
        }
        for (const auto& [k, v] : r.at("status").as_object()) t.status[std::string(k)] += n(v);
    }
    return t;
}

}  // namespace test
