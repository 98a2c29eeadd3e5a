#!/usr/bin/env node
// Sign-in with OpenID Connect, end to end (issue 11): Debian's Chromium, driven by
// playwright-core, clicks the provider's button on riusa's sign-in page, signs in at the real
// provider of oidc-provider.mjs, consents and lands back on riusa signed in. Then: the second
// sign-in reaches the same account, a person new to riusa gets an account, an existing account
// is not opened by an address the provider does not verify, and a tampered `state` is refused.
// axe-core checks every page kind visited.
//
//   node tests/browser/oidc.mjs --base http://127.0.0.1:PORT --data DATA_DIR --binary target/debug/riusa
//
// The server must be started with DATA_DIR and a configuration naming the provider `prova`
// with the label «Entra con il fornitore di prova» (scripts/test does both).

import { parseArgs } from 'node:util';

import { auditRows, axe, cli, finish, launch, newContext, signInWithPassword } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    data: { type: 'string' },
    binary: { type: 'string', default: 'target/debug/riusa' },
  },
});
if (!args.base || !args.data) {
  console.error('usage: node tests/browser/oidc.mjs --base URL --data DATA_DIR [--binary PATH]');
  process.exit(2);
}
const BASE = args.base;
const BUTTON = 'Entra con il fornitore di prova';
const ADMIN = { email: 'admin.oidc@riusa.test', password: 'girasole-lampione-trattore-oidc' };

const failures = [];
const problems = [];
const check = (ok, what) => {
  if (ok) console.log(`  ok: ${what}`);
  else failures.push(what);
};

cli(args.binary, args.data, ['accounts', 'add', ADMIN.email, '--name', 'Amministrazione OIDC', '--admin', '--password-stdin'], `${ADMIN.password}\n`);
// Mario already has an account (made by the operator, no password): his first sign-in with
// the provider, which verifies his address, links to it.
cli(args.binary, args.data, ['accounts', 'add', 'mario.bianchi@comune.orvieto.tr.it', '--name', 'Mario Bianchi', '--organization', 'c_g148', '--role', 'member']);

const browser = await launch();
try {
  const admin = await newContext(browser, problems);
  const adminPage = await admin.newPage();
  await signInWithPassword(adminPage, BASE, ADMIN.email, ADMIN.password);
  // Counted from here, so that a run against a server used before still checks its own events.
  const total = async (action, needle) =>
    (await auditRows(admin, BASE, action)).filter((row) => !needle || row.includes(needle)).length;
  const baseline = {};
  for (const [action, needle] of [['account.oidc_link', 'prova'], ['session.sign_in', 'oidc'], ['account.create', 'oidc'], ['session.sign_in_failed', 'bad_state']]) {
    baseline[`${action} ${needle}`] = await total(action, needle);
  }
  const count = async (action, needle) => (await total(action, needle)) - baseline[`${action} ${needle}`];

  console.log('\n== first sign-in links the existing account');
  const mario = await newContext(browser, problems);
  const page = await mario.newPage();
  await page.goto(new URL('/accedi', BASE).href);
  await axe(page, '/accedi', failures);
  await signInAtProvider(page, 'mario.bianchi');
  check(new URL(page.url()).origin === new URL(BASE).origin, `back on riusa (${page.url()})`);
  check((await headerName(page)) === 'Mario Bianchi', 'the header shows «Mario Bianchi»');
  await axe(page, new URL(page.url()).pathname, failures);
  check((await count('account.oidc_link', 'prova')) === 1, 'the identity was linked once (account.oidc_link)');
  check((await count('session.sign_in', 'oidc')) === 1, 'session.sign_in with method oidc');
  check((await count('account.create', 'oidc')) === 0, 'no account was created');

  console.log('\n== the second sign-in reaches the same account');
  await page.getByRole('button', { name: 'Esci' }).click();
  await page.waitForLoadState('load');
  check((await headerName(page)) === null, 'signed out');
  await page.goto(new URL('/accedi', BASE).href);
  await signInAtProvider(page, 'mario.bianchi');
  check((await headerName(page)) === 'Mario Bianchi', 'signed in again as «Mario Bianchi»');
  check((await count('session.sign_in', 'oidc')) === 2, 'two sign-ins with method oidc');
  check((await count('account.oidc_link', 'prova')) === 1, 'no second link');
  const accounts = cli(args.binary, args.data, ['accounts', 'list']);
  check((accounts.match(/mario\.bianchi@comune\.orvieto\.tr\.it/g) ?? []).length === 1, 'one account for Mario');

  console.log('\n== a person new to riusa gets an account');
  const lucia = await (await newContext(browser, problems)).newPage();
  await lucia.goto(new URL('/accedi', BASE).href);
  await signInAtProvider(lucia, 'lucia.verdi');
  check((await headerName(lucia)) === 'Lucia Verdi', 'the header shows «Lucia Verdi»');
  check((await count('account.create', 'oidc')) === 1, 'account.create with method oidc');
  await adminPage.goto(new URL('/amministrazione/registro?azione=session.sign_in', BASE).href);
  await axe(adminPage, '/amministrazione/registro', failures);
  await adminPage.goto(new URL('/amministrazione/account', BASE).href);
  await axe(adminPage, '/amministrazione/account', failures);

  console.log('\n== an address the provider does not verify opens no existing account');
  const paola = await (await newContext(browser, problems)).newPage();
  await paola.goto(new URL('/accedi', BASE).href);
  const refused = await signInAtProvider(paola, 'non.verificata');
  check(refused?.status() === 403, `refused with 403 (got ${refused?.status()})`);
  check(await paola.getByText('il sistema di accesso non conferma').isVisible(), 'the page says why');
  await axe(paola, 'errore di accesso con OpenID Connect', failures);
  check((await headerName(paola)) === null, 'not signed in');

  console.log('\n== a tampered state is refused');
  const eve = await (await newContext(browser, problems)).newPage();
  await eve.goto(new URL('/accedi', BASE).href);
  // Playwright routes only the first request of a redirect chain; the provider's redirect to
  // riusa is not one, so Chromium's own interception holds it and keeps its URL.
  let callback;
  const cdp = await eve.context().newCDPSession(eve);
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/accedi/oidc/prova/ritorno?*', requestStage: 'Request' }] });
  cdp.on('Fetch.requestPaused', async ({ requestId, request }) => {
    callback = request.url;
    await cdp.send('Fetch.failRequest', { requestId, errorReason: 'Aborted' });
  });
  await signInAtProvider(eve, 'lucia.verdi', { expectReturn: false });
  for (let i = 0; i < 40 && !callback; i++) await eve.waitForTimeout(250);
  await cdp.send('Fetch.disable');
  check(!!callback, 'the provider sent the browser back with a code and a state');
  if (callback) {
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
    const answer = await eve.goto(tampered.href);
    check(answer?.status() === 400, `a tampered state answers 400 (got ${answer?.status()})`);
    check(await eve.getByText('non è valida o è scaduta').isVisible(), 'the page says the request is not valid');
    check((await headerName(eve)) === null, 'not signed in with a tampered state');
    check((await count('session.sign_in_failed', 'bad_state')) >= 1, 'the refusal is audited (bad_state)');
    // The same return, untouched, still works: the state was the only thing wrong.
    await eve.goto(callback);
    check((await headerName(eve)) === 'Lucia Verdi', 'the untouched return signs in');
  }
} catch (err) {
  failures.push(`error: ${err.stack ?? err.message}`);
} finally {
  await browser.close();
}
finish('oidc', failures, problems);

/**
 * From riusa's sign-in page: the provider's button, its login form and its consent (each only
 * when the provider asks), back to riusa. Returns riusa's answer to the return.
 */
async function signInAtProvider(page, login, { expectReturn = true } = {}) {
  const returned = expectReturn
    ? page
        .waitForResponse((r) => r.url().includes('/accedi/oidc/prova/ritorno'), { timeout: 20_000 })
        .catch(() => null)
    : Promise.resolve(null);
  await page.getByRole('link', { name: BUTTON }).click();
  const provider = new URL(page.url()).origin;
  for (let i = 0; i < 3 && new URL(page.url()).origin === provider; i++) {
    const loginField = page.locator('input[name="login"]');
    if (await loginField.isVisible().catch(() => false)) {
      await loginField.fill(login);
      await page.locator('input[name="password"]').fill('una-password-qualsiasi');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign-in' }).click()]);
    } else if (await page.getByRole('button', { name: 'Continue' }).isVisible().catch(() => false)) {
      await Promise.all([
        page.waitForNavigation().catch(() => null),
        page.getByRole('button', { name: 'Continue' }).click(),
      ]);
    } else {
      await page.waitForLoadState('load');
    }
  }
  const response = await returned;
  if (expectReturn) await page.waitForLoadState('load');
  return response;
}

/** The name in the header's profile link, or null when nobody is signed in. */
async function headerName(page) {
  const link = page.locator('header a[href="/profilo"]');
  if ((await link.count()) === 0) return null;
  return (await link.first().innerText()).replace('Profilo di', '').trim();
}
