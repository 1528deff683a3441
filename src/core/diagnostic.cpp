// Small helpers over Diagnostic lists.
#include "core/diagnostic.hpp"

#include <algorithm>

namespace provision {

bool has_errors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace provision
