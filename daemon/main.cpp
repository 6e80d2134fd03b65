// SPDX-License-Identifier: Apache-2.0
// hitwatchd: watches HTTP access logs, reports hits per site section, alerts on bursts.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "live.h"
#include "logging.h"
#include "config/options.h"
#include "core/newlines.h"
#include "core/quick_scan.h"
#include "replay.h"
#include "sinks/report_writer.h"
#include "sinks/sinks.h"

namespace {

// Each followed log holds a descriptor (two while a rotated file drains): the soft limit,
// often 1024, is raised to the hard one, so hundreds of logs do not run out of them.
void raise_descriptor_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == limit.rlim_max) return;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) HW_LOG(warning) << "cannot raise the open file limit";
}

// Descriptors 0, 1 and 2 that the caller closed (an init script's >&-) are opened on
// /dev/null: else the next files opened take those numbers, and reports and messages go into
// them (Asio's epoll descriptor, a log, the state file).
void keep_standard_descriptors() {
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1) continue;
        const int null = ::open("/dev/null", O_RDWR);  // the lowest free number: this one
        if (null >= 0 && null != fd) ::close(null);
    }
}

// Whether `fd` (or, if it is -1, `path`) is a regular file.
bool regular(int fd, const std::string& path) {
    struct stat st {};
    return (fd >= 0 ? ::fstat(fd, &st) : ::stat(path.c_str(), &st)) == 0 && S_ISREG(st.st_mode);
}

// A replay of regular files into a regular file (`output_regular`): no one reads each report
// as it comes. An output that is a pipe or a terminal has a reader who may (| jq), and input
// from a pipe may pause for its writer (tail -f | hitwatchd --replay -), so there each report
// goes at once.
bool nothing_waits_for_each_report(const hitwatchd::Options& options, bool output_regular) {
    if (!output_regular) return false;
    return std::all_of(options.replay_files.begin(), options.replay_files.end(), [&](const std::string& file) {
        return file == "-" ? regular(STDIN_FILENO, "") : regular(-1, file);
    });
}

// --report-file: a regular file, or none yet (its first report makes one).
bool report_file_regular(const std::string& path) {
    struct stat st {};
    if (path.empty()) return false;
    return ::stat(path.c_str(), &st) == 0 ? S_ISREG(st.st_mode) : errno == ENOENT;
}

}  // namespace

int main(int argc, char* argv[]) {
    keep_standard_descriptors();
    using hitwatchd::CommandLine;
    CommandLine command;
    try {
        command = hitwatchd::parse_command_line(argc, argv);
    } catch (const hitwatchd::UsageError& e) {
        std::cerr << "hitwatchd: " << e.what() << "\nTry 'hitwatchd --help'.\n";
        return 2;
    }
    if (command.action != CommandLine::Action::run) {  // help, version, check-config
        std::cout << command.text;
        return 0;
    }
    const hitwatchd::Options& options = command.options;
    hitwatchd::setup_logging(options.log_level);
    // glibc told to leave out its AVX-512 string functions: the vector scans leave it out too.
    if (const char* tunables = std::getenv("GLIBC_TUNABLES");
        tunables != nullptr && (std::strstr(tunables, "-AVX512F") != nullptr || std::strstr(tunables, "-AVX512BW") != nullptr)) {
        hitwatch::leave_out_avx512_newline_scan();
        hitwatch::leave_out_avx512_quick_scan();
    }
    HW_LOG(debug) << "newline scan: " << hitwatch::newline_scan_kind() << ", quick scan: " << hitwatch::quick_scan_kind();
    // A directive the format has that hitwatch does not know ($reqeust_time): said at the start
    // of a run too, not only by --check-config.
    for (const auto& warning : hitwatchd::format_warnings(options)) HW_LOG(warning) << warning;
    // A closed pipe on stdout, or a file at its size limit (RLIMIT_FSIZE), is a write error to
    // report, not a signal that kills silently.
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGXFSZ, SIG_IGN);
    raise_descriptor_limit();

    boost::asio::io_context io;
    hitwatchd::ReportWriter writer(STDOUT_FILENO, "standard output", options.output_format());
    hitwatchd::Sinks sinks(io, options, writer);
    int status = 0;
    if (options.live()) {
        const auto reread = [argc, argv]() -> std::optional<hitwatchd::Options> {
            try {
                return hitwatchd::parse_command_line(argc, argv).options;
            } catch (const hitwatchd::UsageError& e) {
                HW_LOG(error) << "reload: " << e.what() << "; keeping the running configuration";
                return std::nullopt;
            }
        };
        writer.queue_on(io);  // a reader that stops reading holds nothing up
        status = hitwatchd::run_live(options, io, sinks, reread);
        writer.flush(io, std::chrono::seconds(2));  // the last report, if the reader takes it
    } else {
        sinks.wait_for_servers(std::chrono::seconds(3));
        if (nothing_waits_for_each_report(options, regular(STDOUT_FILENO, ""))) writer.hold();
        if (nothing_waits_for_each_report(options, report_file_regular(options.report_file))) sinks.hold_report_file();
        // A stalled pager or terminal holds no stop up.
        writer.give_up_at(hitwatchd::replay_stop_signal());
        hitwatchd::give_up_stderr_at(hitwatchd::replay_stop_signal());
        status = hitwatchd::run_replay(options, sinks,
                                       {[&writer, &sinks] {
                                            writer.write_held();
                                            sinks.write_held();
                                        },
                                        [&writer, &sinks] { return writer.gone() && sinks.only_standard_output(); }});
        writer.write_held();
        sinks.write_held();
        sinks.drain(std::chrono::seconds(10));  // what is still queued for Graphite
        // A replay is run once: a report it could not write to its file is lost, and its exit
        // status says so, as for standard output (live, the file is tried again and again).
        if (sinks.report_file_failed() && status == 0) status = 1;
    }
    if (!writer.finish() && status == 0) status = 1;
    return status;
}
