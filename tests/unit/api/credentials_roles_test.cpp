// Role sources of the chain (issue 17): the OIDC environment, config.json modes RamRoleArn,
// OIDC and ChainableRamRoleArn, the shared INI file, and the chain's order. Plans only: no STS.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "api/credential_plan.hpp"
#include "api/credentials_chain.hpp"
#include "api/credentials_ini_file.hpp"
#include "api_test_names.hpp"
#include "core/error.hpp"
#include "credential_sources_fixture.hpp"
#include "support/temp_dir.hpp"

namespace {

const fs::path& kFixtures = provision::test::kCredentialFixtures;

const std::map<std::string, std::string> kOidcEnv = {
    {"ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/ci"},
    {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/gh"},
    {"ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/tmp/token"}};

CredentialSources with_config(std::map<std::string, std::string> env = {}) {
  env["ALIBABA_CLOUD_CONFIG_FILE"] = (kFixtures / "config.json").string();
  return sources(std::move(env));
}

}  // namespace

TEST_CASE("OIDC role from the environment, after environment keys and before the config file") {
  auto env = kOidcEnv;
  env["ALIBABA_CLOUD_ROLE_SESSION_NAME"] = "pipeline-42";
  env["ALIBABA_CLOUD_STS_REGION"] = "cn-shanghai";
  env["ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"] = "TRUE";
  env["ALIBABA_CLOUD_CONFIG_FILE"] = (kFixtures / "config.json").string();
  const CredentialPlan plan = resolve_credential_plan("", sources(env));
  const auto* oidc = std::get_if<OidcRolePlan>(&plan.how);
  REQUIRE(oidc != nullptr);
  CHECK(oidc->params.role_arn == "acs:ram::1:role/ci");
  CHECK(oidc->params.oidc_provider_arn == "acs:ram::1:oidc-provider/gh");
  CHECK(oidc->params.oidc_token.empty());  // read at each renewal, not now
  CHECK(oidc->token_file == "/tmp/token");
  CHECK(oidc->params.role_session_name == "pipeline-42");
  CHECK(oidc->params.duration_seconds == 3600);
  CHECK(oidc->sts.region == "cn-shanghai");
  CHECK(oidc->sts.vpc);
  CHECK(contains(plan.description, "OIDC role from the environment"));

  env["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI-env";
  env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "SECRET-env";
  CHECK(std::holds_alternative<Credentials>(resolve_credential_plan("", sources(env)).how));
}

TEST_CASE("OIDC environment half set") {
  auto env = kOidcEnv;
  env.erase("ALIBABA_CLOUD_OIDC_PROVIDER_ARN");
  CHECK(contains(plan_failure("", sources(env)), "ALIBABA_CLOUD_OIDC_PROVIDER_ARN is not set"));
  // A role ARN alone (the aliyun CLI reads it too) is noted and skipped.
  const auto alone = plan_failure("", sources({{"ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/x"}}));
  CHECK(contains(alone, "no Alibaba Cloud credentials found"));
  CHECK(contains(alone, "ALIBABA_CLOUD_ROLE_ARN is set but ALIBABA_CLOUD_OIDC_PROVIDER_ARN"));
}

TEST_CASE("config.json RamRoleArn: AssumeRole signed by the profile's key") {
  const CredentialPlan plan = resolve_credential_plan("role-arn", with_config());
  const auto* role = std::get_if<RamRolePlan>(&plan.how);
  REQUIRE(role != nullptr);
  CHECK(role->params.role_arn == "acs:ram::123456789012:role/provision");
  CHECK(role->params.role_session_name == "provision");
  CHECK(role->params.duration_seconds == 3600);
  const auto& source = std::get<Credentials>(role->source->how);
  CHECK(source.access_key_id == "LTAI-arn-id-0004");
  CHECK(source.access_key_secret == "SECRET-arn-0004");
  CHECK(contains(plan.description, "profile 'role-arn' (mode RamRoleArn)"));
  CHECK(contains(plan_failure("short", with_config()), "600 s is shorter than the STS minimum of 900 s"));
}

TEST_CASE("config.json OIDC mode: numbers and booleans as the aliyun CLI writes them") {
  const CredentialPlan plan = resolve_credential_plan("oidc", with_config());
  const auto& oidc = std::get<OidcRolePlan>(plan.how);
  CHECK(oidc.token_file == "/var/run/secrets/oidc/token");
  CHECK(oidc.params.role_session_name == "ci-run");
  CHECK(oidc.params.duration_seconds == 1800);
  CHECK(oidc.sts.region == "cn-hangzhou");
  CHECK(oidc.sts.vpc);
  CHECK(contains(plan_failure("oidc-no-file", with_config()), "'oidc_token_file' is missing or empty"));
}

TEST_CASE("config.json ChainableRamRoleArn: the source profile's plan, recursively") {
  const CredentialPlan plan = resolve_credential_plan("chain", with_config());
  const auto& outer = std::get<RamRolePlan>(plan.how);
  CHECK(outer.params.role_arn == "acs:ram::123456789012:role/target");
  CHECK(outer.params.duration_seconds == 900);
  const auto& inner = std::get<RamRolePlan>(outer.source->how);
  CHECK(inner.params.role_arn == "acs:ram::123456789012:role/provision");
  CHECK(std::get<Credentials>(inner.source->how).access_key_id == "LTAI-arn-id-0004");
  CHECK(contains(plan_failure("chain-loop", with_config()), "is there a cycle?"));
  const auto missing = plan_failure("chain-missing", with_config());
  CHECK(contains(missing, "no profile named 'nowhere' (chosen by source_profile of 'chain-missing')"));
}

TEST_CASE("INI parsing: sections, comments, errors with line numbers and no echo") {
  const auto sections = parse_ini("# c\n[default]\ntype = access_key\n; x\n\n[ci]\n a = b = c \n", "f");
  REQUIRE(sections.size() == 2);
  CHECK(sections[0].name == "default");
  CHECK(sections[0].keys.at("type") == "access_key");
  CHECK(sections[1].line == 6);
  CHECK(sections[1].keys.at("a") == "b = c");
  struct Row {
    const char* text;
    const char* message;
  };
  const Row rows[] = {{"key = v\n", "f:1: a key comes before the first [section]"},
                      {"[a]\nSECRET-no-equals\n", "f:2: expected 'key = value'"},
                      {"[a\n", "f:1: a section header must look like [name]"}};
  for (const auto& row : rows) {
    try {
      parse_ini(row.text, "f");
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(contains(e.what(), row.message));
      CHECK_FALSE(contains(e.what(), "SECRET"));
    }
  }
}

TEST_CASE("INI file: types, section choice, and its place after config.json") {
  test::TempDir home;
  home.write(".alibabacloud/credentials",
             "[default]\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = SECRET-ini\n"
             "[ci]\ntype = oidc_role_arn\nrole_arn = acs:ram::1:role/ci\noidc_provider_arn = "
             "acs:ram::1:oidc-provider/gl\n"
             "oidc_token_file_path = /run/token\nrole_session_name = gl\nrole_session_expiration = 1200\n"
             "[arn]\ntype = ram_role_arn\naccess_key_id = LTAI-arn\naccess_key_secret = SECRET-arn\n"
             "role_arn = acs:ram::1:role/r\nrole_session_name = s\npolicy = {\"Version\":\"1\"}\n"
             "[odd]\ntype = rsa_key_pair\n[half]\ntype = ram_role_arn\naccess_key_id = LTAI-half\n");
  const auto s = sources({}, home.path());
  CHECK(std::get<Credentials>(resolve_credential_plan("", s).how).access_key_id == "LTAI-ini");
  const auto oidc = std::get<OidcRolePlan>(resolve_credential_plan("ci", s).how);
  CHECK(oidc.token_file == "/run/token");
  CHECK(oidc.params.duration_seconds == 1200);
  CHECK(oidc.params.role_session_name == "gl");
  const auto arn = std::get<RamRolePlan>(resolve_credential_plan("arn", s).how);
  CHECK(arn.params.policy == "{\"Version\":\"1\"}");
  CHECK(std::get<Credentials>(arn.source->how).access_key_id == "LTAI-arn");
  auto env_profile = sources({{"ALIBABA_CLOUD_PROFILE", "arn"}}, home.path());
  CHECK(std::holds_alternative<RamRolePlan>(resolve_credential_plan("", env_profile).how));

  CHECK(contains(plan_failure("odd", s), "type 'rsa_key_pair' is not supported"));
  CHECK(contains(plan_failure("half", s), "'access_key_secret' is missing or empty"));
  const auto missing = plan_failure("cii", s);
  CHECK(contains(missing, "no section [cii] (chosen by --profile); did you mean [ci]?"));
  for (const auto& m : {plan_failure("odd", s), plan_failure("half", s), missing})
    CHECK_FALSE(contains(m, "SECRET"));

  // ALIBABA_CLOUD_CREDENTIALS_FILE instead of the home directory.
  auto via_env =
      sources({{"ALIBABA_CLOUD_CREDENTIALS_FILE", (home.path() / ".alibabacloud/credentials").string()}});
  CHECK(std::get<Credentials>(resolve_credential_plan("", via_env).how).access_key_id == "LTAI-ini");

  // config.json comes first when both exist.
  home.write(".aliyun/config.json", test::read_file(kFixtures / "config.json"));
  CHECK(std::get<Credentials>(resolve_credential_plan("", s).how).access_key_id == "LTAI-dev-id-0001");
}

TEST_CASE("nothing found: the message lists the OIDC, INI and ECS steps too") {
  test::TempDir home;
  const auto message = plan_failure("", sources({}, home.path()));
  CHECK(contains(message, "OIDC role: ALIBABA_CLOUD_ROLE_ARN"));
  CHECK(contains(message, (home.path() / ".alibabacloud" / "credentials").string() + " does not exist"));
  CHECK(contains(message, "ECS instance role: ALIBABA_CLOUD_ECS_METADATA is not set"));
  // With a role named, the chain plans the metadata service (asked when credentials are
  // needed: here nothing listens, so that fails naming the source).
  const auto s = sources({{"ALIBABA_CLOUD_ECS_METADATA", "role"}}, home.path());
  const auto plan = resolve_credential_plan("", s);
  REQUIRE(std::holds_alternative<EcsRolePlan>(plan.how));
  CHECK(std::get<EcsRolePlan>(plan.how).imds.role_name == "role");
  try {
    resolve_credentials("", s);
    FAIL("expected an Error");
  } catch (const Error& e) {
    CHECK(contains(e.what(), "ECS instance role (ALIBABA_CLOUD_ECS_METADATA)"));
  }
}
