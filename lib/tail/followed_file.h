// SPDX-License-Identifier: Apache-2.0
#pragma once
// One open log file being read: from where it starts (a checkpoint, its start, or after its
// last complete line), in bounded reads, handing out complete lines. It knows how far it has
// read, how far it has committed (whole lines only), and the head it had, so a truncation
// shows even when the file has grown past the old offset again. A FIFO is a stream: read as
// it comes, with no size, no identity and no offsets.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "tail/file_identity.h"
#include "tail/line_assembler.h"
#include "tail/saved_log.h"

namespace hitwatch {

class FollowedFile {
public:
    enum class Kind { regular, stream, other };

    // Opens `path` for reading without blocking (a FIFO with no writer included); nullptr
    // with `error` set to the errno if it cannot.
    static std::unique_ptr<FollowedFile> open(const std::string& path, std::size_t max_line, int& error);
    ~FollowedFile();
    FollowedFile(const FollowedFile&) = delete;
    FollowedFile& operator=(const FollowedFile&) = delete;

    Kind kind() const { return kind_; }
    bool is_stream() const { return kind_ == Kind::stream; }

    // Where reading starts. A stream is read as it comes, whatever these say.
    void start_at(const SavedFile& saved);        // where a checkpoint left it
    void start_at_start();                        // its first byte, line 1
    void start_at_end(std::uint64_t limit = UINT64_MAX);  // after its last complete line (at or before limit)
    // It was truncated in place: read it again from its start, as the new file it now is.
    void restart_truncated();
    // It was cut short in place, its head intact: read on from `at` (SavedFile::cut_to).
    void continue_after_cut(const SavedFile& at);

    // Reads up to about `budget` bytes, calling on_read() after each read that got bytes, then
    // on_line(std::string_view, line number) for each complete line and on_overlong(line
    // number) for each line over the limit (line numbers are 0 when not known). True if it
    // read all there was; false if the budget ran out first or a read failed (error() is
    // then set).
    template <class OnRead, class OnLine, class OnOverlong>
    bool read_some(std::size_t budget, OnRead&& on_read, OnLine&& on_line, OnOverlong&& on_overlong) {
        for (std::size_t done = 0; done < budget;) {
            const auto space = lines_.free_space(read_size());
            const long n = read_into(space.data(), space.size());
            if (n <= 0) return n == 0;
            on_read();
            lines_.commit(
                static_cast<std::size_t>(n), [&](std::string_view line) { on_line(line, next_line_number()); },
                [&] { on_overlong(next_line_number()); });
            done += static_cast<std::size_t>(n);
            if (lines_.in_hole()) [[unlikely]] skip_to_data();
        }
        return false;
    }

    // Bytes through the last complete line: where a restart resumes.
    std::uint64_t committed() const { return base_ + lines_.consumed(); }
    // Bytes read, a partial last line included.
    std::uint64_t position() const { return position_; }
    // The size now (fstat), remembered as the largest size seen; 0 for a stream.
    std::uint64_t size();
    // The largest size seen (by size()), at least what was read.
    std::uint64_t largest_size() const { return std::max(largest_size_, position_); }
    // Hard links now: 0 once the file is deleted.
    std::uint64_t links() const;
    // True if the first bytes are still those it had (a file only grows); the known head
    // grows with the file up to FileIdentity::kHeadBytes.
    bool head_unchanged();

    // What a checkpoint keeps of it.
    SavedFile save() const;
    const FileIdentity& identity() const { return identity_; }
    const std::string& path() const { return path_; }
    int fd() const { return fd_; }
    // The last read error (strerror text), once: empty if none since the last call.
    std::string take_error() { return std::exchange(error_, {}); }
    // Gives the read buffer back when no partial line is held (the file is idle).
    void release_buffer() { lines_.release(); }
    std::size_t buffer_capacity() const { return lines_.capacity(); }

private:
    FollowedFile(int fd, std::string path, std::size_t max_line, Kind kind);
    void seek(std::uint64_t offset);
    long read_into(char* data, std::size_t size);
    // Reading is inside a hole (core/nul_hole.h): on to its end if the file system keeps none of
    // its bytes (a writer that seeked past the end), not through a gigabyte of NULs.
    void skip_to_data();
    std::size_t read_size() const;
    std::uint64_t next_line_number() { return lines_before_ ? *lines_before_ + ++lines_read_ : 0; }

    int fd_;
    std::string path_;
    std::size_t max_line_;
    Kind kind_;
    FileIdentity identity_;
    LineAssembler lines_;
    std::uint64_t base_ = 0;      // offset where lines_ started
    std::uint64_t position_ = 0;  // next byte read() returns
    std::uint64_t largest_size_ = 0;
    std::optional<std::uint64_t> lines_before_;  // lines before base_, when known
    std::uint64_t lines_read_ = 0;               // lines handed out since base_
    std::string error_;
};

}  // namespace hitwatch
