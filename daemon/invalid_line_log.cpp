#include "invalid_line_log.h"

#include <cstdio>

#include "logging.h"

namespace hitwatchd {

std::string printable_excerpt(std::string_view text, size_t limit) {
    std::string out;
    for (size_t i = 0; i < text.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        }
    }
    if (text.size() > limit) out += "...";
    return out;
}

void InvalidLineLog::note(std::uint64_t line_number, hitwatch::ParseError error,
                          std::string_view text) {
    log(line_number, hitwatch::describe(error), text);
}

void InvalidLineLog::note_overlong(std::uint64_t line_number, size_t max_line) {
    log(line_number, "longer than --max-line " + std::to_string(max_line) + " bytes", {});
}

void InvalidLineLog::log(std::uint64_t line_number, std::string_view why, std::string_view text) {
    if (!limiter_.allow(std::chrono::steady_clock::now())) return;
    // A file first met at its end has lines of unknown number.
    std::string message = line_number > 0 ? "invalid line " + std::to_string(line_number) + " of " + source_ + ": "
                                          : "invalid line in " + source_ + ": ";
    message += why;
    if (!text.empty()) message += ": " + printable_excerpt(text);
    if (const auto suppressed = limiter_.take_suppressed()) {
        message += " (" + std::to_string(suppressed) + " more invalid lines not shown)";
    }
    HW_LOG(warning) << message;
}

}  // namespace hitwatchd
