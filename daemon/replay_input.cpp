// SPDX-License-Identifier: Apache-2.0
#include "replay_input.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "core/line_parser.h"
#include "core/nul_hole.h"
#include "logging.h"
#include "os/posix_io.h"

namespace hitwatchd {
namespace {

// The compressor of a file, by its first bytes (core/parser.h); nullptr if none.
const char* compressor_of(int fd) {
    char magic[6] = {};
    const ssize_t n = ::pread(fd, magic, sizeof magic, 0);
    return n > 0 ? hitwatch::compressed_by({magic, static_cast<std::size_t>(n)}) : nullptr;
}


// More of an input's lines read onto `head`, up to `max` bytes of it in all: inflated, after any
// hole in front of them (core/nul_hole.h). False once the input has ended.
bool read_more_of_head(ReplayInput& input, std::string& head, std::size_t max) {
    // Room for what the input holds, when it says (and a byte more, for the read that finds the
    // end): a small file's head is not a MiB of zeroes (a month of hourly files looked at spent
    // a tenth of its replay in memset). Else, or if it holds more, room as the lines come.
    std::size_t filled = head.size();
    const std::optional<std::uint64_t> size = input.size();
    head.resize(std::max<std::uint64_t>(filled, std::min<std::uint64_t>(max, size ? *size + 1 : 64 * 1024)));
    bool more = true;
    for (;;) {
        if (filled == head.size()) {
            if (filled >= max) break;
            head.resize(std::min(max, 2 * filled));
        }
        const ssize_t n = input.read(head.data() + filled, head.size() - filled, nullptr);
        if (n <= 0) {
            more = false;
            break;
        }
        filled += static_cast<std::size_t>(n);
        if (const std::size_t hole = hitwatch::leading_nuls(head.data(), filled); hole > 0) {
            std::memmove(head.data(), head.data() + hole, filled - hole);  // the head's room is for lines
            filled -= hole;
            if (filled == 0) input.skip_hole();
        }
    }
    head.resize(filled);
    return more;
}

// The first `max` bytes of an input's lines (read_more_of_head).
std::string head_of(ReplayInput& input, std::size_t max) {
    std::string head;
    read_more_of_head(input, head, max);
    return head;
}

// How much of a file's lines at most is read to date it.
constexpr std::size_t kDatedBytes = 1 << 20;

// A file of a replay as its head shows it: when it begins, and what tells a copy of another
// file's lines.
struct LookedAt {
    ReplayFile file;
    std::size_t first_line = 0;  // a hash of its first line (or first 4 KiB)
    std::optional<std::uint64_t> size;  // its lines' bytes (ReplayInput::size)
    std::string compressed;             // by what ("gzip", ...), if it is
};

// `file` dated by `head` (its format detected by it): true if a longer head would date it the
// same, as it would once it has 100 valid lines, unless they are a container's pieces, whose
// joining takes in the whole head.
bool date_by(std::string_view head, const Reading& reading, ReplayFile& file) {
    hitwatch::LineParser parser(format_of(reading), reading.sections);
    parser.detect(head);
    return date_by(head, parser, file) && !parser.joins_lines();
}

}  // namespace

bool date_by(std::string_view head, hitwatch::LineParser& parser, ReplayFile& file) {
    file.first_time.reset();
    file.head_latest.reset();
    int valid = 0;
    while (valid < 100 && !head.empty()) {
        const std::size_t newline = head.find('\n');
        if (newline == std::string_view::npos) break;
        const hitwatch::ParseResult r = parser.parse(hitwatch::after_hole(head.substr(0, newline)));
        if (r.ok()) {
            ++valid;
            if (!file.first_time) file.first_time = r.line.time;
            file.head_latest = std::max(file.head_latest.value_or(r.line.time), r.line.time);
        }
        head.remove_prefix(newline + 1);
    }
    return valid == 100;
}

namespace {

// The time of the first valid line of `path` (in its first MiB), read as `reading` says, and
// the latest of its first 100 valid lines; with what tells a copy (LookedAt).
LookedAt dated(const std::string& path, const Reading& reading) {
    LookedAt looked;
    looked.file.path = path;
    ReplayFile& file = looked.file;
    std::string error;
    const auto input = ReplayInput::open(path, error);
    if (!input) return looked;
    looked.size = input->size();
    if (const char* by = input->compressed_by()) looked.compressed = by;
    // Read as far as its first 100 valid lines (date_by), up to 1 MiB: a month of hourly gzip
    // rotations, each read to its first MiB, spent a sixth of its replay inflating what it read
    // again afterwards.
    std::string head;
    for (std::size_t max = 32 * 1024;; max = std::min<std::size_t>(4 * max, kDatedBytes)) {
        const bool more = read_more_of_head(*input, head, max);
        if (date_by(head, reading, file) || !more || max == kDatedBytes) break;
    }
    const std::string_view first = std::string_view(head).substr(0, std::min<std::size_t>(head.find('\n'), 4096));
    looked.first_line = std::hash<std::string_view>()(first);
    return looked;
}

// The name's suffix a compressor gives a file: ".gz", ".bz2", ".xz", ".zst".
std::string suffix_of(const std::string& compressed) {
    return compressed == "gzip" ? ".gz" : compressed == "bzip2" ? ".bz2" : compressed == "zstd" ? ".zst" : ".xz";
}

// How much of two files is compared to tell that one is a copy of the other.
constexpr std::size_t kCopySample = 64 * 1024;

std::string sample_of(const std::string& path) {
    std::string error;
    const auto input = ReplayInput::open(path, error);
    return input ? head_of(*input, kCopySample) : std::string();
}

// Of two files whose lines begin alike, the one whose lines the other holds too (a copy, as
// `gzip -k` or `cp` leaves one, or a copy made before the other grew), and what to say of it;
// nullptr if neither is. `b` was given after `a`.
const LookedAt* copy_of_the_other(const LookedAt& a, const std::string& a_sample, const LookedAt& b,
                                  const std::string& b_sample, std::string& said) {
    const bool a_shorter = a_sample.size() < b_sample.size();
    const std::string& shorter = a_shorter ? a_sample : b_sample;
    if (shorter.empty() || (a_shorter ? b_sample : a_sample).compare(0, shorter.size(), shorter) != 0) return nullptr;
    // X.gz beside X: `gzip -k X`, or logrotate compressing X, whose unfinished archive has no
    // size trailer yet (its last 4 bytes say anything). X holds all of the lines either way.
    const bool one_compressed = a.compressed.empty() != b.compressed.empty();
    const LookedAt& zipped = a.compressed.empty() ? b : a;
    const bool compressing = one_compressed && zipped.file.path == (&zipped == &a ? b : a).file.path +
                                                                         suffix_of(zipped.compressed);
    const LookedAt* copy = &b;
    if (a_sample.size() != b_sample.size()) {
        copy = a_shorter ? &a : &b;  // all of it is the other's beginning
    } else if (!compressing && a.size && b.size && *a.size != *b.size) {
        copy = *a.size < *b.size ? &a : &b;
    } else if (one_compressed) {
        copy = &zipped;  // the same lines: the plain file is read, not inflated
    }
    const LookedAt& kept = copy == &a ? b : a;
    const bool same = copy->size == kept.size;
    const std::string alike = shorter.size() == kCopySample ? "the same first 64 KiB"
                                                            : "the same " + std::to_string(shorter.size()) + " bytes";
    if (compressing && copy == &zipped && !same) {
        said = copy->file.path + " is " + kept.file.path + " compressed, finished or not (" + alike + ")";
    } else {
        said = copy->file.path + (same ? " is a copy of " : " is a copy of the beginning of ") + kept.file.path + " (" +
               alike + (same ? "" : ", and " + kept.file.path + " is longer") + ")";
    }
    said += ": its lines are read once, from " + kept.file.path;
    return copy;
}

// The files without those whose lines another of them holds too: each such is said.
std::vector<LookedAt> without_copies(std::vector<LookedAt> files) {
    std::vector<bool> left_out(files.size(), false);
    std::vector<std::string> samples(files.size());
    for (std::size_t i = 1; i < files.size(); ++i) {
        for (std::size_t j = 0; j < i && !left_out[i]; ++j) {
            // Lines with a time of their own, and the same first line: then the files are read.
            if (left_out[j] || !files[i].file.first_time || !files[j].file.first_time ||
                files[i].first_line != files[j].first_line) {
                continue;
            }
            for (const std::size_t k : {i, j}) {
                if (samples[k].empty()) samples[k] = sample_of(files[k].file.path);
            }
            std::string said;
            const LookedAt* copy = copy_of_the_other(files[j], samples[j], files[i], samples[i], said);
            if (copy == nullptr) continue;
            HW_LOG(info) << said;
            left_out[copy == &files[i] ? i : j] = true;
        }
    }
    std::vector<LookedAt> kept;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (!left_out[i]) kept.push_back(std::move(files[i]));
    }
    return kept;
}

}  // namespace

std::unique_ptr<ReplayInput> ReplayInput::open(const std::string& path, std::string& error) {
    const bool from_stdin = path == "-";
    const int fd = from_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = std::strerror(errno);
        // The limit is raised to the hard one at start (main.cpp): only hundreds of logs merged
        // reach it.
        if (errno == EMFILE) {
            error += " (each log merged keeps its file open while it is read: raise the open file limit, ulimit -n or "
                     "LimitNOFILE=)";
        }
        return nullptr;
    }
    std::unique_ptr<ReplayInput> input(new ReplayInput(fd, from_stdin ? "standard input" : path));
    struct stat st {};
    const bool stated = ::fstat(fd, &st) == 0;
    if (stated && S_ISDIR(st.st_mode)) {
        error = from_stdin ? "a directory"
                           : "a directory: name its logs (" + (path.back() == '/' ? path : path + "/") + "access.log*)";
        return nullptr;
    }
    input->regular_ = stated && S_ISREG(st.st_mode);
    input->mtime_ = !from_stdin && stated ? st.st_mtime : now_seconds();
    // A pipe named by a path (a FIFO, the shell's <(ssh web1 cat access.log.2.gz)) cannot be
    // read at an offset either: its first bytes are looked at as standard input's are.
    input->peek_for_magic_ = from_stdin || !input->regular_;
    input->file_size_ = input->regular_ && !from_stdin ? static_cast<std::uint64_t>(st.st_size) : 0;
    if (!from_stdin) ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    if (const char* by = input->peek_for_magic_ ? nullptr : compressor_of(fd)) {
        input->decompressor_ = hitwatch::os::StreamDecompressor::make(by, {});
    }
    return input;
}

ReplayInput::ReplayInput(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

ReplayInput::~ReplayInput() {
    if (fd_ != STDIN_FILENO) ::close(fd_);
}

ssize_t ReplayInput::read(char* buffer, std::size_t size, const volatile std::sig_atomic_t* stop) {
    if (decompressor_ != nullptr) {
        const ssize_t n = decompressor_->read(fd_, buffer, size, stop, truncated_, &on_signal_);
        if (n < 0) errno_ = errno;
        return n;
    }
    ssize_t n = hitwatch::os::read_or_wait(fd_, buffer, size, stop, &on_signal_);
    if (n < 0) errno_ = errno;  // for error(), whatever calls come between
    if (n == 0 && regular_) {
        // The end: where it was found, or short of what was read already?
        struct stat st {};
        const off_t at = ::lseek(fd_, 0, SEEK_CUR);
        // Read at offsets (read_to), the parts past a cut read short: reading stands no further
        // than the cut, but the file held more when it was read.
        const std::uint64_t had = std::max(static_cast<std::uint64_t>(std::max<off_t>(at, 0)), read_at_to_);
        if (had > 0 && ::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) < had) {
            truncated_while_read_ = Truncation{static_cast<std::uint64_t>(st.st_size), static_cast<std::uint64_t>(at)};
        }
    }
    if (peek_for_magic_ && n > 0) {
        peek_for_magic_ = false;
        // A compressor's magic bytes: a read may give only the first of them.
        while (static_cast<std::size_t>(n) < size &&
               hitwatch::may_begin_compressed({buffer, static_cast<std::size_t>(n)})) {
            const ssize_t more =
                hitwatch::os::read_or_wait(fd_, buffer + n, size - static_cast<std::size_t>(n), stop, &on_signal_);
            if (more < 0) return errno_ = errno, -1;
            if (more == 0) break;
            n += more;
        }
        const std::string_view head(buffer, static_cast<std::size_t>(n));
        if (const char* by = hitwatch::compressed_by(head)) {
            decompressor_ = hitwatch::os::StreamDecompressor::make(by, head);
            return read(buffer, size, stop);
        }
    }
    return n;
}

bool ReplayInput::reads_at_offsets() const {
    if (!regular_ || fd_ == STDIN_FILENO || decompressor_ != nullptr) return false;
    // A hole (a copy of a log truncated by copytruncate while written): read() skips it whole.
    // Looking for one moves the file's offset, which read() goes on from: it is put back.
    const off_t at = ::lseek(fd_, 0, SEEK_CUR);
    const off_t hole = ::lseek(fd_, 0, SEEK_HOLE);
    ::lseek(fd_, at, SEEK_SET);
    return hole < 0 || static_cast<std::uint64_t>(hole) >= file_size_;
}

ssize_t ReplayInput::read_at(char* buffer, std::size_t size, std::uint64_t offset) const {
    return hitwatch::os::pread_all(fd_, buffer, size, offset);
}

void ReplayInput::read_to(std::uint64_t offset) {
    ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET);
    read_at_to_ = std::max(offset, file_size_);
}

void ReplayInput::begin_at(std::uint64_t offset) {
    ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET);
    begins_at_ = offset;
}

bool ReplayInput::would_wait() const {
    if (regular_ || (decompressor_ != nullptr && decompressor_->has_input())) return false;
    pollfd readable{fd_, POLLIN, 0};
    return ::poll(&readable, 1, 0) == 0;
}

std::string ReplayInput::error() const {
    if (truncated_) return decompressor_->kind() + ": the compressed data ends early (a truncated file)";
    if (decompressor_ != nullptr && !decompressor_->error().empty()) {
        return decompressor_->kind() + ": " + decompressor_->error();
    }
    return std::strerror(errno_);
}

std::optional<std::uint64_t> ReplayInput::size() const {
    if (!regular_ || fd_ == STDIN_FILENO) return std::nullopt;
    if (decompressor_ == nullptr) return file_size_;
    if (!gzip()) return std::nullopt;  // (zstd's frames may say, but not as logrotate pipes them)
    // gzip's last 4 bytes: the size of what it holds, modulo 4 GiB (what gzip -l shows).
    unsigned char trailer[4];
    if (file_size_ < 18 || ::pread(fd_, trailer, 4, static_cast<off_t>(file_size_ - 4)) != 4) return std::nullopt;
    return std::uint64_t{trailer[0]} | std::uint64_t{trailer[1]} << 8 | std::uint64_t{trailer[2]} << 16 |
           std::uint64_t{trailer[3]} << 24;
}

bool ReplayInput::small() const {
    if (!regular_ || fd_ == STDIN_FILENO || file_size_ > kOneThreadBytes) return false;
    if (decompressor_ != nullptr && !gzip()) {
        // bzip2, xz and zstd data as logrotate pipes it says not what it holds: a file of an
        // eighth of the bytes is taken to hold less than them (access logs shrink 8 to 20 times;
        // a wrong guess costs only the threads). An hourly zstd rotation is 3 KiB.
        return file_size_ <= kOneThreadBytes / 8;
    }
    // (A gzip file this small holds under 4 GiB: its trailer's size is whole.)
    const std::optional<std::uint64_t> lines = size();
    return lines && *lines <= kOneThreadBytes;
}

bool ReplayInput::trailing_data() const { return decompressor_ != nullptr && decompressor_->trailing(); }

std::uint64_t ReplayInput::skip_hole() {
    if (decompressor_ != nullptr || !regular_) return 0;
    const off_t at = ::lseek(fd_, 0, SEEK_CUR);
    if (at < 0) return 0;
    return hitwatch::os::skip_to_data(fd_, static_cast<std::uint64_t>(at)) - static_cast<std::uint64_t>(at);
}

std::string say_what_was_not_read(const ReplayInput& input) {
    if (input.trailing_data()) {
        const std::string by = input.compressed_by();
        // What the tool an ops engineer would check with does with the same file.
        const std::string as = by == "gzip"    ? "as zcat leaves it: \"trailing garbage ignored\""
                               : by == "bzip2" ? "as bzcat leaves it: \"trailing garbage after EOF ignored\""
                                               : by + "cat reads no further either, and fails there";
        HW_LOG(warning) << input.name() << ": what follows its " << by << " data is not " << by
                        << ", and is not read (" << as << ")";
    }
    const auto truncation = input.truncated_while_read();
    if (!truncation) return {};
    // Not an I/O error: the lines read are counted. But what followed them in the file is gone
    // from it, most likely into the copy logrotate made first, and nothing else says so (its
    // cut last line is left out without a word: ReplayFeed::last_line_unterminated).
    std::string had;
    if (const auto size = input.size(); size && *size > truncation->at) {
        had = " (" + std::to_string(*size - truncation->at) + " bytes of it when the replay opened it)";
    }
    const std::string unread = input.name() + ": truncated to " + std::to_string(truncation->to) +
                               " bytes while it was read: what followed byte " + std::to_string(truncation->at) +
                               had + " was not read";
    HW_LOG(warning) << unread << " (logrotate's copytruncate does that: its rotated copy holds those lines)";
    return unread;
}

hitwatch::UnixSeconds now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::vector<ReplayFile> oldest_first(const std::vector<std::string>& paths, const Options& options) {
    std::vector<ReplayFile> files;
    if (paths.size() < 2) {
        for (const auto& path : paths) files.push_back({path, std::nullopt, std::nullopt});
        return files;
    }
    // A pipe (bash's <(zcat access.log.1.gz)) cannot be looked into before it is read: what was
    // looked at would be gone from its lines. Then the user's order is the only one there is.
    for (const auto& path : paths) {
        if (struct stat st {}; ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
            HW_LOG(info) << path << (S_ISFIFO(st.st_mode) ? " is a pipe" : " is not a regular file")
                         << ": the inputs are read in the order given";
            for (const auto& given : paths) files.push_back({given, std::nullopt, std::nullopt});
            return files;
        }
    }
    std::vector<LookedAt> looked;
    for (const auto& path : paths) looked.push_back(dated(path, options.reading_of(path)));
    for (auto& file : without_copies(std::move(looked))) files.push_back(std::move(file.file));
    std::stable_sort(files.begin(), files.end(), [](const ReplayFile& a, const ReplayFile& b) {
        if (a.first_time.has_value() != b.first_time.has_value()) return a.first_time.has_value();
        return a.first_time && *a.first_time < *b.first_time;
    });
    return files;
}

}  // namespace hitwatchd
