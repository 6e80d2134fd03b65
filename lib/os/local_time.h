// SPDX-License-Identifier: Apache-2.0
#pragma once
// The machine's time zone (TZ, else /etc/localtime), for log times written in local time
// with no offset (Apache's %{...}t without %z): the core's LocalToUtc.
#include <cstdint>

namespace hitwatch::os {

// UTC of the local clock reading `local` (written as if it were UTC), both in seconds since
// the epoch (core's UnixSeconds: os includes no core header). In the hour a clock goes back,
// mktime's choice of the two; in the hour it skips, as if it had not yet.
std::int64_t local_to_utc(std::int64_t local);

}  // namespace hitwatch::os
