// Verifies attestation tokens with the npm `jose` library the way a relying party would: OIDC discovery, then the
// JWKS at jwks_uri, then jwtVerify with RS256 only. Input: a JSON file
//   {"baseUrl": "...", "issuer": "...", "currentDate": <epoch seconds>, "tokens": [{"name", "token", "expect": "valid"|"invalid"}]}
// Prints one JSON line per token and exits non-zero if any outcome differs from its expectation.
import { readFile } from 'node:fs/promises';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';

const input = JSON.parse(await readFile(process.argv[2], 'utf8'));
const discovery = await (await fetch(new URL('/.well-known/openid-configuration', input.baseUrl))).json();
// jwks_uri names the configured issuer; the test server listens on a random port, so keep its path, use our base.
if (!discovery.jwks_uri.startsWith(`${discovery.issuer}/`)) throw new Error(`jwks_uri ${discovery.jwks_uri} is not under the issuer`);
const jwks = createRemoteJWKSet(new URL(new URL(discovery.jwks_uri).pathname, input.baseUrl));

let failures = 0;
for (const t of input.tokens) {
  let outcome;
  try {
    const { payload, protectedHeader } = await jwtVerify(t.token, jwks, {
      issuer: discovery.issuer,
      algorithms: ['RS256'],
      currentDate: new Date(input.currentDate * 1000),
    });
    outcome = { name: t.name, valid: true, kid: protectedHeader.kid, jku: protectedHeader.jku,
      attestationType: payload['x-ms-attestation-type'], claims: Object.keys(payload).length };
  } catch (e) {
    let header = null;
    try { header = decodeProtectedHeader(t.token); } catch { /* not a JWS */ }
    outcome = { name: t.name, valid: false, error: e.code ?? e.message, alg: header?.alg };
  }
  if (outcome.valid !== (t.expect === 'valid')) failures++;
  console.log(JSON.stringify(outcome));
}
if (discovery.issuer !== input.issuer) {
  console.log(JSON.stringify({ error: `issuer ${discovery.issuer} != ${input.issuer}` }));
  failures++;
}
process.exit(failures === 0 ? 0 : 1);
