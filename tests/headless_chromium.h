// SPDX-License-Identifier: Apache-2.0
#pragma once
// A headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe):
// open a page at a window size, evaluate JavaScript in it, take a screenshot. For the
// dashboard test, which must wait for the page's live updates.
#include <sys/types.h>

#include <boost/json.hpp>
#include <string>

#include "process.h"

namespace test {

class HeadlessChromium {
public:
    HeadlessChromium(const std::string& chromium, int width, int height);
    ~HeadlessChromium();
    HeadlessChromium(const HeadlessChromium&) = delete;
    HeadlessChromium& operator=(const HeadlessChromium&) = delete;

    void open(const std::string& url);
    // The expression's value (returned by value); null if it threw.
    boost::json::value evaluate(const std::string& expression);
    // Waits until the expression is true; whether it became so within `seconds`.
    bool wait_until(const std::string& expression, int seconds);
    // A PNG of the viewport.
    std::string screenshot();

private:
    boost::json::object call(const std::string& method, boost::json::object params, bool in_page = true);
    boost::json::object next_message();

    TempDir profile_;
    pid_t pid_ = -1;
    int to_browser_ = -1, from_browser_ = -1;
    std::string session_;
    std::string received_;
    std::int64_t next_id_ = 1;
    int width_, height_;
};

}  // namespace test
