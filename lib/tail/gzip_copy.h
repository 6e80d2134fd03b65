// SPDX-License-Identifier: Apache-2.0
#pragma once
// A rotated copy that logrotate has compressed (access.log.1.gz) cannot be read as a log,
// but it can still tell whether it is the file that was being read (its first bytes, once
// inflated) and how long it was (the gzip trailer's ISIZE): so the bytes lost with it are
// counted exactly instead of guessed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tail/file_identity.h"

namespace hitwatch {

struct GzipCopy {
    std::uint64_t size = 0;          // uncompressed (modulo 4 GiB, as gzip keeps it)
    std::vector<bool> head_matches;  // per identity asked about
};

// Facts of a gzip file, checked against `identities`; nullopt if it is not gzip.
std::optional<GzipCopy> inspect_gzip(const std::string& path, const std::vector<FileIdentity>& identities);

}  // namespace hitwatch
