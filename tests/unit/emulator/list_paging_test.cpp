#include <doctest/doctest.h>

#include "handler_harness.hpp"

using namespace provision;
using namespace provision::emulator;
using namespace provision::emulator::test;

namespace {

std::vector<std::string> page(Harness& h, api::NameValueList query) {
  auto r = h.call("GET", kBase, "ListRayCluster", "", std::move(query));
  REQUIRE(r.status == 200);
  std::vector<std::string> names;
  const auto doc = boost::json::parse(r.body);
  for (const auto& item : doc.at("rayClusters").as_array()) names.emplace_back(item.at("name").as_string());
  return names;
}

}  // namespace

TEST_CASE("List pages in creation order with pageNum and pageSize") {
  Harness h;
  for (int i = 0; i < 25; ++i) h.create("c" + std::to_string(i));
  CHECK(page(h, {}).size() == 20);  // default pageSize
  auto first = page(h, {{"pageNum", "1"}, {"pageSize", "10"}});
  REQUIRE(first.size() == 10);
  CHECK(first.front() == "c0");
  CHECK(first.back() == "c9");
  auto third = page(h, {{"pageSize", "10"}, {"pageNum", "3"}});
  REQUIRE(third.size() == 5);
  CHECK(third.front() == "c20");
  CHECK(third.back() == "c24");
  CHECK(page(h, {{"pageNum", "4"}, {"pageSize", "10"}}).empty());
  CHECK(page(h, {{"pageSize", "100"}}).size() == 25);
  // Another workspace is empty.
  auto other = h.call("GET", "/api/v1/workspaces/w-empty/rayCluster", "ListRayCluster");
  CHECK(boost::json::parse(other.body).at("rayClusters").as_array().empty());
}

TEST_CASE("paging parameters outside 1-100 are InvalidParameter") {
  Harness h;
  for (const char* bad : {"0", "101", "-1", "abc", "", "1.5", "99999999999"}) {
    auto r = h.call("GET", kBase, "ListRayCluster", "", {{"pageSize", bad}});
    CHECK_MESSAGE(r.status == 400, bad);
    CHECK(code_of(r) == "InvalidParameter");
    CHECK(message_of(r).find("pageSize") != std::string::npos);
  }
  CHECK(code_of(h.call("GET", kBase, "ListRayCluster", "", {{"pageNum", "0"}})) == "InvalidParameter");
}
