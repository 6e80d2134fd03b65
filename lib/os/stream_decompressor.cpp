// SPDX-License-Identifier: Apache-2.0
#include "os/stream_decompressor.h"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include "os/posix_io.h"

namespace hitwatch::os {
namespace {

// What one read of the compressed input asks for: as much as a replay's read of lines.
constexpr std::size_t kInputBytes = 256 * 1024;
// What one call may be given or asked to fill (zlib's and bzip2's counts are 32 bits).
constexpr std::size_t kMostAtOnce = std::size_t{1} << 30;

class Gzip final : public StreamDecompressor {
public:
    explicit Gzip(std::string_view first) : StreamDecompressor("gzip", first) {
        ok_ = ::inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK;  // 16: a gzip header and trailer
    }
    ~Gzip() override { ::inflateEnd(&z_); }

private:
    Step step(const unsigned char*& in, std::size_t& in_left, char*& out, std::size_t& out_left) override {
        z_.next_in = const_cast<Bytef*>(in);
        z_.avail_in = static_cast<uInt>(std::min(in_left, kMostAtOnce));
        z_.next_out = reinterpret_cast<Bytef*>(out);
        z_.avail_out = static_cast<uInt>(std::min(out_left, kMostAtOnce));
        const uInt given_in = z_.avail_in, given_out = z_.avail_out;
        const int status = ::inflate(&z_, Z_NO_FLUSH);
        in += given_in - z_.avail_in, in_left -= given_in - z_.avail_in;
        out += given_out - z_.avail_out, out_left -= given_out - z_.avail_out;
        if (status == Z_STREAM_END) return Step::stream_end;
        if (status == Z_OK || status == Z_BUF_ERROR) return Step::more;
        error_ = z_.msg != nullptr ? z_.msg : "inflate failed";
        return Step::failed;
    }
    bool restart() override { return ::inflateReset(&z_) == Z_OK; }
    bool begins_stream(unsigned char byte) const override { return byte == 0x1f; }

    z_stream z_{};
};

class Bzip2 final : public StreamDecompressor {
public:
    explicit Bzip2(std::string_view first) : StreamDecompressor("bzip2", first) {
        ok_ = ::BZ2_bzDecompressInit(&bz_, 0, 0) == BZ_OK;
    }
    ~Bzip2() override { ::BZ2_bzDecompressEnd(&bz_); }

private:
    Step step(const unsigned char*& in, std::size_t& in_left, char*& out, std::size_t& out_left) override {
        bz_.next_in = reinterpret_cast<char*>(const_cast<unsigned char*>(in));
        bz_.avail_in = static_cast<unsigned>(std::min(in_left, kMostAtOnce));
        bz_.next_out = out;
        bz_.avail_out = static_cast<unsigned>(std::min(out_left, kMostAtOnce));
        const unsigned given_in = bz_.avail_in, given_out = bz_.avail_out;
        const int status = ::BZ2_bzDecompress(&bz_);
        in += given_in - bz_.avail_in, in_left -= given_in - bz_.avail_in;
        out += given_out - bz_.avail_out, out_left -= given_out - bz_.avail_out;
        if (status == BZ_STREAM_END) return Step::stream_end;
        if (status == BZ_OK) return Step::more;
        error_ = status == BZ_DATA_ERROR_MAGIC ? "not bzip2 data"
                 : status == BZ_MEM_ERROR      ? "out of memory"
                                               : "data error";
        return Step::failed;
    }
    bool restart() override {
        ::BZ2_bzDecompressEnd(&bz_);
        bz_ = bz_stream{};
        if (::BZ2_bzDecompressInit(&bz_, 0, 0) == BZ_OK) return true;
        error_ = "cannot start the next stream";
        return false;
    }
    bool begins_stream(unsigned char byte) const override { return byte == 'B'; }

    bz_stream bz_{};
};

class Xz final : public StreamDecompressor {
public:
    explicit Xz(std::string_view first) : StreamDecompressor("xz", first) { ok_ = restart(); }
    ~Xz() override { ::lzma_end(&xz_); }

private:
    Step step(const unsigned char*& in, std::size_t& in_left, char*& out, std::size_t& out_left) override {
        xz_.next_in = in;
        xz_.avail_in = in_left;
        xz_.next_out = reinterpret_cast<std::uint8_t*>(out);
        xz_.avail_out = out_left;
        const lzma_ret status = ::lzma_code(&xz_, LZMA_RUN);
        out += out_left - xz_.avail_out, out_left = xz_.avail_out;
        in = xz_.next_in, in_left = xz_.avail_in;
        if (status == LZMA_STREAM_END) return Step::stream_end;
        if (status == LZMA_OK || status == LZMA_BUF_ERROR) return Step::more;
        error_ = status == LZMA_MEM_ERROR ? "out of memory" : status == LZMA_FORMAT_ERROR ? "not xz data"
                                                            : status == LZMA_OPTIONS_ERROR ? "unsupported options"
                                                                                           : "corrupt data";
        return Step::failed;
    }
    bool restart() override {
        // (Called again on the same stream, the decoder keeps its memory.)
        if (::lzma_stream_decoder(&xz_, UINT64_MAX, 0) == LZMA_OK) return true;
        error_ = "cannot start a stream";
        return false;
    }
    bool begins_stream(unsigned char byte) const override { return byte == 0xfd; }
    bool pads_streams() const override { return true; }

    lzma_stream xz_ = LZMA_STREAM_INIT;
};

// zstd decoders kept from one file to the next, for the next file to take: a month of hourly
// rotations is 720 files, and a decoder made for each (its tables and buffers allocated and
// faulted in anew) took a fifth of the replay's time. Several are in use at once when logs side
// by side are compressed. (Keeping xz's made its replay slower: 11 k page faults against 0.5 k.)
class KeptZstdDecoders {
public:
    KeptZstdDecoders() = default;
    KeptZstdDecoders(const KeptZstdDecoders&) = delete;
    KeptZstdDecoders& operator=(const KeptZstdDecoders&) = delete;
    ~KeptZstdDecoders() {
        for (ZSTD_DStream* decoder : kept_) ::ZSTD_freeDStream(decoder);
    }
    // One kept, or a new one; nullptr if none can be made.
    ZSTD_DStream* take() {
        {
            std::lock_guard lock(mutex_);
            if (!kept_.empty()) {
                ZSTD_DStream* decoder = kept_.back();
                kept_.pop_back();
                return decoder;
            }
        }
        return ::ZSTD_createDStream();
    }
    // Ready for a new frame, whatever its file left in it (a frame cut short).
    void keep(ZSTD_DStream* decoder) {
        if (decoder == nullptr) return;
        if (::ZSTD_isError(::ZSTD_DCtx_reset(decoder, ZSTD_reset_session_only))) {
            ::ZSTD_freeDStream(decoder);
            return;
        }
        std::lock_guard lock(mutex_);
        kept_.push_back(decoder);
    }

private:
    std::mutex mutex_;
    std::vector<ZSTD_DStream*> kept_;
};

KeptZstdDecoders& kept_zstd_decoders() {
    static KeptZstdDecoders kept;
    return kept;
}

class Zstd final : public StreamDecompressor {
public:
    explicit Zstd(std::string_view first)
        : StreamDecompressor("zstd", first), zstd_(kept_zstd_decoders().take()) {
        ok_ = zstd_ != nullptr;
    }
    ~Zstd() override { kept_zstd_decoders().keep(zstd_); }

private:
    Step step(const unsigned char*& in, std::size_t& in_left, char*& out, std::size_t& out_left) override {
        ZSTD_inBuffer from{in, in_left, 0};
        ZSTD_outBuffer to{out, out_left, 0};
        const std::size_t status = ::ZSTD_decompressStream(zstd_, &to, &from);
        in += from.pos, in_left -= from.pos;
        out += to.pos, out_left -= to.pos;
        if (::ZSTD_isError(status)) {
            error_ = ::ZSTD_getErrorName(status);
            return Step::failed;
        }
        return status == 0 ? Step::stream_end : Step::more;  // 0: a frame ended, all of it given out
    }
    bool restart() override { return true; }  // a frame's end leaves the stream ready for the next
    // A frame, or a skippable frame (0x184D2A5?, little-endian).
    bool begins_stream(unsigned char byte) const override { return byte == 0x28 || (byte & 0xf0) == 0x50; }

    ZSTD_DStream* zstd_;
};

}  // namespace

StreamDecompressor::StreamDecompressor(std::string kind, std::string_view first)
    : kind_(std::move(kind)),
      in_(std::make_unique_for_overwrite<unsigned char[]>(std::max(first.size(), kInputBytes))),
      in_size_(std::max(first.size(), kInputBytes)) {
    if (!first.empty()) std::memcpy(in_.get(), first.data(), first.size());  // a file's: none
    in_at_ = in_.get();
    in_left_ = first.size();
}

std::unique_ptr<StreamDecompressor> StreamDecompressor::make(std::string_view kind, std::string_view first) {
    if (kind == "gzip") return std::make_unique<Gzip>(first);
    if (kind == "bzip2") return std::make_unique<Bzip2>(first);
    if (kind == "xz") return std::make_unique<Xz>(first);
    if (kind == "zstd") return std::make_unique<Zstd>(first);
    return nullptr;
}

ssize_t StreamDecompressor::read(int fd, char* out, std::size_t size, const volatile std::sig_atomic_t* stop,
                                 bool& truncated, const std::function<void()>* on_signal) {
    if (!ok_) {
        if (error_.empty()) error_ = "cannot start its decoder";
        return errno = EIO, -1;
    }
    for (;;) {
        if (in_left_ == 0) {
            const ssize_t n = read_or_wait(fd, in_.get(), in_size_, stop, on_signal);
            if (n < 0) return -1;
            if (n == 0) {
                if (between_streams_) {
                    if (padding_ % 4 != 0) trailing_ = true;
                    return 0;
                }
                truncated = true;
                return errno = EIO, -1;
            }
            in_at_ = in_.get();
            in_left_ = static_cast<std::size_t>(n);
        }
        if (between_streams_) {
            if (pads_streams()) {
                while (in_left_ > 0 && *in_at_ == 0) ++in_at_, --in_left_, ++padding_;
                if (in_left_ == 0) continue;  // more padding, another stream, or the end
            }
            // (Padding that is not whole fours is corrupt, xz says, and reads no further.)
            if (padding_ % 4 != 0 || !begins_stream(*in_at_)) return trailing_ = true, 0;  // not another stream
            padding_ = 0;
            if (!restart()) return errno = EIO, -1;
            between_streams_ = false;
        }
        char* at = out;
        std::size_t room = size;
        const Step step_ended = step(in_at_, in_left_, at, room);
        if (step_ended == Step::failed) return errno = EIO, -1;
        if (step_ended == Step::stream_end) between_streams_ = true;
        if (at > out) return at - out;
    }
}

}  // namespace hitwatch::os
