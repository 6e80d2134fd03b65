// SPDX-License-Identifier: Apache-2.0
#include "dated_start.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "replay_feed.h"

namespace hitwatchd {
namespace {

// What is read at a place to date it: 100 lines of up to 650 bytes.
constexpr std::size_t kProbeBytes = 64 * 1024;
// The places spread evenly over a file (their number, less one) that check its lines are in
// time order: logs joined with `cat` are found unless one of them is under a 16th of the file.
constexpr std::uint64_t kSpreadProbes = 16;

// The lines at a place in a file: the first that begins there or after it, with its time, and
// the latest time of the first 100 valid lines.
struct Probe {
    std::uint64_t line_at;
    hitwatch::UnixSeconds first;
    hitwatch::UnixSeconds latest;
};

// The lines at `offset`; nothing if none of them is valid (a run of garbage, a file's end).
std::optional<Probe> probe(const ReplayInput& input, hitwatch::LineParser& parser, std::uint64_t offset,
                           std::string& buffer) {
    // From the byte before: a newline there makes `offset` a line's first byte.
    const std::uint64_t from = offset - 1;
    buffer.resize(kProbeBytes);
    const ssize_t n = input.read_at(buffer.data(), buffer.size(), from);
    if (n <= 0) return std::nullopt;
    std::string_view bytes(buffer.data(), static_cast<std::size_t>(n));
    const std::size_t newline = bytes.find('\n');
    if (newline == std::string_view::npos) return std::nullopt;
    bytes.remove_prefix(newline + 1);
    ReplayFile dated;
    date_by(bytes, parser, dated);
    if (!dated.head_latest) return std::nullopt;
    return Probe{from + newline + 1, *dated.first_time, *dated.head_latest};
}

// The first place looked at whose first line is dated more than `margin` (--max-skew) before
// the first line of a place ahead of it in the file, if any. (Not before the latest of a
// place's 100 lines: two places may overlap.)
std::optional<DatedStart::Disorder> disorder_of(std::vector<Probe> looked, std::int64_t margin) {
    std::sort(looked.begin(), looked.end(), [](const Probe& a, const Probe& b) { return a.line_at < b.line_at; });
    const Probe* latest = nullptr;
    for (const Probe& at : looked) {
        if (latest != nullptr && at.first + margin < latest->first) {
            return DatedStart::Disorder{latest->line_at, latest->first, at.line_at, at.first};
        }
        if (latest == nullptr || at.first > latest->first) latest = &at;
    }
    return std::nullopt;
}

}  // namespace

std::optional<DatedStart> dated_start(const ReplayInput& input, const Reading& reading,
                                      const hitwatch::TimeWindow& window, hitwatch::UnixSeconds learns_from) {
    const std::optional<std::uint64_t> size = input.size();
    if (!size || *size <= 2 * kProbeBytes || !input.reads_at_offsets()) return std::nullopt;
    // The format as the replay will read it: decided by the file's first lines.
    std::string buffer(kProbeBytes, '\0');
    const ssize_t n = input.read_at(buffer.data(), buffer.size(), 0);
    if (n <= 0) return std::nullopt;
    const std::string_view head(buffer.data(), static_cast<std::size_t>(n));
    hitwatch::LineParser parser = parser_for(reading, head);
    if (parser.joins_lines()) return std::nullopt;  // a line's start would be a piece of one
    ReplayFile file;
    date_by(head, parser, file);
    std::vector<Probe> looked;  // every place looked at, to check their order
    if (file.first_time) looked.push_back({0, *file.first_time, *file.head_latest});
    // Bytes before `lo` can be left out, those before `hi` not all: halved down to a probe's size.
    std::uint64_t lo = 0, hi = *size;
    std::optional<Probe> found;
    while (hi - lo > kProbeBytes) {
        const std::uint64_t middle = lo + (hi - lo) / 2;
        const std::optional<Probe> at = probe(input, parser, middle, buffer);
        if (at) looked.push_back(*at);
        if (at && window.ends_before(at->latest, learns_from)) {
            lo = middle;
            found = at;
        } else {
            hi = middle;
        }
    }
    if (!found) return std::nullopt;
    for (std::uint64_t k = 1; k < kSpreadProbes; ++k) {
        if (const auto at = probe(input, parser, *size / kSpreadProbes * k, buffer)) looked.push_back(*at);
    }
    DatedStart start{found->line_at, found->first, file.first_time, std::nullopt};
    if ((start.disorder = disorder_of(looked, window.margin()))) start.at = 0;
    return start;
}

}  // namespace hitwatchd
