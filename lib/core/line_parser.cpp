// SPDX-License-Identifier: Apache-2.0
#include "core/line_parser.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/combined_extension.h"
#include "core/nul_hole.h"
#include "core/section.h"

namespace hitwatch {
namespace {

// The next line of `head` (without the NULs of a hole before it); `head` after its newline.
std::string_view take_line(std::string_view& head) {
    const size_t newline = head.find('\n');
    const std::string_view line = after_hole(head.substr(0, newline));
    head.remove_prefix(newline == std::string_view::npos ? head.size() : newline + 1);
    return line;
}

// A wrapped line as its wrapper is read: `trimmed` is trim_line(line), not empty. syslog's
// lines are whole: trimmed. A container runtime cuts a long line into pieces at 16 KiB
// whatever byte is there, so a piece may end with a blank of its line: only a byte-order
// mark and a CRLF's CR go (what is inside is trimmed when it is read).
std::string_view to_unwrap(LineWrapper wrapper, std::string_view line, std::string_view trimmed) {
    if (wrapper == LineWrapper::syslog) return trimmed;
    line.remove_prefix(static_cast<std::size_t>(trimmed.data() - line.data()));
    if (line.back() == '\r') line.remove_suffix(1);
    return line;
}

// Whether lines read in a format, by a parser of its own made for the first line that needs
// it, not for each: a detection tries 100 lines in each preset (a parser for every one of them
// was most of a small file's replay).
class FormatProbe {
public:
    explicit FormatProbe(const LogFormat& format) : format_(format) {}
    // A line of the format: a hit, or a request it says got no response (a sidecar's log may
    // begin with its TCP connections and probes that went away, Envoy's status 0).
    bool reads(std::string_view line) {
        const auto of_the_format = [](const ParseResult& r) { return r.ok() || r.error == ParseError::no_response; };
        switch (format_.kind) {
            case LogFormat::Kind::classic: return of_the_format(parse_line(line));
            case LogFormat::Kind::json: {
                const std::string_view trimmed = trim_line(line);
                if (trimmed.empty() || trimmed.front() != '{') return false;  // without building a parser
                if (!json_) json_ = std::make_unique<JsonLineParser>(format_.json);  // on the heap: its buffer is large
                return of_the_format(json_->parse(line));
            }
            case LogFormat::Kind::fields:
                if (!fields_) fields_.emplace(format_);
                return of_the_format(fields_->parse(line));
            case LogFormat::Kind::auto_detect: return false;
        }
        return false;
    }

private:
    const LogFormat& format_;
    std::optional<FieldParser> fields_;
    std::unique_ptr<JsonLineParser> json_;
};

std::vector<LogFormat> presets_as(const LogFormat& format) {
    std::vector<LogFormat> presets = detectable_presets();
    for (LogFormat& preset : presets) {
        if (preset.kind == LogFormat::Kind::json) preset.json = format.json;
        preset.local_to_utc = format.local_to_utc;  // HAProxy's dates are local time
    }
    return presets;
}

// detectable_presets() as a parser of `format` reads them: the JSON one with its roles, each in
// its zone. Some 20 KiB, shared by the parsers that read them alike (every log's, with the
// default roles and the one zone a process has), not copied by each: with many logs merged
// they were most of what a log held.
std::shared_ptr<const std::vector<LogFormat>> shared_presets(const LogFormat& format) {
    using Presets = const std::vector<LogFormat>;
    static const JsonFields kDefaultRoles = default_json_fields();
    if (format.json == kDefaultRoles) {
        static const auto in_utc = std::make_shared<Presets>(presets_as(LogFormat{}));
        if (format.local_to_utc == nullptr) return in_utc;
        static const auto in_the_zone = std::make_shared<Presets>(presets_as(format));  // the first asked for
        if (in_the_zone->front().local_to_utc == format.local_to_utc) return in_the_zone;
    }
    return std::make_shared<Presets>(presets_as(format));
}

// The reason of a line that `preset`, one of detectable_presets(), reads.
ParseError looks_like(const LogFormat& preset) {
    static constexpr std::pair<std::string_view, ParseError> kReasons[] = {
        {"combined", ParseError::looks_like_combined}, {"vhost_combined", ParseError::looks_like_vhost_combined},
        {"json", ParseError::looks_like_json},         {"alb", ParseError::looks_like_alb},
        {"haproxy", ParseError::looks_like_haproxy},   {"envoy", ParseError::looks_like_envoy},
        {"istio", ParseError::looks_like_istio}};
    for (const auto& [name, reason] : kReasons) {
        if (preset.name == name) return reason;
    }
    return ParseError::bad_field;  // (every preset auto tries is above)
}

}  // namespace

LineParser::LineParser(const LogFormat& format, SectionRule rule)
    : rule_(rule), plain_rule_(rule.plain()), presets_(shared_presets(format)) {
    if (format.kind == LogFormat::Kind::auto_detect) {
        decided_ = false;
        classic_ = plain_classic_ = false;
        name_ = "auto";
    } else {
        use(format);
    }
}

void LineParser::use(const LogFormat& format) {
    decided_ = true;
    classic_ = format.kind == LogFormat::Kind::classic;
    wrapper_ = format.wrapper;
    plain_classic_ = classic_ && plain_rule_ && wrapper_ == LineWrapper::none;
    name_ = format.name;
    expected_time_ = hitwatch::expected_time(format);
    json_.reset();
    if (format.kind == LogFormat::Kind::fields) fields_ = FieldParser(format);
    if (format.kind == LogFormat::Kind::json) json_ = std::make_unique<JsonLineParser>(format.json, rule_.depth);
}

void LineParser::parse_other(std::string_view text, ParseResult& r) {
    if (!decided_) {
        detect(text);  // the owner did not show the log's first lines: this one decides
        if (!decided_) return classic_parser_.parse(text, r);  // a blank line decides nothing
        return parse(text, r);
    }
    if (wrapper_ == LineWrapper::none) return parse_inner(text, r);
    std::string_view inner;
    if (!unwrap(text, inner, r)) return;
    parse_inner(inner, r);
    if (wrapper_ != LineWrapper::syslog) return;
    r.repeats = repeats_;  // after the parse, which may start from a fresh result (JSON)
    if (r.error > ParseError::blank && !access_tags_.empty() &&
        std::find(access_tags_.begin(), access_tags_.end(), tag_) == access_tags_.end()) {
        r.error = ParseError::other_program;
    }
}

void LineParser::learn_access_tags(std::string_view head) {
    access_tags_.clear();
    if (wrapper_ != LineWrapper::syslog) return;
    std::size_t sampled = 0;
    while (!head.empty() && sampled < kDetectionLines) {
        const std::string_view line = trim_line(take_line(head));
        std::string_view content;
        const Unwrapped u = unwrap_syslog(line, content);
        if (!u.ok) continue;
        ++sampled;
        ParseResult r;
        parse_inner(content, r);
        if (r.ok() && std::find(access_tags_.begin(), access_tags_.end(), u.tag) == access_tags_.end()) {
            access_tags_.emplace_back(u.tag);
        }
    }
}

bool LineParser::unwrap(std::string_view text, std::string_view& inner, ParseResult& r) {
    r = ParseResult{};
    const std::string_view trimmed = trim_line(text);
    if (trimmed.empty()) {
        r.error = ParseError::blank;
        return false;
    }
    text = to_unwrap(wrapper_, text, trimmed);
    if (wrapper_ == LineWrapper::syslog) {
        // Never in pieces: what is inside is read in place.
        const Unwrapped u = unwrap_syslog(text, inner, &wrapper_times_);
        tag_ = u.tag;
        repeats_ = u.repeats;
        if (!u.ok) r.error = journal_marker(text) ? ParseError::blank : ParseError::bad_field;
        if (u.ok && json_) json_->set_time_when_none(u.time);
        return u.ok;
    }
    std::string_view content;
    Unwrapped u;
    if (wrapper_ == LineWrapper::cri) {
        u = unwrap_cri(text, content, &wrapper_times_);
        // The usual CRI line, whole ("F") with no piece before it: read in place, as syslog's.
        if (u.ok && !u.piece && pieces_[u.stream].empty()) {
            inner = content;
            if (json_) json_->set_time_when_none(u.time);
            return true;
        }
    }
    std::string& whole = inside_[which_inside_ = !which_inside_];
    whole.clear();
    if (wrapper_ == LineWrapper::cri) {
        if (u.ok) whole.assign(content);
    } else {
        u = unwrap_docker(text, whole, &wrapper_times_);
    }
    if (!u.ok) {
        pieces_[0].clear();
        pieces_[1].clear();
        r.error = ParseError::bad_field;  // not the runtime's shape: the wrapper's part of the line
        return false;
    }
    std::string& pieces = pieces_[u.stream];
    if (u.piece) {
        // A line over the runtime's 16 KiB comes in pieces; a runaway one is cut at 1 MiB.
        pieces.append(whole);
        if (pieces.size() > (1u << 20)) pieces.clear();
        r.error = ParseError::blank;  // not a line yet
        return false;
    }
    if (!pieces.empty()) {
        pieces.append(whole);
        whole.swap(pieces);
        pieces.clear();
    }
    inner = whole;
    if (json_) json_->set_time_when_none(u.time);  // a line's time is its own, else the runtime's
    return true;
}

void LineParser::parse_inner(std::string_view text, ParseResult& r) {
    if (classic_) {
        classic_parser_.parse(text, r);
    } else {
        if (json_) {
            r = json_->parse(text);
        } else {
            fields_.parse(text, r);
        }
    }
    if (r.error > ParseError::blank) {
        not_read(text, r);
        if (r.ok()) return;  // read by another preset's parser, which named its section
    }
    if (!plain_rule_ && r.ok()) name_section(text, r.line);
}

void LineParser::name_section(std::string_view text, LogLine& line) {
    const char* const end = text.data() + text.size();
    const bool in_line = line.section.data() >= text.data() && line.section.data() < end;
    // More segments of the same path: it goes on in the line after the first one. (A JSON
    // log's section is a copy, made with its depth already.)
    if (in_line && rule_.depth > 1) line.section = extend_section(line.section, end, rule_.depth);
    if (rule_.by_host && !line.vhost.empty()) {
        std::string& named = sections_[which_ = !which_];
        named.clear();
        for (const char c : line.vhost) named += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (line.section == kNoSection) named += '/';
        named += line.section;
        line.section = named;
    }
}

Detection LineParser::detect(std::string_view head) {
    Detection found;
    if (decided_) {
        learn_access_tags(head);
        found.preset = name_;
        return found;
    }
    // A line cut where the head ends is no sample (a read of a set size, a line being written).
    if (const size_t newline = head.rfind('\n'); newline != std::string_view::npos) {
        head.remove_suffix(head.size() - newline - 1);
    }
    // A container runtime's lines: what is inside them decides.
    const std::string_view original_head = head;
    std::string inside;
    const LineWrapper wrapper = unwrap_head(head, inside);
    if (wrapper != LineWrapper::none) head = inside;
    const std::vector<LogFormat>& presets = *presets_;
    std::vector<size_t> matches(presets.size(), 0);
    std::vector<FormatProbe> probes(presets.begin(), presets.end());
    std::string_view unmatched;
    std::vector<std::string_view> sampled;
    while (!head.empty() && found.sampled < kDetectionLines) {
        const std::string_view line = take_line(head);
        if (trim_line(line).empty()) continue;
        ++found.sampled;
        sampled.push_back(line);
        bool any = false;
        for (size_t i = 0; i < presets.size(); ++i) {
            const bool ok = probes[i].reads(line);
            matches[i] += ok;
            any = any || ok;
        }
        if (!any && unmatched.empty()) unmatched = line;
        found.error_log_lines += !any && looks_like_error_log(line);
    }
    if (found.sampled == 0) return found;  // nothing to go by yet
    size_t best = 0;
    for (size_t i = 1; i < presets.size(); ++i) {
        if (matches[i] > matches[best]) best = i;
    }
    if (matches[best] == 0) {
        // JSON objects with none of the names looked for: JSON still, whose lines say which
        // role they lack, rather than combined, whose would all say "expected a client host".
        const auto objects = std::count_if(sampled.begin(), sampled.end(), [](std::string_view line) {
            const std::string_view trimmed = trim_line(line);
            return trimmed.size() >= 2 && trimmed.front() == '{' && trimmed.back() == '}';
        });
        const auto json = std::find_if(presets.begin(), presets.end(),
                                       [](const LogFormat& p) { return p.kind == LogFormat::Kind::json; });
        if (2 * static_cast<size_t>(objects) > sampled.size() && json != presets.end()) {
            best = static_cast<size_t>(json - presets.begin());
        }
    }
    found.matched = matches[best];
    found.preset = presets[best].name;
    found.sample = std::string(unmatched.substr(0, 300));
    use(presets[best]);
    detected_ = true;
    if (found.matched > 0) read_what_follows_combined(sampled, found);
    if (wrapper != LineWrapper::none) {
        wrapper_ = wrapper;
        plain_classic_ = false;
        name_ = std::string(name_of(wrapper)) + "+" + name_;
        found.preset = name_;
        learn_access_tags(original_head);
    }
    return found;
}

LineWrapper LineParser::unwrap_head(std::string_view head, std::string& inside) const {
    LineWrapper wrapper = LineWrapper::none;
    std::string content, pieces[2];  // by stream, as unwrap() joins them
    while (!head.empty()) {
        const std::string_view line = take_line(head);
        const std::string_view trimmed = trim_line(line);
        if (trimmed.empty() || journal_marker(trimmed)) continue;
        if (wrapper == LineWrapper::none) {
            wrapper = wrapper_of(trimmed);  // the first line decides
            if (wrapper == LineWrapper::none) return wrapper;
        }
        content.clear();
        const Unwrapped u = unwrap_onto(wrapper, to_unwrap(wrapper, line, trimmed), content);
        std::string& joined = pieces[u.stream];
        joined += content;
        if (!u.ok || !u.piece) {
            inside += joined;
            inside += '\n';
            joined.clear();
        }
    }
    return wrapper;
}

std::vector<std::string> LineParser::json_bytes_missing(std::string_view head) {
    if (!json_) return {};
    std::string inside;
    if (unwrap_head(head, inside) != LineWrapper::none) head = inside;
    size_t read = 0;
    for (size_t lines = 0; !head.empty() && lines < kDetectionLines; ++lines) {
        const std::string_view line = take_line(head);
        if (!json_->parse(line).ok()) continue;
        if (json_->had_bytes_field()) return {};
        ++read;
    }
    if (read == 0) return {};
    return json_->fields()[static_cast<size_t>(JsonRole::bytes)].names;
}

void LineParser::read_what_follows_combined(const std::vector<std::string_view>& sampled, Detection& found) {
    if (found.preset != "combined" && found.preset != "vhost_combined") return;
    const LogFormat& preset = (*presets_)[found.preset == "combined" ? 0 : 1];
    std::vector<std::string_view> taken;  // the lines the preset reads
    FormatProbe by_preset(preset);
    for (const std::string_view line : sampled) {
        if (by_preset.reads(line)) taken.push_back(line);
    }
    const CombinedExtension extension = find_combined_extension(found.preset, taken);
    found.unread_fields = extension.unknown_fields;
    if (extension.name.empty()) return;
    CompiledFormat compiled = compile_format(extension.format);
    size_t read = 0;
    FormatProbe extended(compiled.format);
    for (const std::string_view line : taken) read += extended.reads(line);
    if (!compiled.ok() || read < taken.size()) return;  // what combined reads, it must read too
    compiled.format.name = extension.name;
    use(compiled.format);
    found.preset = extension.name;
    found.format = extension.format;
}

FieldParser::Mismatch LineParser::mismatch(std::string_view text) {
    if (wrapper_ == LineWrapper::docker) return {};  // what is inside is unescaped: no column of the line's
    if (wrapper_ != LineWrapper::none) {
        // Columns are the line's: what is inside starts after the wrapper's part of it.
        std::string_view inner;
        const bool ok = wrapper_ == LineWrapper::syslog ? unwrap_syslog(text, inner).ok : unwrap_cri(text, inner).ok;
        if (!ok) return {1, std::string("a ").append(name_of(wrapper_)).append(" line's start")};
        FieldParser::Mismatch where = mismatch_inside(inner);
        if (where.column > 0) where.column += static_cast<std::size_t>(inner.data() - text.data());
        return where;
    }
    return mismatch_inside(text);
}

FieldParser::Mismatch LineParser::mismatch_inside(std::string_view text) {
    if (json_) return {};
    if (classic_) {
        // The hand-written scanner keeps no steps: combined's format string tells the column.
        FieldParser combined(compile_format(kCombinedLogFormat).format);
        return combined.mismatch(text);
    }
    return fields_.mismatch(text);
}

bool LineParser::is_own(const LogFormat& preset) const {
    // The classic scanner reads combined and common alike: neither is another format to it.
    return preset.name == name_ || (classic_ && preset.kind == LogFormat::Kind::classic);
}

void LineParser::not_read(std::string_view text, ParseResult& r) {
    if (!diagnoses_) return;
    if (r.error == ParseError::no_response) {
        // Envoy logs the connections of a TCP proxy (a mesh's database traffic) in its HTTP
        // format, with "- - -" for the request: no request went unanswered there. (Such a line
        // is its format's, not another preset's.)
        if (text.find(R"("- - -")") != std::string_view::npos) r.error = ParseError::tcp_connection;
        return;
    }
    if (!detected_ || r.error == ParseError::compressed || r.error == ParseError::error_log) {
        r.error = diagnose(text, r.error);
        return;
    }
    // A site that gives nginx a new log_format (a host, JSON for a new dashboard) and reloads
    // it goes on in the same file: what `auto` chose from the first lines no longer reads the
    // rest, and every line after the change was invalid, in a replay and live alike. Each
    // line is read alone, so chunks parsed on several threads read it the same.
    const std::vector<LogFormat>& presets = *presets_;
    if (others_.empty()) others_.resize(presets.size());
    const ParseResult mine = r;
    for (size_t i = 0; i < presets.size(); ++i) {
        if (is_own(presets[i])) continue;
        if (!others_[i]) {
            others_[i] = std::make_unique<LineParser>(presets[i], rule_);
            others_[i]->diagnoses_ = false;
        }
        others_[i]->parse(text, r);
        if (r.ok()) {
            r.read_as = static_cast<std::uint8_t>(i + 1);
            return;
        }
    }
    r = mine;  // no other preset reads it: nor would diagnose() find one
}

ParseError LineParser::diagnose(std::string_view text, ParseError error) {
    if (error == ParseError::compressed || error == ParseError::error_log) return error;
    for (const LogFormat& preset : *presets_) {
        if (is_own(preset)) continue;
        if (reads_as(preset, text)) return looks_like(preset);
    }
    return error;
}

bool reads_as(const LogFormat& preset, std::string_view line) { return FormatProbe(preset).reads(line); }

}  // namespace hitwatch
