// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE syslog_format
#include "format/syslog_format.h"

#include <boost/test/unit_test.hpp>

using namespace hitwatch;

BOOST_AUTO_TEST_CASE(facilities_by_name) {
    BOOST_TEST(*syslog_facility("daemon") == 3);
    BOOST_TEST(*syslog_facility("user") == 1);
    BOOST_TEST(*syslog_facility("local0") == 16);
    BOOST_TEST(*syslog_facility("local7") == 23);
    BOOST_TEST(!syslog_facility("local8").has_value());
    BOOST_TEST(!syslog_facility("Daemon").has_value());
}

BOOST_AUTO_TEST_CASE(rfc5424_and_rfc3164) {
    SyslogMessage m;
    m.facility = 3;
    m.severity = kSeverityWarning;
    m.time = 1763632800;
    m.host = "web1";
    m.pid = 42;
    m.text = "High traffic generated an alert - hits = 1500, triggered at 2025-11-20T10:00:00Z";
    BOOST_TEST(format_syslog(m, SyslogFormat::rfc5424) ==
               "<28>1 2025-11-20T10:00:00Z web1 hitwatchd 42 - - " + m.text);
    m.severity = kSeverityNotice;
    const std::string old = format_syslog(m, SyslogFormat::rfc3164);
    BOOST_TEST(old.rfind("<29>Nov 20 ", 0) == 0u, old);
    BOOST_TEST(old.find(":00 hitwatchd[42]: " + m.text) != std::string::npos, old);
    BOOST_TEST(old.find("web1") == std::string::npos, old);
}
