// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE heavy_hitters
#include "core/heavy_hitters.h"

#include <boost/test/unit_test.hpp>
#include <map>
#include <random>
#include <string>

using hitwatch::HeavyHitters;

namespace {

std::map<std::string, HeavyHitters::Item> by_name(const HeavyHitters& h) {
    std::map<std::string, HeavyHitters::Item> out;
    for (const auto& item : h.items()) out.emplace(std::string(item.name), item);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(below_its_capacity_it_counts_exactly) {
    HeavyHitters h(4);
    for (const char* name : {"/a", "/b", "/a", "/c", "/a", "/b"}) h.add(name);
    const auto items = by_name(h);
    BOOST_TEST(items.at("/a").count == 3u);
    BOOST_TEST(items.at("/b").count == 2u);
    BOOST_TEST(items.at("/c").count == 1u);
    for (const auto& [name, item] : items) BOOST_TEST(item.error == 0u, name);
}

BOOST_AUTO_TEST_CASE(a_newcomer_takes_the_least_counted_counter_and_its_count_as_error) {
    HeavyHitters h(2);
    h.assign({{"/a", 5}, {"/b", 2}});
    h.add("/c");  // takes /b's counter: count 3, error 2
    auto items = by_name(h);
    BOOST_TEST(items.count("/b") == 0u);
    BOOST_TEST(items.at("/c").count == 3u);
    BOOST_TEST(items.at("/c").error == 2u);
    BOOST_TEST(items.at("/a").count == 5u);
    h.add("/a");
    BOOST_TEST(by_name(h).at("/a").count == 6u);
}

BOOST_AUTO_TEST_CASE(a_scanner_cannot_hide_a_busy_name_and_every_bound_holds) {
    // 20,000 one-off paths first, then /hot 5,000 times among more one-offs: /hot has more
    // than N/k hits, so it is held, and its bounds hold its true count.
    const size_t k = 1000;
    HeavyHitters h(k);
    std::map<std::string, std::uint64_t> truth;
    std::mt19937 rng(7);
    int next = 0;
    const auto one_off = [&] {
        const std::string name = "/scan" + std::to_string(next++);
        h.add(name);
        ++truth[name];
    };
    for (int i = 0; i < 20000; ++i) one_off();
    for (int i = 0; i < 5000; ++i) {
        h.add("/hot");
        ++truth["/hot"];
        if (rng() % 3 == 0) one_off();
    }
    std::uint64_t total = 0;
    for (const auto& [name, n] : truth) total += n;
    const auto items = by_name(h);
    BOOST_TEST(items.size() == k);
    BOOST_TEST_REQUIRE(items.count("/hot") == 1u);
    BOOST_TEST(total / k < 5000u);
    for (const auto& [name, item] : items) {
        const std::uint64_t real = truth[name];
        BOOST_TEST_REQUIRE(item.count - item.error <= real, name);
        BOOST_TEST_REQUIRE(real <= item.count, name);
    }
    h.clear();
    BOOST_TEST(h.items().empty());
    h.add("/again");
    BOOST_TEST(by_name(h).at("/again").count == 1u);
}

BOOST_AUTO_TEST_CASE(assign_keeps_the_busiest_when_given_more_than_it_holds) {
    HeavyHitters h(2);
    h.assign({{"/a", 1}, {"/b", 9}, {"/c", 4}});
    const auto items = by_name(h);
    BOOST_TEST(items.size() == 2u);
    BOOST_TEST(items.at("/b").count == 9u);
    BOOST_TEST(items.at("/c").count == 4u);
}

BOOST_AUTO_TEST_CASE(under_churn_every_name_is_held_once_and_its_bounds_hold) {
    // Skewed random names over many more names than counters: constant eviction, so the
    // index's deletions (by backward shift) are exercised at every load.
    for (const size_t k : {1u, 2u, 7u, 64u, 1000u}) {
        HeavyHitters h(k);
        std::map<std::string, std::uint64_t> truth;
        std::mt19937 rng(static_cast<unsigned>(k));
        std::geometric_distribution<int> skew(0.02);
        for (int i = 0; i < 50000; ++i) {
            const std::string name = "/n" + std::to_string(skew(rng));
            h.add(name);
            ++truth[name];
        }
        const auto items = h.items();
        std::map<std::string, int> seen;
        std::uint64_t total_count = 0;
        for (const auto& item : items) {
            BOOST_TEST_REQUIRE(++seen[std::string(item.name)] == 1, "held twice: " << item.name);
            const std::uint64_t real = truth[std::string(item.name)];
            BOOST_TEST_REQUIRE(item.count - item.error <= real);
            BOOST_TEST_REQUIRE(real <= item.count);
            total_count += item.count;
        }
        BOOST_TEST(items.size() == std::min<size_t>(k, truth.size()));
        BOOST_TEST(total_count == 50000u);  // Space-Saving's counts always add up to the stream
        for (const auto& [name, real] : truth) {
            if (real > 50000 / k) BOOST_TEST(seen.count(name) == 1u, name << " with " << real << " hits, k " << k);
        }
    }
}
