// SPDX-License-Identifier: Apache-2.0
#include "sinks/line_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "logging.h"
#include "os/posix_io.h"

namespace hitwatchd {

bool LineOutput::append(int fd, std::string_view text, int error, std::uint64_t texts) {
    if (gone_) return false;
    if (fd < 0) return failed(error, texts), false;
    const off_t before = ::lseek(fd, 0, SEEK_END);  // -1 for a pipe or a terminal
    if (!hitwatch::os::write_all(fd, text.data(), text.size(), stop_)) {
        const int why = errno;
        if (before >= 0) (void)::ftruncate(fd, before);  // the part that got in
        failed(why, texts);
        return false;
    }
    if (lost_ > 0) {
        HW_LOG(info) << "writing to " << name_ << " again; " << lost_ << " report(s) or alert(s) could not be written to it";
        lost_ = 0;
    }
    return true;
}

void LineOutput::write_held(int fd, int error) {
    if (held_.empty()) return;
    append(fd, held_, error, held_texts_);
    held_.clear();
    held_texts_ = 0;
}

void LineOutput::failed(int error, std::uint64_t texts) {
    ever_failed_ = true;
    if (error == EINTR && stop_ != nullptr && *stop_ != 0) {
        gone_ = true;
        HW_LOG(error) << name_ << " did not take the reports after signal " << *stop_ << " (for "
                      << hitwatch::os::kStoppingWaitMs / 1000 << " s): nothing more is written to it (the last "
                      << "report written may be cut short)";
        return;
    }
    if (error == EPIPE) {
        gone_ = true;
        HW_LOG(error) << "cannot write reports to " << name_ << ": " << std::strerror(error)
                      << "; the other outputs and the state file go on";
        return;
    }
    const bool first = lost_ == 0;
    lost_ += texts;
    if (first) {
        HW_LOG(error) << "cannot write reports to " << name_ << ": " << std::strerror(error)
                      << "; trying again at each report (the other outputs and the state file go on)";
    }
}

}  // namespace hitwatchd
