// SPDX-License-Identifier: Apache-2.0
#pragma once
// A destination for reports and alerts that runs operations on the event loop (resolving,
// connecting, writing). The rule of Asio's own examples: it lives in a shared_ptr, each of
// its completion handlers holds it by shared_from_this() and begins by checking whether it
// was stopped. stop() cancels what is in flight; a handler already queued then finds the
// object alive and stopped, and returns.
#include "core/report.h"

namespace hitwatchd {

class AsyncSink : public hitwatch::EventSink {
public:
    virtual void stop() = 0;
};

}  // namespace hitwatchd
