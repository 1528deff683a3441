// Pointer lookups that fall back to the closest mapped ancestor.
#include "spec/source_map.hpp"

namespace provision::spec {

const SourceEntry* SourceMap::find(const std::string& pointer) const {
  auto it = entries_.find(pointer);
  return it == entries_.end() ? nullptr : &it->second;
}

SourceLocation SourceMap::value_location(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (const SourceEntry* e = find(p)) return e->value;
    if (p.empty()) return {};
    p.erase(p.rfind('/'));
  }
}

SourceLocation SourceMap::key_location(const std::string& pointer) const {
  if (const SourceEntry* e = find(pointer); e && e->key.line > 0) return e->key;
  return value_location(pointer);
}

}  // namespace provision::spec
