// SPDX-License-Identifier: Apache-2.0
#include "os/local_time.h"

#include <ctime>

namespace hitwatch::os {

std::int64_t local_to_utc(std::int64_t local) {
    const std::time_t as_utc = static_cast<std::time_t>(local);
    std::tm fields{};
    if (::gmtime_r(&as_utc, &fields) == nullptr) return local;
    fields.tm_isdst = -1;  // the zone's rules decide
    const std::time_t utc = std::mktime(&fields);
    return utc == static_cast<std::time_t>(-1) ? local : static_cast<std::int64_t>(utc);
}

}  // namespace hitwatch::os
