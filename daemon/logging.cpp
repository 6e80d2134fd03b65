#include "logging.h"

#include <boost/log/core.hpp>
#include <boost/log/expressions.hpp>
#include <boost/log/utility/setup/console.hpp>
#include <cstdlib>
#include <iostream>

namespace logging = boost::log;
namespace expr = boost::log::expressions;

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

}  // namespace

void set_log_level(const std::string& level) {
    logging::trivial::severity_level threshold = logging::trivial::info;
    logging::trivial::from_string(level.data(), level.size(), threshold);
    logging::core::get()->set_filter(logging::trivial::severity >= threshold);
}

void setup_logging(const std::string& level) {
    const bool under_journal = std::getenv("JOURNAL_STREAM") != nullptr;
    auto sink = logging::add_console_log(std::clog, logging::keywords::auto_flush = true);
    sink->set_formatter([under_journal](const logging::record_view& record, logging::formatting_ostream& out) {
        const auto severity = logging::extract_or_default<logging::trivial::severity_level>(
            record["Severity"], logging::trivial::info);
        if (under_journal) out << '<' << journal_priority(severity) << '>';
        out << "hitwatchd: " << severity << ": " << record[expr::smessage];
    });
    set_log_level(level);
}

}  // namespace hitwatchd
