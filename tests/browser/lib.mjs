// Shared by the Playwright scripts of tests/browser: Debian's Chromium driven by
// playwright-core (never a browser download), axe-core on every page visited, the riusa CLI,
// the audit trail as an admin reads it, and the emails the server writes to DATA_DIR/posta/.

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '../..');
const requireFromWeb = createRequire(join(ROOT, 'web/package.json'));

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium tries hosts this machine cannot reach.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let axeSource;

export async function launch() {
  const { chromium } = requireFromWeb('playwright-core');
  axeSource ??= await readFile(requireFromWeb.resolve('axe-core/axe.min.js'), 'utf8');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** A browser context whose pages fail the run on console errors and failed requests. */
export async function newContext(browser, problems) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT' });
  context.setDefaultTimeout(15_000);
  context.on('page', (page) => watch(page, problems));
  return context;
}

function watch(page, problems) {
  page.on('pageerror', (err) => problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      problems.push(`console error on ${page.url()}: ${msg.text()}`);
    }
  });
}

/** Paths already checked by axe in this run (the same page kind is checked once). */
const checked = new Set();

/**
 * Runs axe-core (WCAG 2.1 AA) on the page as it is now; every violation is a failure of the
 * run. `kind` names the page kind (`/le-mie-schede/{id}/modifica`), so each is checked once per
 * signed-in state.
 */
export async function axe(page, kind, failures) {
  const key = `${kind} ${await page.evaluate(() => !!document.querySelector('form[action="/esci"]'))}`;
  if (checked.has(key)) return;
  checked.add(key);
  await page.evaluate(axeSource);
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  const signedIn = key.endsWith('true') ? 'con accesso' : 'senza accesso';
  if (results.violations.length === 0) {
    console.log(`  axe ok: ${kind} (${signedIn})`);
    return;
  }
  for (const v of results.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ');
    failures.push(`axe ${kind} (${signedIn}): [${v.impact}] ${v.id}: ${v.help} at ${where}`);
  }
}

/** Runs the riusa binary on the server's data folder (SQLite there, or RIUSA_DATABASE_URL). */
export function cli(binary, data, args, input) {
  return execFileSync(binary, ['--data', data, ...args], {
    input: input ?? '',
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Signs in with email and password in `page`. */
export async function signInWithPassword(page, base, email, password) {
  await page.goto(new URL('/accedi', base).href);
  await page.getByLabel('Indirizzo email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Accedi', exact: true }).click();
  await page.waitForLoadState('load');
}

/** The audit events with `action`, newest first, as the admin's CSV export gives them. */
export async function auditRows(adminContext, base, action) {
  const response = await adminContext.request.get(
    new URL(`/amministrazione/registro.csv?azione=${encodeURIComponent(action)}`, base).href,
  );
  if (!response.ok()) throw new Error(`registro.csv: HTTP ${response.status()}`);
  const [, ...lines] = (await response.text()).trim().split('\n');
  return lines.filter(Boolean);
}

/**
 * The newest email to `to` under DATA_DIR/posta/ whose text matches `pattern`, waiting up to
 * `timeoutMs` for the mail job to write it; returns its decoded text.
 */
export async function waitForEmail(data, to, pattern, timeoutMs = 15_000) {
  const folder = join(data, 'posta');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let names = [];
    try {
      names = (await readdir(folder)).filter((n) => n.endsWith('.eml'));
    } catch {
      // not written yet
    }
    for (const name of names.sort().reverse()) {
      const text = decodeEmail(await readFile(join(folder, name), 'utf8'));
      if (text.includes(to) && pattern.test(text)) return text;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no email to ${to} matching ${pattern} in ${folder} after ${timeoutMs} ms`);
}

/** Headers and bodies, quoted-printable and base64 parts decoded, good enough to find links. */
function decodeEmail(raw) {
  const unfolded = raw.replace(/=\r?\n/g, '');
  const qp = unfolded.replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  const b64 = [...raw.matchAll(/\r?\n\r?\n([A-Za-z0-9+/=\r\n]{40,})/g)]
    .map((m) => {
      try {
        return Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
  return `${unfolded}\n${Buffer.from(qp, 'latin1').toString('utf8')}\n${b64}`;
}

/** The first link in `text` to `path` on the site (e.g. `/invito/`), as a path. */
export function linkIn(text, path) {
  const match = text.match(new RegExp(`https?://[^\\s"<>]+${path}[^\\s"<>]*`));
  if (!match) throw new Error(`no link to ${path} in the email`);
  return new URL(match[0]).pathname;
}

/** Fails the run with every problem collected, or reports success. */
export function finish(name, failures, problems) {
  const all = [...failures, ...new Set(problems)];
  for (const f of all) console.log(`  FAIL ${f}`);
  console.log(`${name}: ${all.length === 0 ? 1 : 0} passed, ${all.length === 0 ? 0 : 1} failed`);
  process.exit(all.length === 0 ? 0 : 1);
}
