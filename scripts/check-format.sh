#!/usr/bin/env bash
# Fails when a C++ file git tracks is not formatted as .clang-format says.
# Fix with: git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format --dry-run -Werror
