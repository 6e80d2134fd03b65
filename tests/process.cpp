// SPDX-License-Identifier: Apache-2.0
#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace test {

std::string hitwatchd() {
    const char* other = std::getenv("HITWATCHD_UNDER_TEST");
    return other && *other ? other : HITWATCHD;
}

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base ? base : "/tmp") + "/hitwatch-test-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::ostream& operator<<(std::ostream& out, const FileWhenPrinted& file) {
    return out << read_file(file.path);
}

void write_file(const std::string& path, const std::string& data) {
    std::ofstream(path, std::ios::binary) << data;
}

Background::Background(const std::vector<std::string>& argv, const std::string& out_path,
                       const std::string& err_path, const std::string& stdin_path)
    : Background(argv, out_path, err_path, Spawn{stdin_path, "", {}}) {}

Background::Background(const std::vector<std::string>& argv, const std::string& out_path,
                       const std::string& err_path, const Spawn& how) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, how.stdin_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (!how.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, how.cwd.c_str());
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        const auto replaced = [&](const std::string& extra) {
            return entry.compare(0, extra.find('=') + 1, extra, 0, extra.find('=') + 1) == 0;
        };
        if (std::none_of(how.env.begin(), how.env.end(), replaced)) env_text.push_back(entry);
    }
    env_text.insert(env_text.end(), how.env.begin(), how.env.end());
    std::vector<char*> env;
    for (auto& e : env_text) env.push_back(e.data());
    env.push_back(nullptr);
    pid_t pid;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
    pid_ = pid;
}

Background::~Background() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        wait();
    }
}

bool Background::alive() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == 0) return true;
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
}

void Background::signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
}

int Background::wait() {
    int status = 0;
    if (pid_ <= 0) return exit_code_;
    rusage usage{};
    if (::wait4(pid_, &status, 0, &usage) != pid_) return -1;
    pid_ = -1;
    peak_rss_kib_ = usage.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t length = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
    ::close(fd);
    return ntohs(addr.sin_port);
}

bool listening(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

bool udp_bound(int port) {
    char loopback[16], any[16];
    std::snprintf(loopback, sizeof loopback, "0100007F:%04X", port);
    std::snprintf(any, sizeof any, "00000000:%04X", port);
    std::ifstream table("/proc/net/udp");
    std::string line;
    std::getline(table, line);  // the column names
    for (std::string slot, local; table >> slot >> local && std::getline(table, line);) {
        if (local == loopback || local == any) return true;
    }
    return false;
}

Finished run(const std::vector<std::string>& argv, const std::string& stdin_path) {
    TempDir dir;
    const std::string out = dir.file("out"), err = dir.file("err");
    Finished f;
    Background program(argv, out, err, stdin_path);
    f.exit_code = program.wait();
    f.peak_rss_kib = program.peak_rss_kib();
    f.out = read_file(out);
    f.err = read_file(err);
    return f;
}

}  // namespace test
