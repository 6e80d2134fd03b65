// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which file a log path holds: device + inode + a hash of its first bytes. The inode alone
// is not enough (inode numbers are reused), and the head alone finds a file that was copied
// (logrotate copytruncate), whatever its inode.
#include <cstddef>
#include <cstdint>
#include <optional>

namespace hitwatch {

struct FileIdentity {
    static constexpr std::uint32_t kHeadBytes = 1024;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t head_hash = 0;    // FNV-1a of the first head_length bytes
    std::uint32_t head_length = 0;  // up to kHeadBytes; less while the file is shorter
};

std::uint64_t hash_head(const void* data, std::size_t size);

// The identity of an open file as it is now; nullopt if it cannot be read.
std::optional<FileIdentity> identify(int fd);

// Whether the open file's first `id.head_length` bytes hash to `id.head_hash` (whatever its
// device and inode: a copy matches too). A shorter file does not match.
bool head_matches(int fd, const FileIdentity& id);

}  // namespace hitwatch
