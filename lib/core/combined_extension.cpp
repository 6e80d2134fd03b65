// SPDX-License-Identifier: Apache-2.0
#include "core/combined_extension.h"

#include <cctype>
#include <cstring>
#include <optional>

#include "core/log_format.h"
#include "core/parser.h"

namespace hitwatch {
namespace {

// Past one space-separated word; false at the end of the line.
bool skip_word(std::string_view& s) {
    const size_t space = s.find(' ');
    if (space == std::string_view::npos) return false;
    s.remove_prefix(space + 1);
    return true;
}

// Past a [bracketed] or "quoted" field and the space after it (none at the end of the line).
bool skip_enclosed(std::string_view& s) {
    if (s.empty()) return false;
    const char* const start = s.data() + 1;
    const char* const end = s.data() + s.size();
    const char* close = nullptr;
    if (s.front() == '[') close = static_cast<const char*>(std::memchr(start, ']', static_cast<size_t>(end - start)));
    if (s.front() == '"') close = closing_quote(start, end);
    if (close == nullptr) return false;
    s.remove_prefix(static_cast<size_t>(close + 1 - s.data()));
    if (s.empty()) return true;
    if (s.front() != ' ') return false;
    s.remove_prefix(1);
    return true;
}

// The text after combined's fields (host ident user [time] "request" status bytes "referer"
// "agent"), vhost_combined's with the vhost:port before them; nullopt when it is not there.
std::optional<std::string_view> after_combined(std::string_view line, bool vhost) {
    line = trim_line(line);
    for (int i = 0; i < (vhost ? 4 : 3); ++i) {
        if (!skip_word(line)) return std::nullopt;
    }
    if (!skip_enclosed(line) || !skip_enclosed(line) || !skip_word(line) || !skip_word(line)) return std::nullopt;
    if (!skip_enclosed(line) || !skip_enclosed(line) || line.empty()) return std::nullopt;
    return line;
}

enum class Kind { seconds, micros, none, upstreams, host, other };

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

Kind kind_of(std::string_view token) {
    if (token == "-") return Kind::none;
    if (all_digits(token)) return Kind::micros;
    const size_t dot = token.find('.');
    if (dot != std::string_view::npos && all_digits(token.substr(0, dot)) && all_digits(token.substr(dot + 1))) {
        return Kind::seconds;
    }
    if (token.find(", ") != std::string_view::npos || token.find(" : ") != std::string_view::npos) return Kind::upstreams;
    // A name, or an address ($host is the client's Host header without its port: often
    // 127.0.0.1 or [::1]).
    bool letter = false;
    int separators = 0;
    for (const char c : token) {
        if (std::isalpha(static_cast<unsigned char>(c))) letter = true;
        else if (c == '.' || c == ':') ++separators;
        else if (!std::isdigit(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '[' && c != ']') return Kind::other;
    }
    return letter || separators >= 2 ? Kind::host : Kind::other;
}

// The fields of the text after combined's: words, with an upstream list ("0.1, 0.2",
// "0.1 : 0.2") as one.
std::vector<std::string_view> fields_of(std::string_view rest) {
    std::vector<std::string_view> fields;
    const char* start = rest.data();
    for (size_t i = 0; i <= rest.size(); ++i) {
        if (i < rest.size() && rest[i] != ' ') continue;
        const bool list_goes_on = i < rest.size() && ((i > 0 && rest[i - 1] == ',') ||
                                                      (i + 2 < rest.size() && rest[i + 1] == ':' && rest[i + 2] == ' ') ||
                                                      (i > 1 && rest[i - 1] == ':' && rest[i - 2] == ' '));
        if (list_goes_on) continue;
        fields.emplace_back(start, static_cast<size_t>(rest.data() + i - start));
        start = rest.data() + i + 1;
    }
    return fields;
}

// Traefik's common log format: combined's fields, then how many requests Traefik has taken, the
// router's name and the server's URL (quoted; "-" for none) and the duration in whole
// milliseconds: 42 "api@docker" "http://10.0.0.3:8080" 12ms.
bool is_traefiks(const std::vector<std::string_view>& fields) {
    const auto quoted = [](std::string_view f) { return f.size() >= 2 && f.front() == '"' && f.back() == '"'; };
    const std::string_view ms = fields.size() == 4 ? fields[3] : std::string_view();
    return fields.size() == 4 && (all_digits(fields[0]) || fields[0] == "-") && quoted(fields[1]) &&
           quoted(fields[2]) && ms.ends_with("ms") && all_digits(ms.substr(0, ms.size() - 2));
}

// The extension a line's fields after combined's are, by kinds; empty if not one we know.
std::string shape_of(const std::vector<std::string_view>& fields) {
    if (is_traefiks(fields)) return "t";
    std::string shape;
    for (size_t i = 0; i < fields.size(); ++i) {
        const Kind kind = kind_of(fields[i]);
        const bool first = i == 0;
        if (first && kind == Kind::seconds) shape += "s";
        else if (first && kind == Kind::micros) shape += "u";
        else if (i == 1 && shape == "s" && (kind == Kind::seconds || kind == Kind::none || kind == Kind::upstreams)) shape += "p";
        else if (i + 1 == fields.size() && kind == Kind::host) shape += "h";
        else return "";
    }
    return shape;
}

}  // namespace

CombinedExtension find_combined_extension(std::string_view preset, const std::vector<std::string_view>& lines) {
    CombinedExtension found;
    const bool vhost = preset == "vhost_combined";
    if (!vhost && preset != "combined") return found;
    std::string shape;
    size_t fields_seen = 0;  // in the first line that has any
    bool agree = true;
    for (size_t i = 0; i < lines.size(); ++i) {
        const auto rest = after_combined(lines[i], vhost);
        const std::vector<std::string_view> fields = rest ? fields_of(*rest) : std::vector<std::string_view>{};
        if (fields_seen == 0) fields_seen = fields.size();
        const std::string this_shape = fields.empty() ? "" : shape_of(fields);
        if (i == 0) shape = this_shape;
        agree = agree && this_shape == shape;
    }
    const bool apache = shape.find('u') != std::string::npos;
    const auto has = [&](char c) { return shape.find(c) != std::string::npos; };
    // vhost_combined is Apache's: no fractional seconds, no Traefik.
    if (!agree || shape.empty() || (vhost && (has('s') || has('t')))) {
        found.unknown_fields = fields_seen;
        return found;
    }
    if (shape == "t") {
        // Apache's directives say it: %k a count, %{..}e a quoted word read past, %{ms}T milliseconds.
        found.format = std::string(kCombinedLogFormat) + R"( %k "%{router}e" "%{server}e" %{ms}Tms)";
        found.name = "traefik";
        return found;
    }
    // Apache's formats for what Apache writes (%D, and vhost_combined), nginx's for the rest.
    if (apache || vhost) {
        found.format = std::string(vhost ? kVhostCombinedLogFormat : kCombinedLogFormat);
        if (has('u')) found.format += " %D";
        if (has('h')) found.format += " %V";
    } else {
        found.format = std::string(kNginxLogFormat);
        if (has('s')) found.format += " $request_time";
        if (has('p')) found.format += " $upstream_response_time";
        if (has('h')) found.format += " $host";
    }
    found.name = std::string(preset);
    if (has('s') || has('u')) found.name += "+duration";
    if (has('p')) found.name += "+upstream";
    if (has('h')) found.name += "+host";
    return found;
}

}  // namespace hitwatch
