// SPDX-License-Identifier: Apache-2.0
#include "config/http_endpoint.h"

#include <stdexcept>

namespace hitwatchd {

std::optional<boost::asio::ip::tcp::endpoint> http_endpoint(const std::string& host, const std::string& port) {
    namespace ip = boost::asio::ip;
    unsigned long number = 0;
    try {
        size_t used = 0;
        number = std::stoul(port, &used);
        if (used != port.size() || number == 0 || number > 65535) return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
    boost::system::error_code ec;
    const auto address = host == "localhost" ? ip::address(ip::address_v4::loopback()) : ip::make_address(host, ec);
    if (ec) return std::nullopt;
    return ip::tcp::endpoint(address, static_cast<unsigned short>(number));
}

}  // namespace hitwatchd
