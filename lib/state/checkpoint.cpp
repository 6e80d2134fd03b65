#include "state/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>

#include "os/paths.h"

namespace json = boost::json;

namespace hitwatch {

std::string to_json(const Checkpoint& c) {
    json::array logs;
    for (const auto& log : c.logs) {
        json::array files;
        for (const auto& f : log.files) {
            files.push_back({{"device", f.identity.device},
                             {"inode", f.identity.inode},
                             {"head_hash", f.identity.head_hash},
                             {"head_length", f.identity.head_length},
                             {"offset", f.offset}});
        }
        logs.push_back({{"path", log.path}, {"files", std::move(files)}});
    }
    json::object out{{"version", 1}, {"logs", std::move(logs)}};
    if (c.alert) {
        const SavedAlert& a = *c.alert;
        json::array buckets(a.state.buckets.begin(), a.state.buckets.end());
        out["alert"] = {{"rule", name_of(a.rule)},          {"window_s", a.window_s},
                        {"interval_s", a.interval_s},       {"saved_at", a.saved_at},
                        {"buckets", std::move(buckets)},    {"pushed", a.state.pushed},
                        {"high", a.state.high},             {"sum", a.state.sum},
                        {"flushes", a.state.flushes}};
    }
    return json::serialize(out) + "\n";
}

std::optional<Checkpoint> checkpoint_from_json(const std::string& text, std::string& error) {
    try {
        const json::object root = json::parse(text).as_object();
        if (root.at("version").to_number<int>() != 1) {
            error = "unknown version";
            return std::nullopt;
        }
        Checkpoint c;
        for (const auto& l : root.at("logs").as_array()) {
            SavedLog log;
            log.path = json::value_to<std::string>(l.at("path"));
            for (const auto& f : l.at("files").as_array()) {
                SavedFile file;
                file.identity.device = f.at("device").to_number<std::uint64_t>();
                file.identity.inode = f.at("inode").to_number<std::uint64_t>();
                file.identity.head_hash = f.at("head_hash").to_number<std::uint64_t>();
                file.identity.head_length = f.at("head_length").to_number<std::uint32_t>();
                file.offset = f.at("offset").to_number<std::uint64_t>();
                log.files.push_back(file);
            }
            c.logs.push_back(std::move(log));
        }
        if (const json::value* a = root.if_contains("alert")) {
            SavedAlert alert;
            const auto rule = alert_rule_from_name(json::value_to<std::string>(a->at("rule")));
            if (!rule) throw std::invalid_argument("unknown alert rule");
            alert.rule = *rule;
            alert.window_s = a->at("window_s").to_number<std::int64_t>();
            alert.interval_s = a->at("interval_s").to_number<std::int64_t>();
            alert.saved_at = a->at("saved_at").to_number<std::int64_t>();
            for (const auto& b : a->at("buckets").as_array()) alert.state.buckets.push_back(b.to_number<std::uint64_t>());
            alert.state.pushed = a->at("pushed").to_number<std::uint64_t>();
            alert.state.high = a->at("high").as_bool();
            alert.state.sum = a->at("sum").to_number<std::uint64_t>();
            alert.state.flushes = a->at("flushes").to_number<std::uint64_t>();
            c.alert = alert;
        }
        return c;
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
}

namespace {

bool fail(std::string& error, const std::string& what) {
    error = what + ": " + std::strerror(errno);
    return false;
}

}  // namespace

bool write_file_atomically(const std::string& path, const std::string& text, std::string& error) {
    const std::string temp = path + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fail(error, "cannot create " + temp);
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int saved = errno;
            ::close(fd);
            ::unlink(temp.c_str());
            errno = saved;
            return fail(error, "cannot write " + temp);
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        return fail(error, "cannot fsync " + temp);
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) return fail(error, "cannot rename " + temp + " to " + path);
    const int dfd = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

}  // namespace hitwatch
