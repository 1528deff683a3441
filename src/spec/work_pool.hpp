// A bounded pool for independent tasks: at most one thread per core, each task run once.
#pragma once

#include <cstddef>
#include <functional>

namespace provision::spec {

// Runs task(0) ... task(count - 1), on up to `threads` threads (0: the number of cores),
// and returns when all have finished. The first exception, by index, is rethrown.
void run_tasks(std::size_t count, const std::function<void(std::size_t)>& task, std::size_t threads = 0);

}  // namespace provision::spec
