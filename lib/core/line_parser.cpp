#include "core/line_parser.h"

#include <vector>

namespace hitwatch {

LineParser::LineParser(const LogFormat& format) {
    if (format.kind == LogFormat::Kind::auto_detect) {
        decided_ = false;
        classic_ = false;
        name_ = "auto";
    } else {
        use(format);
    }
}

void LineParser::use(const LogFormat& format) {
    decided_ = true;
    classic_ = format.kind == LogFormat::Kind::classic;
    name_ = format.name;
    if (!classic_) fields_ = FieldParser(format);
}

void LineParser::parse_other(std::string_view text, ParseResult& r) {
    if (!decided_) {
        detect(text);  // the owner did not show the log's first lines: this one decides
        if (!decided_) return classic_parser_.parse(text, r);  // a blank line decides nothing
        return parse(text, r);
    }
    r = fields_.parse(text);
    if (r.error > ParseError::blank) r.error = diagnose(text, r.error);
}

Detection LineParser::detect(std::string_view head) {
    Detection found;
    if (decided_) {
        found.preset = name_;
        return found;
    }
    const std::vector<LogFormat>& presets = detectable_presets();
    std::vector<size_t> matches(presets.size(), 0);
    std::vector<FieldParser> parsers;
    for (const LogFormat& preset : presets) parsers.emplace_back(preset);
    LogParser classic;
    std::string_view unmatched;
    while (!head.empty() && found.sampled < kDetectionLines) {
        const size_t newline = head.find('\n');
        const std::string_view line = head.substr(0, newline);
        head.remove_prefix(newline == std::string_view::npos ? head.size() : newline + 1);
        if (trim_line(line).empty()) continue;
        ++found.sampled;
        bool any = false;
        for (size_t i = 0; i < presets.size(); ++i) {
            const bool ok = presets[i].kind == LogFormat::Kind::classic ? classic.parse(line).ok() : parsers[i].parse(line).ok();
            matches[i] += ok;
            any = any || ok;
        }
        if (!any && unmatched.empty()) unmatched = line;
    }
    if (found.sampled == 0) return found;  // nothing to go by yet
    size_t best = 0;
    for (size_t i = 1; i < presets.size(); ++i) {
        if (matches[i] > matches[best]) best = i;
    }
    found.matched = matches[best];
    found.preset = presets[best].name;
    found.sample = std::string(unmatched.substr(0, 300));
    use(presets[best]);
    return found;
}

ParseError LineParser::diagnose(std::string_view text, ParseError error) {
    if (error == ParseError::compressed || error == ParseError::error_log) return error;
    for (const LogFormat& preset : detectable_presets()) {
        if (preset.name == name_ || (classic_ && preset.kind == LogFormat::Kind::classic)) continue;
        const bool ok = preset.kind == LogFormat::Kind::classic ? parse_line(text).ok() : FieldParser(preset).parse(text).ok();
        if (!ok) continue;
        return preset.name == "combined" ? ParseError::looks_like_combined : ParseError::looks_like_vhost_combined;
    }
    return error;
}

}  // namespace hitwatch
