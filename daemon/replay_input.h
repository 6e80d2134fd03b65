// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a replay reads: one file, standard input, or several files read as one log, oldest
// first. A compressed file, pipe or standard input (gzip, bzip2, xz or zstd, by its first
// bytes, whatever its name) is inflated as it is read.
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "config/options.h"
#include "core/line_parser.h"
#include "core/timestamp.h"
#include "os/stream_decompressor.h"

namespace hitwatchd {

// What a replay reads at a time on one thread, and so its first read: the bytes `auto` decides
// the format by, which a replay on several threads or of logs side by side reads first too.
// Small enough that the lines are still in the core's cache when they are parsed just after
// the kernel copied them (1 MiB reads: one thread's replay of the benchmark log 1-2 % slower).
constexpr std::size_t kReplayReadBytes = 256 * 1024;
// Files of up to 3 reads are faster on one thread than on 2, gzip or not; of 4, alike (a
// month's rotations on 2 threads against 1, interleaved, medians: 2 parts 199 against 162 ms,
// 3 parts 153 against 130, 4 parts 94 against 97, 6 parts 103 against 112).
constexpr std::size_t kOneThreadBytes = 3 * kReplayReadBytes;

// One input, opened: read() gives its bytes (inflated if compressed).
class ReplayInput {
public:
    // "-" is standard input. nullptr, with `error` set, if it cannot be opened.
    static std::unique_ptr<ReplayInput> open(const std::string& path, std::string& error);
    ~ReplayInput();
    ReplayInput(const ReplayInput&) = delete;
    ReplayInput& operator=(const ReplayInput&) = delete;

    // Bytes into `buffer`: how many, 0 at the end, -1 on an error (error() says which) or a
    // stop signal (errno EINTR).
    ssize_t read(char* buffer, std::size_t size, const volatile std::sig_atomic_t* stop);
    // What read() calls when another signal interrupts it, before it reads on (ReplayFeed:
    // SIGUSR1 and SIGHUP answered while a pipe is quiet). Only the thread that reads calls it.
    void on_signal(std::function<void()> answer) { on_signal_ = std::move(answer); }

    // A file whose bytes are its lines' (not compressed, no hole the file system keeps none of):
    // a parallel replay's threads can each read their own part of it (read_at), into their own
    // core's cache, rather than one thread reading every byte for all (on 2 threads the chunks'
    // bytes crossed between the cores twice: the worker's newline scan cost 25 ms instead of 8).
    bool reads_at_offsets() const;
    // Up to `size` bytes at `offset` (fewer only at the end): how many, or -1 with errno. From
    // any thread; the file's offset stays where it is.
    ssize_t read_at(char* buffer, std::size_t size, std::uint64_t offset) const;
    // What has been read at offsets ends at `offset` (what follows is not counted yet): read()
    // goes on there, /proc's fdinfo shows it as a replay's progress, and a file then found
    // shorter than it was when opened was truncated while it was read.
    void read_to(std::uint64_t offset);
    // Reading begins at `offset`, a line's start, not at the file's (--since in a file that is
    // never rotated, dated_start.h): read() and the parts read at offsets go on from there.
    void begin_at(std::uint64_t offset);
    std::uint64_t begins_at() const { return begins_at_; }
    // Reading is inside a hole (core/nul_hole.h): on to its end if the file system keeps none of
    // its bytes (a sparse copy of a log whose writer does not append can be mostly hole), not
    // through gigabytes of NULs. Bytes skipped: 0 for a pipe, a compressed file, or data here.
    std::uint64_t skip_hole();
    std::string error() const;
    // How it is named in messages: the path, or "standard input".
    const std::string& name() const { return name_; }
    bool gzip() const { return decompressor_ != nullptr && decompressor_->kind() == "gzip"; }
    // What it is compressed by ("gzip", "bzip2", "xz", "zstd"); nullptr if it is not.
    const char* compressed_by() const { return decompressor_ ? decompressor_->kind().c_str() : nullptr; }
    // Compressed data followed by bytes that are not (zcat: "trailing garbage ignored"): read to
    // the end of the compressed data, the rest left out.
    bool trailing_data() const;
    // A file found shorter at its end than what had been read of it: truncated in place while
    // it was read (logrotate's copytruncate on a log replayed as it is written), the lines past
    // where reading was left unread. Its size then, and how far reading was.
    struct Truncation {
        std::uint64_t to;
        std::uint64_t at;
    };
    std::optional<Truncation> truncated_while_read() const { return truncated_while_read_; }
    // Whether a read now would wait for a writer (a pipe with nothing in it yet); never for a
    // file.
    bool would_wait() const;
    // The bytes of its lines: a file's size, or for a gzip file what its trailer says it holds
    // (modulo 4 GiB, as gzip -l shows it); none for standard input or a pipe.
    std::optional<std::uint64_t> size() const;
    // A file whose lines are at most kOneThreadBytes (gzip or not): replayed on this thread
    // whatever --threads says. Its first part, the head, is this thread's to read, so a file of
    // 2 or 3 parts is mostly one thread's work whatever parses the rest, and each file's threads
    // (their parsers, their buffers, waking them) cost more than they save.
    bool small() const;
    // Its modification time (now for standard input): the date of its reports when no line
    // has a time.
    hitwatch::UnixSeconds mtime() const { return mtime_; }

private:
    ReplayInput(int fd, std::string name);
    int fd_;
    // By its first bytes: on standard input or a pipe they are read before it is known (a pipe
    // cannot give them back), and handed to it.
    std::unique_ptr<hitwatch::os::StreamDecompressor> decompressor_;
    bool peek_for_magic_ = false;  // standard input or a file that is not regular, not read yet
    bool truncated_ = false;  // compressed data that ends inside a stream
    std::optional<Truncation> truncated_while_read_;
    int errno_ = 0;           // of the read that failed
    std::function<void()> on_signal_;
    bool regular_ = false;  // a regular file (or standard input redirected from one)
    std::string name_;
    hitwatch::UnixSeconds mtime_ = 0;
    std::uint64_t file_size_ = 0;  // a regular file's, when opened
    std::uint64_t read_at_to_ = 0;  // what was read at offsets (read_to) when the file held so much
    std::uint64_t begins_at_ = 0;
};

// Warns of what of `input` was not read once it has ended: bytes after its compressed data
// (ReplayInput::trailing_data), or lines past where it was truncated while it was read, which
// is also returned as the summary's `unread` gives it (empty if it was not truncated).
std::string say_what_was_not_read(const ReplayInput& input);

// The wall clock's time: a replay's reports are dated by it when nothing else dates them.
hitwatch::UnixSeconds now_seconds();

// A file of a replay, with the time of its first valid line and the latest of its first 100, if
// it was looked at (one slow request logged late can be first; a hundred lines cannot all be).
struct ReplayFile {
    std::string path;
    std::optional<hitwatch::UnixSeconds> first_time;
    std::optional<hitwatch::UnixSeconds> head_latest;
};

// `file` dated by the first valid line of `head` and the latest of its first 100, read by
// `parser`: true if it has 100.
bool date_by(std::string_view head, hitwatch::LineParser& parser, ReplayFile& file);

// The files of one replay in the order to read them: oldest first by the time of each one's
// first valid line (read as the options say, its format detected on its own), those without
// one at the end in the order given. One path is returned as it is, its time not looked at;
// so are all, in the order given, when one is not a regular file (a pipe). A file whose lines
// another holds too is left out and said to be (a copy: `gzip -k` leaves access.log.1 beside
// access.log.1.gz; or a copy made before the other grew): files with the same first line are
// compared in their first 64 KiB, and of two alike the smaller is the copy (the gzip one, if
// the same size).
std::vector<ReplayFile> oldest_first(const std::vector<std::string>& paths, const Options& options);

}  // namespace hitwatchd
