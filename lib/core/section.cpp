#include "core/section.h"

namespace hitwatch {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

// The path of an absolute URL: what follows the authority. Empty when there is none.
std::string_view path_of_absolute(std::string_view url, size_t scheme_length) {
    const std::string_view rest = url.substr(scheme_length);
    const size_t end_of_authority = rest.find_first_of("/?#");
    if (end_of_authority == std::string_view::npos || rest[end_of_authority] != '/') return {};
    return rest.substr(end_of_authority);
}

}  // namespace

std::optional<std::string_view> section_of(std::string_view target) {
    std::string_view path;
    if (!target.empty() && target[0] == '/') {
        path = target;
    } else if (starts_with_nocase(target, "http://")) {
        path = path_of_absolute(target, 7);
    } else if (starts_with_nocase(target, "https://")) {
        path = path_of_absolute(target, 8);
    } else {
        return std::nullopt;
    }
    if (path.empty()) return std::string_view("/");  // "http://example.com" asks for the root
    const char* end = segment_end(path.data() + 1, path.data() + path.size());
    return path.substr(0, static_cast<size_t>(end - path.data()));
}

}  // namespace hitwatch
