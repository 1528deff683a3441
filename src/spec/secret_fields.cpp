// The list of secret fields; adding one here redacts it everywhere.
#include "spec/secret_fields.hpp"

#include <array>

namespace provision::spec {
namespace {

constexpr std::array<std::string_view, 1> kSecretBodyPointers = {"/headSpec/gftConfig/redisPassword"};

}  // namespace

bool is_secret_body_pointer(std::string_view pointer) {
  for (auto p : kSecretBodyPointers)
    if (pointer == p) return true;
  return false;
}

bool may_hold_secret_body_pointer(std::string_view pointer) {
  for (auto p : kSecretBodyPointers)
    if (p.substr(0, pointer.size()) == pointer && (p.size() == pointer.size() || p[pointer.size()] == '/'))
      return true;
  return false;
}

bool is_secret_document_pointer(std::string_view pointer) {
  constexpr std::string_view kPrefix = "/spec";
  return pointer.substr(0, kPrefix.size()) == kPrefix &&
         is_secret_body_pointer(pointer.substr(kPrefix.size()));
}

}  // namespace provision::spec

namespace provision::spec {

bool is_within_secret_document_pointer(std::string_view pointer) {
  for (std::size_t end = pointer.size();; end = pointer.rfind('/', end - 1)) {
    if (is_secret_document_pointer(pointer.substr(0, end))) return true;
    if (end == 0 || end == std::string_view::npos) return false;
  }
}

}  // namespace provision::spec
