// Role credentials end to end (issue 17): the real provision against the real emulator's STS
// and Ray-cluster API over TLS on 127.0.0.1, with no long-lived key in the environment. OIDC
// from the environment, RamRoleArn from config.json, oidc_role_arn from the INI file, a run
// longer than --sts-duration, and the failures (refused token, missing token file, expired
// keys), each with its exit code. No run may print the OIDC token or an issued secret.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "provision_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace provision::test;

namespace {

const std::string kToken = "eyJhbGciOiJSUzI1NiJ9.ci-oidc-token-7c1e55.sig";
const std::string kRefusedToken = "eyJhbGciOiJSUzI1NiJ9.refused-token-0a9d.sig";
const std::string kRoleArn = "acs:ram::1234567890123456:role/ci-deployer";
const std::string kProviderArn = "acs:ram::1234567890123456:oidc-provider/gitlab";

// Secret material that must never be printed or written: the tokens, the demo secret used as a
// RamRoleArn source, and the emulator's issued security tokens (they start with "CAIS").
const std::vector<std::string> kNeverShown = {
    kToken, "ci-oidc-token-7c1e55", kRefusedToken, "refused-token-0a9d", "demo-access-key-secret", "CAIS"};

void require_clean(const std::string& what, const std::string& text) {
  for (const auto& secret : kNeverShown) {
    INFO(what << " must not contain '" << secret << "':\n" << text);
    CHECK(text.find(secret) == std::string::npos);
  }
}

// Emulator flags with an --oidc-tokens file accepting kToken.
std::vector<std::string> sts_flags(const TempDir& dir, std::vector<std::string> extra = {}) {
  dir.write("oidc-tokens", "# tokens the emulator's STS accepts\n" + kToken + "\n");
  std::vector<std::string> flags{"--oidc-tokens", (dir.path() / "oidc-tokens").string()};
  flags.insert(flags.end(), extra.begin(), extra.end());
  return flags;
}

// Runs provision with no access key in the environment, HOME in the cloud's folder, the
// emulator as endpoint and STS endpoint (by flag, or by ALIBABA_CLOUD_STS_ENDPOINT), plus `env`.
RunResult run_without_keys(const EmulatedCloud& cloud, std::vector<std::string> args,
                           std::map<std::string, std::string> env, bool sts_by_env = false) {
  const auto endpoint = cloud.endpoint_args();  // --endpoint 127.0.0.1:PORT --ca-file CA
  std::vector<std::string> argv{PROVISION_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), endpoint.begin(), endpoint.end());
  RunOptions o = cloud.options();
  o.env = std::move(env);
  o.env["HOME"] = cloud.dir().path().string();
  o.env["NO_COLOR"] = "1";
  if (sts_by_env) {
    o.env["ALIBABA_CLOUD_STS_ENDPOINT"] = endpoint[1];
  } else {
    argv.insert(argv.end(), {"--sts-endpoint", endpoint[1]});
  }
  o.unset_env = {
      "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
      "ALIBABA_CLOUD_PROFILE",       "ALIBABA_CLOUD_CONFIG_FILE",       "ALIBABA_CLOUD_CREDENTIALS_FILE",
      "ALIBABA_CLOUD_ROLE_ARN",      "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
      "ALIBABA_CLOUD_ECS_METADATA",  "ALIBABA_CLOUD_STS_REGION",        "ALIBABA_CLOUD_STS_ENDPOINT"};
  if (!sts_by_env) o.unset_env.push_back("ALIBABA_CLOUD_STS_ENDPOINT");
  RunResult r = run(argv, o);
  require_clean("stdout", r.out);
  require_clean("stderr", r.err);
  return r;
}

std::map<std::string, std::string> oidc_env(const EmulatedCloud& cloud,
                                            const std::string& token_file = "token") {
  return {{"ALIBABA_CLOUD_ROLE_ARN", kRoleArn},
          {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", kProviderArn},
          {"ALIBABA_CLOUD_OIDC_TOKEN_FILE", (cloud.dir().path() / token_file).string()}};
}

// The state files left behind hold no secret either.
void require_clean_state(const EmulatedCloud& cloud) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(cloud.dir().path() / ".provision"))
    if (entry.is_regular_file()) require_clean(entry.path().string(), read_file(entry.path()));
}

}  // namespace

TEST_CASE("apply with the OIDC role from the environment: no access key anywhere") {
  TempDir tokens;
  EmulatedCloud cloud(sts_flags(tokens));
  cloud.dir().write("token", kToken + "\n");
  cloud.spec("oidc-env");
  auto r = run_without_keys(cloud, {"apply", "specs", "--auto-approve"}, oidc_env(cloud));
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Apply complete: 1 created") != std::string::npos);
  CHECK(cloud.requests("AssumeRoleWithOIDC") == 1);  // one renewal shared by every request
  CHECK(cloud.requests("CreateRayCluster") == 1);
  require_clean_state(cloud);
}

TEST_CASE("apply with RamRoleArn from config.json, STS endpoint from ALIBABA_CLOUD_STS_ENDPOINT") {
  EmulatedCloud cloud;
  cloud.dir().write(".aliyun/config.json",
                    R"({"current":"ci","profiles":[{"name":"ci","mode":"RamRoleArn",)"
                    R"("access_key_id":"demo-access-key-id","access_key_secret":"demo-access-key-secret",)"
                    R"("ram_role_arn":")" +
                        kRoleArn + R"(","ram_session_name":"ci","expired_seconds":900}]})");
  cloud.spec("ram-role");
  auto r = run_without_keys(cloud, {"apply", "specs", "--auto-approve"}, {}, true);
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Apply complete: 1 created") != std::string::npos);
  CHECK(cloud.requests("AssumeRole") == 1);
  require_clean_state(cloud);
}

TEST_CASE("apply with oidc_role_arn from the shared INI credentials file") {
  TempDir tokens;
  EmulatedCloud cloud(sts_flags(tokens));
  cloud.dir().write("token", kToken);
  cloud.dir().write(".alibabacloud/credentials",
                    "[default]\ntype = oidc_role_arn\nrole_arn = " + kRoleArn + "\noidc_provider_arn = " +
                        kProviderArn + "\noidc_token_file_path = " + (cloud.dir().path() / "token").string() +
                        "\nrole_session_name = ini\n");
  cloud.spec("ini-oidc");
  auto r = run_without_keys(cloud, {"apply", "specs", "--auto-approve"}, {});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(cloud.requests("AssumeRoleWithOIDC") == 1);
  CHECK(cloud.requests("CreateRayCluster") == 1);
}

TEST_CASE("a run longer than --sts-duration 5 renews its credentials and finishes") {
  TempDir tokens;
  // Clusters take 9 s to start, so the wait outlives two credential lifetimes.
  EmulatedCloud cloud(sts_flags(tokens, {"--sts-duration", "5", "--start-delay", "9"}));
  cloud.dir().write("token", kToken);
  cloud.spec("long-a");
  cloud.spec("long-b");
  auto r = run_without_keys(cloud, {"apply", "specs", "--auto-approve"}, oidc_env(cloud));
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Apply complete: 2 created") != std::string::npos);
  CHECK(cloud.requests("AssumeRoleWithOIDC") >= 3);  // renewed halfway through each 5 s lifetime
  CHECK(cloud.count("GetRayCluster") > 2);
}

TEST_CASE("a refused OIDC token: exit 5, naming the STS operation, code and request id") {
  TempDir tokens;
  EmulatedCloud cloud(sts_flags(tokens));
  cloud.dir().write("token", kRefusedToken);
  cloud.spec("refused");
  auto r = run_without_keys(cloud, {"apply", "specs", "--auto-approve"}, oidc_env(cloud));
  INFO(r.out, r.err);
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("STS AssumeRoleWithOIDC failed") != std::string::npos);
  CHECK(r.err.find("AuthenticationFail.OIDCToken.Invalid") != std::string::npos);
  CHECK(r.err.find("RequestId ") != std::string::npos);
  CHECK(r.err.find("RequestId -") == std::string::npos);
  CHECK(cloud.requests("CreateRayCluster") == 0);
}

TEST_CASE("a missing token file: exit 5, naming the file and the variable") {
  EmulatedCloud cloud;
  cloud.spec("no-token");
  auto r = run_without_keys(cloud, {"apply", "specs", "--auto-approve"}, oidc_env(cloud, "absent-token"));
  INFO(r.out, r.err);
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("cannot read the OIDC token file " + (cloud.dir().path() / "absent-token").string()) !=
        std::string::npos);
  CHECK(r.err.find("ALIBABA_CLOUD_OIDC_TOKEN_FILE") != std::string::npos);
  CHECK(cloud.requests() == 0);
}

TEST_CASE("expired STS keys: the API's InvalidSecurityToken.Expired, exit 6, with a hint") {
  const std::string curl = "/usr/bin/curl";
  if (!std::filesystem::exists(curl)) {
    MESSAGE("skipped: needs " << curl << " to obtain keys from the emulator's STS");
    return;
  }
  TempDir tokens;
  EmulatedCloud cloud(sts_flags(tokens, {"--sts-duration", "1"}));
  const auto endpoint = cloud.endpoint_args();
  auto got =
      run({curl, "-sS", "--cacert", endpoint[3], "-X", "POST",
           "https://" + endpoint[1] +
               "/?Version=2015-04-01&Action=AssumeRoleWithOIDC&Format=JSON&Timestamp=2026-01-01T00:00:00Z",
           "--data",
           "RoleArn=" + kRoleArn + "&OIDCProviderArn=" + kProviderArn + "&OIDCToken=" + kToken +
               "&RoleSessionName=curl"});
  REQUIRE(got.exit_code == 0);
  auto field = [&](const std::string& name) {
    const auto at = got.out.find("\"" + name + "\":\"");
    REQUIRE(at != std::string::npos);
    const auto start = at + name.size() + 4;
    return got.out.substr(start, got.out.find('"', start) - start);
  };
  const std::string id = field("AccessKeyId"), secret = field("AccessKeySecret"),
                    token = field("SecurityToken");
  CHECK(id.rfind("STS.", 0) == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  cloud.spec("expired");
  auto r = run_without_keys(cloud, {"apply", "specs", "--auto-approve"},
                            {{"ALIBABA_CLOUD_ACCESS_KEY_ID", id},
                             {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret},
                             {"ALIBABA_CLOUD_SECURITY_TOKEN", token}});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("InvalidSecurityToken.Expired") != std::string::npos);
  CHECK(r.err.find("the temporary credentials have expired") != std::string::npos);
  CHECK(r.err.find(secret) == std::string::npos);
  CHECK(r.out.find(secret) == std::string::npos);
}

// Alibaba's official Node package against the emulator's STS (tests/interop/). Needs node and
// @alicloud/credentials: set PROVISION_NODE_MODULES to a node_modules folder holding it
// (npm install @alicloud/credentials); without it the case is skipped with a message.
TEST_CASE("@alicloud/credentials (npm) gets STS keys from the emulator for OIDC and RamRoleArn") {
  const char* modules = std::getenv("PROVISION_NODE_MODULES");
  if (modules == nullptr ||
      !std::filesystem::exists(std::filesystem::path(modules) / "@alicloud/credentials") ||
      !std::filesystem::exists("/usr/bin/node")) {
    MESSAGE(
        "skipped: set PROVISION_NODE_MODULES to a node_modules with @alicloud/credentials (and install "
        "node)");
    return;
  }
  TempDir tokens;
  EmulatedCloud cloud(sts_flags(tokens));
  cloud.dir().write("token", kToken);  // the package sends the file verbatim: no newline
  cloud.dir().write("refused", kRefusedToken);
  const auto endpoint = cloud.endpoint_args();
  RunOptions o;
  o.env = {{"NODE_PATH", modules},
           {"NODE_EXTRA_CA_CERTS", endpoint[3]},
           {"STS_ENDPOINT", endpoint[1]},
           {"ALIBABA_CLOUD_ROLE_ARN", kRoleArn},
           {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", kProviderArn},
           {"ALIBABA_CLOUD_OIDC_TOKEN_FILE", (cloud.dir().path() / "token").string()},
           {"REFUSED_TOKEN_FILE", (cloud.dir().path() / "refused").string()}};
  auto r = run(
      {"/usr/bin/node", std::string(PROVISION_SOURCE_DIR) + "/tests/interop/alicloud_credentials_check.js"},
      o);
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("oidc_role_arn: ok") != std::string::npos);
  CHECK(r.out.find("ram_role_arn: ok") != std::string::npos);
  CHECK(r.out.find("refused token: ok") != std::string::npos);
  CHECK(cloud.requests("AssumeRole") == 1);
  CHECK(cloud.requests("AssumeRoleWithOIDC") == 2);
}
