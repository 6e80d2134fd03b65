// SPDX-License-Identifier: Apache-2.0
#include "tail/compressed_copy.h"

#include <fcntl.h>
#include <lzma.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string_view>

#include "core/parser.h"
#include "os/posix_io.h"
#include "os/stream_decompressor.h"

namespace hitwatch {
namespace {

struct Descriptor {
    int fd;
    ~Descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

// gzip's trailer ends the file: the length of the last member, modulo 4 GiB.
std::optional<std::uint64_t> gzip_size(int fd, std::uint64_t file_size) {
    unsigned char trailer[4];
    if (file_size < 18 || os::pread_all(fd, trailer, 4, file_size - 4) != 4) return std::nullopt;
    return std::uint64_t{trailer[0]} | std::uint64_t{trailer[1]} << 8 | std::uint64_t{trailer[2]} << 16 |
           std::uint64_t{trailer[3]} << 24;
}

// xz: each stream's index, just before its 12-byte footer, holds the lengths of its blocks;
// streams (and the NULs that pad them in fours) are read from the end back.
std::optional<std::uint64_t> xz_size(int fd, std::uint64_t end) {
    constexpr std::uint64_t kEnds = 2 * LZMA_STREAM_HEADER_SIZE;  // a stream's header and footer
    std::uint64_t total = 0;
    while (end > 0) {
        unsigned char footer[LZMA_STREAM_HEADER_SIZE];
        if (end < kEnds || os::pread_all(fd, footer, sizeof footer, end - sizeof footer) != sizeof footer) {
            return std::nullopt;
        }
        if (std::memcmp(footer + 8, "\0\0\0\0", 4) == 0) {  // padding
            end -= 4;
            continue;
        }
        lzma_stream_flags flags{};
        if (::lzma_stream_footer_decode(&flags, footer) != LZMA_OK || flags.backward_size > end - kEnds ||
            flags.backward_size > (std::uint64_t{64} << 20)) {
            return std::nullopt;
        }
        std::vector<std::uint8_t> index(flags.backward_size);
        if (os::pread_all(fd, index.data(), index.size(), end - sizeof footer - index.size()) !=
            static_cast<ssize_t>(index.size())) {
            return std::nullopt;
        }
        lzma_index* blocks = nullptr;
        std::uint64_t memory = UINT64_MAX;
        std::size_t at = 0;
        if (::lzma_index_buffer_decode(&blocks, &memory, nullptr, index.data(), &at, index.size()) != LZMA_OK) {
            return std::nullopt;
        }
        const std::uint64_t stream = ::lzma_index_file_size(blocks);
        total += ::lzma_index_uncompressed_size(blocks);
        ::lzma_index_end(blocks, nullptr);
        if (stream > end) return std::nullopt;
        end -= stream;
    }
    return total;
}

// A decompressor for the file from its start. Its own reads are of 256 kB; the first bytes of
// a file nearly always come out of far fewer (a restart looks at every rotated file beside the
// log: rotate 365), so it starts from the file's first 16 kB.
std::unique_ptr<os::StreamDecompressor> decompressor_for(int fd, std::string_view kind) {
    std::string first(16 * 1024, '\0');
    const ssize_t got = os::pread_all(fd, first.data(), first.size(), 0);
    if (got <= 0 || ::lseek(fd, got, SEEK_SET) != got) return nullptr;
    first.resize(static_cast<std::size_t>(got));
    return os::StreamDecompressor::make(kind, first);
}

// Its first kHeadBytes inflated (fewer if it is shorter); nullopt if they cannot be.
std::optional<std::string> inflated_head(int fd, std::string_view kind) {
    const auto decompressor = decompressor_for(fd, kind);
    if (!decompressor) return std::nullopt;
    std::string head(FileIdentity::kHeadBytes, '\0');
    std::size_t got = 0;
    while (got < head.size()) {
        bool truncated = false;
        const ssize_t n = decompressor->read(fd, head.data() + got, head.size() - got, nullptr, truncated);
        if (n < 0) return std::nullopt;
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    head.resize(got);
    return head;
}

// Its length inflated, read to its end; nullopt if it is damaged or cut short, or longer
// than `limit`.
std::optional<std::uint64_t> inflated_size(int fd, std::string_view kind, std::uint64_t limit) {
    const auto decompressor = decompressor_for(fd, kind);
    if (!decompressor) return std::nullopt;
    std::string discarded(256 * 1024, '\0');
    std::uint64_t total = 0;
    for (;;) {
        bool truncated = false;
        const ssize_t n = decompressor->read(fd, discarded.data(), discarded.size(), nullptr, truncated);
        if (n < 0) return std::nullopt;
        if (n == 0) return total;
        total += static_cast<std::uint64_t>(n);
        if (total > limit) return std::nullopt;
    }
}

}  // namespace

bool named_as_compressed(const std::string& path) {
    return path.ends_with(".gz") || path.ends_with(".xz") || path.ends_with(".zst");
}

std::optional<CompressedCopy> inspect_compressed(const std::string& path, const std::vector<FileIdentity>& identities,
                                                 std::uint64_t inflate_at_most) {
    const Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)};
    if (file.fd < 0) return std::nullopt;
    char magic[6] = {};
    const ssize_t got = os::pread_all(file.fd, magic, sizeof magic, 0);
    const char* kind = got > 0 ? compressed_by({magic, static_cast<std::size_t>(got)}) : nullptr;
    if (kind == nullptr || std::string_view(kind) == "bzip2") return std::nullopt;
    CompressedCopy copy;
    copy.kind = kind;
    const std::optional<std::string> head = inflated_head(file.fd, kind);
    if (!head) return std::nullopt;
    bool any = false;
    for (const FileIdentity& id : identities) {
        // (An empty head, of a file never read, would match any file.)
        const bool same = id.head_length > 0 && id.head_length <= head->size() &&
                          hash_head(head->data(), id.head_length) == id.head_hash;
        copy.head_matches.push_back(same);
        any = any || same;
    }
    if (!any) return copy;
    const off_t end = ::lseek(file.fd, 0, SEEK_END);
    if (end < 0) return copy;
    if (copy.kind == "gzip") {
        copy.size = gzip_size(file.fd, static_cast<std::uint64_t>(end));
    } else if (copy.kind == "xz") {
        copy.size = xz_size(file.fd, static_cast<std::uint64_t>(end));
    } else if (inflate_at_most > 0) {
        copy.size = inflated_size(file.fd, kind, inflate_at_most);
    }
    return copy;
}

}  // namespace hitwatch
