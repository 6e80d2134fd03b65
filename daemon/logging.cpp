#include "logging.h"

#include <boost/log/core.hpp>
#include <boost/log/expressions.hpp>
#include <boost/log/utility/setup/console.hpp>
#include <iostream>

namespace logging = boost::log;
namespace expr = boost::log::expressions;

namespace hitwatchd {

void setup_logging(const std::string& level) {
    logging::trivial::severity_level threshold = logging::trivial::info;
    logging::trivial::from_string(level.data(), level.size(), threshold);
    logging::add_console_log(std::clog, logging::keywords::format =
                                            (expr::stream << "hitwatchd: " << logging::trivial::severity
                                                          << ": " << expr::smessage),
                             logging::keywords::auto_flush = true);
    logging::core::get()->set_filter(logging::trivial::severity >= threshold);
}

}  // namespace hitwatchd
