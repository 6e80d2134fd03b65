// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reports appended to a descriptor (standard output, the report file), each with one
// write(2): lines from one writer are never interleaved with half of another. A write that
// fails is one error message, and the daemon goes on with its other outputs and its
// checkpoints:
// - in a regular file (a full disk, a file size limit), the part of the text that got in is
//   cut off again, so readers never meet half a line; the text is counted as lost, the next
//   report tries again, and writing resumes, with a message, once there is room;
// - a pipe whose reader is gone (EPIPE) stays gone: nothing more is written to it; so does one
//   that takes nothing once a replay was told to stop (give_up_at).
// Each write goes to the end of a regular file, so a file that logrotate truncated under it
// (copytruncate) is written from its new end, not left with a hole.
// A replay of files into a file holds its texts and writes them 64 KiB at a time (hold()):
// no one waits for each report there, and a month of 10 s intervals is 259,200 of them, each a
// write and a seek otherwise.
#include <csignal>
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
    // From now on, add() holds the texts, and writes them kHeldBytes at a time.
    void hold() { hold_ = true; }
    bool holds() const { return hold_; }
    // A report or alert: appended now, or held. The held texts with it once they are
    // kHeldBytes: true if the caller is to write them now (write_held).
    bool add(int fd, std::string_view text) {
        if (!hold_) return append(fd, text), false;
        held_ += text;
        ++held_texts_;
        return held_.size() >= kHeldBytes;
    }
    // Writes what is held (at the end, and before SIGUSR1's summary so far).
    void write_held(int fd, int error = 0);
    bool has_held() const { return !held_.empty(); }
    // Once `*stop` is set (a replay's stop signal), a write that the reader leaves waiting gives
    // the output up (os::write_all): a stalled pager does not hold up a replay told to stop.
    void give_up_at(const volatile std::sig_atomic_t* stop) { stop_ = stop; }
    bool ever_failed() const { return ever_failed_; }
    bool gone() const { return gone_; }

private:
    void failed(int error, std::uint64_t texts);

    static constexpr std::size_t kHeldBytes = 64 * 1024;

    std::string name_;
    const volatile std::sig_atomic_t* stop_ = nullptr;
    bool hold_ = false;
    std::string held_;
    std::uint64_t held_texts_ = 0;
    std::uint64_t lost_ = 0;  // texts not written since the last one that was
    bool ever_failed_ = false;
    bool gone_ = false;  // a reader that went away
};

}  // namespace hitwatchd
