// SPDX-License-Identifier: Apache-2.0
#include "core/line_wrapper.h"

#include <cstdint>
#include <optional>

namespace hitwatch {
namespace {

bool hex_digit(char c, unsigned& value) {
    if (c >= '0' && c <= '9') value = value * 16 + static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') value = value * 16 + static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') value = value * 16 + static_cast<unsigned>(c - 'A' + 10);
    else return false;
    return true;
}

// A code point as UTF-8.
void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// The JSON string starting after its opening quote at `text[at]`, unescaped onto `out`;
// the index after its closing quote, or npos. (A surrogate pair's halves are kept apart: a
// log line's text is bytes to us.)
std::size_t take_json_string(std::string_view text, std::size_t at, std::string& out) {
    for (std::size_t i = at; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') return i + 1;
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= text.size()) return std::string_view::npos;
        switch (text[i]) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                unsigned cp = 0;
                if (i + 4 >= text.size()) return std::string_view::npos;
                for (int k = 1; k <= 4; ++k) {
                    if (!hex_digit(text[i + static_cast<std::size_t>(k)], cp)) return std::string_view::npos;
                }
                append_utf8(out, cp);
                i += 4;
                break;
            }
            default: return std::string_view::npos;
        }
    }
    return std::string_view::npos;
}

std::optional<UnixSeconds> iso_time(std::string_view text, IsoTimeMemo* memo) {
    return memo != nullptr ? memo->parse(text) : parse_iso8601_time(text);
}

// BSD syslog's time, "Mmm dd hh:mm:ss" (the day padded with a space): its 15 bytes.
bool bsd_time(std::string_view text) {
    constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (text.size() < 15 || text[3] != ' ' || text[6] != ' ' || text[9] != ':' || text[12] != ':') return false;
    const std::size_t month = kMonths.find(text.substr(0, 3));
    if (month == std::string_view::npos || month % 3 != 0) return false;
    const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    return (text[4] == ' ' || digit(4)) && digit(5) && digit(7) && digit(8) && digit(10) && digit(11) && digit(13) &&
           digit(14);
}

}  // namespace

std::string_view name_of(LineWrapper wrapper) {
    switch (wrapper) {
        case LineWrapper::cri: return "cri";
        case LineWrapper::docker: return "docker";
        case LineWrapper::syslog: return "syslog";
        case LineWrapper::none: break;
    }
    return "";
}

Unwrapped unwrap_cri(std::string_view line, std::string_view& content, IsoTimeMemo* memo) {
    // TIME SP STREAM SP TAG SP CONTENT (the content may be empty: "... stdout F ").
    Unwrapped u;
    const std::size_t time_end = line.find(' ');
    if (time_end == std::string_view::npos || time_end < 20) return u;
    const std::string_view rest = line.substr(time_end + 1);
    std::size_t tag_at;
    if (rest.substr(0, 7) == "stdout ") tag_at = 7;
    else if (rest.substr(0, 7) == "stderr ") tag_at = 7, u.stream = 1;
    else return u;
    if (rest.size() < tag_at + 1 || (rest[tag_at] != 'F' && rest[tag_at] != 'P')) return u;
    if (rest.size() > tag_at + 1 && rest[tag_at + 1] != ' ') return u;
    u.piece = rest[tag_at] == 'P';
    content = rest.size() > tag_at + 2 ? rest.substr(tag_at + 2) : std::string_view();
    u.time = iso_time(line.substr(0, time_end), memo).value_or(0);
    u.ok = true;
    return u;
}

Unwrapped unwrap_syslog(std::string_view line, std::string_view& content, IsoTimeMemo* memo) {
    Unwrapped u;
    std::size_t at = 15;
    if (bsd_time(line)) {
        // journalctl -o short-precise: "Nov 20 10:00:00.123456".
        if (at < line.size() && line[at] == '.') {
            while (++at < line.size() && line[at] >= '0' && line[at] <= '9') {}
        }
    } else {
        at = line.find(' ');
        if (at == std::string_view::npos) return u;
        const std::optional<UnixSeconds> time = iso_time(line.substr(0, at), memo);
        if (!time) return u;
        u.time = *time;
    }
    // HOST SP TAG ":" SP: neither empty, the tag's colon right before the space.
    if (at >= line.size() || line[at] != ' ') return u;
    const std::size_t host_end = line.find(' ', at + 1);
    if (host_end == std::string_view::npos || host_end == at + 1) return u;
    const std::size_t tag_end = line.find(' ', host_end + 1);
    const std::size_t tag_size = (tag_end == std::string_view::npos ? line.size() : tag_end) - host_end - 1;
    if (tag_size < 2 || line[host_end + tag_size] != ':') return u;
    u.tag = line.substr(host_end + 1, tag_size - 1);
    if (const std::size_t pid = u.tag.find('['); pid != std::string_view::npos) u.tag = u.tag.substr(0, pid);
    content = tag_end == std::string_view::npos ? std::string_view() : line.substr(tag_end + 1);
    u.ok = true;
    u.repeats = take_repeated(content);
    return u;
}

std::uint32_t take_repeated(std::string_view& content) {
    // Each line of an access log has its time to the second, so N counts identical requests of
    // one client in about a second: past kMaxRepeats the line is not taken for rsyslog's (a
    // line whose first field a client sets could claim any N, and each is counted one by one).
    constexpr std::uint64_t kMaxRepeats = 1'000'000;
    constexpr std::string_view kStart = "message repeated ", kTimes = " times: [";
    if (content.size() < kStart.size() + 1 + kTimes.size() + 1 || content.substr(0, kStart.size()) != kStart ||
        content.back() != ']') {
        return 1;
    }
    std::size_t at = kStart.size();
    std::uint64_t n = 0;
    while (at < content.size() && content[at] >= '0' && content[at] <= '9' && n <= kMaxRepeats) {
        n = n * 10 + static_cast<std::uint64_t>(content[at++] - '0');
    }
    if (at == kStart.size() || n == 0 || n > kMaxRepeats || content.substr(at, kTimes.size()) != kTimes) return 1;
    std::string_view inside = content.substr(at + kTimes.size());
    inside.remove_suffix(1);
    if (!inside.empty() && inside.front() == ' ') inside.remove_prefix(1);
    content = inside;
    return static_cast<std::uint32_t>(n);
}

bool journal_marker(std::string_view line) {
    return line.size() >= 6 && line.substr(0, 3) == "-- " && line.substr(line.size() - 3) == " --";
}

Unwrapped unwrap_docker(std::string_view line, std::string& out, IsoTimeMemo* memo) {
    Unwrapped u;
    constexpr std::string_view kLog = "{\"log\":\"";
    if (line.substr(0, kLog.size()) != kLog) return u;
    const std::size_t before = out.size();
    const std::size_t after = take_json_string(line, kLog.size(), out);
    if (after == std::string_view::npos) {
        out.resize(before);
        return u;
    }
    u.piece = out.size() == before || out.back() != '\n';
    if (!u.piece) out.pop_back();  // the line's own newline
    if (!u.piece && !out.empty() && out.back() == '\r') out.pop_back();
    u.stream = line.find("\"stream\":\"stderr\"", after) != std::string_view::npos;
    constexpr std::string_view kTime = "\"time\":\"";
    if (const std::size_t t = line.find(kTime, after); t != std::string_view::npos) {
        const std::size_t start = t + kTime.size();
        const std::size_t end = line.find('"', start);
        if (end != std::string_view::npos) u.time = iso_time(line.substr(start, end - start), memo).value_or(0);
    }
    u.ok = true;
    return u;
}

Unwrapped unwrap_onto(LineWrapper wrapper, std::string_view line, std::string& out) {
    if (wrapper == LineWrapper::docker) return unwrap_docker(line, out);
    std::string_view content;
    const Unwrapped u = wrapper == LineWrapper::syslog ? unwrap_syslog(line, content) : unwrap_cri(line, content);
    if (u.ok) out.append(content);
    return u;
}

LineWrapper wrapper_of(std::string_view line) {
    std::string_view content;
    if (unwrap_cri(line, content).ok) return LineWrapper::cri;
    std::string scratch;
    if (unwrap_docker(line, scratch).ok) return LineWrapper::docker;
    if (unwrap_syslog(line, content).ok) return LineWrapper::syslog;
    return LineWrapper::none;
}

}  // namespace hitwatch
