// SPDX-License-Identifier: Apache-2.0
#pragma once
// Log files that wrap each line a server wrote. Container runtimes': Kubernetes CRI
// ("2025-11-20T10:00:00.123456789Z stdout F <line>", a line over 16 KiB in "P" pieces before
// its "F") and Docker's json-file ({"log":"<line>\n","stream":"stdout","time":"..."}, a piece
// without its "\n"). And syslog's: nginx's access_log syslog:server=... as rsyslog or
// syslog-ng store it, or journalctl prints it ("Nov 20 10:00:00 web1 nginx: <line>"). What is
// inside is read in any format: `cri+combined`, `docker+nginx`, `syslog+combined`.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/timestamp.h"

namespace hitwatch {

enum class LineWrapper : std::uint8_t { none, cri, docker, syslog };

// "cri", "docker", "syslog", "" for none.
std::string_view name_of(LineWrapper wrapper);

// One wrapped line, taken apart.
struct Unwrapped {
    bool ok = false;       // in the wrapper's shape
    bool piece = false;    // a piece of a longer line: the next one goes on with it
    UnixSeconds time = 0;  // the runtime's time of it (0 when it cannot be read)
    std::string_view tag;  // syslog's: the program ("nginx" of "nginx[812]:")
    std::uint32_t repeats = 1;  // syslog's "message repeated N times: [LINE]": N (LINE the content)
    // A container's: 0 stdout, 1 stderr. Their lines interleave in one log, and pieces are
    // joined within their stream.
    std::uint8_t stream = 0;
};

// Each reads its time with `memo` when given one (a parser's, for its lines one after another).

// CRI: the content is a view into `line`.
Unwrapped unwrap_cri(std::string_view line, std::string_view& content, IsoTimeMemo* memo = nullptr);
// syslog's TIME HOST TAG: CONTENT, TIME as RFC 3339 (rsyslog's and syslog-ng's files;
// journalctl -o short-iso) or BSD's "Nov 20 10:00:00" (no year: time 0; a fraction after it
// from journalctl -o short-precise), TAG the program
// ("nginx", "nginx[812]", nginx's tag=). The content is a view into `line`; never a piece.
// rsyslog's $RepeatedMsgReduction writes "message repeated N times: [ LINE]" for N more of the
// message before: the content is LINE, and `repeats` N.
Unwrapped unwrap_syslog(std::string_view line, std::string_view& content, IsoTimeMemo* memo = nullptr);
// rsyslog's "message repeated N times: [ LINE]" (the space is LINE's, as syslog sent it): N, and
// `content` made LINE; else 1, `content` as it was. (Its files and what a relay forwards.)
std::uint32_t take_repeated(std::string_view& content);
// journalctl's own lines between the messages: "-- Boot 6e2c... --", "-- No entries --".
bool journal_marker(std::string_view line);
// Docker json-file: the content, its JSON escapes undone, is appended to `out`.
Unwrapped unwrap_docker(std::string_view line, std::string& out, IsoTimeMemo* memo = nullptr);

// Any: the content appended to `out` (a piece's, to be joined with the next).
Unwrapped unwrap_onto(LineWrapper wrapper, std::string_view line, std::string& out);

// Whether a line is in one of the shapes (for auto-detection).
LineWrapper wrapper_of(std::string_view line);

}  // namespace hitwatch
