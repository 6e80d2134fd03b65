// SPDX-License-Identifier: Apache-2.0
// libFuzzer: any bytes as the config file, read as hitwatchd reads it (--check-config). A
// bad file is a UsageError with a message; anything else escaping is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "config/options.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/hitwatch-fuzz-config-" + std::to_string(::getpid()) + ".conf";
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) return 0;
    std::fwrite(data, 1, size, file);
    std::fclose(file);
    const char* argv[] = {"hitwatchd", "--check-config", "--config", path.c_str()};
    try {
        hitwatchd::parse_command_line(4, argv);
    } catch (const hitwatchd::UsageError& e) {
        if (std::string(e.what()).empty()) __builtin_trap();  // an error always says what
    }
    return 0;
}
