// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where --http listens: an address and port checked as the options are read, without the
// server (so the options need no HTTP code).
#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <string>

namespace hitwatchd {

// The endpoint of "ADDR:PORT": a numeric address ("127.0.0.1", "::1") or "localhost".
std::optional<boost::asio::ip::tcp::endpoint> http_endpoint(const std::string& host, const std::string& port);

}  // namespace hitwatchd
