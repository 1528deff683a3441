// A listening TCP socket on 127.0.0.1 with a free port, for the tests' own scripted servers.
#pragma once

namespace provision::test {

// Returns the socket (close-on-exec) and sets `port`; throws std::runtime_error on failure.
int listen_on_loopback(int& port, int backlog = 16);

}  // namespace provision::test
