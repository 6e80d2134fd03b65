// SPDX-License-Identifier: Apache-2.0
#include "tail/gzip_copy.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include "os/posix_io.h"

namespace hitwatch {

std::optional<GzipCopy> inspect_gzip(const std::string& path, const std::vector<FileIdentity>& identities) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return std::nullopt;
    unsigned char magic[2] = {};
    unsigned char trailer[4] = {};
    const off_t end = ::lseek(fd, 0, SEEK_END);
    const bool gzip = os::pread_all(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b && end >= 18 &&
                      os::pread_all(fd, trailer, 4, static_cast<std::uint64_t>(end) - 4) == 4;
    if (!gzip) {
        ::close(fd);
        return std::nullopt;
    }
    GzipCopy copy;
    copy.size = std::uint64_t{trailer[0]} | std::uint64_t{trailer[1]} << 8 | std::uint64_t{trailer[2]} << 16 |
                std::uint64_t{trailer[3]} << 24;
    ::lseek(fd, 0, SEEK_SET);
    gzFile in = ::gzdopen(fd, "rb");  // owns fd from here
    unsigned char head[FileIdentity::kHeadBytes];
    const int got = in ? ::gzread(in, head, sizeof head) : -1;
    if (in) {
        ::gzclose(in);
    } else {
        ::close(fd);
    }
    for (const FileIdentity& id : identities) {
        copy.head_matches.push_back(got >= 0 && id.head_length <= static_cast<unsigned>(got) &&
                                    hash_head(head, id.head_length) == id.head_hash);
    }
    return copy;
}

}  // namespace hitwatch
