#include "core/parser.h"

#include <array>
#include <cstring>
#include <optional>

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

    // A status: three digits followed by a space (not consumed).
    bool status_code(int& status) {
        if (end_ - p_ < 4 || p_[3] != ' ') return false;
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
        const char* from = p_;
        while (const void* found = std::memchr(from, '"', static_cast<size_t>(end_ - from))) {
            const char* q = static_cast<const char*>(found);
            if (!escaped(q, start)) {
                out = {start, static_cast<size_t>(q - start)};
                p_ = q + 1;
                return true;
            }
            from = q + 1;
        }
        return false;
    }

    // After an opening quote: whether the line ends in an unescaped closing quote, which
    // saves scanning a long user-agent. When it does not, quoted() decides.
    bool closes_at_end() const {
        return end_ != p_ && end_[-1] == '"' && !escaped(end_ - 1, p_);
    }

private:
    bool ends_field() const { return p_ == end_ || *p_ == ' '; }

    static unsigned digit(char c) { return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0'; }

    // A quote at q is escaped by an odd number of backslashes before it (not before start).
    static bool escaped(const char* q, const char* start) {
        size_t backslashes = 0;
        while (q - backslashes > start && q[-1 - static_cast<long>(backslashes)] == '\\') ++backslashes;
        return backslashes % 2 == 1;
    }

    const char* p_;
    const char* end_;
};

// "HH:MM:SS" as seconds since midnight, or -1: the eight bytes read as one word.
int time_of_day(const char* p) {
    constexpr std::uint64_t kColonBytes = 0x0000FF0000FF0000ull;  // bytes 2 and 5
    const std::uint64_t word = swar::load_word(p);
    if ((word & kColonBytes) != (kColonBytes & swar::kOnes * ':')) return -1;
    const std::uint64_t digits = (word & ~kColonBytes) | (kColonBytes & swar::kOnes * '0');
    if (swar::digit_bytes(digits) != swar::kHighs) return -1;
    const std::uint64_t d = digits - swar::kOnes * '0';
    const auto at = [d](int i) { return static_cast<int>((d >> (8 * i)) & 0xFF); };
    const int hour = at(0) * 10 + at(1), minute = at(3) * 10 + at(4), second = at(6) * 10 + at(7);
    if (hour > 23 || minute > 59 || second > 60) return -1;
    return hour * 3600 + minute * 60 + second;
}

// "10/Oct/2000:13:55:36 -0700": the date and the offset change once a day at most, so they
// are remembered and only the time of day is read for each line (also for out-of-order
// lines, which a whole-timestamp memo would miss).
bool read_time_remembered(std::string_view text, UnixSeconds& time, DateMemo& memo) {
    if (text.size() != 26) return false;
    const char* p = text.data();
    const int seconds = time_of_day(p + 12);
    if (memo.valid && seconds >= 0 && same_bytes<12>(p, memo.date) && same_bytes<6>(p + 20, memo.offset)) {
        time = memo.midnight + seconds;
        return true;
    }
    const auto value = parse_clf_time(text);
    if (!value) return false;
    if (seconds >= 0) {
        std::memcpy(memo.date, p, sizeof memo.date);
        std::memcpy(memo.offset, p + 20, sizeof memo.offset);
        memo.midnight = *value - seconds;
        memo.valid = true;
    }
    time = *value;
    return true;
}

bool is_blank(std::string_view s) {
    for (char c : s) {
        if (c != ' ' && c != '\t') return false;
    }
    return true;
}

// "GET /path HTTP/1.1" -> the section of "/path"; a bare "GET /path" (HTTP/0.9) is fine too.
// False if there is no target with a section.
bool read_section(std::string_view request, LogLine& line) {
    const char* end = request.data() + request.size();
    const char* method_end = find_char(request.data(), end, ' ');
    if (method_end == request.data() || method_end == end) return false;
    const char* target = method_end + 1;
    if (target != end && *target == '/') {
        // The common origin-form path: its section without a second look.
        line.section = {target, static_cast<size_t>(segment_end(target + 1, end) - target)};
        return true;
    }
    const auto section = section_of({target, static_cast<size_t>(find_char(target, end, ' ') - target)});
    if (section) line.section = *section;
    return section.has_value();
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

namespace {

// Fills `line` field by field; the first field that is not as expected says what is wrong.
ParseError scan(std::string_view text, LogLine& line, DateMemo& memo) {
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (is_blank(text)) return ParseError::blank;

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
    if (!read_time_remembered(in.take(26), line.time, memo)) return ParseError::bad_time;

    std::string_view request;
    if (!in.skip_literal("] \"")) return in.skip_literal("] ") ? ParseError::bad_request : ParseError::bad_time;
    if (!in.quoted(request) || !in.skip(' ')) return ParseError::bad_request;
    if (!read_section(request, line)) return ParseError::no_target;

    if (!in.status_code(line.status) || line.status < 100 || line.status > 599 || !in.skip(' ')) {
        return ParseError::bad_status;
    }
    if (!in.byte_count(line.bytes)) return ParseError::bad_bytes;
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

}  // namespace

ParseResult LogParser::parse(std::string_view text) {
    ParseResult r;  // one object filled in place and returned without a copy
    r.error = scan(text, r.line, memo_);
    return r;
}

ParseResult parse_line(std::string_view text) { return LogParser().parse(text); }

}  // namespace hitwatch
