// SPDX-License-Identifier: Apache-2.0
#pragma once
// A log format pasted as the server's configuration has it: nginx's `log_format` (its name,
// `escape=`, single- or double-quoted pieces run together, the closing `;`) or its body alone,
// and Apache's `LogFormat "..." nickname` line. What is left is the format string itself.
#include <optional>
#include <string>
#include <string_view>

namespace hitwatch {

struct Unpasted {
    std::string format;  // the format string, unquoted and unescaped as the server does
    std::string error;   // a pasted line that is broken (a quote never closed): what is wrong
};

// nullopt: `spec` is not a pasted configuration line but a format string (or preset) as it is.
std::optional<Unpasted> unpaste_format(std::string_view spec);

// A format string's escapes read as the servers read them in the quoted string it was copied
// from: \" \' \\ \t \r \n ("%h\t%l\t%u\t%t\t\"%r\"" logs tabs and quotes).
std::string unescape_format(std::string_view spec);

}  // namespace hitwatch
