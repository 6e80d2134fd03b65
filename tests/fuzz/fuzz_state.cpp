// SPDX-License-Identifier: Apache-2.0
// libFuzzer: any bytes as a state file. What loads must be in range, and must come back the
// same through a save and a load.
#include <cstddef>
#include <cstdint>
#include <string>

#include "state/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const hitwatch::LoadedCheckpoint loaded = hitwatch::checkpoint_from_json(text, "/srv");
    if (!loaded.checkpoint) return 0;
    for (const auto& log : loaded.checkpoint->logs) {
        if (log.path.empty() || log.path.front() != '/') __builtin_trap();
        for (const auto& f : log.files) {
            if (f.identity.head_length > hitwatch::FileIdentity::kHeadBytes) __builtin_trap();
        }
    }
    const std::string saved = hitwatch::to_json(*loaded.checkpoint);
    const hitwatch::LoadedCheckpoint again = hitwatch::checkpoint_from_json(saved, "/srv");
    if (!again.checkpoint || !again.warnings.empty() || hitwatch::to_json(*again.checkpoint) != saved) __builtin_trap();
    return 0;
}
