// SPDX-License-Identifier: Apache-2.0
#pragma once
// The JSON-lines contract: one object per report or alert, as dashboards and scripts read it.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "core/report.h"

namespace hitwatch {

std::string to_json(const Report& report);
std::string to_json(const AlertEvent& event);
std::string to_json(const RunSummary& summary);  // {"type":"summary", ...}: the whole run

// The same objects, for a document that holds them (the status page).
boost::json::object to_json_value(const Report& report);
boost::json::object to_json_value(const AlertEvent& event);
boost::json::object to_json_value(const RunSummary& summary);

// JSON text with figures in the shortest digits that read back exactly, plain where that is
// shorter (10, 2644.3106515691243, 2.597): Boost.JSON 1.81 writes every double with an
// exponent (1E1, 2.6443106515691243E3), which is JSON but not what a person reads.
std::string to_json_text(const boost::json::value& v);

}  // namespace hitwatch
