#pragma once
// The JSON-lines contract: one object per report or alert, as dashboards and scripts read it.
#include <string>

#include "core/report.h"

namespace hitwatch {

std::string to_json(const Report& report);
std::string to_json(const AlertEvent& event);
std::string to_json(const RunSummary& summary);  // {"type":"summary", ...}: the whole run

}  // namespace hitwatch
