// SPDX-License-Identifier: Apache-2.0
#include "core/pasted_format.h"

#include <cctype>
#include <vector>

namespace hitwatch {
namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void skip_blanks(std::string_view& s) {
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
}

// A word up to the next blank or ';'.
std::string_view take_word(std::string_view& s) {
    size_t n = 0;
    while (n < s.size() && !blank(s[n]) && s[n] != ';') ++n;
    const std::string_view word = s.substr(0, n);
    s.remove_prefix(n);
    return word;
}

bool starts_with_keyword(std::string_view s, std::string_view keyword, bool any_case) {
    if (s.size() <= keyword.size() || !blank(s[keyword.size()])) return false;
    for (size_t i = 0; i < keyword.size(); ++i) {
        const char c = any_case ? static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))) : s[i];
        if (c != keyword[i]) return false;
    }
    return true;
}

bool identifier(std::string_view word) {
    if (word.empty()) return false;
    for (const char c : word) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
    }
    return true;
}

// An escape at s[i] (a backslash), as nginx's configuration reader takes it: \" \' \\ stand
// for themselves, \t \r \n for their bytes; into `out`, and how many bytes it took (0: not
// an escape, the backslash stays). Apache's reader keeps the same escapes that matter in a format.
size_t take_escape(std::string_view s, size_t i, std::string& out) {
    if (s[i] != '\\' || i + 1 == s.size()) return 0;
    const char next = s[i + 1];
    if (next == '"' || next == '\'' || next == '\\') {
        out += next;
        return 2;
    }
    if (next == 't' || next == 'r' || next == 'n') {
        out += next == 't' ? '\t' : next == 'r' ? '\r' : '\n';
        return 2;
    }
    return 0;
}

// A quoted piece at the front of `s` (which starts with its quote), unescaped.
std::optional<std::string> take_quoted(std::string_view& s) {
    const char quote = s.front();
    std::string piece;
    for (size_t i = 1; i < s.size(); ++i) {
        const char c = s[i];
        if (c == quote) {
            s.remove_prefix(i + 1);
            return piece;
        }
        if (const size_t taken = take_escape(s, i, piece)) {
            i += taken - 1;
            continue;
        }
        piece += c;
    }
    return std::nullopt;
}

// Pieces (quoted, or bare words as nginx also takes) up to the end or a ';', run together.
// `words` counts the pieces, `quoted_only` tells whether every one was quoted.
std::optional<std::string> take_pieces(std::string_view& s, std::string& error, size_t& pieces, bool& quoted_only) {
    std::string joined;
    pieces = 0;
    quoted_only = true;
    for (skip_blanks(s); !s.empty() && s.front() != ';'; skip_blanks(s)) {
        if (s.front() == '\'' || s.front() == '"') {
            const char quote = s.front();
            const auto piece = take_quoted(s);
            if (!piece) {
                error = std::string("a piece opens ") + quote + " and never closes it";
                return std::nullopt;
            }
            joined += *piece;
        } else {
            quoted_only = false;
            joined += take_word(s);
        }
        ++pieces;
    }
    return joined;
}

// After the pieces: nothing, or ';' and nothing.
bool only_an_end_left(std::string_view s) {
    skip_blanks(s);
    if (!s.empty() && s.front() == ';') s.remove_prefix(1);
    skip_blanks(s);
    return s.empty();
}

std::optional<Unpasted> unpaste_nginx(std::string_view s) {
    Unpasted out;
    skip_blanks(s);
    take_word(s);  // the format's name
    skip_blanks(s);
    if (s.substr(0, 7) == "escape=") take_word(s);
    size_t pieces = 0;
    bool quoted_only = true;
    const auto joined = take_pieces(s, out.error, pieces, quoted_only);
    if (!joined) return out;
    if (pieces == 0) out.error = "log_format has a name but no format after it";
    else if (!only_an_end_left(s)) out.error = "log_format has more after its closing ';'";
    out.format = *joined;
    return out;
}

std::optional<Unpasted> unpaste_apache(std::string_view s) {
    Unpasted out;
    skip_blanks(s);
    if (s.empty()) {
        out.error = "LogFormat has no format after it";
        return out;
    }
    if (s.front() == '"' || s.front() == '\'') {
        const char quote = s.front();
        const auto format = take_quoted(s);
        if (!format) {
            out.error = std::string("LogFormat's format opens ") + quote + " and never closes it";
            return out;
        }
        out.format = *format;
    } else {
        out.format = std::string(take_word(s));
    }
    skip_blanks(s);
    if (!s.empty()) take_word(s);  // the nickname
    skip_blanks(s);
    if (!s.empty()) out.error = "LogFormat has more after its format and nickname";
    return out;
}

}  // namespace

std::optional<Unpasted> unpaste_format(std::string_view spec) {
    std::string_view s = spec;
    skip_blanks(s);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    if (starts_with_keyword(s, "log_format", false)) return unpaste_nginx(s.substr(10));
    if (starts_with_keyword(s, "logformat", true)) return unpaste_apache(s.substr(9));
    if (s.empty() || (s.front() != '\'' && s.front() != '"')) return std::nullopt;
    // Quoted pieces alone: an nginx body ('...' '...';) or Apache's "..." nickname. A format
    // string that merely begins with a quoted field ("%r" %>s) is neither, and stays as it is.
    std::string_view rest = s;
    Unpasted out;
    size_t pieces = 0;
    bool quoted_only = true;
    const auto joined = take_pieces(rest, out.error, pieces, quoted_only);
    if (!joined) return s.front() == '\'' ? std::optional<Unpasted>(out) : std::nullopt;
    const bool nginx_body = quoted_only && (s.front() == '\'' || s.back() == ';') && only_an_end_left(rest);
    if (nginx_body) {
        out.format = *joined;
        return out;
    }
    // "..." nickname
    std::string_view after = s;
    const auto format = take_quoted(after);
    skip_blanks(after);
    std::string_view nickname = after;
    if (format && identifier(take_word(nickname)) && (skip_blanks(nickname), nickname.empty())) {
        out.format = *format;
        return out;
    }
    return std::nullopt;
}

std::string unescape_format(std::string_view spec) {
    std::string out;
    for (size_t i = 0; i < spec.size(); ++i) {
        if (const size_t taken = take_escape(spec, i, out)) {
            i += taken - 1;
            continue;
        }
        out += spec[i];
    }
    return out;
}

}  // namespace hitwatch
