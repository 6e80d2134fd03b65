// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reports appended to a descriptor (standard output, the report file), each with one
// write(2): lines from one writer are never interleaved with half of another. A write that
// fails is one error message, and the daemon goes on with its other outputs and its
// checkpoints:
// - in a regular file (a full disk, a file size limit), the part of the text that got in is
//   cut off again, so readers never meet half a line; the text is counted as lost, the next
//   report tries again, and writing resumes, with a message, once there is room;
// - a pipe whose reader is gone (EPIPE) stays gone: nothing more is written to it.
// Each write goes to the end of a regular file, so a file that logrotate truncated under it
// (copytruncate) is written from its new end, not left with a hole.
#include <cstdint>
#include <string>
#include <string_view>

namespace hitwatchd {

class LineOutput {
public:
    explicit LineOutput(std::string name) : name_(std::move(name)) {}

    // Appends `text` to `fd`: false if it could not. fd < 0 is an output that could not be
    // opened, with `error` its errno. `texts`: the reports and alerts `text` holds.
    bool append(int fd, std::string_view text, int error = 0, std::uint64_t texts = 1);
    bool ever_failed() const { return ever_failed_; }
    bool gone() const { return gone_; }

private:
    void failed(int error, std::uint64_t texts);

    std::string name_;
    std::uint64_t lost_ = 0;  // texts not written since the last one that was
    bool ever_failed_ = false;
    bool gone_ = false;  // a reader that went away
};

}  // namespace hitwatchd
