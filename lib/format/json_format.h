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

// A figure as JSON: whole numbers as integers ("10", not Boost's "1E1").
boost::json::value json_number(double v);

}  // namespace hitwatch
