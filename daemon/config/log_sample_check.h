// SPDX-License-Identifier: Apache-2.0
#pragma once
// What --check-config says of a log that is there: how many of its first lines its format
// reads, and where the first it does not read stops matching. A format that reads none of
// them is an error: the daemon would count nothing but invalid lines.
#include <string>

#include "config/options.h"

namespace hitwatchd {

struct SampleFindings {
    std::string errors, notes;  // each a line ending in '\n'
};

// Each followed log that is a readable regular file now, read as the options say.
SampleFindings check_log_samples(const Options& options);

}  // namespace hitwatchd
