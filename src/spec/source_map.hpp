// Where each value of a converted YAML document came from: JSON pointer -> file:line:col.
#pragma once

#include <string>
#include <unordered_map>

#include "core/diagnostic.hpp"

namespace provision::spec {

// Positions of one value: the key that names it (if any) and the value itself.
struct SourceEntry {
  SourceLocation key;    // line 0 for array items and the root
  SourceLocation value;  // for an empty value (`key:`), the key's position
  bool plain = false;    // a plain (unquoted) scalar, re-typed after ${VAR} expansion
};

class SourceMap {
 public:
  void set(const std::string& pointer, SourceEntry entry) { entries_[pointer] = std::move(entry); }
  const SourceEntry* find(const std::string& pointer) const;
  // The value's position, or the nearest ancestor's when the pointer is not mapped.
  SourceLocation value_location(const std::string& pointer) const;
  // The key's position when there is one, else the value's.
  SourceLocation key_location(const std::string& pointer) const;
  // In no particular order.
  const std::unordered_map<std::string, SourceEntry>& entries() const { return entries_; }

 private:
  // Hashed: the pointers of one document share long prefixes ("/spec/workerSpec/0/..."),
  // which made every comparison of an ordered map walk them again.
  std::unordered_map<std::string, SourceEntry> entries_;
};

}  // namespace provision::spec
