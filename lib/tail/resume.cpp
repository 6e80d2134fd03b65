// SPDX-License-Identifier: Apache-2.0
#include "tail/resume.h"

namespace hitwatch {

std::optional<std::size_t> locate(const SavedFile& file, std::size_t i, const std::vector<Candidate>& candidates,
                                  const std::vector<bool>& skip) {
    const auto same_inode = [&](std::size_t k) {
        return candidates[k].device == file.identity.device && candidates[k].inode == file.identity.inode;
    };
    const auto same_head = [&](std::size_t k) {
        return !skip[k] && i < candidates[k].head_matches.size() && candidates[k].head_matches[i];
    };
    const auto usable = [&](std::size_t k) {
        return same_head(k) && (!candidates[k].size_known || candidates[k].size >= file.offset);
    };
    // The same file, renamed or not.
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        if (same_inode(k) && (file.unread || usable(k))) return k;
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
        if (same_inode(k) && same_head(k)) return k;
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
            // Lost, by how much is known only of what it held at the stop: a file read to its end
            // then may have grown after it (logrotate's olddir moves it out of sight, too).
            const SavedFile& s = saved[i];
            if (s.size && *s.size > s.offset) plan.lost_bytes += *s.size - s.offset;
            ++plan.lost_files;
            continue;
        }
        taken[*k] = true;
        if (candidates[*k].compressed) {
            // Measured, not read: lost only if it holds more than was read of it (or if how
            // much it holds cannot be told).
            const std::uint64_t size = candidates[*k].size;
            if (!candidates[*k].size_known) {
                plan.unmeasured.push_back(*k);
            } else if (size > saved[i].offset) {
                plan.lost_bytes += size - saved[i].offset;
                ++plan.lost_files;
            }
            continue;
        }
        if (!saved[i].unread) plan.cut_bytes += saved[i].cut_away(candidates[*k].size);  // shorter than it was
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
