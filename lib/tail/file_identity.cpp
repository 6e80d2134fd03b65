// SPDX-License-Identifier: Apache-2.0
#include "tail/file_identity.h"

#include <sys/stat.h>

#include "os/posix_io.h"

namespace hitwatch {

std::uint64_t hash_head(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint64_t h = 14695981039346656037ull;
    for (std::size_t i = 0; i < size; ++i) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

std::optional<FileIdentity> identify(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return std::nullopt;
    unsigned char head[FileIdentity::kHeadBytes];
    const ssize_t n = os::pread_all(fd, head, sizeof head, 0);
    if (n < 0) return std::nullopt;
    return FileIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                        hash_head(head, static_cast<std::size_t>(n)), static_cast<std::uint32_t>(n)};
}

bool head_matches(int fd, const FileIdentity& id) {
    if (id.head_length > FileIdentity::kHeadBytes) return false;  // never from a valid identity
    unsigned char head[FileIdentity::kHeadBytes];
    const ssize_t n = os::pread_all(fd, head, id.head_length, 0);
    return n == static_cast<ssize_t>(id.head_length) && hash_head(head, id.head_length) == id.head_hash;
}

}  // namespace hitwatch
