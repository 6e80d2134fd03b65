// SPDX-License-Identifier: Apache-2.0
#include "headless_chromium.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace json = boost::json;

namespace test {

namespace {

std::string base64_decode(std::string_view text) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned bits = 0, value = 0;
    for (const char c : text) {
        const auto at = alphabet.find(c);
        if (at == std::string::npos) continue;  // '=' and line breaks
        value = (value << 6) | static_cast<unsigned>(at);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((value >> bits) & 0xFF);
        }
    }
    return out;
}

}  // namespace

HeadlessChromium::HeadlessChromium(const std::string& chromium, int width, int height) : width_(width), height_(height) {
    int commands[2], replies[2];
    if (::pipe2(commands, O_CLOEXEC) != 0 || ::pipe2(replies, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
        // Chromium reads commands on fd 3 and writes replies on fd 4. Moved out of the way
        // first: a pipe end may be fd 3 or 4 already (and dup2 onto itself would keep
        // close-on-exec).
        const int in = ::fcntl(commands[0], F_DUPFD, 10), out = ::fcntl(replies[1], F_DUPFD, 10);
        ::dup2(in, 3);
        ::dup2(out, 4);
        const int null = ::open("/dev/null", O_RDWR);
        ::dup2(null, 0), ::dup2(null, 1), ::dup2(null, 2);
        const std::string size = "--window-size=" + std::to_string(width) + "," + std::to_string(height);
        const std::string profile = "--user-data-dir=" + profile_.path();
        std::vector<const char*> argv = {chromium.c_str(), "--headless", "--no-sandbox", "--disable-gpu",
                                         "--remote-debugging-pipe", "--no-first-run", "--hide-scrollbars",
                                         size.c_str(), profile.c_str(), "about:blank", nullptr};
        ::execv(argv[0], const_cast<char* const*>(argv.data()));
        ::_exit(127);
    }
    ::close(commands[0]);
    ::close(replies[1]);
    to_browser_ = commands[1];
    from_browser_ = replies[0];
    // The page target Chromium opened, attached in flat mode: commands to it carry its session.
    std::string target;
    for (int attempt = 0; attempt < 100 && target.empty(); ++attempt) {
        const json::object targets = call("Target.getTargets", {}, false);
        for (const auto& info : targets.at("targetInfos").as_array()) {
            if (info.at("type") == "page") target = json::value_to<std::string>(info.at("targetId"));
        }
        if (target.empty()) ::usleep(100000);
    }
    if (target.empty()) throw std::runtime_error("chromium opened no page");
    session_ = json::value_to<std::string>(call("Target.attachToTarget", {{"targetId", target}, {"flatten", true}}, false).at("sessionId"));
    call("Emulation.setDeviceMetricsOverride",
         {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", width < 600}});
}

HeadlessChromium::~HeadlessChromium() {
    if (to_browser_ >= 0) ::close(to_browser_);
    if (from_browser_ >= 0) ::close(from_browser_);
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

json::object HeadlessChromium::next_message() {
    for (;;) {
        const auto end = received_.find('\0');
        if (end != std::string::npos) {
            json::object message = json::parse(received_.substr(0, end)).as_object();
            received_.erase(0, end + 1);
            return message;
        }
        pollfd fd{from_browser_, POLLIN, 0};
        if (::poll(&fd, 1, 30000) != 1) throw std::runtime_error("chromium did not answer within 30 s");
        char buffer[65536];
        const ssize_t n = ::read(from_browser_, buffer, sizeof buffer);
        if (n <= 0) throw std::runtime_error("chromium went away");
        received_.append(buffer, static_cast<size_t>(n));
    }
}

json::object HeadlessChromium::call(const std::string& method, json::object params, bool in_page) {
    const std::int64_t id = next_id_++;
    json::object message{{"id", id}, {"method", method}, {"params", std::move(params)}};
    if (in_page) message["sessionId"] = session_;
    const std::string text = json::serialize(message) + '\0';
    if (::write(to_browser_, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
        throw std::runtime_error("cannot write to chromium");
    }
    for (;;) {
        json::object reply = next_message();  // events on the way are not ours
        if (!reply.contains("id") || reply.at("id").as_int64() != id) continue;
        if (reply.contains("error")) throw std::runtime_error(method + ": " + json::serialize(reply.at("error")));
        return reply.at("result").as_object();
    }
}

void HeadlessChromium::open(const std::string& url) { call("Page.navigate", {{"url", url}}); }

json::value HeadlessChromium::evaluate(const std::string& expression) {
    const json::object result = call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}});
    if (result.contains("exceptionDetails")) return nullptr;
    const json::object& value = result.at("result").as_object();
    return value.contains("value") ? value.at("value") : json::value();
}

bool HeadlessChromium::wait_until(const std::string& expression, int seconds) {
    for (int tenth = 0; tenth < seconds * 10; ++tenth) {
        if (evaluate(expression) == true) return true;
        ::usleep(100000);
    }
    return evaluate(expression) == true;
}

std::string HeadlessChromium::screenshot() {
    const json::object shot = call("Page.captureScreenshot", {{"format", "png"}, {"captureBeyondViewport", false}});
    return base64_decode(shot.at("data").as_string());
}

}  // namespace test
