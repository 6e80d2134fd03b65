// SPDX-License-Identifier: Apache-2.0
#include "logging.h"

#include <unistd.h>

#include <boost/log/core.hpp>
#include <boost/log/expressions.hpp>
#include <boost/log/sinks/basic_sink_backend.hpp>
#include <boost/log/sinks/unlocked_frontend.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "format/printable_text.h"
#include "os/posix_io.h"

namespace logging = boost::log;
namespace expr = boost::log::expressions;
namespace sinks = boost::log::sinks;

namespace hitwatchd {

namespace {

// The sd-daemon "<N>" prefix, so the journal keeps each line's level.
int journal_priority(logging::trivial::severity_level level) {
    switch (level) {
        case logging::trivial::trace:
        case logging::trivial::debug: return 7;
        case logging::trivial::info: return 6;
        case logging::trivial::warning: return 4;
        case logging::trivial::error: return 3;
        case logging::trivial::fatal: return 2;
    }
    return 6;
}

// A replay's stop flag (give_up_stderr_at), and whether standard error was given up.
const volatile std::sig_atomic_t* g_stop = nullptr;
bool g_stderr_given_up = false;

// Each message straight to file descriptor 2 with one write(2). A stream would keep its
// failed state after one failed write (stderr in a file on a full disk) and drop every later
// message, the one saying that things work again included. Unlocked: one thread logs.
class StderrBackend : public sinks::basic_formatted_sink_backend<char, sinks::concurrent_feeding> {
public:
    void consume(const logging::record_view&, const string_type& message) {
        if (g_stderr_given_up) return;
        // Messages quote log lines, paths and headers: none reaches the terminal raw.
        const std::string line = hitwatch::printable_text(message) + '\n';
        if (!hitwatch::os::write_all(STDERR_FILENO, line.data(), line.size(), g_stop) && errno == EINTR) {
            g_stderr_given_up = true;
        }
    }
};

// "2026-12-03T13:40:01.123Z": UTC, as the reports write times.
std::string now_iso8601() {
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    std::tm utc{};
    ::gmtime_r(&now.tv_sec, &utc);
    char text[40];
    const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(text + n, sizeof text - n, ".%03ldZ", now.tv_nsec / 1000000);
    return text;
}

}  // namespace

void give_up_stderr_at(const volatile std::sig_atomic_t* stop) { g_stop = stop; }

void set_log_level(const std::string& level) {
    logging::trivial::severity_level threshold = logging::trivial::info;
    logging::trivial::from_string(level.data(), level.size(), threshold);
    logging::core::get()->set_filter(logging::trivial::severity >= threshold);
}

void setup_logging(const std::string& level) {
    const bool under_journal = std::getenv("JOURNAL_STREAM") != nullptr;
    auto sink = boost::make_shared<sinks::unlocked_sink<StderrBackend>>();
    logging::core::get()->add_sink(sink);
    sink->set_formatter([under_journal](const logging::record_view& record, logging::formatting_ostream& out) {
        const auto severity = logging::extract_or_default<logging::trivial::severity_level>(
            record["Severity"], logging::trivial::info);
        // The journal stamps each line itself; a terminal or a file gets the time here.
        if (under_journal) out << '<' << journal_priority(severity) << '>';
        else out << now_iso8601() << ' ';
        out << "hitwatchd: " << severity << ": " << record[expr::smessage];
    });
    set_log_level(level);
}

}  // namespace hitwatchd
