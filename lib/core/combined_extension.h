// SPDX-License-Identifier: Apache-2.0
#pragma once
// The fields servers commonly append to combined (and vhost_combined) lines: Apache's %D,
// nginx's $request_time and $upstream_response_time, a trailing $host. Auto-detection reads
// them from a log's first lines so that response times are there without configuration.
#include <string>
#include <string_view>
#include <vector>

namespace hitwatch {

struct CombinedExtension {
    std::string name;    // "combined+duration+host", "traefik"; empty when the lines have none known
    std::string format;  // the format string that reads the lines with them
    // Fields after combined's in the first line that has any, when they are not known ones.
    size_t unknown_fields = 0;
};

// For lines that `preset` ("combined" or "vhost_combined") reads: the extension every one of
// them has. Lines that disagree, or fields that are not a known kind, give none.
CombinedExtension find_combined_extension(std::string_view preset, const std::vector<std::string_view>& lines);

}  // namespace hitwatch
