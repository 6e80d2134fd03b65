// SPDX-License-Identifier: Apache-2.0
#include "merged_replay.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <queue>
#include <utility>

#include "chunk_pipeline.h"
#include "chunk_reader.h"
#include "file_parts.h"
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

// A date and time as rotatelogs' strftime patterns write them: digits, at least 8, apart by
// - _ : or T, a digit at each end (2026-12-05-09_40_00 for `.%Y-%m-%d-%H_%M_%S`).
bool is_time_stamp(std::string_view text) {
    const auto digits = std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    const auto apart = std::count_if(text.begin(), text.end(),
                                     [](char c) { return std::string_view("-_:T").find(c) != std::string_view::npos; });
    return digits >= 8 && static_cast<std::size_t>(digits + apart) == text.size() && all_digits(text.substr(0, 1)) &&
           all_digits(text.substr(text.size() - 1));
}

// `name` without a rotation's number or date at its end, or before its extension.
std::string_view without_rotation(std::string_view name) {
    const std::size_t dot = name.rfind('.');
    if (dot != std::string_view::npos && dot > 0 &&
        (all_digits(name.substr(dot + 1)) || is_time_stamp(name.substr(dot + 1)))) {
        return name.substr(0, dot);
    }
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

// The time of `text`, a line, if `parser` reads it as a valid one of at most `max_line` bytes.
std::optional<hitwatch::UnixSeconds> time_if_valid(hitwatch::LineParser& parser, std::string_view text,
                                                   std::size_t max_line) {
    text = hitwatch::after_hole(text);
    if (text.size() > max_line) return std::nullopt;  // counted as over-long
    hitwatch::ParseResult r;
    parser.parse(text, r);
    return r.ok() ? std::optional(r.line.time) : std::nullopt;
}

// One log's lines, one at a time, from its files in turn, read in chunks of whole lines as a
// parallel replay reads them (chunk_reader.h): parsed on this thread, or by the replay's pool of
// threads (chunk_pipeline.h); a plain file there in parts at offsets (file_parts.h), the line
// across each edge joined here and taken as the first line of the chunk a chunk reader would
// have cut there. The line it has ahead is parsed before it is counted: its time says whose
// line comes next; one dated far ahead is told from the start of a jump by the log's next valid
// line, in the same chunk, the next, or the next file. All ways cut the same chunks and look at
// the same lines, so the output is the same.
class LogReader {
public:
    // `pool`: the threads to parse on (this one among them), `slots` chunks in flight; nullptr
    // to parse here. Each file read in chunks of `size.chunk` bytes, after a head of `size.head`.
    LogReader(const std::vector<ReplayFile>& files, std::size_t log, ReplayFeed& feed, ParsePool* pool,
              std::size_t slots, MergedReads size)
        : files_(files), log_(log), feed_(feed), pool_(pool), slots_(slots), size_(size) {}

    // Reads and parses the log's next line: false when its files are read, or on a stop signal.
    bool next(const volatile std::sig_atomic_t* stop);
    // When the line ahead is counted: at its time; at once if it has none (an invalid or blank
    // line) or is an outlier, which counts where the clock stands.
    hitwatch::UnixSeconds when() const { return when_; }
    // Counts the line ahead.
    void count() {
        feed_.select(log_);
        if (line_.overlong) return feed_.overlong();
        if (when_ != kAtOnce) feed_.start_clock(when_);
        if (line_.repeated) {
            feed_.line(line_.text);  // parsed again, as a parallel replay counts it
        } else {
            feed_.parsed_line(line_.text, line_.parsed);
        }
        if (when_ != kAtOnce) log_clock_ = std::max(log_clock_, when_), has_clock_ = true;
    }
    int status() const { return status_; }
    hitwatch::UnixSeconds latest_mtime() const { return latest_mtime_; }

private:
    enum class Step { line, file_end, stopped };
    // A line read, and parsed unless over-long.
    struct Line {
        std::string_view text;
        bool overlong = false;
        bool repeated = false;
        hitwatch::ParseResult parsed;
        const char* after = nullptr;  // where its chunk's next line begins (nullptr: unknown)
    };
    // The log's next line into line_: false when its files are read, or on a stop signal.
    bool read_next(const volatile std::sig_atomic_t* stop);
    // The next line of the file, parsed here, or by the workers.
    Step read_line();
    Step parsed_line(const volatile std::sig_atomic_t* stop);
    // Of the file's next lines: read here, or by the workers.
    Step read_step(const volatile std::sig_atomic_t* stop) {
        return pipeline_ || parts_ ? parsed_line(stop) : read_line();
    }
    // The oldest part read at offsets, parsed: its first line's end (joined with the part
    // before) is the line ahead, if it has it, or an over-long line told; else nothing (false).
    bool take_joined_line();
    // The parts at offsets have ended: the chunk reader goes on from where they end.
    void end_parts();
    // Opens the next file that opens and reads its head: false when none is left.
    bool open_next_file(const volatile std::sig_atomic_t* stop);
    // The file's input has ended (`status` not a chunk): what is left is said or counted.
    void end_file(ChunkReader::Status status, const volatile std::sig_atomic_t* stop);
    // Finds the lines of chunk_ (none unless it holds some), with the vector newline scan.
    void index_lines();
    // The line ahead is `text`, parsed as line_.parsed unless `overlong`; `after` is where the
    // chunk's next line begins.
    void take(std::string_view text, bool overlong, bool repeated, const char* after);
    // When the line ahead is counted (when_), once the lines before it are.
    void decide_when(const volatile std::sig_atomic_t* stop);
    // The time of the first line after the line ahead that is valid, if lines parse on their own
    // (not a container's pieces) and one is: in the rest of its chunk or, if it is its chunk's
    // last line, the next line and the rest of that one's chunk (read now, and taken as the line
    // after), or past the file's end (time_of_line_after_file). Not further: a line dated far
    // ahead with no valid line after it in that much is taken for the start of a jump.
    std::optional<hitwatch::UnixSeconds> time_of_next_valid_line(const volatile std::sig_atomic_t* stop);
    // The file's last line if it has no newline and is valid (counted at its end), or else the
    // next file's first valid line, as it was dated when the files were put in order.
    std::optional<hitwatch::UnixSeconds> time_of_line_after_file();
    // Of the rest of the chunk ending at end_of_chunk_ (whole lines), from `at`.
    std::optional<hitwatch::UnixSeconds> time_of_first_valid_line_from(const char* at);
    // The line ahead is kept as it is while the next line is read: its text and what its parse
    // points to are copied out of the chunk that reading lets go of.
    void hold_line_ahead();

    static constexpr hitwatch::UnixSeconds kAtOnce = std::numeric_limits<hitwatch::UnixSeconds>::min();

    const std::vector<ReplayFile>& files_;
    std::size_t log_;
    ReplayFeed& feed_;
    ParsePool* pool_;
    std::size_t slots_;
    MergedReads size_;
    std::size_t next_file_ = 0;
    bool first_file_ = true;  // none opened yet
    std::unique_ptr<ReplayInput> input_;
    std::unique_ptr<ChunkReader> reader_;
    std::unique_ptr<ChunkPipeline> pipeline_;  // after reader_: gone before it
    // A file read in parts at offsets (ReplayInput::reads_at_offsets), each by the thread that
    // parses it, as one log's parallel replay reads one; the line across each edge joined here
    // (its text while it is ahead in joined_). Its parts are as a chunk reader's chunks: the
    // joined line and the part's whole lines.
    std::optional<FileParts> parts_;  // after reader_: gone before it
    ChunkReader::Status read_ = ChunkReader::Status::end;  // what the last read gave
    // Parsed here: the chunk, and where its lines end.
    Chunk chunk_;
    std::vector<std::uint32_t> ends_;  // the offsets of chunk_'s newlines
    std::size_t next_line_ = 0;        // the line of chunk_ to read next
    // Parsed by the workers: the oldest chunk's records.
    Slot* slot_ = nullptr;
    std::string joined_;
    std::size_t slot_line_ = 0;
    bool overlong_after_taken_ = false;
    const char* end_of_chunk_ = nullptr;  // of the chunk the line read last is in
    Line line_;  // the line ahead
    // The line after it, read to tell whether the line ahead, dated far ahead and last in its
    // chunk, is an outlier: the line ahead once that is counted.
    std::optional<Line> after_ahead_;
    // The line ahead's text and the parts of its parse, while it outlives its chunk.
    std::string held_text_, held_host_, held_section_, held_vhost_;
    hitwatch::UnixSeconds when_ = kAtOnce;
    hitwatch::UnixSeconds log_clock_ = 0;  // the latest time of its lines counted at their time
    bool has_clock_ = false;
    // The file's parser for the line after one far ahead.
    std::optional<hitwatch::LineParser> parser_;
    int status_ = 0;
    hitwatch::UnixSeconds latest_mtime_ = 0;
};

bool LogReader::next(const volatile std::sig_atomic_t* stop) {
    feed_.select(log_);
    if (after_ahead_) {
        line_ = std::move(*after_ahead_);
        after_ahead_.reset();
    } else if (!read_next(stop)) {
        return false;
    }
    decide_when(stop);
    return true;
}

bool LogReader::read_next(const volatile std::sig_atomic_t* stop) {
    while (*stop == 0) {
        if (!input_ && !open_next_file(stop)) return false;
        const Step step = read_step(stop);
        if (step == Step::line) return true;
        if (step == Step::stopped) return false;
        end_file(read_, stop);
    }
    return false;
}

void LogReader::take(std::string_view text, bool overlong, bool repeated, const char* after) {
    line_.text = text;
    line_.overlong = overlong;
    line_.repeated = repeated;
    line_.after = after;
}

void LogReader::decide_when(const volatile std::sig_atomic_t* stop) {
    when_ = kAtOnce;
    if (line_.overlong || !line_.parsed.ok()) return;
    const hitwatch::UnixSeconds time = line_.parsed.line.time;
    // An outlier: more than --max-skew ahead of its log's clock (or its log's first line), and
    // the next valid line goes back to before that (core/replay_clock.h), as the line counter
    // tells. Taken for a jump, an outlier would hold its log's later lines back behind every
    // other log's lines up to its time, where they count as late.
    const std::int64_t skew = feed_.max_skew();
    if (!has_clock_ || time > log_clock_ + skew) {
        const auto next = time_of_next_valid_line(stop);
        if (next && !hitwatch::confirms_jump(time, *next, skew)) return;
    }
    when_ = time;
}

std::optional<hitwatch::UnixSeconds> LogReader::time_of_next_valid_line(const volatile std::sig_atomic_t* stop) {
    if (!feed_.lines_parse_alone() || !parser_) return std::nullopt;
    if (line_.after != nullptr && line_.after < end_of_chunk_) return time_of_first_valid_line_from(line_.after);
    // The line ahead ends its chunk: the next is read now (the file's end is not gone past: what
    // follows its last newline is counted there, after the line ahead). Past an over-long line,
    // none is looked at.
    hold_line_ahead();
    Line ahead = std::move(line_);
    const Step step = read_step(stop);
    if (step == Step::line) after_ahead_ = std::move(line_);
    line_ = std::move(ahead);
    if (step == Step::file_end) return time_of_line_after_file();
    if (!after_ahead_ || after_ahead_->overlong) return std::nullopt;
    if (const auto time = time_if_valid(*parser_, after_ahead_->text, feed_.max_line())) return time;
    return after_ahead_->after == nullptr ? std::nullopt : time_of_first_valid_line_from(after_ahead_->after);
}

std::optional<hitwatch::UnixSeconds> LogReader::time_of_line_after_file() {
    if (const auto time = time_if_valid(*parser_, reader_->pending(), feed_.max_line())) return time;
    return next_file_ < files_.size() ? files_[next_file_].first_time : std::nullopt;
}

std::optional<hitwatch::UnixSeconds> LogReader::time_of_first_valid_line_from(const char* at) {
    const std::string_view lines(at, static_cast<std::size_t>(end_of_chunk_ - at));
    for (std::size_t from = 0; from < lines.size();) {
        const std::size_t newline = lines.find('\n', from);
        const auto time = time_if_valid(*parser_, lines.substr(from, newline - from), feed_.max_line());
        if (time) return time;
        from = newline + 1;
    }
    return std::nullopt;
}

void LogReader::hold_line_ahead() {
    held_text_.assign(line_.text);
    line_.text = held_text_;
    hitwatch::LogLine& parsed = line_.parsed.line;
    held_host_.assign(parsed.host);
    parsed.host = held_host_;
    held_section_.assign(parsed.section);
    parsed.section = held_section_;
    held_vhost_.assign(parsed.vhost);
    parsed.vhost = held_vhost_;
}

LogReader::Step LogReader::read_line() {
    for (;;) {
        if (next_line_ < ends_.size()) {
            const char* data = chunk_.data.get();
            const std::size_t begin = next_line_ == 0 ? 0 : ends_[next_line_ - 1] + 1;
            const std::string_view text = hitwatch::after_hole({data + begin, ends_[next_line_] - begin});
            ++next_line_;
            const bool overlong = text.size() > feed_.max_line();
            if (!overlong) feed_.parse(text, line_.parsed);
            take(text, overlong, false, text.data() + text.size() + 1);
            return Step::line;
        }
        if (read_ == ChunkReader::Status::chunk && chunk_.overlong_after) {
            chunk_.overlong_after = false;
            take({}, true, false, nullptr);
            return Step::line;
        }
        if (read_ == ChunkReader::Status::chunk) read_ = reader_->next(chunk_);
        index_lines();
        if (read_ == ChunkReader::Status::chunk) continue;
        return read_ == ChunkReader::Status::stopped ? Step::stopped : Step::file_end;
    }
}

bool LogReader::take_joined_line() {
    FileParts::Joined joined = parts_->join_first(*slot_);
    if (joined.overlong) {
        take({}, true, false, nullptr);
        return true;
    }
    if (!joined.line) return false;
    joined_ = std::move(*joined.line);
    feed_.parse(joined_, line_.parsed);
    // As a chunk reader's chunk, which begins with this line: the line after it is the part's first.
    take(joined_, false, false, slot_->chunk.data.get() + slot_->range->lines_at);
    return true;
}

void LogReader::end_parts() {
    parts_->hand_to(*reader_);
    parts_.reset();
    slot_ = nullptr;
    pipeline_ = std::make_unique<ChunkPipeline>(*pool_, feed_.reading(), reader_->head(), feed_.max_line(), slots_);
}

LogReader::Step LogReader::parsed_line(const volatile std::sig_atomic_t* stop) {
    for (;;) {
        if (slot_ != nullptr) {
            if (parts_ && take_joined_line()) return Step::line;
            if (slot_line_ < slot_->lines.size()) {
                prefetch_section_ahead(*slot_, slot_line_);
                const ParsedLine& line = slot_->lines[slot_line_++];
                const std::string_view text(slot_->chunk.data.get() + line.text_at, line.text_size);
                if (!line.overlong) to_parse_result(*slot_, line, line_.parsed);
                take(text, line.overlong, line.repeated, text.data() + text.size() + 1);
                return Step::line;
            }
            if (slot_->parsed_whole() && slot_->chunk.overlong_after && !overlong_after_taken_) {
                overlong_after_taken_ = true;
                take({}, true, false, nullptr);
                return Step::line;
            }
            overlong_after_taken_ = false;
            Slot& counted = *std::exchange(slot_, nullptr);
            if (parts_) {
                if (parts_->counted_oldest(counted)) {
                    take({}, true, false, nullptr);  // the next part's first line
                    return Step::line;
                }
            } else if (!counted.parsed_whole()) {
                pipeline_->queue_rest_of_oldest();
            } else {
                pipeline_->release_oldest();
            }
        }
        if (parts_) {
            slot_ = parts_->oldest(stop);
            if (slot_ == nullptr && parts_->ended()) {
                end_parts();
                continue;
            }
            if (slot_ == nullptr) return Step::stopped;
            slot_line_ = 0;
            end_of_chunk_ = slot_->chunk.data.get() + slot_->chunk.size;
            continue;
        }
        while (read_ == ChunkReader::Status::chunk && !pipeline_->full()) {
            read_ = reader_->next(pipeline_->next_free());
            if (read_ == ChunkReader::Status::chunk) pipeline_->queue();
        }
        if (pipeline_->empty()) return read_ == ChunkReader::Status::stopped ? Step::stopped : Step::file_end;
        slot_ = pipeline_->oldest_parsed(stop);
        if (slot_ == nullptr) return Step::stopped;
        slot_line_ = 0;
        end_of_chunk_ = slot_->chunk.data.get() + slot_->chunk.size;
    }
}

void LogReader::index_lines() {
    ends_.clear();
    next_line_ = 0;
    end_of_chunk_ = chunk_.data.get() + chunk_.size;
    if (read_ != ChunkReader::Status::chunk) return;
    const char* data = chunk_.data.get();
    hitwatch::for_each_newline(data, chunk_.size, [&](const char* newline) {
        ends_.push_back(static_cast<std::uint32_t>(newline - data));
    });
}

bool LogReader::open_next_file(const volatile std::sig_atomic_t* stop) {
    while (next_file_ < files_.size()) {
        const std::size_t index = next_file_++;
        input_ = feed_.open(files_[index].path, true);
        if (!input_) {
            status_ = 1;
            continue;
        }
        if (index > 0) feed_.next_file(input_->name());
        if (std::exchange(first_file_, false)) feed_.begin_where_learning_begins(*input_);
        latest_mtime_ = std::max(latest_mtime_, input_->mtime());
        reader_ = std::make_unique<ChunkReader>(*input_, feed_.max_line(), size_.chunk, stop, size_.head);
        read_ = reader_->read_head();
        // An error log among the logs (`--replay /var/log/nginx/*.log`) is left out, and said to be.
        if (!reader_->head().empty()) feed_.first_bytes(reader_->head(), true);
        if (feed_.not_an_access_log()) {
            feed_.left_out(files_[index].path);
            reader_.reset();
            input_.reset();
            continue;
        }
        // Made now: the head, which decides `auto` as it decided the log's, is given back once read.
        parser_.emplace(parser_for(feed_.reading(), reader_->head()));
        if (pool_ != nullptr && feed_.lines_parse_alone() && !input_->small()) {
            reader_->keep_head();
            if (input_->reads_at_offsets()) {
                parts_.emplace(*pool_, feed_.reading(), reader_->head(), feed_.max_line(), slots_, *input_,
                               size_.chunk);
            } else {
                pipeline_ = std::make_unique<ChunkPipeline>(*pool_, feed_.reading(), reader_->head(),
                                                            feed_.max_line(), slots_);
            }
        }
        line_ = Line();
        chunk_.size = 0;
        index_lines();
        return true;
    }
    return false;
}

void LogReader::end_file(ChunkReader::Status status, const volatile std::sig_atomic_t* stop) {
    parts_.reset();
    status_ = std::max(status_, end_of_chunks(status, *reader_, *input_, feed_, stop));
    feed_.input_ended(*input_);
    slot_ = nullptr;
    pipeline_.reset();
    reader_.reset();
    input_.reset();
}

}  // namespace

MergedReads merged_reads(std::size_t logs) {
    MergedReads size;
    while (size.chunk > kSmallestMergedChunk && size.chunk * logs > kMergedChunksBytes) size.chunk /= 2;
    size.head = std::max(size.chunk, kSmallestMergedHead);
    return size;
}

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

int replay_merged(const std::vector<std::vector<ReplayFile>>& logs, ReplayFeed& feed, unsigned threads,
                  const volatile std::sig_atomic_t* stop, hitwatch::UnixSeconds& latest_mtime) {
    // One pool of threads parses every log's chunks, each log with 2 chunks in flight for each
    // thread it has a share of (at least 1).
    std::optional<ParsePool> pool;
    if (threads > 1) pool.emplace(threads);
    ParsePool* const parse_pool = pool && pool->threads() > 1 ? &*pool : nullptr;
    const std::size_t slots = 2 * ((std::size_t{threads} + logs.size() - 1) / logs.size());
    const MergedReads size = merged_reads(logs.size());
    std::vector<std::unique_ptr<LogReader>> readers;  // after the pool: gone before it
    // The logs with a line ahead, the one whose line comes first on top; of lines of one time,
    // the first log's, as a sort that keeps the order would have it.
    using Ahead = std::pair<hitwatch::UnixSeconds, std::size_t>;  // when, log
    std::priority_queue<Ahead, std::vector<Ahead>, std::greater<>> ahead;
    for (std::size_t i = 0; i < logs.size(); ++i) {
        const std::size_t log = i == 0 ? 0 : feed.add_log(logs[i].front().path);
        readers.push_back(std::make_unique<LogReader>(logs[i], log, feed, parse_pool, slots, size));
        if (readers.back()->next(stop)) ahead.emplace(readers.back()->when(), i);
    }
    while (!ahead.empty() && *stop == 0 && !feed.past_window()) {
        const std::size_t log = ahead.top().second;
        LogReader& first = *readers[log];
        ahead.pop();
        // Its lines are counted while they come before every other log's line ahead: the
        // order the queue would give, without a push and a pop a line.
        bool more = false;
        do {
            first.count();
            feed.answer_signals();
            more = first.next(stop);
        } while (more && *stop == 0 && !feed.past_window() &&
                 (ahead.empty() || Ahead(first.when(), log) < ahead.top()));
        if (more) ahead.emplace(first.when(), log);
    }
    if (feed.past_window()) {
        HW_LOG(info) << "reading stopped at " << feed.where_past_window()
                     << ", where the logs' clock reached --until: the rest of them is not read";
    }
    int status = 0;
    for (const auto& reader : readers) {
        status = std::max(status, reader->status());
        latest_mtime = std::max(latest_mtime, reader->latest_mtime());
    }
    return status;
}

}  // namespace hitwatchd
