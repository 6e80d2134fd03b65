// hitwatchd: watches HTTP access logs, reports hits per site section, alerts on bursts.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "live.h"
#include "logging.h"
#include "options.h"
#include "replay.h"
#include "report_writer.h"
#include "sinks.h"

int main(int argc, char* argv[]) {
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

    static char stdout_buffer[1 << 16];
    std::setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
    const bool live = !options.logs.empty();
    boost::asio::io_context io;
    hitwatchd::ReportWriter writer(stdout, options.output, live);
    hitwatchd::Sinks sinks(io, options, writer);
    int status = 0;
    if (live) {
        const auto reread = [argc, argv]() -> std::optional<hitwatchd::Options> {
            try {
                return hitwatchd::parse_command_line(argc, argv).options;
            } catch (const hitwatchd::UsageError& e) {
                HW_LOG(error) << "reload: " << e.what() << "; keeping the running configuration";
                return std::nullopt;
            }
        };
        status = hitwatchd::run_live(options, io, sinks, reread);
    } else {
        // Resolve statsd and connect to Graphite before the first report, but never wait
        // long for a server that is down: its sink warns and goes on without it.
        io.run_for(std::chrono::seconds(3));
        status = hitwatchd::run_replay(options, sinks);
        sinks.drain(std::chrono::seconds(10));  // what is still queued for Graphite
    }
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        HW_LOG(error) << "cannot write reports to standard output";
        status = 1;
    }
    return status;
}
