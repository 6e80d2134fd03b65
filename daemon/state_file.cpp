#include "state_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "logging.h"

namespace hitwatchd {
namespace {

std::string working_directory() {
    std::error_code ec;
    const auto cwd = std::filesystem::current_path(ec);
    return ec ? "/" : cwd.string();
}

}  // namespace

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
    const std::filesystem::path dir = std::filesystem::path(path_).parent_path();
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::create_directories(dir, ignored);
    if (hitwatch::write_file_atomically(path_, hitwatch::to_json(checkpoint), error)) return true;
    if (errors_.allow(std::chrono::steady_clock::now())) {
        HW_LOG(error) << "cannot save the state file: " << error << "; still monitoring";
    }
    return false;
}

}  // namespace hitwatchd
