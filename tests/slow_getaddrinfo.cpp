// SPDX-License-Identifier: Apache-2.0
// Preloaded into hitwatchd by a test (LD_PRELOAD): a name server that answers slowly, which a
// test cannot otherwise have. getaddrinfo() of the name in HITWATCH_SLOW_NAME takes
// HITWATCH_SLOW_SECONDS, then answers for 127.0.0.1; every other name is looked up as usual.
#include <dlfcn.h>
#include <netdb.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

extern "C" int getaddrinfo(const char* node, const char* service, const addrinfo* hints, addrinfo** found) {
    using Getaddrinfo = int (*)(const char*, const char*, const addrinfo*, addrinfo**);
    static const auto real = reinterpret_cast<Getaddrinfo>(::dlsym(RTLD_NEXT, "getaddrinfo"));
    const char* slow = std::getenv("HITWATCH_SLOW_NAME");
    if (node != nullptr && slow != nullptr && std::strcmp(node, slow) == 0) {
        const char* seconds = std::getenv("HITWATCH_SLOW_SECONDS");
        ::sleep(seconds != nullptr ? static_cast<unsigned>(std::atoi(seconds)) : 4);
        node = "127.0.0.1";
    }
    return real(node, service, hints, found);
}
