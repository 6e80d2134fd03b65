// SPDX-License-Identifier: Apache-2.0
#include "core/parser.h"

#include <array>
#include <cstring>
#include <optional>
#include <utility>

#include "core/line_fields.h"
#include "core/section.h"
#include "core/swar.h"

namespace hitwatch {
namespace {

using swar::find_char;
using swar::same_bytes;

// IPv4, IPv6 (with an optional zone or brackets) and DNS names.
constexpr auto kHostChars = [] {
    std::array<bool, 256> ok{};
    for (int c = '0'; c <= '9'; ++c) ok[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) ok[c] = ok[c - 'a' + 'A'] = true;
    for (char c : {'.', ':', '-', '_', '%', '[', ']'}) ok[static_cast<unsigned char>(c)] = true;
    return ok;
}();

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
        const char* q = find_char(p_, end_, ' ');
        if (q == end_) return {};
        const char* start = p_;
        p_ = q;
        return {start, static_cast<size_t>(q - start)};
    }

    // A client host up to the space that ends it (not consumed); empty if there is none.
    // Digits and dots (IPv4) are passed eight at a time, anything else byte by byte.
    std::string_view host() {
        const char* q = p_;
        for (; end_ - q >= 8; q += 8) {
            const std::uint64_t word = swar::load_word(q);
            const std::uint64_t other = ~(swar::digit_bytes(word) | swar::bytes_equal(word, '.')) & swar::kHighs;
            if (other != 0) {
                q += swar::first_marked(other);
                break;
            }
        }
        while (q != end_ && kHostChars[static_cast<unsigned char>(*q)]) ++q;
        if (q == end_ || *q != ' ') return {};
        const char* start = p_;
        p_ = q;
        return {start, static_cast<size_t>(q - start)};
    }

    // Consumes `literal` if the input continues with it.
    template <size_t N>
    bool skip_literal(const char (&literal)[N]) {
        constexpr size_t n = N - 1;
        if (static_cast<size_t>(end_ - p_) < n || !same_bytes<n>(p_, literal)) return false;
        p_ += n;
        return true;
    }

    // A status: three digits followed by a space or the end of the line (not consumed).
    bool status_code(int& status) {
        if (end_ - p_ < 3 || (end_ - p_ > 3 && p_[3] != ' ')) return false;
        const unsigned hundreds = digit(p_[0]), tens = digit(p_[1]), ones = digit(p_[2]);
        if (hundreds > 9 || tens > 9 || ones > 9) return false;
        status = static_cast<int>(hundreds * 100 + tens * 10 + ones);
        p_ += 3;
        return true;
    }

    // A byte count: digits or a lone '-' for none, up to the next space or the end of the
    // line (neither consumed). Up to seven digits are read in one word when the line has
    // eight bytes left; 19 digits at most, which always fit in 64 bits.
    bool byte_count(std::uint64_t& value) {
        value = 0;
        if (p_ != end_ && *p_ == '-') {
            ++p_;
            return ends_field();
        }
        if (end_ - p_ >= 8) {
            const std::uint64_t word = swar::load_word(p_);
            const std::uint64_t other = ~swar::digit_bytes(word) & swar::kHighs;
            if (other != 0) {
                const unsigned digits = swar::first_marked(other);
                if (digits == 0) return false;
                value = swar::digits_value(word, digits);
                p_ += digits;
                return ends_field();
            }
        }
        const char* start = p_;
        for (; p_ != end_ && digit(*p_) <= 9; ++p_) value = value * 10 + digit(*p_);
        const auto digits = p_ - start;
        return digits != 0 && digits <= 19 && ends_field();
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
        if (end_ - p_ >= 2 && p_[0] == '-' && p_[1] == '"') {  // the usual empty referer
            out = {p_, 1};
            p_ += 2;
            return true;
        }
        const char* q = closing_quote(start, end_);
        if (q == nullptr) return false;
        out = {start, static_cast<size_t>(q - start)};
        p_ = q + 1;
        return true;
    }

    // After an opening quote: whether the line ends in an unescaped closing quote, which
    // saves scanning a long user-agent. When it does not, quoted() decides.
    bool closes_at_end() const {
        return end_ != p_ && end_[-1] == '"' && !escaped_quote(end_ - 1, p_);
    }

private:
    bool ends_field() const { return p_ == end_ || *p_ == ' '; }

    static unsigned digit(char c) { return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0'; }

    const char* p_;
    const char* end_;
};

}  // namespace

bool read_request_section(std::string_view request, LogLine& line) { return request_section(request, line); }

bool read_target_section(std::string_view target, LogLine& line) {
    if (!target.empty() && target[0] == '/') {
        // Servers merge repeated slashes: "//favicon.ico" is /favicon.ico.
        const char* t = target.data();
        const char* end = t + target.size();
        while (t + 1 != end && t[1] == '/') ++t;
        line.section = {t, static_cast<size_t>(segment_end(t + 1, end) - t)};
        return true;
    }
    const auto section = section_of(target);
    if (section) line.section = *section;
    return section.has_value();
}


namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool digits_at(std::string_view text, size_t at, size_t n) {
    if (text.size() < at + n) return false;
    for (size_t i = at; i < at + n; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
}


// The fields before the first well-formed " [dd/Mon/yyyy:HH:MM:SS +zzzz]" in the line (split
// at spaces); -1 if there is no such time.
int fields_before_a_time(std::string_view text) {
    for (size_t at = text.find(" ["); at != std::string_view::npos; at = text.find(" [", at + 1)) {
        if (text.size() < at + 29 || text[at + 28] != ']' || !parse_clf_time(text.substr(at + 2, 26))) continue;
        int fields = 1;
        for (size_t i = 0; i < at; ++i) fields += text[i] == ' ' && text[i + 1] != ' ';
        return fields;
    }
    return -1;
}

}  // namespace

namespace {

// Each compressor's magic bytes (bzip2's then a digit, the block size).
constexpr std::pair<std::string_view, const char*> kMagics[] = {
    {"\x1f\x8b", "gzip"}, {"BZh", "bzip2"}, {std::string_view("\xfd" "7zXZ\0", 6), "xz"}, {"\x28\xb5\x2f\xfd", "zstd"}};

}  // namespace

const char* compressed_by(std::string_view head) {
    for (const auto& [magic, by] : kMagics) {
        if (starts_with(head, magic) && (std::string_view(by) != "bzip2" || digits_at(head, 3, 1))) return by;
    }
    return nullptr;
}

bool may_begin_compressed(std::string_view head) {
    for (const auto& [magic, by] : kMagics) {
        const std::size_t whole = magic.size() + (std::string_view(by) == "bzip2" ? 1 : 0);
        if (head.size() < whole && starts_with(magic, head.substr(0, magic.size()))) return true;
    }
    return false;
}

bool looks_like_error_log(std::string_view text) {
    static constexpr std::string_view kDays[] = {"[Mon ", "[Tue ", "[Wed ", "[Thu ", "[Fri ", "[Sat ", "[Sun "};
    for (const auto day : kDays) {
        if (starts_with(text, day)) return text.find("] [", 5) != std::string_view::npos;
    }
    return digits_at(text, 0, 4) && text.size() > 20 && text[4] == '/' && digits_at(text, 5, 2) && text[7] == '/' &&
           digits_at(text, 8, 2) && text[10] == ' ' && digits_at(text, 11, 2) && text[13] == ':' && text[19] == ' ' &&
           text[20] == '[';
}

namespace {

// A line found wrong at `error`: what it is, when it can be told (only invalid lines pay).
ParseError diagnose(std::string_view text, ParseError error) {
    if (compressed_by(text) != nullptr) return ParseError::compressed;
    if (looks_like_error_log(text)) return ParseError::error_log;
    if (error != ParseError::bad_host && error != ParseError::bad_ident_or_user && error != ParseError::bad_time) {
        return error;
    }
    // A well-formed time after the wrong number of fields says more than the field that broke.
    const int fields = fields_before_a_time(text);
    if (fields > 3) return ParseError::fields_before_time;
    if (fields >= 1 && fields < 3) return ParseError::bad_ident_or_user;
    return error;
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
        case ParseError::bad_status: return "expected a 3-digit status from 100 to 999";
        case ParseError::bad_bytes: return "expected a byte count or -";
        case ParseError::bad_referer: return "expected a quoted referer";
        case ParseError::bad_user_agent: return "expected a quoted user-agent";
        case ParseError::compressed: return "compressed input: pipe it through zcat (or bzcat, xzcat, zstdcat)";
        case ParseError::error_log: return "an error log, not an access log";
        case ParseError::fields_before_time:
            return "one field too many before the time (Apache vhost_combined starts with the virtual host; "
                   "an X-Forwarded-For list holds several addresses)";
        case ParseError::bad_field: return "a field, or the text between fields, not as the log format says";
        case ParseError::bad_duration: return "expected a response time (a number, or -)";
        case ParseError::looks_like_combined:
            return "not in the configured log format: the line looks like combined (format = combined)";
        case ParseError::looks_like_vhost_combined:
            return "not in the configured log format: the line looks like vhost_combined (format = vhost_combined)";
        case ParseError::bad_json: return "expected one JSON object on the line";
        case ParseError::looks_like_json:
            return "not in the configured log format: the line looks like a JSON log (format = json)";
        case ParseError::other_program:
            return "another program's syslog message, not an access log line";
        case ParseError::looks_like_alb:
            return "not in the configured log format: the line looks like an AWS load balancer's (format = alb)";
        case ParseError::looks_like_haproxy:
            return "not in the configured log format: the line looks like HAProxy's (format = haproxy)";
        case ParseError::looks_like_envoy:
            return "not in the configured log format: the line looks like Envoy's default (format = envoy)";
        case ParseError::looks_like_istio:
            return "not in the configured log format: the line looks like Istio's default (format = istio)";
        case ParseError::no_response:
            return "no response was sent (status 0, 000 or -1: the client went away, or the server gave up, first)";
        case ParseError::tcp_connection:
            return "a TCP connection, not an HTTP request (Envoy logs one as \"- - -\" with status 0)";
    }
    return "unknown";
}

const char* name_of(ParseError error) {
    switch (error) {
        case ParseError::none: return "none";
        case ParseError::blank: return "blank";
        case ParseError::bad_host: return "bad_host";
        case ParseError::bad_ident_or_user: return "bad_ident_or_user";
        case ParseError::bad_time: return "bad_time";
        case ParseError::bad_request: return "bad_request";
        case ParseError::bad_status: return "bad_status";
        case ParseError::bad_bytes: return "bad_bytes";
        case ParseError::bad_referer: return "bad_referer";
        case ParseError::bad_user_agent: return "bad_user_agent";
        case ParseError::compressed: return "compressed";
        case ParseError::error_log: return "error_log";
        case ParseError::fields_before_time: return "fields_before_time";
        case ParseError::bad_field: return "bad_field";
        case ParseError::bad_duration: return "bad_duration";
        case ParseError::looks_like_combined: return "looks_like_combined";
        case ParseError::looks_like_vhost_combined: return "looks_like_vhost_combined";
        case ParseError::bad_json: return "bad_json";
        case ParseError::looks_like_json: return "looks_like_json";
        case ParseError::other_program: return "other_program";
        case ParseError::looks_like_alb: return "looks_like_alb";
        case ParseError::looks_like_haproxy: return "looks_like_haproxy";
        case ParseError::looks_like_envoy: return "looks_like_envoy";
        case ParseError::looks_like_istio: return "looks_like_istio";
        case ParseError::no_response: return "no_response";
        case ParseError::tcp_connection: return "tcp_connection";
    }
    return "unknown";
}

const char* reason_name(std::size_t reason) {
    return reason == kOverlongReason ? "overlong" : name_of(static_cast<ParseError>(reason));
}

namespace {

// Fills `line` field by field; the first field that is not as expected says what is wrong.
ParseError scan(std::string_view text, LogLine& line, DateMemo& memo) {
    text = trim_line(text);
    if (text.empty()) return ParseError::blank;

    Scanner in(text);
    line.host = in.host();
    if (line.host.empty() || line.host.size() > 255) return ParseError::bad_host;
    if (!in.skip_literal(" - - [")) {  // most lines have neither ident nor user
        in.skip(' ');  // the space that ended the host
        if (in.token().empty() || !in.skip(' ') || in.token().empty() || !in.skip(' ')) {
            return ParseError::bad_ident_or_user;
        }
        if (!in.skip('[')) return ParseError::bad_time;
    }
    if (!clf_time(in.take(26), line.time, memo)) return ParseError::bad_time;

    std::string_view request;
    if (!in.skip_literal("] \"")) return in.skip_literal("] ") ? ParseError::bad_request : ParseError::bad_time;
    if (!in.quoted(request) || !in.skip(' ')) return ParseError::bad_request;
    if (!request_section(request, line)) line.section = kNoSection;  // traffic all the same

    // 100 to 999: servers and proxies write codes past 599 (EZproxy's 906); the class is the
    // first digit.
    if (!in.status_code(line.status)) return ParseError::bad_status;
    if (line.status < 100) return line.status == 0 ? ParseError::no_response : ParseError::bad_status;
    if (!in.skip(' ')) return ParseError::bad_bytes;
    if (!in.byte_count(line.bytes) || line.bytes > kMaxBytes) return ParseError::bad_bytes;
    if (in.at_end()) return ParseError::none;  // Common Log Format
    in.skip(' ');
    if (in.at_end()) return ParseError::none;
    std::string_view field;
    if (!in.skip('"') || !in.quoted(field)) return ParseError::bad_referer;
    if (!in.skip(' ') || !in.skip('"')) return ParseError::bad_user_agent;
    if (!in.closes_at_end() && !in.quoted(field)) return ParseError::bad_user_agent;
    // Whatever follows the user-agent (nginx's "$http_x_forwarded_for", timings) is not ours.
    line.combined = true;
    return ParseError::none;
}

// The full scanner's answer, an invalid line named for what it is.
ParseError read_in_full(std::string_view text, LogLine& line, DateMemo& memo) {
    const ParseError error = scan(text, line, memo);
    return error == ParseError::none || error == ParseError::blank ? error : diagnose(text, error);
}

}  // namespace

ParseResult LogParser::parse(std::string_view text) {
    ParseResult r;  // one object filled in place and returned without a copy
    parse(text, r);
    return r;
}

void LogParser::parse_in_full(std::string_view text, ParseResult& r) { r.error = read_in_full(text, r.line, memo_); }

ParseResult parse_line(std::string_view text) { return LogParser().parse(text); }

ParseResult parse_line_in_full(std::string_view text) {
    ParseResult r;
    DateMemo memo;
    r.error = read_in_full(text, r.line, memo);
    return r;
}

}  // namespace hitwatch
