// SPDX-License-Identifier: Apache-2.0
#pragma once
// The dashboard served at / : one self-contained page (daemon/dashboard.html, built into the
// binary), which draws itself from /events and /status.
namespace hitwatchd {

const char* dashboard_html();

}  // namespace hitwatchd
