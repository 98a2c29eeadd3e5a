#!/usr/bin/env node
// A real OpenID Connect provider for the browser tests (oidc-provider from npm): one
// confidential client that must use PKCE, and oidc-provider's development interaction, which
// accepts any login and password and then asks for consent. It stands in for the SPID/CIE
// broker of issue 11, so its claims use a broker's names: `fiscalNumber` besides `email`,
// `email_verified` and `name`.
//
//   node tests/browser/oidc-provider.mjs --port 18091 --redirect http://127.0.0.1:18090/accedi/oidc/prova/ritorno
//
// Prints "ready" when it listens. Logins it knows (any other login gets <login>@example.it):
//   mario.bianchi  Mario Bianchi, mario.bianchi@comune.orvieto.tr.it, verified
//   lucia.verdi    Lucia Verdi, lucia.verdi@comune.orvieto.tr.it, verified
//   non.verificata Paola Neri, the email of mario.bianchi but NOT verified

import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const requireFromWeb = createRequire(join(resolve(HERE, '../../web'), 'package.json'));
const { default: Provider } = await import(requireFromWeb.resolve('oidc-provider'));

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '18091' },
    redirect: { type: 'string' },
    'client-id': { type: 'string', default: 'riusa' },
    'client-secret': { type: 'string', default: 'segreto-di-prova-riusa' },
  },
});
if (!args.redirect) {
  console.error('usage: node tests/browser/oidc-provider.mjs --port PORT --redirect URL');
  process.exit(2);
}

const PEOPLE = {
  'mario.bianchi': { name: 'Mario Bianchi', email: 'mario.bianchi@comune.orvieto.tr.it', email_verified: true },
  'lucia.verdi': { name: 'Lucia Verdi', email: 'lucia.verdi@comune.orvieto.tr.it', email_verified: true },
  'non.verificata': { name: 'Paola Neri', email: 'mario.bianchi@comune.orvieto.tr.it', email_verified: false },
};

function person(login) {
  return PEOPLE[login] ?? { name: login, email: `${login}@example.it`, email_verified: true };
}

// A made-up fiscal number: riusa must neither store nor log it (the test greps for it).
export const FAKE_FISCAL_NUMBER = 'BNCMRA80A01H501U';

const issuer = `http://127.0.0.1:${args.port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: [args.redirect],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // riusa must send a PKCE challenge even though it is a confidential client.
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'fiscalNumber'],
  },
  // The claims in the ID token, as brokers do (riusa also reads userinfo when they are not).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['chiave-dei-cookie-di-prova'] },
  async findAccount(_ctx, login) {
    return {
      accountId: login,
      async claims() {
        return { sub: login, ...person(login), fiscalNumber: `TINIT-${FAKE_FISCAL_NUMBER}` };
      },
    };
  },
});
provider.on('server_error', (_ctx, err) => console.error('provider error:', err));

provider.listen(Number(args.port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
