// The names the api tests use unqualified, said once here instead of at the top of
// every test file.
#pragma once

#include <chrono>
#include <filesystem>

namespace boost::asio {}
namespace boost::json {}
namespace provision::api {}
namespace provision::test {}

using namespace provision;
using namespace provision::api;
using namespace provision::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;
namespace net = boost::asio;
