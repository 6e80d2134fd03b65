#pragma once
// Which file a log path holds: device + inode + a hash of its first bytes, so a reused
// inode number is not mistaken for the file we were reading.
#include <cstdint>
#include <optional>

namespace hitwatch {

struct FileIdentity {
    static constexpr std::uint32_t kHeadBytes = 1024;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t head_hash = 0;   // FNV-1a of the first head_length bytes
    std::uint32_t head_length = 0;  // up to kHeadBytes; less while the file is shorter
};

// The identity of an open file as it is now; nullopt if it cannot be read.
std::optional<FileIdentity> identify(int fd);

// True if the open file is the one `id` describes: same device and inode, and its first
// id.head_length bytes hash the same (a file only grows, so a shorter head is another file).
bool matches(const FileIdentity& id, int fd);

}  // namespace hitwatch
