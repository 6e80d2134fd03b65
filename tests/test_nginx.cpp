// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE nginx
// In front of a real nginx (Debian's), run with its own config in a temp dir and driven by ab:
// its access log in nginx's combined plus $request_time $upstream_response_time $host, as an
// SRE's nginx.conf had it, followed with the format left to `auto`. Every request nginx's
// stub_status counted is a hit, with its status code, and response times are read.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "http_client.h"
#include "live_daemon.h"
#include "report_lines.h"

using namespace std::chrono_literals;

namespace {

// `access_log` as the server config has it: a file by default; several, one directive each.
std::string nginx_conf(const test::TempDir& dir, int port, const std::vector<std::string>& access_logs = {}) {
    const std::string d = dir.file("");
    std::ostringstream c;
    c << "worker_processes 1;\n"
      << "pid " << d << "nginx.pid;\n"
      << "error_log " << d << "error.log;\n"
      << "events { worker_connections 512; }\n"
      << "http {\n"
      << "  log_format timed '$remote_addr - $remote_user [$time_local] '\n"
      << "                   '\"$request\" $status $body_bytes_sent \"$http_referer\" '\n"
      << "                   '\"$http_user_agent\" $request_time $upstream_response_time $host';\n"
      // JSON lines as nginx's docs and many configs have them: with escape=json, and without
      // (nginx's default escaping, \\xHH).
      << "  log_format json_escaped escape=json '{\"time\":\"$time_iso8601\",\"remote_addr\":\"$remote_addr\",'\n"
      << "      '\"request\":\"$request\",\"status\":$status,\"body_bytes_sent\":$body_bytes_sent,'\n"
      << "      '\"request_time\":$request_time,\"http_user_agent\":\"$http_user_agent\"}';\n"
      << "  log_format json_default '{\"time\":\"$time_iso8601\",\"remote_addr\":\"$remote_addr\",'\n"
      << "      '\"request\":\"$request\",\"status\":$status,\"body_bytes_sent\":$body_bytes_sent,'\n"
      << "      '\"request_time\":$request_time,\"http_user_agent\":\"$http_user_agent\"}';\n";
    for (const std::string& log : access_logs.empty() ? std::vector<std::string>{d + "access.log timed"} : access_logs) {
        c << "  access_log " << log << ";\n";
    }
    c << "  client_body_temp_path " << d << "tmp/body;\n"
      << "  proxy_temp_path " << d << "tmp/proxy;\n"
      << "  fastcgi_temp_path " << d << "tmp/fastcgi;\n"
      << "  uwsgi_temp_path " << d << "tmp/uwsgi;\n"
      << "  scgi_temp_path " << d << "tmp/scgi;\n"
      << "  server {\n"
      << "    listen 127.0.0.1:" << port << ";\n"
      << "    server_name shop.example;\n"
      << "    location = /nginx_status { stub_status; access_log off; }\n"
      << "    location /api/ { return 200 'ok\\n'; }\n"
      << "    location /missing/ { return 404; }\n"
      << "    location /broken/ { return 503; }\n"
      << "    location / { root " << d << "www; }\n"
      << "  }\n"
      << "}\n";
    return c.str();
}

// The requests nginx has handled, by its stub_status ("server accepts handled requests").
long handled_requests(int port) {
    const std::string body = test::http_get(port, "/nginx_status").body;
    std::istringstream in(body.substr(body.find("requests") + 8));
    long accepts = 0, handled = 0, requests = -1;
    in >> accepts >> handled >> requests;
    return requests;
}

void ab(int port, int requests, const std::string& path) {
    const auto r = test::run({AB, "-q", "-n", std::to_string(requests), "-c", "16",
                              "http://127.0.0.1:" + std::to_string(port) + path});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.out << r.err);
}

// nginx in `dir` with nginx_conf()'s config, once it listens. One process, no workers: nothing
// outlives the test. It writes each request with its own write(2), as its workers do.
std::unique_ptr<test::Background> start_nginx(const test::TempDir& dir, int port,
                                              const std::vector<std::string>& access_logs = {}) {
    BOOST_TEST_REQUIRE(std::string(NGINX).find("not-found") == std::string::npos, "apt-get install nginx");
    std::filesystem::create_directories(dir.file("tmp"));
    std::filesystem::create_directories(dir.file("www"));
    test::write_file(dir.file("nginx.conf"), nginx_conf(dir, port, access_logs));
    auto nginx = std::make_unique<test::Background>(
        std::vector<std::string>{NGINX, "-c", dir.file("nginx.conf"), "-p", dir.file(""), "-g", "daemon off; master_process off;"},
        dir.file("nginx.out"), dir.file("nginx.err"));
    BOOST_TEST_REQUIRE(test::wait_for([&] { return test::listening(port); }, 10s),
                       test::FileWhenPrinted{dir.file("nginx.err")});
    return nginx;
}

// rsyslogd in `dir`, as Ubuntu has it ($RepeatedMsgReduction on), receiving UDP on `port` and
// doing `actions`, once it runs.
std::unique_ptr<test::Background> start_rsyslog(const test::TempDir& dir, int port, const std::string& actions) {
    test::write_file(dir.file("rsyslog.conf"),
                     "$RepeatedMsgReduction on\nglobal(workDirectory=\"" + dir.path() + "\")\nmodule(load=\"imudp\")\n"
                     "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" + std::to_string(port) + "\")\n" + actions);
    auto rsyslog = std::make_unique<test::Background>(
        std::vector<std::string>{RSYSLOGD, "-n", "-f", dir.file("rsyslog.conf"), "-i", dir.file("rsyslog.pid")},
        dir.file("rsyslog.out"), dir.file("rsyslog.out"));
    BOOST_TEST_REQUIRE(test::wait_for([&] { return std::filesystem::exists(dir.file("rsyslog.pid")); }, 20s),
                       "rsyslogd did not start: " << test::read_file(dir.file("rsyslog.out")));
    return rsyslog;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_request_of_a_real_nginx_is_a_hit_with_its_code_and_response_time) {
    BOOST_TEST_REQUIRE(std::string(NGINX).find("not-found") == std::string::npos, "apt-get install nginx");
    BOOST_TEST_REQUIRE(std::string(AB).find("not-found") == std::string::npos, "apt-get install apache2-utils");
    test::TempDir dir;
    std::filesystem::create_directories(dir.file("www/static"));
    test::write_file(dir.file("www/static/site.css"), "body { color: black; }\n");
    const std::string log = dir.file("access.log");
    test::write_file(log, "");
    const int port = test::free_port();
    const auto nginx = start_nginx(dir, port);

    test::Daemon daemon(dir, {log}, {"--log-format", "auto"});
    ab(port, 20000, "/api/orders");
    ab(port, 1500, "/missing/page");
    ab(port, 500, "/broken/page");
    ab(port, 2000, "/static/site.css");
    const long served = handled_requests(port) - 1;  // its own request is not logged
    BOOST_TEST(served == 24000);
    BOOST_TEST(daemon.settle_at(served, 30s) == served, daemon.said());
    BOOST_TEST(daemon.err().find("combined+duration+upstream+host (") != std::string::npos,
               daemon.said());

    std::map<std::string, long> codes;
    bool latency = false;
    std::istringstream reports(daemon.out());
    for (std::string line; std::getline(reports, line);) {
        const auto report = boost::json::parse(line).as_object();
        if (report.at("type") != "report") continue;
        for (const auto& [code, count] : report.at("codes").as_object()) codes[std::string(code)] += count.to_number<long>();
        for (const auto& section : report.at("sections").as_array()) {
            latency = latency || section.as_object().contains("latency_ms");
        }
    }
    BOOST_TEST(codes["200"] == 22000);
    BOOST_TEST(codes["404"] == 1500);
    BOOST_TEST(codes["503"] == 500);
    BOOST_TEST(latency, "no latency_ms in the reports");
    BOOST_TEST(daemon.stop() == 0);
    nginx->signal(SIGQUIT);  // a graceful stop
    BOOST_TEST(nginx->wait() == 0);
}

BOOST_AUTO_TEST_CASE(a_real_nginxs_json_logs_count_requests_with_any_bytes_in_them) {
    // What clients send: quotes, backslashes, control characters and bytes that are not UTF-8,
    // in the path and the user agent. nginx's escape=json copies the bytes from 0x80 as they
    // are; its default escaping writes such bytes as \xHH. Both logs, replayed with the format
    // left to `auto`, have a hit for every request and the same sections. Before: 2 and 4 of
    // the 5 requests were bad_json.
    test::TempDir dir;
    const int port = test::free_port();
    std::filesystem::create_directories(dir.file("www/caf\xC3\xA9"));
    test::write_file(dir.file("www/caf\xC3\xA9/index.html"), "ok\n");
    const std::vector<std::string> logs = {dir.file("escaped.log"), dir.file("default.log")};
    const auto nginx = start_nginx(dir, port, {logs[0] + " json_escaped", logs[1] + " json_default"});
    const std::vector<std::pair<std::string, std::string>> requests = {
        {"/api/plain", "User-Agent: curl/8.0\r\n"},
        {"/api/\"quoted\"\\x", "User-Agent: Mozilla \"q\" \\ \xff\r\n"},
        {"/api/\xff\xfe", "User-Agent: \x01\x1f\r\n"},
        {"/caf\xC3\xA9/", "User-Agent: x\r\n"},
        {"/missing/\x7f", "Referer: \"\r\n"}};
    for (const auto& [path, headers] : requests) BOOST_TEST(test::http_request(port, "GET", path, headers).status != 0, path);
    const long served = handled_requests(port) - 1;
    BOOST_TEST(served == 5);
    nginx->signal(SIGQUIT);
    BOOST_TEST(nginx->wait() == 0);
    std::string sections;
    for (const auto& log : logs) {
        BOOST_TEST_CONTEXT(log) {
            const auto r = test::run({test::hitwatchd(), "--replay", log, "--output", "json"});
            BOOST_TEST(r.exit_code == 0, r.err);
            BOOST_TEST(r.err.find(log + ": json (") != std::string::npos, r.err);
            const auto summary = test::of_type(test::json_lines(r.out), "summary");
            BOOST_TEST_REQUIRE(summary.size() == 1u);
            BOOST_TEST(test::n(summary[0].at("hits")) == served, test::read_file(log));
            BOOST_TEST(test::n(summary[0].at("invalid")) == 0);
            const std::string these = boost::json::serialize(summary[0].at("sections"));
            BOOST_TEST(these.find("\"/api\",\"hits\":3") != std::string::npos, these);
            if (sections.empty()) sections = these;
            BOOST_TEST(these == sections);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_real_nginx_logging_over_syslog_is_counted_by_its_tag) {
    // nginx's access_log syslog:server=...,tag=shop (RFC 3164 over UDP) into --listen-syslog;
    // a sender tag no log names (logger, RFC 5424) is dropped, counted and said.
    test::TempDir dir;
    const int port = test::free_port(), syslog_port = test::free_port(), http_port = test::free_port();
    test::Daemon daemon(dir, {"syslog:shop format=nginx"},
                        test::syslog_over_udp(syslog_port, {"--http", "127.0.0.1:" + std::to_string(http_port)}));
    BOOST_TEST_REQUIRE(daemon.receives_syslog(syslog_port), daemon.said());
    const auto nginx = start_nginx(dir, port, {"syslog:server=127.0.0.1:" + std::to_string(syslog_port) + ",tag=shop combined"});
    ab(port, 3000, "/api/orders");
    ab(port, 300, "/missing/page");
    const long served = handled_requests(port) - 1;
    BOOST_TEST(served == 3300);
    BOOST_TEST(daemon.settle_at(served, 30s) == served, daemon.said());
    const auto logger = test::run({"/usr/bin/logger", "--udp", "--rfc5424", "-n", "127.0.0.1", "-P", std::to_string(syslog_port),
                                   "-t", "other", "10.0.0.1 - - [20/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\""});
    BOOST_TEST_REQUIRE(logger.exit_code == 0, logger.err);
    BOOST_TEST(daemon.says(
                   "syslog: a message tagged 'other', which no log = syslog:TAG names, is dropped"),
               daemon.said());
    BOOST_TEST(test::http_get(http_port, "/metrics").body.find("\nhitwatch_syslog_dropped_total 1\n") != std::string::npos);
    BOOST_TEST(daemon.seen().hits == served);
    BOOST_TEST(daemon.stop() == 0);
    nginx->signal(SIGQUIT);
    BOOST_TEST(nginx->wait() == 0);
}

BOOST_AUTO_TEST_CASE(a_real_nginx_logging_to_a_real_rsyslog_is_replayed_from_its_files) {
    // nginx's access_log syslog:server=... into rsyslogd, which stores each line behind its
    // header: in its default file format (RFC 3339 times, as Debian has it) and the traditional
    // one, with Ubuntu's $RepeatedMsgReduction (ab's identical lines come as "message repeated
    // N times: [...]"). Replayed with the format left to `auto`, on one thread and two, each file
    // gives a hit for every request nginx served, and another program's messages are said to be so.
    test::TempDir dir;
    const int port = test::free_port(), syslog_port = test::free_port();
    const std::vector<std::string> files = {dir.file("nginx.log"), dir.file("nginx-traditional.log")};
    const auto rsyslog = start_rsyslog(dir, syslog_port,
                                       "action(type=\"omfile\" file=\"" + files[0] + "\")\n"
                                       "action(type=\"omfile\" file=\"" + files[1] + "\" template=\"RSYSLOG_TraditionalFileFormat\")\n");
    const auto nginx = start_nginx(dir, port, {"syslog:server=127.0.0.1:" + std::to_string(syslog_port)});
    // Another program's messages, first among them and last (Debian's /var/log/syslog).
    // (Each its own, so that none is a repeat of the one before.)
    const auto cron = [&](const std::string& job) {
        const auto logger = test::run({"/usr/bin/logger", "--udp", "--rfc3164", "-n", "127.0.0.1", "-P",
                                       std::to_string(syslog_port), "-t", "CRON", "(root) CMD (" + job + ")"});
        BOOST_TEST_REQUIRE(logger.exit_code == 0, logger.err);
    };
    cron("run-parts /etc/cron.hourly");
    cron("debian-sa1 1 1");
    ab(port, 1000, "/api/orders");
    ab(port, 100, "/missing/page");
    cron("run-parts /etc/cron.daily");
    const long served = handled_requests(port) - 1;
    BOOST_TEST(served == 1100);
    // The last CRON message is written once the repeats before it are (as "message repeated").
    const auto crons_in = [](const std::string& path) {
        const std::string text = test::read_file(path);
        long n = 0;
        for (std::size_t at = 0; (at = text.find(" CRON: ", at)) != std::string::npos; ++at) ++n;
        return n;
    };
    for (const auto& file : files) {
        BOOST_TEST_REQUIRE(test::wait_for([&] { return crons_in(file) == 3; }, 20s),
                           file << ": " << test::FileWhenPrinted{file});
    }
    BOOST_TEST(test::read_file(files[0]).find("nginx: message repeated ") != std::string::npos, test::read_file(files[0]));
    nginx->signal(SIGQUIT);
    BOOST_TEST(nginx->wait() == 0);
    rsyslog->signal(SIGTERM);
    rsyslog->wait();
    for (const auto& file : files) {
        for (const std::string threads : {"1", "2"}) {
            BOOST_TEST_CONTEXT(file << ", " << threads << " threads") {
                const auto r = test::run({test::hitwatchd(), "--replay", file, "--threads", threads, "--output", "json"});
                BOOST_TEST(r.exit_code == 0, r.err);
                BOOST_TEST(r.err.find(file + ": syslog+combined") != std::string::npos, r.err);
                const auto summary = test::of_type(test::json_lines(r.out), "summary");
                BOOST_TEST_REQUIRE(summary.size() == 1u);
                BOOST_TEST(test::n(summary[0].at("hits")) == served, test::read_file(file).substr(0, 300));
                BOOST_TEST(test::n(summary[0].at("invalid")) == 3);
                BOOST_TEST(test::n(summary[0].at("invalid_reasons").at("other_program")) == 3);
                BOOST_TEST(test::n(summary[0].at("codes").at("404")) == 100);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_real_rsyslog_relay_that_reduces_repeats_loses_no_request) {
    // nginx's syslog through a relay: rsyslogd with Ubuntu's $RepeatedMsgReduction forwards
    // ab's identical lines as "message repeated N times: [...]" to --listen-syslog.
    test::TempDir dir;
    const int port = test::free_port(), relay_port = test::free_port(), syslog_port = test::free_port();
    test::Daemon daemon(dir, {"syslog:nginx format=nginx"}, test::syslog_over_udp(syslog_port));
    BOOST_TEST_REQUIRE(daemon.receives_syslog(syslog_port), daemon.said());
    const auto rsyslog = start_rsyslog(dir, relay_port,
                                       "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + std::to_string(syslog_port) +
                                           "\" protocol=\"udp\")\naction(type=\"omfile\" file=\"" + dir.file("relayed.log") + "\")\n");
    const auto nginx = start_nginx(dir, port, {"syslog:server=127.0.0.1:" + std::to_string(relay_port)});
    ab(port, 1000, "/api/orders");
    ab(port, 100, "/missing/page");
    // Another program's message: the relay writes the last repeats before it.
    const auto logger = test::run({"/usr/bin/logger", "--udp", "--rfc3164", "-n", "127.0.0.1", "-P",
                                   std::to_string(relay_port), "-t", "CRON", "(root) CMD (run-parts /etc/cron.hourly)"});
    BOOST_TEST_REQUIRE(logger.exit_code == 0, logger.err);
    const long served = handled_requests(port) - 1;
    BOOST_TEST(served == 1100);
    BOOST_TEST(daemon.settle_at(served, 30s) == served,
               test::FileWhenPrinted{dir.file("relayed.log")});
    BOOST_TEST(test::read_file(dir.file("relayed.log")).find("message repeated ") != std::string::npos);
    BOOST_TEST(daemon.seen().invalid == 0);
    BOOST_TEST(daemon.stop() == 0);
    nginx->signal(SIGQUIT);
    BOOST_TEST(nginx->wait() == 0);
    rsyslog->signal(SIGTERM);
    rsyslog->wait();
}
