// SPDX-License-Identifier: Apache-2.0
#pragma once
// A compressed input inflated as it is read, from a file or a pipe: gzip, bzip2, xz or zstd,
// as logrotate's `compress` (gzip) or its `compresscmd` leaves a rotated log. Streams (gzip
// members, bzip2 and xz streams, zstd frames) one after another are read as one input, as
// zcat, bzcat, xzcat and zstdcat read them; what follows the last one is not inflated, as zcat
// leaves it, and said (trailing()).
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace hitwatch::os {

class StreamDecompressor {
public:
    // `kind`: what core/parser.h's compressed_by() names ("gzip", "bzip2", "xz", "zstd");
    // `first`: bytes of the input read already (standard input's, read to tell what it is).
    // nullptr for another kind.
    static std::unique_ptr<StreamDecompressor> make(std::string_view kind, std::string_view first);
    virtual ~StreamDecompressor() = default;
    StreamDecompressor(const StreamDecompressor&) = delete;
    StreamDecompressor& operator=(const StreamDecompressor&) = delete;

    // Inflated bytes into `out`: how many, 0 at the end, -1 on an error (errno EIO and error(),
    // or the read's errno). `truncated` is set when the input ends inside a stream.
    ssize_t read(int fd, char* out, std::size_t size, const volatile std::sig_atomic_t* stop, bool& truncated,
                 const std::function<void()>* on_signal = nullptr);
    bool has_input() const { return in_left_ > 0; }
    bool trailing() const { return trailing_; }
    const std::string& error() const { return error_; }
    // "gzip", "bzip2", "xz" or "zstd".
    const std::string& kind() const { return kind_; }

protected:
    StreamDecompressor(std::string kind, std::string_view first);
    enum class Step { more, stream_end, failed };
    // Inflates from `in` into `out`, moving both on by what it took and gave.
    virtual Step step(const unsigned char*& in, std::size_t& in_left, char*& out, std::size_t& out_left) = 0;
    // Ready for the next stream; false (error_ set) if it cannot be.
    virtual bool restart() = 0;
    // Whether `byte` can begin another stream of this kind.
    virtual bool begins_stream(unsigned char byte) const = 0;
    // Whether streams may be followed by NULs in fours (xz's stream padding, which xz -dc
    // reads past: between streams, and after the last).
    virtual bool pads_streams() const { return false; }
    std::string error_;
    bool ok_ = true;  // its library set up

private:
    std::string kind_;
    std::unique_ptr<unsigned char[]> in_;  // not zeroed: a month of small files read each once
    std::size_t in_size_;
    const unsigned char* in_at_ = nullptr;
    std::size_t in_left_ = 0;
    bool between_streams_ = false;  // one ended: another begins, or the input ends
    bool trailing_ = false;         // bytes after the last stream that are not another
    std::uint64_t padding_ = 0;     // NULs since the last stream ended (pads_streams)
};

}  // namespace hitwatch::os
