// SPDX-License-Identifier: Apache-2.0
#pragma once
// A rotated copy that logrotate has compressed (access.log.1.gz, or .xz or .zst by its
// compresscmd) cannot be read as a log, but it can still tell whether it is the file that was
// being read (its first bytes, once inflated) and how long it was: so the bytes lost with it
// are counted exactly instead of guessed. gzip keeps the length in its trailer (modulo 4 GiB)
// and xz in its index; zstd keeps none when it compresses a pipe, as compresscmd has it do, so
// a zstd file whose first bytes are a saved file's is inflated to its end to measure it.
// (bzip2 is not looked at: its first bytes cost a block of up to 900 kB to inflate, and its
// length the whole file, at a megabyte a few milliseconds.)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tail/file_identity.h"

namespace hitwatch {

struct CompressedCopy {
    std::string kind;                    // "gzip", "xz" or "zstd"
    std::optional<std::uint64_t> size;   // inflated; none if not measured or it cannot be told
    std::vector<bool> head_matches;      // per identity asked about
};

// The file names such copies have.
bool named_as_compressed(const std::string& path);

// Facts of a compressed file, checked against `identities`; nullopt if it is not gzip, xz or
// zstd. Its size is measured only when its first bytes are one of the identities', and a
// zstd file's only if inflating it gives at most `inflate_at_most` bytes (0: it is not inflated).
std::optional<CompressedCopy> inspect_compressed(const std::string& path, const std::vector<FileIdentity>& identities,
                                                 std::uint64_t inflate_at_most);

// What a restart inflates at most to measure a zstd copy: about 4 s on one core, and a service
// manager's watchdog waits 30 s (the unit's WatchdogSec).
inline constexpr std::uint64_t kInflatedAtMost = std::uint64_t{4} << 30;

}  // namespace hitwatch
