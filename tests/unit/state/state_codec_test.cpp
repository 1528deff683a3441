// Encoding round trips and strict decoding: every truncation and every damaged
// byte is refused or decodes to the original, never to a different state.
#include "state/state_codec.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"

using namespace provision;
using namespace provision::state;

namespace {

const ClusterIdentity kBatch{"cn-hangzhou", "w-d2d82aa09155", "batch"};

// Two records: "dev", created from `spec_file` with `body`, and "batch", the same record
// not created yet.
State two_records(decltype(ClusterRecord::applied_body) body, const std::string& spec_file) {
  State s;
  s.serial = 7;
  s.lineage = "0123abcd-0000-4000-8000-0123456789ab";
  ClusterRecord a;
  a.identity = {"cn-hangzhou", "w-d2d82aa09155", "dev"};
  a.cluster_id = "ray-k7nm8ahl5te4tg91";
  a.body_sha256 = std::string(64, 'a');
  a.applied_body = std::move(body);
  a.phase = Phase::kCreated;
  a.spec_file = spec_file;
  a.created_at = "2026-11-26T07:00:00Z";
  a.updated_at = "2026-11-26T07:05:00Z";
  ClusterRecord b = a;
  b.identity = kBatch;
  b.cluster_id = "";
  b.phase = Phase::kPendingCreate;
  s.clusters[a.identity] = a;
  s.clusters[b.identity] = b;
  return s;
}

State sample_state() {
  State s = two_records({{"name", "dev"},
                         {"headSpec", {{"cpu", "2"}, {"memory", "8Gi"}}},
                         {"workerSpec", boost::json::array{}}},
                        "specs/dev.yaml");
  s.clusters.at(kBatch).spec_file = "specs/batch.yaml";
  return s;
}

std::string decode_error(const std::string& text) {
  try {
    decode_state(text);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kState);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a state round-trips through its encoding") {
  State s = sample_state();
  const std::string text = encode_state(s);
  CHECK(decode_state(text) == s);
  CHECK(text.find("\"formatVersion\": 2") != std::string::npos);
  CHECK(text.find("\"phase\": \"pending-create\"") != std::string::npos);
  CHECK(text.back() == '\n');
  State empty;
  empty.lineage = "x";
  CHECK(decode_state(encode_state(empty)) == empty);
}

TEST_CASE("every truncation of the state is refused with a clear error") {
  const std::string text = encode_state(sample_state());
  for (std::size_t n = 0; n < text.size(); ++n) {
    CAPTURE(n);
    const std::string cut = text.substr(0, n);
    try {
      State s = decode_state(cut);
      // Only dropping the trailing newline may still decode, and then to the same state.
      CHECK(n == text.size() - 1);
      CHECK(s == sample_state());
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kState);
      CHECK(std::string(e.what()).size() > 10);
    }
  }
}

TEST_CASE("every damaged byte is refused or decodes to the original") {
  const std::string text = encode_state(sample_state());
  int refused = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (int mask : {0x01, 0x02, 0x04, 0x20, 0x80}) {
      CAPTURE(i);
      CAPTURE(mask);
      std::string damaged = text;
      damaged[i] = static_cast<char>(static_cast<unsigned char>(damaged[i]) ^ mask);
      State decoded;
      try {
        decoded = decode_state(damaged);
      } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::kState);
        ++refused;
        continue;
      }
      CHECK(decoded == sample_state());
    }
  }
  CHECK(refused > static_cast<int>(text.size()));
}

TEST_CASE("a newer format version is refused and says so") {
  const std::string message = decode_error(R"({"formatVersion": 3, "whatever": true})");
  CHECK(message.find("format version 3") != std::string::npos);
  CHECK(message.find("newer provision") != std::string::npos);
}

TEST_CASE("schema violations are named") {
  CHECK(decode_error("").find("not valid JSON") != std::string::npos);
  CHECK(decode_error("[]").find("JSON object") != std::string::npos);
  CHECK(decode_error("{}").find("formatVersion") != std::string::npos);
  CHECK(decode_error(R"({"formatVersion": 1.0})").find("formatVersion") != std::string::npos);
  CHECK(decode_error(R"({"formatVersion": 1, "serial": 1, "lineage": "x", "clusters": []})")
            .find("missing \"checksum\"") != std::string::npos);
  std::string edited = encode_state(sample_state());
  edited.replace(edited.find("ray-k7nm"), 8, "ray-zzzz");
  CHECK(decode_error(edited).find("checksum mismatch") != std::string::npos);
}

TEST_CASE(
    "the file text is exactly the documented layout, the same from whole states and from encoded records") {
  State s = two_records({{"name", "dev\"x\\u"},
                         {"headSpec",
                          {{"cpu", "2"},
                           {"n", 1.5},
                           {"e", boost::json::object{}},
                           {"l", boost::json::array{1, "a", nullptr, true}}}},
                         {"workerSpec", boost::json::array{}}},
                        "specs/d\u00e9v.yaml");
  s.format_version = 1;  // the layout of version 2 snapshots is the same
  s.clusters.at(kBatch).applied_body = {};
  // Written by the encoder before saves became one pass; the checksum is over the
  // compact form, so any change of layout or escaping shows here.
  const std::string expected = R"({
  "formatVersion": 1,
  "serial": 7,
  "lineage": "0123abcd-0000-4000-8000-0123456789ab",
  "clusters": [
    {
      "regionId": "cn-hangzhou",
      "workspaceId": "w-d2d82aa09155",
      "name": "batch",
      "clusterId": "",
      "bodySha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "appliedBody": {},
      "phase": "pending-create",
      "specFile": "specs/dév.yaml",
      "createdAt": "2026-11-26T07:00:00Z",
      "updatedAt": "2026-11-26T07:05:00Z"
    },
    {
      "regionId": "cn-hangzhou",
      "workspaceId": "w-d2d82aa09155",
      "name": "dev",
      "clusterId": "ray-k7nm8ahl5te4tg91",
      "bodySha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "appliedBody": {
        "name": "dev\"x\\u",
        "headSpec": {
          "cpu": "2",
          "n": 1.5E0,
          "e": {},
          "l": [
            1,
            "a",
            null,
            true
          ]
        },
        "workerSpec": []
      },
      "phase": "created",
      "specFile": "specs/dév.yaml",
      "createdAt": "2026-11-26T07:00:00Z",
      "updatedAt": "2026-11-26T07:05:00Z"
    }
  ],
  "checksum": "crc32:c2535c35"
}
)";
  CHECK(encode_state(s) == expected);
  EncodedRecords records;
  for (const auto& [id, r] : s.clusters)
    records.push_back(std::make_shared<const EncodedRecord>(encode_record(r)));
  State header = s;
  header.clusters.clear();
  CHECK(encode_state(header, records) == expected);
  CHECK(decode_state(expected) == s);

  State empty;
  empty.format_version = 1;
  empty.lineage = "x";
  CHECK(encode_state(empty) == R"({
  "formatVersion": 1,
  "serial": 0,
  "lineage": "x",
  "clusters": [],
  "checksum": "crc32:41009ce5"
}
)");
}
