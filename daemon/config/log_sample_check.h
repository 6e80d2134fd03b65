// SPDX-License-Identifier: Apache-2.0
#pragma once
// What --check-config says of a log that is there: how many of its first lines its format
// reads, and where the first it does not read stops matching. A format that reads none of
// them is an error: the daemon would count nothing but invalid lines.
#include <string>
#include <string_view>
#include <vector>

#include "config/options.h"

namespace hitwatchd {

struct SampleFindings {
    std::string errors, notes;  // each a line ending in '\n'
};

// Each followed log that is a readable regular file now, read as the options say.
SampleFindings check_log_samples(const Options& options);

// What the daemon and --check-config say of a JSON log whose first lines have none of these
// bytes fields (LineParser::json_bytes_missing), `fix` naming the option as the reader writes it.
std::string no_bytes_field(const std::vector<std::string>& names, std::string_view fix);

}  // namespace hitwatchd
