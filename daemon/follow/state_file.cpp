// SPDX-License-Identifier: Apache-2.0
#include "follow/state_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "logging.h"
#include "os/posix_io.h"

namespace hitwatchd {
namespace {

std::string working_directory() {
    std::error_code ec;
    const auto cwd = std::filesystem::current_path(ec);
    return ec ? "/" : cwd.string();
}

// The state file's directory, if it is missing (a failure shows when the file is written).
void make_directory_of(const std::string& path) {
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::create_directories(dir, ignored);
}

}  // namespace

StateFile::~StateFile() {
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

bool StateFile::lock(std::string& error) {
    const std::string lock_path = path_ + ".lock";
    // Not fatal: the daemon works as before, it just cannot tell a second one off.
    const auto unguarded = [&](const char* what, int why) {
        HW_LOG(warning) << "cannot " << what << " " << lock_path << ": " << std::strerror(why)
                        << "; a second daemon on the state file would not be stopped";
        return true;
    };
    make_directory_of(path_);
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return unguarded("open", errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int why = errno;
        ::close(fd);
        if (why != EWOULDBLOCK) return unguarded("lock", why);
        std::string holder = hitwatch::os::read_head(lock_path, 16);
        holder.erase(holder.find_last_not_of('\n') + 1);
        if (holder.empty() || holder.find_first_not_of("0123456789") != std::string::npos) holder = "unknown";
        error = "another hitwatchd (pid " + holder + ") uses the state file " + path_ +
                "; stop it, or give this one a state file of its own (state-file, --state-file)";
        return false;
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || !hitwatch::os::write_all(fd, pid.data(), pid.size())) {
        HW_LOG(warning) << "cannot write the pid to " << lock_path << ": " << std::strerror(errno);
    }
    lock_fd_ = fd;
    return true;
}

hitwatch::Checkpoint StateFile::load() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) {
        if (errno != ENOENT) HW_LOG(warning) << "cannot read the state file " << path_ << ": " << std::strerror(errno);
        return {};
    }
    hitwatch::LoadedCheckpoint loaded;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path_, ec);
    if (ec || size > kMaxBytes) {
        loaded.error = ec ? ec.message() : "larger than " + std::to_string(kMaxBytes >> 20) + " MiB";
    } else {
        std::string text(size, '\0');  // what the file holds, not the limit
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<std::size_t>(in.gcount()));
        loaded = hitwatch::checkpoint_from_json(text, working_directory());
    }
    for (const auto& warning : loaded.warnings) HW_LOG(warning) << "state file " << path_ << ": " << warning;
    if (loaded.checkpoint) return *loaded.checkpoint;
    const std::string aside = path_ + ".corrupt";
    std::filesystem::rename(path_, aside, ec);
    HW_LOG(warning) << "state file " << path_ << " is unreadable (" << loaded.error << "); moved it to " << aside
                    << " and starting afresh";
    return {};
}

bool StateFile::save_after_report(const hitwatch::Checkpoint& checkpoint) {
    std::string error;
    make_directory_of(path_);
    if (hitwatch::write_file_atomically(path_, hitwatch::to_json(checkpoint), error)) {
        if (failures_ > 0) HW_LOG(info) << "state file " << path_ << " saved again, after " << failures_ << " failed save(s)";
        failures_ = 0;
        if (checkpoint.reported_until) saved_until_ = *checkpoint.reported_until;
        return true;
    }
    ++failures_;
    ++failures_total_;
    if (errors_.allow(std::chrono::steady_clock::now())) {
        const std::string since = saved_until_ > 0 ? "since " + hitwatch::format_iso8601(saved_until_) : "since the start";
        HW_LOG(warning) << "cannot save the state file: " << error << "; still monitoring, trying again after each "
                        << "report (marked \"checkpointed\": false). Until a save works, a crash or kill -9 would "
                        << "count again the lines read " << since;
    }
    return false;
}

}  // namespace hitwatchd
