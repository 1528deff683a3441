// The CLI's words for a Hint: the lower layers state a fact and say which kind of advice
// fits; here, and only here, that advice names provision's commands and options.
#pragma once

#include <string>

#include "core/error.hpp"
#include "core/hint.hpp"
#include "engine/plan.hpp"

namespace provision::cli {

// `message` with `hint` rendered where it reads naturally (after it, or before it for the
// option a value came from); `message` itself when there is no hint.
std::string with_hint(const std::string& message, const Hint& hint);

// What the error printers show for `e`: its message with its hint.
std::string error_text(const Error& e);

// A planned action's note as users read it, in every plan output and in saved plans.
std::string note_text(const engine::PlannedAction& action);

}  // namespace provision::cli
