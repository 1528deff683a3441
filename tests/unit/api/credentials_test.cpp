// The credential chain against fixture files and an injected environment (never the real ~).
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "api/credentials_chain.hpp"
#include "api_test_names.hpp"
#include "core/error.hpp"
#include "credential_sources_fixture.hpp"
#include "support/temp_dir.hpp"

namespace {

const fs::path& kFixtures = provision::test::kCredentialFixtures;

CredentialSources with_config(const std::string& fixture, std::map<std::string, std::string> env = {}) {
  env["ALIBABA_CLOUD_CONFIG_FILE"] = (kFixtures / fixture).string();
  return sources(std::move(env));
}

}  // namespace

TEST_CASE("environment credentials") {
  const auto c = resolve_credentials("", sources({{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"},
                                                  {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SECRET-env"}}));
  CHECK(c.access_key_id == "LTAI-env");
  CHECK(c.access_key_secret == "SECRET-env");
  CHECK_FALSE(c.is_sts());
  CHECK(contains(c.source, "environment"));

  const auto sts = resolve_credentials("", sources({{"ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.env"},
                                                    {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SECRET-env"},
                                                    {"ALIBABA_CLOUD_SECURITY_TOKEN", "TOKEN-env"}}));
  CHECK(sts.security_token == "TOKEN-env");
  CHECK(contains(sts.source, "ALIBABA_CLOUD_SECURITY_TOKEN"));
}

TEST_CASE("the environment comes before the config file, even with --profile") {
  auto s = with_config("config.json", {{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"},
                                       {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SECRET-env"}});
  CHECK(resolve_credentials("sts", s).access_key_id == "LTAI-env");
}

TEST_CASE("half-set environment is an error naming the missing variable") {
  const auto only_id = credentials_failure("", sources({{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"}}));
  CHECK(contains(only_id, "ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"));
  const auto only_secret =
      credentials_failure("", sources({{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SECRET-env"}}));
  CHECK(contains(only_secret, "ALIBABA_CLOUD_ACCESS_KEY_ID is not"));
  // Empty values count as unset.
  const auto empty = credentials_failure(
      "", sources({{"ALIBABA_CLOUD_ACCESS_KEY_ID", ""}, {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", ""}}));
  CHECK(contains(empty, "no Alibaba Cloud credentials found"));
}

TEST_CASE("no credentials anywhere lists every place looked") {
  test::TempDir home;
  const auto message = credentials_failure("", sources({}, home.path()));
  CHECK(contains(message, "no Alibaba Cloud credentials found"));
  CHECK(contains(message, "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set"));
  CHECK(contains(message, (home.path() / ".aliyun" / "config.json").string() + " does not exist"));
  CHECK(contains(credentials_failure("prod", sources({}, home.path())), "profile 'prod' was requested"));

  const auto via_env =
      credentials_failure("", sources({{"ALIBABA_CLOUD_CONFIG_FILE", "/nonexistent/provision/config.json"}}));
  CHECK(contains(via_env,
                 "/nonexistent/provision/config.json (from ALIBABA_CLOUD_CONFIG_FILE) does not exist"));

  CHECK(contains(credentials_failure("", sources({})),
                 "no home directory and ALIBABA_CLOUD_CONFIG_FILE is not set"));

  const auto disabled =
      credentials_failure("", with_config("config.json", {{"ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"}}));
  CHECK(contains(disabled, "ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true"));
}

TEST_CASE("config file: profile selection") {
  SUBCASE("the file's current") {
    const auto c = resolve_credentials("", with_config("config.json"));
    CHECK(c.access_key_id == "LTAI-dev-id-0001");
    CHECK(c.access_key_secret == "SECRET-dev-0001");
    CHECK(contains(c.source, "profile 'dev' (mode AK)"));
  }
  SUBCASE("ALIBABA_CLOUD_PROFILE beats current") {
    const auto c = resolve_credentials("", with_config("config.json", {{"ALIBABA_CLOUD_PROFILE", "sts"}}));
    CHECK(c.access_key_id == "STS.sts-id-0002");
    CHECK(c.security_token == "TOKEN-sts-0002/with+plus=");
  }
  SUBCASE("--profile beats ALIBABA_CLOUD_PROFILE") {
    const auto c =
        resolve_credentials("lower", with_config("config.json", {{"ALIBABA_CLOUD_PROFILE", "sts"}}));
    CHECK(c.access_key_id == "LTAI-lower-id-0003");  // mode "ak" matched case-insensitively
  }
  SUBCASE("no current: the profile named default") {
    CHECK(resolve_credentials("", with_config("no-current.json")).access_key_id == "LTAI-default-id-0009");
  }
  SUBCASE("~/.aliyun/config.json under the injected home") {
    test::TempDir home;
    home.write(".aliyun/config.json", test::read_file(kFixtures / "config.json"));
    const auto c = resolve_credentials("sts", sources({}, home.path()));
    CHECK(c.access_key_id == "STS.sts-id-0002");
    CHECK(contains(c.source, (home.path() / ".aliyun" / "config.json").string()));
  }
}

TEST_CASE("config file: errors name the file, the profile and the problem") {
  const auto missing = credentials_failure("dve", with_config("config.json"));
  CHECK(contains(missing, "no profile named 'dve' (chosen by --profile)"));
  auto unnamed = with_config("config.json");
  unnamed.explicit_profile_origin = api::CredentialSources{}.explicit_profile_origin;
  CHECK(contains(credentials_failure("dve", unnamed), "no profile named 'dve' (chosen by the caller)"));
  CHECK(contains(missing, "did you mean 'dev'?"));
  CHECK(contains(missing, "'sts'"));
  CHECK(contains(missing, (kFixtures / "config.json").string()));

  const auto sso = credentials_failure("sso", with_config("config.json"));
  CHECK(contains(sso, "profile 'sso'"));
  CHECK(contains(sso, "mode 'CloudSSO' is not supported"));

  CHECK(contains(credentials_failure("no-secret", with_config("config.json")),
                 "'access_key_secret' is missing or empty"));
  CHECK(contains(credentials_failure("sts-no-token", with_config("config.json")),
                 "'sts_token' is missing or empty"));
  CHECK(contains(credentials_failure("no-mode", with_config("config.json")), "has no 'mode'"));
  CHECK(contains(credentials_failure("bad-type", with_config("config.json")),
                 "/profiles/9/access_key_secret: expected a string"));
  CHECK(contains(credentials_failure("", with_config("malformed.json")), "malformed.json: 4:"));
  CHECK(contains(credentials_failure("", with_config("malformed.json")), "not valid JSON"));
  CHECK(contains(credentials_failure("", with_config("profiles-not-array.json")),
                 "/profiles: expected an array"));
  CHECK(contains(credentials_failure("", with_config("top-level-array.json")),
                 "expected a JSON object at the top level"));

  test::TempDir dir;
  const auto folder = credentials_failure("", sources({{"ALIBABA_CLOUD_CONFIG_FILE", dir.path().string()}}));
  CHECK(contains(folder, dir.path().string()));
}

TEST_CASE("no message on any error path contains a secret or a token") {
  test::TempDir home;
  std::vector<std::string> messages = {
      credentials_failure("", sources({{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"}})),
      credentials_failure("", sources({{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SECRET-env"},
                                       {"ALIBABA_CLOUD_SECURITY_TOKEN", "TOKEN-env"}})),
      credentials_failure("", sources({{"ALIBABA_CLOUD_SECURITY_TOKEN", "TOKEN-env"}}, home.path())),
      credentials_failure("nope", with_config("config.json")),
      credentials_failure("role-arn", with_config("config.json")),
      credentials_failure("sso", with_config("config.json")),
      credentials_failure("short", with_config("config.json")),
      credentials_failure("chain-loop", with_config("config.json")),
      credentials_failure("no-secret", with_config("config.json")),
      credentials_failure("sts-no-token", with_config("config.json")),
      credentials_failure("no-mode", with_config("config.json")),
      credentials_failure("bad-type", with_config("config.json")),
      credentials_failure("ecs", with_config("config.json")),  // metadata service unreachable
      credentials_failure("", with_config("malformed.json")),
      credentials_failure("", with_config("profiles-not-array.json")),
  };
  for (const auto& m : messages) {
    CAPTURE(m);
    CHECK_FALSE(contains(m, "SECRET-"));
    CHECK_FALSE(contains(m, "TOKEN-"));
  }
}
