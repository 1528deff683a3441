// The real STS client and role providers against the real provision-emulator over TLS:
// AssumeRoleWithOIDC and AssumeRole (V1 signature checked by the emulator), chained roles,
// refused tokens and keys, issued keys that expire, and renewal in a run longer than them.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <thread>

#include "api/credential_providers.hpp"
#include "api/ray_cluster_client.hpp"
#include "api/refreshing_credentials.hpp"
#include "api/sts_client.hpp"
#include "api_test_names.hpp"
#include "core/error.hpp"
#include "emulator_process.hpp"
#include "run_coroutine.hpp"

namespace {

const Credentials kDemo{"demo-access-key-id", "demo-access-key-secret", "", "test"};
const std::string kToken = "eyJhbGciOiJSUzI1NiJ9.good-oidc-token.sig";
const OidcRoleParams kOidc{
    "acs:ram::1234567890:role/ci", "acs:ram::1234567890:oidc-provider/gl", kToken, "ci", 3600, ""};
const AssumeRoleParams kRole{"acs:ram::1234567890:role/deployer", "deploy", 3600, "", ""};

struct Rig {
  explicit Rig(std::vector<std::string> flags = {}) : emulator(with_tokens(flags)) {
    TransportOptions t;
    t.ca_file = emulator.ca_file;
    t.read_timeout = 5000ms;
    transport = std::make_unique<HttpsClient>(io, t);
    sts = std::make_unique<StsClient>(*transport, Endpoint("127.0.0.1", emulator.port), clock, random);
  }
  std::vector<std::string> with_tokens(std::vector<std::string> flags) {
    tokens.write("tokens", "# accepted\n" + kToken + "\n");
    flags.insert(flags.end(), {"--oidc-tokens", (tokens.path() / "tokens").string()});
    return flags;
  }
  template <class T>
  T run(net::awaitable<T> work) {
    return run_coroutine(io, std::move(work));
  }
  std::string failure(net::awaitable<TemporaryCredentials> work) {
    try {
      run(std::move(work));
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kCredentials);
      return e.what();
    }
    FAIL("expected an Error");
    return {};
  }
  RayClusterClient cluster_client(std::shared_ptr<CredentialsProvider> provider) {
    return RayClusterClient(*transport, Endpoint("127.0.0.1", emulator.port), std::move(provider), clock,
                            random);
  }

  TempDir tokens;
  Emulator emulator;
  net::io_context io;
  SystemClock clock;
  OsRandom random;
  std::unique_ptr<HttpsClient> transport;
  std::unique_ptr<StsClient> sts;
};

}  // namespace

TEST_CASE("AssumeRoleWithOIDC and AssumeRole issue STS keys that the Ray-cluster API accepts") {
  Rig rig;
  const auto oidc = rig.run(rig.sts->assume_role_with_oidc(kOidc, "test OIDC"));
  CHECK(oidc.credentials.access_key_id.rfind("STS.", 0) == 0);
  CHECK(oidc.credentials.is_sts());
  CHECK(oidc.credentials.source == "test OIDC");
  CHECK(oidc.expiration > std::chrono::system_clock::now() + 3500s);

  const auto role = rig.run(rig.sts->assume_role(kRole, kDemo, "test role"));
  CHECK(role.credentials.access_key_id.rfind("STS.", 0) == 0);
  // Chained: AssumeRole signed with STS keys (SecurityToken in the query).
  const auto chained = rig.run(rig.sts->assume_role(kRole, role.credentials, "chained"));
  CHECK(chained.credentials.access_key_id != role.credentials.access_key_id);

  for (const auto& creds : {oidc.credentials, role.credentials, chained.credentials}) {
    auto client = rig.cluster_client(std::make_shared<FixedCredentialsProvider>(creds));
    auto listed = rig.run(client.list_ray_clusters("w-sts1"));
    CHECK_MESSAGE(listed.ok(), (listed.ok() ? "" : listed.failure().message));
  }
}

TEST_CASE("refusals name the STS operation, the code and the request id, never the token or secret") {
  Rig rig;
  OidcRoleParams bad = kOidc;
  bad.oidc_token = "eyJ.refused-token-value.sig";
  const auto refused = rig.failure(rig.sts->assume_role_with_oidc(bad, "OIDC role from the environment"));
  CHECK(refused.find("OIDC role from the environment: STS AssumeRoleWithOIDC failed") != std::string::npos);
  CHECK(refused.find("AuthenticationFail.OIDCToken.Invalid") != std::string::npos);
  CHECK(refused.find("RequestId -") == std::string::npos);
  CHECK(refused.find("RequestId ") != std::string::npos);
  CHECK(refused.find("refused-token-value") == std::string::npos);

  const Credentials wrong{"demo-access-key-id", "not-the-secret", "", "t"};
  const auto mismatch = rig.failure(rig.sts->assume_role(kRole, wrong, "profile 'x'"));
  CHECK(mismatch.find("STS AssumeRole failed") != std::string::npos);
  CHECK(mismatch.find("SignatureDoesNotMatch") != std::string::npos);
  CHECK(mismatch.find("not-the-secret") == std::string::npos);

  const Credentials unknown{"LTAI-unknown", "x", "", "t"};
  CHECK(rig.failure(rig.sts->assume_role(kRole, unknown, "p")).find("InvalidAccessKeyId.NotFound") !=
        std::string::npos);
  AssumeRoleParams bad_arn = kRole;
  bad_arn.role_arn = "role/deployer";
  CHECK(rig.failure(rig.sts->assume_role(bad_arn, kDemo, "p")).find("InvalidParameter.RoleArn") !=
        std::string::npos);
}

TEST_CASE("issued keys expire: the API answers InvalidSecurityToken.Expired, and so does STS") {
  Rig rig({"--sts-duration", "1"});
  const auto oidc = rig.run(rig.sts->assume_role_with_oidc(kOidc, "t"));
  CHECK(oidc.expiration <= std::chrono::system_clock::now() + 2s);
  std::this_thread::sleep_for(2100ms);
  auto client = rig.cluster_client(std::make_shared<FixedCredentialsProvider>(oidc.credentials));
  auto listed = rig.run(client.list_ray_clusters("w-sts2"));
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.failure().code == "InvalidSecurityToken.Expired");
  CHECK(listed.failure().http_status == 400);
  CHECK(
      rig.failure(rig.sts->assume_role(kRole, oidc.credentials, "p")).find("InvalidSecurityToken.Expired") !=
      std::string::npos);
}

TEST_CASE("a role provider renews before expiry: calls over several lifetimes keep working") {
  // Keys that live 4 s are renewed halfway, so 9 s of calls span at least two renewals,
  // with room for a slow (loaded or sanitized) machine.
  Rig rig({"--sts-duration", "4"});
  TempDir dir;
  dir.write("token", kToken + "\n");
  StsContext context;
  context.transport = rig.transport.get();
  context.endpoint_override = "127.0.0.1:" + std::to_string(rig.emulator.port);
  context.override_origin = "--sts-endpoint";
  context.clock = &rig.clock;
  context.random = &rig.random;
  CredentialPlan plan{"OIDC test", OidcRolePlan{kOidc, (dir.path() / "token").string(), {}}};
  std::get<OidcRolePlan>(plan.how).params.oidc_token.clear();
  auto provider = make_credentials_provider(plan, context);
  CHECK(provider->renews());
  auto client = rig.cluster_client(provider);
  const auto until = std::chrono::steady_clock::now() + 9s;
  int calls = 0;
  while (std::chrono::steady_clock::now() < until) {
    auto listed = rig.run(client.list_ray_clusters("w-sts3"));
    REQUIRE_MESSAGE(listed.ok(), listed.failure().message);
    ++calls;
    std::this_thread::sleep_for(100ms);
  }
  CHECK(calls > 15);
  CHECK(rig.emulator.process->output().find("AssumeRoleWithOIDC") == std::string::npos);  // nothing logged

  // The token file is read at every renewal: once it is gone, the next renewal says so.
  std::filesystem::remove(dir.path() / "token");
  provider->invalidate(rig.run(provider->credentials()).access_key_id);
  try {
    rig.run(provider->credentials());
    FAIL("expected an Error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("cannot read the OIDC token file") != std::string::npos);
  }
}

TEST_CASE("InvalidSecurityToken.Expired from the API renews the credentials and sends once more") {
  // The provider's clock stands still, so it never thinks the 1 s keys are due; only the
  // emulator's answer can tell the client that they expired.
  Rig rig({"--sts-duration", "1"});
  FixedClock frozen(std::chrono::system_clock::now());
  TempDir dir;
  dir.write("token", kToken);
  StsContext context;
  context.transport = rig.transport.get();
  context.endpoint_override = "127.0.0.1:" + std::to_string(rig.emulator.port);
  context.override_origin = "--sts-endpoint";
  context.clock = &frozen;
  context.random = &rig.random;
  CredentialPlan plan{"OIDC test", OidcRolePlan{kOidc, (dir.path() / "token").string(), {}}};
  auto provider = make_credentials_provider(plan, context);
  auto client = RayClusterClient(*rig.transport, Endpoint("127.0.0.1", rig.emulator.port), provider, frozen,
                                 rig.random);
  REQUIRE(rig.run(client.list_ray_clusters("w-sts4")).ok());
  std::this_thread::sleep_for(1500ms);
  auto listed = rig.run(client.list_ray_clusters("w-sts4"));
  CHECK_MESSAGE(listed.ok(), (listed.ok() ? "" : listed.failure().message));
  CHECK(dynamic_cast<RefreshingCredentialsProvider&>(*provider).fetches() == 2);
}
