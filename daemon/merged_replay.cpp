// SPDX-License-Identifier: Apache-2.0
#include "merged_replay.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <queue>

#include "chunk_reader.h"
#include "core/newlines.h"
#include "core/nul_hole.h"
#include "core/replay_clock.h"
#include "logging.h"

namespace hitwatchd {
namespace {

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YYYY-MM-DD.
bool is_dashed_date(std::string_view text) {
    return text.size() == 10 && text[4] == '-' && text[7] == '-' && all_digits(text.substr(0, 4)) &&
           all_digits(text.substr(5, 2)) && all_digits(text.substr(8, 2));
}

// logrotate's dateext: -YYYYMMDD, or -YYYYMMDDHH with an hourly dateformat.
bool is_compact_date(std::string_view text) { return (text.size() == 8 || text.size() == 10) && all_digits(text); }

// `name` without a rotation's number or date at its end, or before its extension.
std::string_view without_rotation(std::string_view name) {
    const std::size_t dot = name.rfind('.');
    if (dot != std::string_view::npos && dot > 0 && all_digits(name.substr(dot + 1))) return name.substr(0, dot);
    const bool dated = name.size() > 11 && is_dashed_date(name.substr(name.size() - 10));
    if (dated && std::string_view(".-_").find(name[name.size() - 11]) != std::string_view::npos) {
        return name.substr(0, name.size() - 11);
    }
    const std::size_t dash = name.rfind('-');
    if (dash != std::string_view::npos && dash > 0 && is_compact_date(name.substr(dash + 1))) {
        return name.substr(0, dash);
    }
    return name;
}

// What a log's chunk holds: each log being read holds one, and the head of its file.
constexpr std::size_t kChunkBytes = 64 * 1024;

// One log's lines, one at a time, from its files in turn, read in chunks of whole lines as a
// parallel replay reads them (chunk_reader.h). The line it has ahead is parsed before it is
// counted: its time says whose line comes next.
class LogReader {
public:
    LogReader(const std::vector<ReplayFile>& files, std::size_t log, ReplayFeed& feed)
        : files_(files), log_(log), feed_(feed) {}

    // Reads and parses the log's next line: false when its files are read, or on a stop signal.
    bool next(const volatile std::sig_atomic_t* stop);
    // When the line ahead is counted: at its time; at once if it has none (an invalid or blank
    // line) or is an outlier, which counts where the clock stands.
    hitwatch::UnixSeconds when() const { return when_; }
    // Counts the line ahead.
    void count() {
        feed_.select(log_);
        if (overlong_) return feed_.overlong();
        if (when_ != kAtOnce) feed_.start_clock(when_);
        feed_.parsed_line(text_, parsed_);
        if (when_ != kAtOnce) log_clock_ = std::max(log_clock_, when_), has_clock_ = true;
    }
    int status() const { return status_; }
    hitwatch::UnixSeconds latest_mtime() const { return latest_mtime_; }

private:
    // Opens the next file that opens and reads its head: false when none is left.
    bool open_next_file(const volatile std::sig_atomic_t* stop);
    // The file's input has ended (`status` not a chunk): what is left is said or counted.
    void end_file(ChunkReader::Status status, const volatile std::sig_atomic_t* stop);
    // Finds the lines of chunk_ (none unless it holds some), with the vector newline scan.
    void index_lines() {
        ends_.clear();
        next_line_ = 0;
        if (read_ != ChunkReader::Status::chunk) return;
        const char* data = chunk_.data.get();
        hitwatch::for_each_newline(data, chunk_.size, [&](const char* newline) {
            ends_.push_back(static_cast<std::uint32_t>(newline - data));
        });
    }
    // Line `i` of chunk_, without a hole's NULs in front of it.
    std::string_view line_at(std::size_t i) const {
        const std::size_t begin = i == 0 ? 0 : ends_[i - 1] + 1;
        return hitwatch::after_hole({chunk_.data.get() + begin, ends_[i] - begin});
    }
    // Whether the line ahead, parsed and dated `time`, moves its log's clock as the replay
    // clock would move (core/replay_clock.h): not if it is more than --max-skew ahead of its log's
    // clock (or is the log's first line) and the line after it goes back to before that.
    bool moves_clock(hitwatch::UnixSeconds time);

    static constexpr hitwatch::UnixSeconds kAtOnce = std::numeric_limits<hitwatch::UnixSeconds>::min();

    const std::vector<ReplayFile>& files_;
    std::size_t log_;
    ReplayFeed& feed_;
    std::size_t next_file_ = 0;
    std::unique_ptr<ReplayInput> input_;
    std::unique_ptr<ChunkReader> reader_;
    Chunk chunk_;
    std::vector<std::uint32_t> ends_;  // of chunk_'s lines: their newlines' offsets
    std::size_t next_line_ = 0;        // the line of chunk_ to read next
    ChunkReader::Status read_ = ChunkReader::Status::end;  // what the last read gave
    std::string_view text_;
    bool overlong_ = false;
    hitwatch::ParseResult parsed_;
    hitwatch::UnixSeconds when_ = kAtOnce;
    hitwatch::UnixSeconds log_clock_ = 0;  // the latest time of its lines counted at their time
    bool has_clock_ = false;
    std::optional<hitwatch::LineParser> peek_parser_;  // the file's, for the line after one far ahead
    int status_ = 0;
    hitwatch::UnixSeconds latest_mtime_ = 0;
};

bool LogReader::next(const volatile std::sig_atomic_t* stop) {
    feed_.select(log_);
    while (*stop == 0) {
        if (!input_ && !open_next_file(stop)) return false;
        if (next_line_ < ends_.size()) {
            text_ = line_at(next_line_++);
            overlong_ = text_.size() > feed_.max_line();
            when_ = kAtOnce;
            if (!overlong_) {
                feed_.parse(text_, parsed_);
                if (parsed_.ok() && moves_clock(parsed_.line.time)) when_ = parsed_.line.time;
            }
            return true;
        }
        if (read_ == ChunkReader::Status::chunk && chunk_.overlong_after) {
            chunk_.overlong_after = false;
            overlong_ = true;
            when_ = kAtOnce;
            return true;
        }
        if (read_ == ChunkReader::Status::chunk) read_ = reader_->next(chunk_);
        index_lines();
        if (read_ == ChunkReader::Status::chunk) continue;
        if (read_ == ChunkReader::Status::stopped) return false;
        end_file(read_, stop);
    }
    return false;
}

bool LogReader::moves_clock(hitwatch::UnixSeconds time) {
    const std::int64_t skew = feed_.max_skew();
    if (has_clock_ && time <= log_clock_ + skew) return true;
    // The line after it, if this chunk has it and it parses on its own (not a container's piece).
    if (next_line_ >= ends_.size() || !feed_.lines_parse_alone() || !peek_parser_) return true;
    hitwatch::ParseResult after;
    peek_parser_->parse(line_at(next_line_), after);
    return !after.ok() || hitwatch::confirms_jump(time, after.line.time, skew);
}

bool LogReader::open_next_file(const volatile std::sig_atomic_t* stop) {
    while (next_file_ < files_.size()) {
        const std::size_t index = next_file_++;
        const std::string& path = files_[index].path;
        std::string error;
        input_ = ReplayInput::open(path, error, true);
        if (!input_) {
            feed_.input_error("cannot open " + path + ": " + error);
            status_ = 1;
            continue;
        }
        HW_LOG(info) << "replaying " << input_->name() << (input_->gzip() ? " (gzip)" : "");
        if (index > 0) feed_.next_file(input_->name());
        latest_mtime_ = std::max(latest_mtime_, input_->mtime());
        reader_ = std::make_unique<ChunkReader>(*input_, feed_.max_line(), kChunkBytes, stop);
        read_ = reader_->read_head();
        // An error log among the logs (`--replay /var/log/nginx/*.log`) is left out, and said to be.
        if (!reader_->head().empty()) feed_.first_bytes(reader_->head(), true);
        if (feed_.not_an_access_log()) {
            reader_.reset();
            input_.reset();
            continue;
        }
        // Made now: the head, which decides `auto` as it decided the log's, is given back once read.
        peek_parser_.emplace(parser_for(feed_.reading(), reader_->head()));
        chunk_.size = 0;
        index_lines();
        return true;
    }
    return false;
}

void LogReader::end_file(ChunkReader::Status status, const volatile std::sig_atomic_t* stop) {
    if (status == ChunkReader::Status::error) {
        feed_.input_error("cannot read " + input_->name() + ": " + input_->error());
        status_ = 1;
    }
    // What was read before an error ends there too (a truncated archive).
    if (*stop == 0 && !reader_->pending().empty()) feed_.last_line_unterminated(reader_->pending());
    say_if_trailing_data(*input_);
    reader_.reset();
    input_.reset();
}

}  // namespace

std::string rotated_log_name(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    const std::string_view dir =
        slash == std::string::npos ? std::string_view() : std::string_view(path).substr(0, slash + 1);
    std::string_view name = std::string_view(path).substr(dir.size());
    for (const std::string_view compressed : {".gz", ".bz2", ".xz", ".zst"}) {
        if (name.size() > compressed.size() && name.ends_with(compressed)) {
            name.remove_suffix(compressed.size());
            break;
        }
    }
    // Several at once: logrotate's `dateformat -%Y%m%d-%s`, for more than one rotation a day.
    std::string_view stripped = name;
    for (std::string_view less; (less = without_rotation(stripped)) != stripped;) stripped = less;
    if (stripped != name) return std::string(dir).append(stripped);
    // A date before the extension: access-20261205.log.
    const std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return path.substr(0, dir.size() + name.size());
    const std::string_view base = without_rotation(name.substr(0, dot));
    return std::string(dir).append(base).append(name.substr(dot));
}

std::vector<std::vector<ReplayFile>> logs_of(const std::vector<ReplayFile>& files) {
    for (const auto& file : files) {
        struct stat st {};
        if (file.path == "-" || (::stat(file.path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))) return {files};
    }
    std::vector<std::string> names;
    std::vector<std::vector<ReplayFile>> logs;
    for (const auto& file : files) {
        // By its directory's real path (its own name as given, a symlink's): ./access.log and
        // access.log.1 are one log.
        const std::filesystem::path given(file.path);
        std::error_code ec;
        const std::filesystem::path dir =
            std::filesystem::weakly_canonical(std::filesystem::absolute(given, ec).parent_path(), ec);
        const std::string name = rotated_log_name(ec ? file.path : (dir / given.filename()).string());
        const auto at = std::find(names.begin(), names.end(), name);
        if (at == names.end()) {
            names.push_back(name);
            logs.push_back({file});
        } else {
            logs[static_cast<std::size_t>(at - names.begin())].push_back(file);
        }
    }
    return logs;
}

int replay_merged(const std::vector<std::vector<ReplayFile>>& logs, ReplayFeed& feed,
                  const volatile std::sig_atomic_t* stop, hitwatch::UnixSeconds& latest_mtime) {
    std::vector<std::unique_ptr<LogReader>> readers;
    // The logs with a line ahead, the one whose line comes first on top; of lines of one time,
    // the first log's, as a sort that keeps the order would have it.
    using Ahead = std::pair<hitwatch::UnixSeconds, std::size_t>;  // when, log
    std::priority_queue<Ahead, std::vector<Ahead>, std::greater<>> ahead;
    for (std::size_t i = 0; i < logs.size(); ++i) {
        readers.push_back(std::make_unique<LogReader>(logs[i], i == 0 ? 0 : feed.add_log(logs[i].front().path), feed));
        if (readers.back()->next(stop)) ahead.emplace(readers.back()->when(), i);
    }
    while (!ahead.empty() && *stop == 0) {
        LogReader& first = *readers[ahead.top().second];
        const std::size_t log = ahead.top().second;
        ahead.pop();
        first.count();
        if (first.next(stop)) ahead.emplace(first.when(), log);
    }
    int status = 0;
    for (const auto& reader : readers) {
        status = std::max(status, reader->status());
        latest_mtime = std::max(latest_mtime, reader->latest_mtime());
    }
    return status;
}

}  // namespace hitwatchd
