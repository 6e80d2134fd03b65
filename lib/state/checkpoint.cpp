// SPDX-License-Identifier: Apache-2.0
#include "state/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>

#include "os/paths.h"
#include "os/posix_io.h"

namespace json = boost::json;

namespace hitwatch {

namespace {

json::object learning_json(const NormalLearning& l) {
    json::object out{{"level", l.level},           {"trend", l.trend},         {"dispersion", l.dispersion},
                     {"tail", l.tail},             {"intervals", l.intervals}, {"anomalous", l.anomalous}};
    if (!l.warm_up.empty()) out["warm_up"] = json::array(l.warm_up.begin(), l.warm_up.end());
    return out;
}

}  // namespace

std::string to_json(const Checkpoint& c) {
    json::array logs;
    for (const auto& log : c.logs) {
        json::array files;
        for (const auto& f : log.files) {
            json::object file{{"device", f.identity.device},       {"inode", f.identity.inode},
                              {"head_hash", f.identity.head_hash}, {"head_length", f.identity.head_length},
                              {"offset", f.offset}};
            if (f.size) file["size"] = *f.size;
            if (f.overlong_read > 0) file["overlong_read"] = f.overlong_read;
            if (f.lines_before) file["lines_before"] = *f.lines_before;
            if (f.unread) file["unread"] = true;
            files.push_back(std::move(file));
        }
        json::object entry{{"path", log.path}, {"files", std::move(files)}};
        if (log.catching_up_from) entry["catching_up_from"] = *log.catching_up_from;
        logs.push_back(std::move(entry));
    }
    json::object out{{"version", Checkpoint::kVersion}, {"logs", std::move(logs)}};
    if (c.reported_until) out["reported_until"] = *c.reported_until;
    if (c.alert) {
        const SavedAlert& a = *c.alert;
        json::array buckets(a.state.buckets.begin(), a.state.buckets.end());
        json::object alert{{"rule", name_of(a.rule)},       {"window_s", a.window_s},
                           {"interval_s", a.interval_s},    {"saved_at", a.saved_at},
                           {"buckets", std::move(buckets)}, {"pushed", a.state.pushed},
                           {"high", a.state.high},          {"sum", a.state.sum},
                           {"flushes", a.state.flushes}};
        if (a.state.high) alert["high_since"] = a.state.high_since;
        if (const auto& l = a.state.learning) alert["learning"] = learning_json(*l);
        json::array kinds;
        for (const SavedKind& k : a.kinds) {
            json::object kind{{"kind", name_of(k.kind)}, {"active", k.active}, {"learning", learning_json(k.learning)}};
            if (k.active) kind["since"] = k.since;
            kinds.push_back(std::move(kind));
        }
        alert["kinds"] = std::move(kinds);
        json::array shares;
        for (const auto& [name, share] : a.sections.shares) shares.push_back(json::array{json::string(name), share});
        alert["sections"] = {{"intervals", a.sections.intervals}, {"anomalous", a.sections.anomalous}, {"shares", std::move(shares)}};
        out["alert"] = std::move(alert);
    }
    return json::serialize(out) + "\n";
}

namespace {

// What is wrong with one part of the file; caught where that part can be dropped alone.
struct Invalid {
    std::string what;
};

// Reads the fields of one JSON object, each checked for its type and range; the first that
// is not as it should be throws Invalid naming it.
class Fields {
public:
    Fields(const json::value& value, std::string where) : where_(std::move(where)) {
        if (!value.is_object()) throw Invalid{where_ + ": expected an object"};
        object_ = &value.as_object();
    }

    template <class T>
    T number(const char* name, T low, T high) const {
        const json::value& v = required(name);
        boost::system::error_code ec;
        const T n = v.is_number() ? v.to_number<T>(ec) : T{};
        if (!v.is_number() || ec || n < low || n > high) {
            throw Invalid{where_ + ": " + name + " must be a whole number from " + std::to_string(low) + " to " +
                          std::to_string(high) + ", not " + json::serialize(v)};
        }
        return n;
    }
    template <class T>
    std::optional<T> optional_number(const char* name, T low, T high) const {
        if (!object_->contains(name)) return std::nullopt;
        return number<T>(name, low, high);
    }

    // A number, whole or not, finite and within [low, high].
    double real(const char* name, double low, double high) const {
        const json::value& v = required(name);
        const double n = v.is_number() ? v.to_number<double>() : std::nan("");
        if (!std::isfinite(n) || n < low || n > high) {
            throw Invalid{where_ + ": " + name + " must be a number from " + std::to_string(low) + " to " +
                          std::to_string(high) + ", not " + json::serialize(v)};
        }
        return n;
    }

    bool boolean(const char* name, std::optional<bool> default_value = std::nullopt) const {
        if (default_value && !object_->contains(name)) return *default_value;
        const json::value& v = required(name);
        if (!v.is_bool()) throw Invalid{where_ + ": " + name + " must be true or false"};
        return v.as_bool();
    }

    std::string text(const char* name, std::size_t max_bytes) const {
        const json::value& v = required(name);
        if (!v.is_string()) throw Invalid{where_ + ": " + name + " must be a string"};
        const json::string& s = v.as_string();
        if (s.empty() || s.size() > max_bytes || std::memchr(s.data(), '\0', s.size())) {
            throw Invalid{where_ + ": " + name + " must be 1 to " + std::to_string(max_bytes) + " bytes with no NUL"};
        }
        return std::string(s);
    }

    const json::array& array(const char* name, std::size_t max_size) const {
        const json::value& v = required(name);
        if (!v.is_array()) throw Invalid{where_ + ": " + name + " must be an array"};
        if (v.as_array().size() > max_size) {
            throw Invalid{where_ + ": " + name + " has more than " + std::to_string(max_size) + " entries"};
        }
        return v.as_array();
    }

    const std::string& where() const { return where_; }

    const json::value& required(const char* name) const {
        const json::value* v = object_->if_contains(name);
        if (!v) throw Invalid{where_ + ": " + name + " is missing"};
        return *v;
    }

private:
    const json::object* object_ = nullptr;
    std::string where_;
};

constexpr std::uint64_t kMaxOffset = std::uint64_t{1} << 62;  // far beyond any file, far from overflow

SavedFile read_file(const json::value& value, const std::string& where) {
    const Fields f(value, where);
    SavedFile file;
    file.identity.device = f.number<std::uint64_t>("device", 0, UINT64_MAX);
    file.identity.inode = f.number<std::uint64_t>("inode", 0, UINT64_MAX);
    file.identity.head_hash = f.number<std::uint64_t>("head_hash", 0, UINT64_MAX);
    file.identity.head_length = f.number<std::uint32_t>("head_length", 0, FileIdentity::kHeadBytes);
    file.offset = f.number<std::uint64_t>("offset", 0, kMaxOffset);
    file.size = f.optional_number<std::uint64_t>("size", 0, kMaxOffset);
    file.overlong_read = f.optional_number<std::uint64_t>("overlong_read", 0, kMaxOffset).value_or(0);
    file.lines_before = f.optional_number<std::uint64_t>("lines_before", 0, kMaxOffset);
    file.unread = f.boolean("unread", false);
    if (file.size && *file.size < file.offset + (file.unread ? 0 : file.overlong_read)) {
        throw Invalid{where + ": offset " + std::to_string(file.offset) + " lies past the size " +
                      std::to_string(*file.size)};
    }
    if (file.lines_before && *file.lines_before > file.offset) {
        throw Invalid{where + ": lines_before is more than the bytes before the offset"};
    }
    return file;
}

SavedLog read_log(const json::value& value, const std::string& where, int version, const std::string& cwd) {
    const Fields f(value, where);
    SavedLog log;
    log.path = f.text("path", Checkpoint::kMaxPathBytes);
    if (log.path.front() != '/') {
        if (version > 1) throw Invalid{where + ": path must be absolute, not " + log.path};
        // Version 1 saved paths as given; they were relative to the working directory then,
        // which is the best guess of it now.
        log.path = std::filesystem::path(cwd + "/" + log.path).lexically_normal().string();
    }
    const json::array& files = f.array("files", Checkpoint::kMaxFilesPerLog);
    for (std::size_t i = 0; i < files.size(); ++i) {
        log.files.push_back(read_file(files[i], where + " (" + log.path + "): files[" + std::to_string(i) + "]"));
    }
    // Version 4: a log saved while catching up (earlier versions kept it where it began).
    log.catching_up_from = f.optional_number<std::int64_t>("catching_up_from", -(std::int64_t{1} << 40), 253402300799);
    return log;
}

constexpr UnixSeconds kLastTime = 253402300799;  // 9999-12-31T23:59:59Z

// What a rule learned: version 3's form, or version 2's adaptive rule (its level and trend
// kept; its dispersion, measured from successive intervals, a first guess of the window's).
NormalLearning read_learning(const json::value& value, const std::string& where, int version) {
    const Fields l(value, where);
    NormalLearning learned;
    learned.level = l.real("level", -1e15, 1e15);
    learned.trend = l.real("trend", -1e15, 1e15);
    learned.intervals = l.number<std::uint64_t>("intervals", 0, UINT64_MAX);
    if (version < 3) {
        const double mean = l.real("mean", 0, 1e15), spread = l.real("spread", 0, 1e30);
        learned.level = std::max(learned.level, 0.0);
        learned.dispersion = mean > 0 ? std::max(1.0, spread / 2 / mean) : 1;
        return learned;
    }
    learned.dispersion = l.real("dispersion", 0, 1e30);
    learned.tail = l.real("tail", -100, 100);
    learned.anomalous = l.number<std::uint64_t>("anomalous", 0, UINT64_MAX);
    if (value.as_object().contains("warm_up")) {
        const json::array& seen = l.array("warm_up", Checkpoint::kMaxBuckets);
        for (std::size_t i = 0; i < seen.size(); ++i) {
            const double v = seen[i].is_number() ? seen[i].to_number<double>() : std::nan("");
            if (!std::isfinite(v)) throw Invalid{where + ": warm_up[" + std::to_string(i) + "] is not a number"};
            learned.warm_up.push_back(v);
        }
    }
    return learned;
}

std::vector<SavedKind> read_kinds(const json::array& kinds) {
    std::vector<SavedKind> out;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        const std::string where = "alert: kinds[" + std::to_string(i) + "]";
        const Fields f(kinds[i], where);
        SavedKind k;
        const auto kind = alert_kind_from_name(f.text("kind", 32));
        if (!kind || *kind == AlertKind::traffic) throw Invalid{where + ": kind must be errors, latency or drop"};
        k.kind = *kind;
        k.active = f.boolean("active");
        k.since = f.optional_number<std::int64_t>("since", 0, kLastTime).value_or(0);
        k.learning = read_learning(f.required("learning"), where + ": learning", 3);
        out.push_back(std::move(k));
    }
    return out;
}

SectionShares read_sections(const json::value& value) {
    const Fields f(value, "alert: sections");
    SectionShares s;
    s.intervals = f.number<std::uint64_t>("intervals", 0, UINT64_MAX);
    s.anomalous = f.number<std::uint64_t>("anomalous", 0, UINT64_MAX);
    const json::array& shares = f.array("shares", SectionTrends::kMaxSections);
    for (std::size_t i = 0; i < shares.size(); ++i) {
        const json::array* pair = shares[i].if_array();
        const double share = pair && pair->size() == 2 && pair->at(1).is_number() ? pair->at(1).to_number<double>() : -1;
        if (!pair || pair->size() != 2 || !pair->at(0).is_string() || pair->at(0).as_string().size() > Checkpoint::kMaxPathBytes ||
            !(share >= 0 && share <= 1)) {
            throw Invalid{"alert: sections: shares[" + std::to_string(i) + "] must be [section, share from 0 to 1]"};
        }
        s.shares.emplace_back(std::string(pair->at(0).as_string()), share);
    }
    return s;
}

SavedAlert read_alert(const json::value& value, int version) {
    const Fields f(value, "alert");
    SavedAlert a;
    const auto rule = alert_rule_from_name(f.text("rule", 32));
    if (!rule) throw Invalid{"alert: unknown rule"};
    a.rule = *rule;
    a.interval_s = f.number<std::int64_t>("interval_s", 1, 86400);
    a.window_s = f.number<std::int64_t>("window_s", a.interval_s, 7 * 86400);
    if (a.window_s % a.interval_s != 0) throw Invalid{"alert: window_s is not a multiple of interval_s"};
    a.saved_at = f.number<std::int64_t>("saved_at", 0, kLastTime);
    const json::array& buckets = f.array("buckets", Checkpoint::kMaxBuckets);
    const auto slots = static_cast<std::size_t>(a.rule == AlertRuleKind::baseline ? a.window_s / a.interval_s : a.window_s);
    if (buckets.size() != slots) {
        throw Invalid{"alert: " + std::to_string(buckets.size()) + " buckets for a window of " + std::to_string(slots)};
    }
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        boost::system::error_code ec;
        const auto hits = buckets[i].is_number() ? buckets[i].to_number<std::uint64_t>(ec) : 0;
        if (!buckets[i].is_number() || ec) throw Invalid{"alert: buckets[" + std::to_string(i) + "] is not a count"};
        a.state.buckets.push_back(hits);
    }
    a.state.pushed = f.number<std::uint64_t>("pushed", 0, slots);
    a.state.high = f.boolean("high");
    a.state.sum = f.number<std::uint64_t>("sum", 0, UINT64_MAX);
    a.state.flushes = f.number<std::uint64_t>("flushes", 0, UINT64_MAX);
    a.state.high_since = f.optional_number<std::int64_t>("high_since", 0, kLastTime).value_or(0);
    if (const json::value* learning = value.as_object().if_contains("learning")) {
        a.state.learning = read_learning(*learning, "alert: learning", version);
    }
    if (version >= 3) {
        a.kinds = read_kinds(f.array("kinds", kAlertKinds));
        a.sections = read_sections(f.required("sections"));
    }
    return a;
}

}  // namespace

LoadedCheckpoint checkpoint_from_json(const std::string& text, const std::string& working_directory) {
    LoadedCheckpoint loaded;
    boost::system::error_code ec;
    const json::value root = json::parse(text, ec);
    if (ec) {
        loaded.error = "not JSON: " + ec.message();
        return loaded;
    }
    try {
        const Fields top(root, "state file");
        const int version = top.number<int>("version", 1, Checkpoint::kVersion);
        if (version < Checkpoint::kVersion) {
            loaded.warnings.push_back("state file of version " + std::to_string(version) + " upgraded to version " +
                                      std::to_string(Checkpoint::kVersion));
        }
        Checkpoint c;
        c.reported_until = top.optional_number<std::int64_t>("reported_until", 0, 253402300799);
        std::set<std::string> paths;
        const json::array& logs = top.array("logs", Checkpoint::kMaxLogs);
        for (std::size_t i = 0; i < logs.size(); ++i) {
            try {
                SavedLog log = read_log(logs[i], "logs[" + std::to_string(i) + "]", version, working_directory);
                if (!paths.insert(log.path).second) throw Invalid{"logs[" + std::to_string(i) + "]: " + log.path + " again"};
                c.logs.push_back(std::move(log));
            } catch (const Invalid& bad) {
                loaded.warnings.push_back(bad.what + "; that log's entry is dropped");
            }
        }
        if (const json::value* alert = root.as_object().if_contains("alert")) {
            try {
                c.alert = read_alert(*alert, version);
            } catch (const Invalid& bad) {
                loaded.warnings.push_back(bad.what + "; the saved alert window is dropped");
            }
        }
        loaded.checkpoint = std::move(c);
    } catch (const Invalid& bad) {
        loaded.error = bad.what;
    }
    return loaded;
}

namespace {

bool fail(std::string& error, const std::string& what, const std::string& temp) {
    error = what + ": " + std::strerror(errno);
    ::unlink(temp.c_str());  // nothing half-written is left behind
    return false;
}

}  // namespace

bool write_file_atomically(const std::string& path, const std::string& text, std::string& error) {
    const std::string temp = path + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = "cannot create " + temp + ": " + std::strerror(errno);
        return false;
    }
    const bool written = os::write_all(fd, text.data(), text.size());
    if (!written || ::fsync(fd) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        return fail(error, std::string(written ? "cannot fsync " : "cannot write ") + temp, temp);
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) return fail(error, "cannot rename " + temp + " to " + path, temp);
    const int dfd = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

}  // namespace hitwatch
