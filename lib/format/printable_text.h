// SPDX-License-Identifier: Apache-2.0
#pragma once
// Text from outside (a log line, a path, a header) made safe to show on a terminal: valid
// UTF-8 is kept as it is; control characters (C0, DEL, C1) and bytes that are not valid UTF-8
// become \xNN. Every message of the daemon goes through it on its way out, so no log line can
// drive the operator's terminal, and a binary file replayed by mistake prints no binary.
#include <cstddef>
#include <string>
#include <string_view>

namespace hitwatch {

// At most `limit` bytes of `text` looked at; "..." after when there were more.
std::string printable_text(std::string_view text, std::size_t limit = std::string_view::npos);

}  // namespace hitwatch
