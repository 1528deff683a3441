// The plan document (doc/plan-format.md, schemas/plan.schema.json): what `plan --output
// json`, `plan --out FILE` and `show --output json` print or write, and its reader.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "cli/saved_plan.hpp"
#include "engine/plan.hpp"

namespace provision::cli {

// The document for `plan` made from `provenance`. `desired` gives every cluster's body hash
// and, for actions that send a body, its redacted copy ("***" for secrets): never a value.
boost::json::object plan_document(const engine::Plan& plan,
                                  const std::vector<engine::DesiredCluster>& desired,
                                  const PlanProvenance& provenance);

// Reads a document back. Throws Error(kUsage) naming the first missing or mistyped field,
// and for a format_version other than kPlanFormatVersion.
SavedPlan read_plan_document(const boost::json::value& document);

// The per-kind counts of the "summary" object.
boost::json::object plan_summary(const engine::Plan& plan);

}  // namespace provision::cli
