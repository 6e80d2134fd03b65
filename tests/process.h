#pragma once
// Runs a program as a test would from a shell: arguments, stdin from a file, output captured.
#include <string>
#include <vector>

namespace test {

struct Finished {
    int exit_code = -1;  // 128 + signal if it was killed
    std::string out;
    std::string err;
};

Finished run(const std::vector<std::string>& argv, const std::string& stdin_path = "/dev/null");

// A program left running in the background, its output going to files.
class Background {
public:
    Background(const std::vector<std::string>& argv, const std::string& out_path, const std::string& err_path,
               const std::string& stdin_path = "/dev/null");
    ~Background();  // kills it if it still runs
    void signal(int sig);
    int wait();  // exit code, or 128 + signal
    bool running() const { return pid_ > 0; }

private:
    int pid_ = -1;
};

// A fresh directory under $TMPDIR, removed with its contents when the object goes.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& data);

}  // namespace test
