// SPDX-License-Identifier: Apache-2.0
#include "config/log_sample_check.h"

#include <unistd.h>

#include <algorithm>
#include <optional>

#include "config/log_matches.h"
#include "core/line_parser.h"
#include "core/nul_hole.h"
#include "format/printable_text.h"
#include "os/posix_io.h"

namespace hitwatchd {
namespace {

// The first bytes of a file (enough for kDetectionLines lines; none of a FIFO); nullopt if it
// cannot be read.
std::optional<std::string> head_of(const std::string& path) {
    if (::access(path.c_str(), R_OK) != 0) return std::nullopt;
    return hitwatch::os::read_head(path, 1 << 20);
}

// A JSON log whose first lines have no bytes field: a warning line naming the fields looked for
// (its bytes would count as 0), else nothing.
std::string bytes_warning(const std::string& path, const std::string& head, hitwatch::LineParser& parser) {
    const std::vector<std::string> missing = parser.json_bytes_missing(head);
    if (missing.empty()) return "";
    return "warning: log " + path + ": " + no_bytes_field(missing, "json-field = bytes=NAME") + "\n";
}

std::string check_one(const std::string& path, const std::string& head, const Reading& reading, bool& failed) {
    hitwatch::LineParser parser(format_of(reading), reading.sections);
    const hitwatch::Detection detected = parser.detect(head);
    std::string_view rest = head;
    size_t lines = 0, read = 0, number = 0, first_bad = 0;
    std::string_view bad;
    while (!rest.empty() && lines < hitwatch::kDetectionLines) {
        const size_t newline = rest.find('\n');
        if (newline == std::string_view::npos) break;  // a line still being written is not read yet
        const std::string_view line = hitwatch::after_hole(rest.substr(0, newline));
        rest.remove_prefix(newline + 1);
        ++number;
        if (hitwatch::trim_line(line).empty()) continue;
        ++lines;
        if (parser.parse(line).ok()) {
            ++read;
        } else if (first_bad == 0) {
            first_bad = number;
            bad = line;
        }
    }
    const std::string format = parser.format_name() + (detected.format.empty() ? "" : " (" + detected.format + ")");
    if (lines == 0) return "log " + path + " is empty now: its format is decided by its first lines\n";
    std::string text = "log " + path + ": " + std::to_string(read) + " of its first " + std::to_string(lines) +
                       " lines match " + format;
    if (first_bad == 0) return text + "\n" + bytes_warning(path, head, parser);
    const hitwatch::FieldParser::Mismatch where = parser.mismatch(bad);
    text += "; the first that does not is line " + std::to_string(first_bad);
    if (where.column > 0) {
        text += ", from column " + std::to_string(where.column) + " where the format has " + where.expected;
    } else {
        text += std::string(" (") + hitwatch::describe(parser.parse(bad).error) + ")";  // JSON: the role it lacks
    }
    const std::string_view from = where.column > 0 ? bad.substr(std::min(bad.size(), where.column - 1)) : bad;
    text += ": \"" + hitwatch::printable_text(from, 80) + "\"\n";
    failed = read == 0;
    return failed ? text : "warning: " + text + bytes_warning(path, head, parser);
}

}  // namespace

std::string no_bytes_field(const std::vector<std::string>& names, std::string_view fix) {
    std::string looked_for;
    for (const std::string& name : names) looked_for += (looked_for.empty() ? "" : ", ") + name;
    return "its JSON lines have no bytes field (looked for: " + looked_for +
           "), so their bytes count as 0. If the log has one, name it (" + std::string(fix) + ")";
}

SampleFindings check_log_samples(const Options& options) {
    SampleFindings found;
    for (const auto& log : match_logs(options, {}, nullptr)) {
        const auto head = head_of(log.path);
        if (!head) continue;  // what cannot be opened is said elsewhere
        bool failed = false;
        const std::string said = check_one(log.path, *head, options.reading_of(log.path), failed);
        (failed ? found.errors : found.notes) += said;
    }
    return found;
}

}  // namespace hitwatchd
