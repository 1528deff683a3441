// The executable's GNU build-id: two builds of one version string differ in it.
#pragma once

#include <string>

namespace provision::engine {

// Hex build-id of the running executable; "" when it was linked without one.
std::string executable_build_id();

}  // namespace provision::engine
