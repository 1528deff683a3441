// Which spec values are secrets: never printed by any command, in values or source lines.
#pragma once

#include <string_view>

namespace provision::spec {

// True for a pointer into a document at a secret value (/spec/headSpec/gftConfig/redisPassword).
bool is_secret_document_pointer(std::string_view pointer);

// True for a secret value's pointer or any pointer inside it (when it is not a string).
bool is_within_secret_document_pointer(std::string_view pointer);

// True for a pointer into a request body at a secret value (/headSpec/gftConfig/redisPassword).
bool is_secret_body_pointer(std::string_view pointer);

// True when a secret body value may lie at or under `pointer` (it is a secret pointer or
// a parent of one): a walk that redacts need not enter anything else.
bool may_hold_secret_body_pointer(std::string_view pointer);

// What a secret is shown as.
inline constexpr std::string_view kRedacted = "***";

}  // namespace provision::spec
