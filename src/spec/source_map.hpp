// Where each value of a converted YAML document came from: JSON pointer -> file:line:col.
#pragma once

#include <string>
#include <unordered_map>

#include "core/diagnostic.hpp"

namespace provision::spec {

// A line and column (1-based, columns in characters) in the map's file.
struct SourcePosition {
  int line = 0;
  int column = 0;
};

// Positions of one value: the key that names it (if any) and the value itself.
struct SourceEntry {
  SourcePosition key;    // line 0 for array items and the root
  SourcePosition value;  // for an empty value (`key:`), the key's position
  bool plain = false;    // a plain (unquoted) scalar, re-typed after ${VAR} expansion
};

// One document's positions. The file name is held once here, not per value: a document
// has one entry per value, and a name per entry was most of the map's allocations.
class SourceMap {
 public:
  explicit SourceMap(std::string file = {}) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }
  SourceLocation location(SourcePosition p) const { return {file_, p.line, p.column}; }

  void set(const std::string& pointer, SourceEntry entry) { entries_[pointer] = std::move(entry); }
  const SourceEntry* find(const std::string& pointer) const;
  // The value's position, or the nearest ancestor's when the pointer is not mapped.
  SourceLocation value_location(const std::string& pointer) const;
  // The key's position when there is one, else the value's.
  SourceLocation key_location(const std::string& pointer) const;
  // In no particular order.
  const std::unordered_map<std::string, SourceEntry>& entries() const { return entries_; }

 private:
  std::string file_;
  // Hashed: the pointers of one document share long prefixes ("/spec/workerSpec/0/..."),
  // which made every comparison of an ordered map walk them again.
  std::unordered_map<std::string, SourceEntry> entries_;
};

}  // namespace provision::spec
