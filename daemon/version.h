// SPDX-License-Identifier: Apache-2.0
#pragma once
// What hitwatchd is: its version (CMake's project(VERSION), the one place it is set) and the
// git commit it was built from ("" outside a checkout; "-dirty" when it had changes).

namespace hitwatchd {

extern const char* const kVersion;
extern const char* const kCommit;

}  // namespace hitwatchd
