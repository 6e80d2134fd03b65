// SPDX-License-Identifier: Apache-2.0
#pragma once
// A site's traffic written live into a log for the alert tests: combined lines with the
// response time in microseconds (%D) appended, stamped now, appended every 100 ms at a rate,
// in a mode the test switches: normal (1 % 5xx, 50 ms median), a wave of 5xx, slow
// responses, or nothing at all. A thread of the test's own (the daemon has none).
#include <atomic>
#include <string>
#include <thread>

namespace test {

class LiveTraffic {
public:
    enum class Mode { normal, errors, slow, stopped };
    // The format string hitwatchd reads these lines with.
    static constexpr const char* kFormat = "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D";

    LiveTraffic(std::string log, int rate);
    ~LiveTraffic();
    LiveTraffic(const LiveTraffic&) = delete;
    LiveTraffic& operator=(const LiveTraffic&) = delete;

    void set(Mode mode) { mode_ = mode; }

private:
    void run();

    std::string log_;
    int rate_;
    std::atomic<Mode> mode_{Mode::normal};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace test
