#include "tail/resume.h"

#include <algorithm>

namespace hitwatch {

std::optional<std::size_t> locate(const SavedFile& file, std::size_t i, const std::vector<Candidate>& candidates,
                                  const std::vector<bool>& skip) {
    const auto usable = [&](std::size_t k) {
        const Candidate& c = candidates[k];
        return !skip[k] && c.size >= file.offset && i < c.head_matches.size() && c.head_matches[i];
    };
    // The same file, renamed or not.
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        const Candidate& c = candidates[k];
        if (c.device == file.identity.device && c.inode == file.identity.inode && (file.unread || usable(k))) return k;
    }
    // A copy under another inode: only a head that was read can say so (an empty head
    // matches any file), and a file never read has no head.
    if (file.unread || file.identity.head_length == 0) return std::nullopt;
    std::optional<std::size_t> found;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        if (!usable(k)) continue;
        // The path itself holds a copy only if nothing else does: a rotated copy is beside it.
        if (!found || (candidates[*found].is_log_path && !candidates[k].is_log_path)) found = k;
    }
    if (found) return found;
    // The same file cut short: its head is intact, but it is shorter than the offset. Looked
    // for last, so a copy beside it says copytruncate even when the new lines began as the
    // old ones did.
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        const Candidate& c = candidates[k];
        if (!skip[k] && c.device == file.identity.device && c.inode == file.identity.inode &&
            i < c.head_matches.size() && c.head_matches[i]) {
            return k;
        }
    }
    return std::nullopt;
}

SavedFile resume_point(const SavedFile& file, const Candidate& found) {
    return !file.unread && found.size < file.offset + file.overlong_read ? file.cut_to(found.size) : file;
}

ResumePlan plan_resume(const std::vector<SavedFile>& saved, const std::vector<Candidate>& candidates) {
    ResumePlan plan;
    std::vector<bool> taken(candidates.size(), false);
    bool path_resumed = false;
    for (std::size_t i = 0; i < saved.size(); ++i) {
        const auto k = locate(saved[i], i, candidates, taken);
        if (!k) {
            const SavedFile& s = saved[i];
            if (!s.size) {
                ++plan.lost_files;
            } else if (*s.size > s.offset) {
                plan.lost_bytes += *s.size - s.offset;
                ++plan.lost_files;
            }
            continue;
        }
        taken[*k] = true;
        if (candidates[*k].compressed) {
            const std::uint64_t size = candidates[*k].size;
            plan.lost_bytes += size > saved[i].offset ? size - saved[i].offset : 0;
            ++plan.lost_files;
            continue;
        }
        // Cut short: what it had past both the offset and its new end was not read, and is gone.
        const std::uint64_t kept = std::max(saved[i].offset, candidates[*k].size);
        if (!saved[i].unread && saved[i].size.value_or(0) > kept) plan.cut_bytes += *saved[i].size - kept;
        if (candidates[*k].is_log_path && !path_resumed) {
            path_resumed = true;
            plan.current = ResumePlan::Current::resume;
            plan.current_saved = i;
        } else {
            plan.drains.push_back({*k, i});
        }
    }
    if (!path_resumed) {
        for (const Candidate& c : candidates) {
            if (c.is_log_path) plan.current = ResumePlan::Current::from_start;
        }
    }
    return plan;
}

}  // namespace hitwatch
