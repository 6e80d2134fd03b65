#pragma once
// One open log file being read from an offset: reads in bounded chunks, hands out complete
// lines, and knows how far it has read and how far it has committed (whole lines only).
#include <cstdint>
#include <memory>
#include <string>

#include "tail/file_identity.h"
#include "tail/line_assembler.h"

namespace hitwatch {

class FollowedFile {
public:
    // Opens `path` for reading; nullptr with `error` set (strerror text) if it cannot.
    static std::unique_ptr<FollowedFile> open(const std::string& path, size_t max_line, std::string& error);
    ~FollowedFile();
    FollowedFile(const FollowedFile&) = delete;
    FollowedFile& operator=(const FollowedFile&) = delete;

    // Continue from `offset`, which must be the start of a line (a checkpoint, or the end).
    void seek(std::uint64_t offset);
    // Read it again from 0: it was truncated (copytruncate).
    void rewind() { seek(0); }

    // Reads up to about `budget` bytes, calling on_line(std::string_view) for each complete
    // line and on_overlong() for each line over the limit. True if it reached the end of
    // the file; false if the budget ran out first or a read failed (error() says why).
    template <class OnLine, class OnOverlong>
    bool read_some(size_t budget, OnLine&& on_line, OnOverlong&& on_overlong) {
        for (size_t done = 0; done < budget;) {
            const auto space = lines_->free_space();
            const ssize_t n = read_into(space.data(), space.size());
            if (n <= 0) return n == 0;
            lines_->commit(static_cast<size_t>(n), on_line, on_overlong);
            done += static_cast<size_t>(n);
        }
        return false;
    }

    // Bytes through the last complete line: where a restart resumes.
    std::uint64_t committed() const { return base_ + lines_->consumed(); }
    // Bytes read, a partial last line included.
    std::uint64_t position() const { return position_; }
    // The file's size now (0 if it cannot be told).
    std::uint64_t size() const;
    // Smaller than what was read: truncated in place.
    bool truncated() const { return size() < position_; }

    // The identity as it is now (the head grows until it is 1 KiB long).
    FileIdentity identity() const;
    int fd() const { return fd_; }
    const std::string& path() const { return path_; }
    const std::string& error() const { return error_; }

private:
    FollowedFile(int fd, std::string path, size_t max_line);
    ssize_t read_into(char* data, size_t size);

    int fd_;
    std::string path_;
    size_t max_line_;
    std::unique_ptr<LineAssembler> lines_;
    std::uint64_t base_ = 0;      // offset where lines_ started
    std::uint64_t position_ = 0;  // next byte read() returns
    std::string error_;
};

}  // namespace hitwatch
