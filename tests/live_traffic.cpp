// SPDX-License-Identifier: Apache-2.0
#include "live_traffic.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <random>

namespace test {

LiveTraffic::LiveTraffic(std::string log, int rate) : log_(std::move(log)), rate_(rate), thread_([this] { run(); }) {}

LiveTraffic::~LiveTraffic() {
    stop_ = true;
    thread_.join();
}

void LiveTraffic::run() {
    std::mt19937 rng(1);
    std::uniform_real_distribution<double> share(0, 1);
    std::normal_distribution<double> spread(0, 0.5);
    const char* const sections[] = {"/api", "/static", "/images", "/"};
    auto next = std::chrono::steady_clock::now();
    double owed = 0;
    for (unsigned n = 0; !stop_; ++n) {
        next += std::chrono::milliseconds(100);
        std::this_thread::sleep_until(next);
        const Mode mode = mode_;
        if (mode == Mode::stopped) continue;
        owed += rate_ / 10.0;
        const std::time_t now = std::time(nullptr);
        std::tm utc{};
        gmtime_r(&now, &utc);
        char stamp[64];
        std::strftime(stamp, sizeof stamp, "%d/%b/%Y:%H:%M:%S +0000", &utc);
        std::ofstream out(log_, std::ios::app);
        for (; owed >= 1; owed -= 1) {
            const int status = share(rng) < (mode == Mode::errors ? 0.3 : 0.01) ? 503 : 200;
            const double median_us = mode == Mode::slow ? 1e6 : 5e4;
            out << "10.0.0.1 - - [" << stamp << "] \"GET " << sections[n % 4] << "/x HTTP/1.1\" " << status
                << " 100 \"-\" \"test\" " << static_cast<long long>(median_us * std::exp(spread(rng))) << "\n";
        }
    }
}

}  // namespace test
