// Known secret values (access key secret, STS token, a Redis password set through ${VAR} or
// written literally) go through every CLI command that exists, in text and JSON, on success
// and on error paths; none may appear in stdout, stderr or any file the command leaves in
// its working directory (where the state file and its backup live by default).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "provision_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace provision::test;

namespace {

const std::string kExamples = std::string(PROVISION_SOURCE_DIR) + "/specs/examples";

// Distinctive values, and fragments of them, so a truncated or partial leak is caught too.
const std::string kAccessKeyId = "LTAI5tSecretsTestKeyId";
const std::string kAccessKeySecret = "Sekr3t-AK-Secret-7f3e91c4";
const std::string kSecurityToken = "Sekr3t-STS-Token-4b2d08aa+/=";
const std::string kRedisPassword = "Sekr3t-Redis-Pw-9c1a55e0";
const std::string kNumericRedisPassword = "99887766554433";  // re-typed to an integer by ${VAR}
const std::string kLiteralRedisPassword = "Sekr3t-Literal-Pw-31d7b2";
const std::string kOidcToken =
    "eyJhbGciOiJSUzI1NiJ9.Sekr3t-OIDC-Token-e1f2.sig";  // an OIDC token file's content

const std::vector<std::string> kSecrets = {kAccessKeySecret,      "AK-Secret-7f3e", kSecurityToken,
                                           "STS-Token-4b2d",      kRedisPassword,   "Redis-Pw-9c1a",
                                           kNumericRedisPassword, "887766554433",   kLiteralRedisPassword,
                                           "Literal-Pw-31d7",     kOidcToken,       "OIDC-Token-e1f2"};

RunOptions secret_env(const TempDir& cwd, const std::string& redis_password = kRedisPassword) {
  RunOptions o;
  o.cwd = cwd.path().string();
  o.env = {{"HOME", cwd.path().string()},
           {"ALIBABA_CLOUD_ACCESS_KEY_ID", kAccessKeyId},
           {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", kAccessKeySecret},
           {"ALIBABA_CLOUD_SECURITY_TOKEN", kSecurityToken},
           {"REDIS_PASSWORD", redis_password}};
  o.unset_env = {"ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_ECS_METADATA",
                 "ALIBABA_CLOUD_CREDENTIALS_URI",  "RAY_WORKERS",           "REDIS_URL"};
  return o;
}

void require_clean(const std::string& what, const std::string& text) {
  for (const auto& secret : kSecrets) {
    INFO(what << " must not contain '" << secret << "':\n" << text);
    CHECK(text.find(secret) == std::string::npos);
  }
}

// Every regular file under `dir` except the inputs the test wrote itself (a name, or a
// folder prefix ending in '/').
void require_clean_files(const TempDir& dir, const std::vector<std::string>& inputs) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file()) continue;
    const std::string name = std::filesystem::relative(entry.path(), dir.path()).string();
    const bool input = std::any_of(inputs.begin(), inputs.end(), [&](const std::string& skip) {
      return name == skip || (!skip.empty() && skip.back() == '/' && name.rfind(skip, 0) == 0);
    });
    if (input) continue;
    require_clean("file " + name, read_file(entry.path()));
  }
}

// Runs `args` in `cwd` with the secrets in the environment, in text and in JSON output, and
// checks stdout, stderr and the files left behind. Returns the text run's exit code.
int run_both_formats(const TempDir& cwd, std::vector<std::string> args,
                     const std::vector<std::string>& inputs,
                     const std::string& redis_password = kRedisPassword) {
  int text_exit = -1;
  for (const char* format : {"text", "json"}) {
    std::vector<std::string> argv = {PROVISION_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--output", format});
    RunResult r = run(argv, secret_env(cwd, redis_password));
    INFO("command: provision " << args.front() << " --output " << format);
    CHECK(r.signal == 0);
    require_clean("stdout", r.out);
    require_clean("stderr", r.err);
    if (std::string(format) == "text") text_exit = r.exit_code;
  }
  require_clean_files(cwd, inputs);
  return text_exit;
}

const std::string kSpecHead =
    "apiVersion: provision/v1\n"
    "kind: RayCluster\n"
    "metadata: {name: secret-test, workspaceId: w-d2d82aa09155, regionId: cn-hangzhou}\n"
    "spec:\n"
    "  displayReleaseVersion: \"ray-1.0.0 (Ray 2.47.1, Python 3.12)\"\n"
    "  workerSpec:\n"
    "    - {groupName: g1, workerType: CPU, replica: 1, queueName: root_queue, cpu: 4, memory: 16Gi}\n"
    "  headSpec:\n"
    "    queueName: root_queue\n"
    "    cpu: 2\n"
    "    memory: 8Gi\n"
    "    gftEnabled: true\n";

// gftConfig as a flow mapping on one line, so an error in `extra` is shown with the
// password's line (quote `password_field`: ${...} is not a plain scalar inside a flow).
std::string spec_with_gft_line(const std::string& password_field, const std::string& extra) {
  return kSpecHead + "    gftConfig: {redisUrl: \"10.0.0.1:6379\", redisPassword: " + password_field + extra +
         "}\n";
}

// gftConfig as a block mapping, where an unquoted ${VAR} is re-typed after expansion.
std::string spec_with_gft_block(const std::string& password_field) {
  return kSpecHead +
         "    gftConfig:\n      redisUrl: \"10.0.0.1:6379\"\n      redisPassword: " + password_field + "\n";
}

}  // namespace

TEST_CASE("validate: valid examples, no secret in any output") {
  TempDir cwd;
  CHECK(run_both_formats(cwd, {"validate", kExamples}, {}) == 0);
}

TEST_CASE("apply --dry-run: the exact requests, with the password redacted") {
  TempDir cwd;
  CHECK(run_both_formats(cwd, {"apply", "--dry-run", kExamples}, {}) == 0);
  // The redaction is really exercised: the password is in the body that would be sent.
  auto r = run({PROVISION_BINARY, "apply", "--dry-run", kExamples + "/staging.yaml"}, secret_env(cwd));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\"redisPassword\":\"***\"") != std::string::npos);
}

TEST_CASE("invalid specs: diagnostics quote lines and values, never the password") {
  TempDir cwd;
  SUBCASE("an unknown key on the password's line, password through ${VAR}") {
    cwd.write("spec.yaml", spec_with_gft_line("\"${REDIS_PASSWORD}\"", ", redisPasswrd: x"));
    CHECK(run_both_formats(cwd, {"validate", "spec.yaml"}, {"spec.yaml"}) != 0);
    CHECK(run_both_formats(cwd, {"apply", "--dry-run", "spec.yaml"}, {"spec.yaml"}) != 0);
  }
  SUBCASE("a numeric password through ${VAR} becomes an integer: the type error must not echo it") {
    cwd.write("spec.yaml", spec_with_gft_block("${REDIS_PASSWORD}"));
    CHECK(run_both_formats(cwd, {"validate", "spec.yaml"}, {"spec.yaml"}, kNumericRedisPassword) != 0);
    // The same spec is valid with a textual password: the failure above is the type check.
    CHECK(run_both_formats(cwd, {"validate", "spec.yaml"}, {"spec.yaml"}) == 0);
  }
  SUBCASE("a literal password on a line with an error is redacted in the caret display") {
    cwd.write("spec.yaml", spec_with_gft_line("\"" + kLiteralRedisPassword + "\"", ", bogus: 1"));
    CHECK(run_both_formats(cwd, {"validate", "spec.yaml"}, {"spec.yaml"}) != 0);
  }
  SUBCASE("the spec on stdin") {
    RunOptions o = secret_env(cwd);
    o.stdin_data = spec_with_gft_line("\"${REDIS_PASSWORD}\"", ", bogus: [1");
    auto r = run({PROVISION_BINARY, "validate", "-"}, o);
    CHECK(r.exit_code != 0);
    require_clean("stdout", r.out);
    require_clean("stderr", r.err);
  }
}

TEST_CASE("commands that talk to the API: transport errors print no secret") {
  // The endpoint is a closed local port: each command signs with the secrets and fails to
  // connect (status and destroy, with an empty state, may have nothing to send at all).
  TempDir cwd;
  const std::string closed = "127.0.0.1:9";
  CHECK(run_both_formats(cwd, {"plan", "--endpoint", closed, kExamples}, {}) != 0);
  CHECK(run_both_formats(cwd, {"apply", "--auto-approve", "--endpoint", closed, kExamples}, {}) != 0);
  run_both_formats(cwd, {"status", "--endpoint", closed}, {});
  run_both_formats(cwd, {"destroy", "--auto-approve", "--endpoint", closed, kExamples}, {});
}

TEST_CASE("missing credentials: the error names what is missing, not the values present") {
  TempDir cwd;
  RunOptions o = secret_env(cwd);
  o.env.erase("ALIBABA_CLOUD_ACCESS_KEY_ID");  // secret and token set, id missing
  o.unset_env.push_back("ALIBABA_CLOUD_ACCESS_KEY_ID");
  auto r = run({PROVISION_BINARY, "plan", "--endpoint", "127.0.0.1:9", kExamples}, o);
  CHECK(r.exit_code != 0);
  require_clean("stdout", r.out);
  require_clean("stderr", r.err);
}

TEST_CASE("against provision-emulator: plan, apply, status, destroy store and print no secret") {
  EmulatedCloud cloud;
  cloud.dir().write("specs/gft.yaml", spec_with_gft_block("${REDIS_PASSWORD}"));
  const std::string demo_secret = "demo-access-key-secret";  // the emulator's key: the secret in use
  RunOptions o = cloud.options();
  o.env["REDIS_PASSWORD"] = kRedisPassword;
  auto check = [&](std::vector<std::string> args, const RunOptions& options) {
    std::vector<std::string> argv = {PROVISION_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto endpoint = cloud.endpoint_args();
    argv.insert(argv.end(), endpoint.begin(), endpoint.end());
    RunResult r = run(argv, options);
    INFO("command: provision " << args.front() << "\n" << r.out << r.err);
    CHECK(r.signal == 0);
    require_clean("stdout", r.out);
    require_clean("stderr", r.err);
    CHECK(r.out.find(demo_secret) == std::string::npos);
    CHECK(r.err.find(demo_secret) == std::string::npos);
    return r.exit_code;
  };
  for (const char* format : {"text", "json"}) {
    CHECK(check({"plan", "specs", "--output", format}, o) == 0);
    CHECK(check({"apply", "--dry-run", "specs", "--output", format}, o) == 0);
  }
  CHECK(check({"apply", "specs", "--auto-approve"}, o) == 0);
  CHECK(check({"status"}, o) == 0);
  CHECK(check({"status", "--output", "json"}, o) == 0);
  CHECK(check({"plan", "specs", "--detailed-exitcode"}, o) == 0);  // created: nothing left to do
  CHECK(check({"apply", "specs", "--auto-approve", "--output", "json", "--refresh"}, o) == 0);
  // With an STS token the emulator's plain demo key is refused: an error path with a token.
  RunOptions sts = o;
  sts.env["ALIBABA_CLOUD_SECURITY_TOKEN"] = kSecurityToken;
  sts.unset_env.erase(std::remove(sts.unset_env.begin(), sts.unset_env.end(), "ALIBABA_CLOUD_SECURITY_TOKEN"),
                      sts.unset_env.end());
  check({"status"}, sts);
  CHECK(check({"destroy", "specs", "--auto-approve"}, o) == 0);

  REQUIRE(std::filesystem::exists(cloud.dir() / ".provision/state.json"));
  REQUIRE(std::filesystem::exists(cloud.access_log()));
  require_clean_files(cloud.dir(), {"specs/"});  // the emulator's data folder included
  for (const auto& file : {cloud.dir() / ".provision/state.json",
                           cloud.dir() / ".provision/state.json.journal", cloud.access_log()}) {
    CHECK(read_file(file).find(demo_secret) == std::string::npos);
  }
}

TEST_CASE("with the test's own STS key accepted: every command, the state commands too, keeps it secret") {
  TempDir keys;
  keys.write("keys", kAccessKeyId + ":" + kAccessKeySecret + ":" + kSecurityToken + "\n");
  EmulatedCloud cloud({"--access-keys", (keys / "keys").string()});
  cloud.dir().write("specs/gft.yaml", spec_with_gft_block("${REDIS_PASSWORD}"));
  RunOptions o = secret_env(cloud.dir());
  o.env["NO_COLOR"] = "1";
  auto check = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {PROVISION_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto endpoint = cloud.endpoint_args();
    argv.insert(argv.end(), endpoint.begin(), endpoint.end());
    RunResult r = run(argv, o);
    INFO("command: provision " << args.front() << " " << (args.size() > 1 ? args[1] : "") << "\n"
                               << r.out << r.err);
    CHECK(r.signal == 0);
    require_clean("stdout", r.out);
    require_clean("stderr", r.err);
    return r.exit_code;
  };
  for (const char* format : {"text", "json"}) {
    CHECK(check({"apply", "--dry-run", "specs", "--output", format}) == 0);
    CHECK(check({"plan", "specs", "--output", format}) == 0);
  }
  CHECK(check({"apply", "specs", "--auto-approve", "--output", "json"}) == 0);
  for (const char* format : {"text", "json"}) {
    CHECK(check({"status", "--output", format}) == 0);
    CHECK(check({"state", "list", "--output", format}) == 0);
    CHECK(check({"state", "show", "secret-test", "--output", format}) == 0);
    CHECK(check({"plan", "specs", "--refresh", "--output", format}) == 0);
  }
  // Forget the cluster and take it back by id: import checks it exists with the signed List.
  const std::string shown =
      run({PROVISION_BINARY, "state", "show", "secret-test", "--output", "json"}, o).out;
  const auto at = shown.find("\"clusterId\":\"");
  REQUIRE(at != std::string::npos);
  const std::string id = shown.substr(at + 13, shown.find('"', at + 13) - at - 13);
  CHECK(check({"state", "rm", "secret-test"}) == 0);
  CHECK(check({"state", "import", "secret-test", id, "specs"}) == 0);
  CHECK(check({"apply", "specs", "--auto-approve"}) == 0);  // no change
  CHECK(check({"destroy", "specs", "--auto-approve", "--output", "json"}) == 0);
  CHECK(check({"status"}) == 0);

  REQUIRE(cloud.requests("CreateRayCluster") == 1);  // the key really worked, once
  require_clean_files(cloud.dir(), {"specs/"});      // state, backup, lock, access log, emulator data
}

TEST_CASE("role credentials: the OIDC token, the source secret and issued STS keys are never shown") {
  TempDir inputs;
  inputs.write("oidc-tokens", kOidcToken + "\n");
  inputs.write("keys", kAccessKeyId + ":" + kAccessKeySecret + "\n");
  EmulatedCloud cloud({"--oidc-tokens", (inputs / "oidc-tokens").string(), "--access-keys",
                       (inputs / "keys").string(), "--sts-duration", "900"});
  cloud.dir().write("token", kOidcToken);
  cloud.dir().write(".aliyun/config.json",
                    R"({"current":"ram","profiles":[{"name":"ram","mode":"RamRoleArn","access_key_id":")" +
                        kAccessKeyId + R"(","access_key_secret":")" + kAccessKeySecret +
                        R"(","ram_role_arn":"acs:ram::1234567890:role/ci"}]})");
  cloud.dir().write("specs/gft.yaml", spec_with_gft_block("${REDIS_PASSWORD}"));
  const auto endpoint = cloud.endpoint_args();
  auto check = [&](bool oidc, std::vector<std::string> args) {
    RunOptions o = secret_env(cloud.dir());
    o.env.erase("ALIBABA_CLOUD_ACCESS_KEY_ID");
    o.env.erase("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    o.env.erase("ALIBABA_CLOUD_SECURITY_TOKEN");
    o.unset_env.insert(o.unset_env.end(), {"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                                           "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_CONFIG_FILE",
                                           "ALIBABA_CLOUD_STS_ENDPOINT"});
    if (oidc) {
      o.env["ALIBABA_CLOUD_ROLE_ARN"] = "acs:ram::1234567890:role/ci";
      o.env["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"] = "acs:ram::1234567890:oidc-provider/ci";
      o.env["ALIBABA_CLOUD_OIDC_TOKEN_FILE"] = (cloud.dir() / "token").string();
    } else {
      o.unset_env.insert(o.unset_env.end(), {"ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                                             "ALIBABA_CLOUD_OIDC_TOKEN_FILE"});
    }
    o.env["NO_COLOR"] = "1";
    std::vector<std::string> argv = {PROVISION_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), endpoint.begin(), endpoint.end());
    argv.insert(argv.end(), {"--sts-endpoint", endpoint[1]});
    RunResult r = run(argv, o);
    INFO("command: provision " << args.front() << "\n" << r.out << r.err);
    CHECK(r.signal == 0);
    require_clean("stdout", r.out);
    require_clean("stderr", r.err);
    // Issued security tokens start with CAIS (the emulator's form, like STS's).
    CHECK(r.out.find("CAIS") == std::string::npos);
    CHECK(r.err.find("CAIS") == std::string::npos);
    return r.exit_code;
  };
  for (const bool oidc : {true, false}) {
    for (const char* format : {"text", "json"}) {
      CHECK(check(oidc, {"apply", "--dry-run", "specs", "--output", format}) == 0);
      CHECK(check(oidc, {"plan", "specs", "--output", format}) == 0);
    }
  }
  CHECK(check(true, {"apply", "specs", "--auto-approve", "--output", "json"}) == 0);
  CHECK(check(false, {"status", "--output", "json"}) == 0);
  CHECK(check(false, {"destroy", "specs", "--auto-approve"}) == 0);
  // A refused token: the error names the code, never the token.
  cloud.dir().write("token", kOidcToken + "-refused");
  CHECK(check(true, {"plan", "specs"}) == 5);
  CHECK(cloud.requests("AssumeRoleWithOIDC") >= 4);
  CHECK(cloud.requests("AssumeRole") >= 4);
  require_clean_files(cloud.dir(), {"specs/", "token", ".aliyun/"});
}
