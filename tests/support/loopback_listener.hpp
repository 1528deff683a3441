// Ports on 127.0.0.1 for the tests' own scripted servers: a listening socket with a free
// port, or a port with nothing listening.
#pragma once

#include <cstdint>

namespace provision::test {

// Returns the socket (close-on-exec) and sets `port`; throws std::runtime_error on failure.
int listen_on_loopback(int& port, int backlog = 16);

// A port on 127.0.0.1 with nothing listening (bound, then released).
std::uint16_t unused_local_port();

}  // namespace provision::test
