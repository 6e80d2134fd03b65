// SPDX-License-Identifier: Apache-2.0
#include "core/received_syslog.h"

#include <algorithm>
#include <cctype>

namespace hitwatch {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// A word up to the next space; `s` after the space.
std::string_view take_word(std::string_view& s) {
    const std::size_t space = s.find(' ');
    const std::string_view word = s.substr(0, space);
    s.remove_prefix(space == std::string_view::npos ? s.size() : space + 1);
    return word;
}

// RFC 5424's STRUCTURED-DATA: "-" or [..][..] (with \] escaped inside); `s` after it.
bool skip_structured_data(std::string_view& s) {
    if (!s.empty() && s.front() == '-') {
        s.remove_prefix(1);
    } else {
        while (!s.empty() && s.front() == '[') {
            std::size_t i = 1;
            for (; i < s.size() && s[i] != ']'; ++i) {
                if (s[i] == '\\') ++i;
            }
            if (i >= s.size()) return false;
            s.remove_prefix(i + 1);
        }
    }
    if (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return true;
}

// RFC 3164's timestamp "Nov 20 10:00:00" (the day padded with a space or a zero).
bool bsd_timestamp(std::string_view s) {
    return s.size() >= 16 && std::isalpha(static_cast<unsigned char>(s[0])) && s[3] == ' ' && s[6] == ' ' && s[9] == ':' &&
           s[12] == ':' && s[15] == ' ';
}

}  // namespace

ReceivedSyslog parse_syslog(std::string_view m) {
    ReceivedSyslog out;
    while (!m.empty() && (m.back() == '\n' || m.back() == '\r' || m.back() == '\0')) m.remove_suffix(1);
    if (m.size() < 3 || m.front() != '<') return out;
    std::size_t close = 1;
    while (close < m.size() && close <= 4 && digit(m[close])) ++close;
    if (close == 1 || close >= m.size() || m[close] != '>') return out;
    m.remove_prefix(close + 1);
    out.ok = true;
    if (m.size() >= 2 && m[0] == '1' && m[1] == ' ') {  // RFC 5424
        m.remove_prefix(2);
        take_word(m);  // TIMESTAMP
        take_word(m);  // HOSTNAME
        const std::string_view app = take_word(m);
        take_word(m);  // PROCID
        take_word(m);  // MSGID
        if (!skip_structured_data(m)) return out.ok = false, out;
        if (m.size() >= 3 && m.substr(0, 3) == "\xEF\xBB\xBF") m.remove_prefix(3);  // a UTF-8 MSG's BOM
        out.tag = app == "-" ? std::string_view() : app;
        out.content = m;
        return out;
    }
    // RFC 3164: [TIMESTAMP HOSTNAME ]TAG[PID]: MSG. A sender may leave out the host.
    if (bsd_timestamp(m)) m.remove_prefix(16);
    std::string_view rest = m;
    std::string_view word = take_word(rest);
    if (word.empty() || (word.back() != ':' && word.find('[') == std::string_view::npos)) {
        m = rest;  // that was the host
        rest = m;
        word = take_word(rest);
    }
    const std::size_t end = word.find_first_of("[:");
    if (end == std::string_view::npos) {  // no tag: all of it is the message
        out.content = m;
        return out;
    }
    out.tag = word.substr(0, end);
    out.content = rest;
    return out;
}

SyslogFramer::Frame SyslogFramer::next(std::string_view& rest) {
    Frame f;
    if (discard_ > 0) {
        const std::size_t n = std::min(discard_, rest.size());
        rest.remove_prefix(n);
        discard_ -= n;
        if (discard_ > 0) return f;
    }
    if (discarding_line_) {
        const std::size_t newline = rest.find('\n');
        if (newline == std::string_view::npos) {
            rest = {};
            return f;
        }
        rest.remove_prefix(newline + 1);
        discarding_line_ = false;
    }
    while (!rest.empty() && (rest.front() == '\n' || rest.front() == '\r')) rest.remove_prefix(1);
    if (rest.empty()) return f;
    if (digit(rest.front())) {  // octet counting: LEN SP MSG
        std::size_t i = 0, length = 0;
        while (i < rest.size() && digit(rest[i]) && i < 10) length = length * 10 + static_cast<std::size_t>(rest[i++] - '0');
        if (i == rest.size()) return f;  // the length goes on
        if (rest[i] == ' ') {
            rest.remove_prefix(i + 1);
            if (length > max_) {
                discard_ = length;
                f.kind = Frame::overlong;
                return f;
            }
            if (rest.size() < length) {
                rest = std::string_view(rest.data() - i - 1, rest.size() + i + 1);  // wait for all of it
                return f;
            }
            f.kind = Frame::message;
            f.text = rest.substr(0, length);
            rest.remove_prefix(length);
            return f;
        }
        // Digits not followed by a space: a message framed by its newline after all.
    }
    const std::size_t newline = rest.find('\n');
    if (newline == std::string_view::npos) {
        if (rest.size() > max_) {
            rest = {};
            discarding_line_ = true;
            f.kind = Frame::overlong;
        }
        return f;
    }
    if (newline > max_) {
        rest.remove_prefix(newline + 1);
        f.kind = Frame::overlong;
        return f;
    }
    f.kind = Frame::message;
    f.text = rest.substr(0, newline);
    rest.remove_prefix(newline + 1);
    return f;
}

}  // namespace hitwatch
