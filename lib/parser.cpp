#include "parser.h"

#include <cstring>

#include "section.h"

namespace hitwatch {
namespace {

// A cursor over the line; every step checks the end, so no input reads out of bounds.
class Scanner {
public:
    explicit Scanner(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

    bool at_end() const { return p_ == end_; }

    bool skip(char c) {
        if (p_ == end_ || *p_ != c) return false;
        ++p_;
        return true;
    }

    // The bytes up to the next space (not consumed); empty if there is no space.
    std::string_view token() {
        const void* sp = std::memchr(p_, ' ', static_cast<size_t>(end_ - p_));
        if (sp == nullptr) return {};
        const char* start = p_;
        p_ = static_cast<const char*>(sp);
        return {start, static_cast<size_t>(p_ - start)};
    }

    // The bytes up to the end of the line.
    std::string_view rest() {
        const char* start = p_;
        p_ = end_;
        return {start, static_cast<size_t>(end_ - start)};
    }

    std::string_view take(size_t n) {
        if (static_cast<size_t>(end_ - p_) < n) return {};
        const char* start = p_;
        p_ += n;
        return {start, n};
    }

    // After an opening quote: the field's raw text up to its closing quote, which is
    // consumed. A quote escaped by an odd number of backslashes does not close the field.
    bool quoted(std::string_view& out) {
        const char* start = p_;
        const char* from = p_;
        while (const void* found = std::memchr(from, '"', static_cast<size_t>(end_ - from))) {
            const char* q = static_cast<const char*>(found);
            size_t backslashes = 0;
            while (q - backslashes > start && q[-1 - static_cast<long>(backslashes)] == '\\') {
                ++backslashes;
            }
            if (backslashes % 2 == 0) {
                out = {start, static_cast<size_t>(q - start)};
                p_ = q + 1;
                return true;
            }
            from = q + 1;
        }
        return false;
    }

private:
    const char* p_;
    const char* end_;
};

bool is_host_char(unsigned char c) {
    // IPv4, IPv6 (with an optional zone or brackets) and DNS names.
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '.' || c == ':' || c == '-' || c == '_' || c == '%' || c == '[' || c == ']';
}

bool valid_host(std::string_view host) {
    if (host.empty() || host.size() > 255) return false;
    for (unsigned char c : host) {
        if (!is_host_char(c)) return false;
    }
    return true;
}

bool parse_status(std::string_view s, int& status) {
    if (s.size() != 3) return false;
    status = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        status = status * 10 + (c - '0');
    }
    return status >= 100 && status <= 599;
}

bool parse_bytes(std::string_view s, std::uint64_t& bytes) {
    bytes = 0;
    if (s == "-") return true;
    if (s.empty() || s.size() > 19) return false;  // 19 digits always fit in 64 bits
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        bytes = bytes * 10 + static_cast<unsigned>(c - '0');
    }
    return true;
}

bool is_blank(std::string_view s) {
    for (char c : s) {
        if (c != ' ' && c != '\t') return false;
    }
    return true;
}

// "GET /path HTTP/1.1" -> "/path"; a bare "GET /path" (HTTP/0.9) is fine too.
std::string_view target_of(std::string_view request) {
    const size_t method_end = request.find(' ');
    if (method_end == std::string_view::npos || method_end == 0) return {};
    std::string_view rest = request.substr(method_end + 1);
    return rest.substr(0, rest.find(' '));
}

}  // namespace

const char* describe(ParseError error) {
    switch (error) {
        case ParseError::none: return "ok";
        case ParseError::blank: return "blank line";
        case ParseError::bad_host: return "expected a client host (IP address or name)";
        case ParseError::bad_ident_or_user: return "expected ident and user fields";
        case ParseError::bad_time: return "expected a time like [10/Oct/2000:13:55:36 -0700]";
        case ParseError::bad_request: return "expected a quoted request line";
        case ParseError::no_target:
            return "request has no target starting with / or http:// or https://";
        case ParseError::bad_status: return "expected a 3-digit status from 100 to 599";
        case ParseError::bad_bytes: return "expected a byte count or -";
        case ParseError::bad_referer: return "expected a quoted referer";
        case ParseError::bad_user_agent: return "expected a quoted user-agent";
    }
    return "unknown";
}

ParseResult parse_line(std::string_view text) {
    ParseResult r;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (is_blank(text)) return {ParseError::blank, {}};

    Scanner in(text);
    LogLine& line = r.line;
    line.host = in.token();
    if (!valid_host(line.host) || !in.skip(' ')) return {ParseError::bad_host, {}};
    if (in.token().empty() || !in.skip(' ') || in.token().empty() || !in.skip(' ')) {
        return {ParseError::bad_ident_or_user, {}};
    }

    if (!in.skip('[')) return {ParseError::bad_time, {}};
    const auto time = parse_clf_time(in.take(26));
    if (!time || !in.skip(']') || !in.skip(' ')) return {ParseError::bad_time, {}};
    line.time = *time;

    std::string_view request;
    if (!in.skip('"') || !in.quoted(request) || !in.skip(' ')) return {ParseError::bad_request, {}};
    line.target = target_of(request);
    const auto section = section_of(line.target);
    if (!section) return {ParseError::no_target, {}};
    line.section = *section;

    if (!parse_status(in.token(), line.status) || !in.skip(' ')) {
        return {ParseError::bad_status, {}};
    }

    const std::string_view bytes_and_rest = in.rest();
    const size_t bytes_end = bytes_and_rest.find(' ');
    if (!parse_bytes(bytes_and_rest.substr(0, bytes_end), line.bytes)) {
        return {ParseError::bad_bytes, {}};
    }
    if (bytes_end == std::string_view::npos) return r;  // Common Log Format

    Scanner tail(bytes_and_rest.substr(bytes_end + 1));
    if (tail.at_end()) return r;
    std::string_view field;
    if (!tail.skip('"') || !tail.quoted(field)) return {ParseError::bad_referer, {}};
    if (!tail.skip(' ') || !tail.skip('"') || !tail.quoted(field)) {
        return {ParseError::bad_user_agent, {}};
    }
    // Whatever follows the user-agent (nginx's "$http_x_forwarded_for", timings) is not ours.
    line.combined = true;
    return r;
}

}  // namespace hitwatch
