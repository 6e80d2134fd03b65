#include "tail/file_identity.h"

#include <sys/stat.h>
#include <unistd.h>

namespace hitwatch {
namespace {

std::uint64_t fnv1a(const unsigned char* p, size_t n) {
    std::uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

// Reads up to n bytes from the start of the file; -1 on error.
ssize_t read_head(int fd, unsigned char* buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        const ssize_t r = ::pread(fd, buf + got, n - got, static_cast<off_t>(got));
        if (r < 0) return -1;
        if (r == 0) break;
        got += static_cast<size_t>(r);
    }
    return static_cast<ssize_t>(got);
}

}  // namespace

std::optional<FileIdentity> identify(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return std::nullopt;
    unsigned char head[FileIdentity::kHeadBytes];
    const ssize_t n = read_head(fd, head, sizeof head);
    if (n < 0) return std::nullopt;
    return FileIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                        fnv1a(head, static_cast<size_t>(n)), static_cast<std::uint32_t>(n)};
}

bool matches(const FileIdentity& id, int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return false;
    if (static_cast<std::uint64_t>(st.st_dev) != id.device || static_cast<std::uint64_t>(st.st_ino) != id.inode) {
        return false;
    }
    unsigned char head[FileIdentity::kHeadBytes];
    const ssize_t n = read_head(fd, head, id.head_length);
    return n == static_cast<ssize_t>(id.head_length) && fnv1a(head, id.head_length) == id.head_hash;
}

}  // namespace hitwatch
