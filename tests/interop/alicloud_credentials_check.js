// Checks provision-emulator's STS with Alibaba's official Node package @alicloud/credentials,
// used as a user would: the default chain with the OIDC variables, and a RamRoleArn credential
// with the emulator's demo key. Run it with the package installed (npm install
// @alicloud/credentials) and, for the emulator's CA, NODE_EXTRA_CA_CERTS=<data-dir>/ca.pem:
//
//   STS_ENDPOINT=127.0.0.1:8443 ALIBABA_CLOUD_ROLE_ARN=acs:ram::1:role/ci \
//   ALIBABA_CLOUD_OIDC_PROVIDER_ARN=acs:ram::1:oidc-provider/ci ALIBABA_CLOUD_OIDC_TOKEN_FILE=token \
//   NODE_EXTRA_CA_CERTS=ca.pem node tests/interop/alicloud_credentials_check.js
//
// Prints one line per provider (never a secret) and exits 0 when both got STS keys.
'use strict';

const Credential = require('@alicloud/credentials');
const { Config } = Credential;
const Client = Credential.default;

function describe(name, c) {
  const ok = c && typeof c.accessKeyId === 'string' && c.accessKeyId.startsWith('STS.') &&
    typeof c.accessKeySecret === 'string' && c.accessKeySecret.length > 0 &&
    typeof c.securityToken === 'string' && c.securityToken.length > 0;
  console.log(`${name}: ${ok ? 'ok' : 'FAILED'} (type ${c && c.type}, key ${c && c.accessKeyId})`);
  return ok;
}

async function main() {
  const endpoint = process.env.STS_ENDPOINT;
  if (!endpoint) throw new Error('set STS_ENDPOINT=127.0.0.1:PORT');
  let ok = true;

  // 1. OIDC: the same environment variables a CI job has, through an explicit oidc_role_arn
  //    config (the default chain has no STS endpoint setting other than this one).
  const oidc = new Client(new Config({
    type: 'oidc_role_arn',
    roleArn: process.env.ALIBABA_CLOUD_ROLE_ARN,
    oidcProviderArn: process.env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN,
    oidcTokenFilePath: process.env.ALIBABA_CLOUD_OIDC_TOKEN_FILE,
    roleSessionName: 'node-oidc',
    stsEndpoint: endpoint,
  }));
  ok = describe('oidc_role_arn', await oidc.getCredential()) && ok;

  // 2. RamRoleArn: AssumeRole signed (V1 HMAC-SHA1) with the emulator's demo key.
  const ram = new Client(new Config({
    type: 'ram_role_arn',
    accessKeyId: process.env.SOURCE_ACCESS_KEY_ID || 'demo-access-key-id',
    accessKeySecret: process.env.SOURCE_ACCESS_KEY_SECRET || 'demo-access-key-secret',
    roleArn: process.env.ALIBABA_CLOUD_ROLE_ARN,
    roleSessionName: 'node-ram',
    stsEndpoint: endpoint,
  }));
  ok = describe('ram_role_arn', await ram.getCredential()) && ok;

  // 3. A refused token must fail with STS's code.
  if (process.env.REFUSED_TOKEN_FILE) {
    const refused = new Client(new Config({
      type: 'oidc_role_arn',
      roleArn: process.env.ALIBABA_CLOUD_ROLE_ARN,
      oidcProviderArn: process.env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN,
      oidcTokenFilePath: process.env.REFUSED_TOKEN_FILE,
      roleSessionName: 'node-refused',
      stsEndpoint: endpoint,
    }));
    try {
      await refused.getCredential();
      console.log('refused token: FAILED (accepted)');
      ok = false;
    } catch (e) {
      const coded = String(e.message).includes('AuthenticationFail.OIDCToken.Invalid');
      console.log(`refused token: ${coded ? 'ok' : 'FAILED'} (rejected${coded ? ' with AuthenticationFail.OIDCToken.Invalid' : ''})`);
      ok = coded && ok;
    }
  }
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.log(`error: ${e && e.message}`);
  process.exit(1);
});
