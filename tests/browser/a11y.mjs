#!/usr/bin/env node
// Browser checks for riusa pages: HTTP status, failed requests, console errors,
// axe-core (WCAG 2.0/2.1 A and AA) and a basic keyboard check (the first Tab
// focuses a visible "skip to content" link that works).
//
//   node tests/browser/a11y.mjs --base http://127.0.0.1:PORT --paths tests/browser/paths.txt [--screenshots DIR]
//   (from web/: npm run a11y -- --base http://127.0.0.1:PORT)
//
// Paths file (default: paths.txt next to this script): one path per line, `#`
// starts a comment; a line may end with the expected HTTP status (e.g.
// `/non-esiste 404`), otherwise any 2xx passes.
// Needs Debian's Chromium (scripts/install-chromium.sh) and `npm ci` in web/.
// Exits 1 if any page has a violation or failure.

import { createRequire } from 'node:module';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const VIEWPORT = { width: 1280, height: 900 };
const TIMEOUT_MS = 30_000;

// node_modules live in web/, not next to this script.
const HERE = dirname(fileURLToPath(import.meta.url));
const WEB_DIR = resolve(HERE, '../../web');
const requireFromWeb = createRequire(join(WEB_DIR, 'package.json'));

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    paths: { type: 'string', default: join(HERE, 'paths.txt') },
    screenshots: { type: 'string' },
  },
});
if (!args.base) {
  console.error('usage: node tests/browser/a11y.mjs --base http://127.0.0.1:PORT [--paths FILE] [--screenshots DIR]');
  process.exit(2);
}

let puppeteer, axeSource;
try {
  puppeteer = requireFromWeb('puppeteer-core');
  axeSource = await readFile(requireFromWeb.resolve('axe-core/axe.min.js'), 'utf8');
} catch (err) {
  console.error(`cannot load puppeteer-core / axe-core from ${WEB_DIR}/node_modules: run \`npm ci\` in web/ (${err.message})`);
  process.exit(2);
}

const pages = (await readFile(args.paths, 'utf8'))
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter(Boolean)
  .map((line) => {
    const [path, status] = line.split(/\s+/);
    return { path, expectedStatus: status ? Number(status) : null };
  });
if (pages.length === 0) {
  console.error(`no paths in ${args.paths}`);
  process.exit(2);
}
if (args.screenshots) await mkdir(args.screenshots, { recursive: true });

const profile = await mkdtemp(join(tmpdir(), 'riusa-a11y-')); // fresh profile for every run
let browser;
try {
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    ignoreDefaultArgs: true, // exactly these flags
    pipe: true,
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, 'about:blank'],
  });
} catch (err) {
  await rm(profile, { recursive: true, force: true });
  console.error(`cannot start ${CHROMIUM} (scripts/install-chromium.sh installs it): ${err.message}`);
  process.exit(2);
}

const summaries = [];
try {
  for (const entry of pages) {
    summaries.push(await checkPage(entry));
  }
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
}

console.log('\nSummary');
for (const line of summaries) console.log(line);
const failed = summaries.filter((line) => line.startsWith('FAIL')).length;
console.log(`${summaries.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

async function checkPage({ path, expectedStatus }) {
  const url = new URL(path, args.base).href;
  const problems = []; // failures other than axe violations
  const page = await browser.newPage();
  await page.setViewport(VIEWPORT);
  page.setDefaultTimeout(TIMEOUT_MS);

  page.on('console', (msg) => {
    // "Failed to load resource" repeats, without the URL, a failure reported
    // below (or the page's own status, checked after goto()).
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? 'unknown error'})`);
  });
  page.on('response', (res) => {
    const status = res.status();
    // The page's own status is checked after goto(); this catches its resources.
    if (status >= 400 && !res.request().isNavigationRequest()) problems.push(`HTTP ${status}: ${res.url()}`);
  });

  let violations = [];
  let review = []; // axe "incomplete": could not decide, a person should look
  let skip = 'not checked';
  console.log(`\n== ${path}`);
  try {
    const response = await page.goto(url, { waitUntil: ['load', 'networkidle0'] });
    const status = response?.status() ?? 0;
    const statusOk = expectedStatus ? status === expectedStatus : status >= 200 && status < 300;
    if (!statusOk) problems.push(`HTTP status ${status} (expected ${expectedStatus ?? '2xx'})`);
    await page.evaluate(() => document.fonts.ready);

    await page.evaluate(axeSource); // CDP evaluation is not subject to the page's CSP
    const results = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] }),
      AXE_TAGS,
    );
    violations = results.violations;
    review = results.incomplete;

    if (args.screenshots) {
      const name = path.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'index';
      await page.screenshot({ path: join(args.screenshots, `${name.replace(/\.html?$/, '')}.png`), fullPage: true });
    }

    skip = await checkSkipLink(page);
    if (skip !== 'ok') problems.push(`keyboard: ${skip}`);
  } catch (err) {
    problems.push(`error: ${err.message}`);
  } finally {
    await page.close();
  }

  for (const v of violations) {
    console.log(`  [${v.impact}] ${v.id}: ${v.help}`);
    console.log(`    ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 5)) {
      console.log(`    at ${node.target.join(' ')}`);
      console.log(`       ${node.html.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    if (v.nodes.length > 5) console.log(`    … and ${v.nodes.length - 5} more`);
  }
  if (review.length) {
    const list = review.map((r) => `${r.id} ×${r.nodes.length}`).join(', ');
    console.log(`  needs review (axe could not decide, not a failure): ${list}`);
  }
  const uniqueProblems = [...new Set(problems)];
  for (const problem of uniqueProblems) console.log(`  ${problem}`);

  const ok = violations.length === 0 && uniqueProblems.length === 0;
  const nodes = violations.reduce((n, v) => n + v.nodes.length, 0);
  return (
    `${ok ? 'PASS' : 'FAIL'} ${path}: ${violations.length} axe violations (${nodes} nodes), ` +
    `${uniqueProblems.length} other failures, skip link ${skip === 'ok' ? 'ok' : 'FAILED'}`
  );
}

// First Tab must focus a visible link to an element of the page whose text
// talks about the content ("Vai al contenuto", "Salta al contenuto", "Skip to
// content"); following it and pressing Tab again must land inside the target.
async function checkSkipLink(page) {
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { error: 'first Tab focused nothing' };
    const text = (el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
    const href = el.getAttribute('href') || '';
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      text,
      href,
      targetExists: href.startsWith('#') && href.length > 1 && !!document.getElementById(href.slice(1)),
      visible:
        rect.width >= 8 && rect.height >= 8 && rect.bottom > 0 && rect.top < innerHeight &&
        style.visibility !== 'hidden' && Number(style.opacity) > 0,
    };
  });
  if (first.error) return first.error;
  const what = `<${first.tag} href="${first.href}">${first.text}</${first.tag}>`;
  if (first.tag !== 'a' || !/contenut|content/i.test(first.text)) return `first Tab focused ${what}, not a "skip to content" link`;
  if (!first.targetExists) return `skip link ${what} points to no element of the page`;
  if (!first.visible) return `skip link ${what} is not visible when focused`;

  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const inside = await page.evaluate((id) => {
    const target = document.getElementById(id);
    const el = document.activeElement;
    return { ok: !!el && el !== document.body && target.contains(el), tag: el?.tagName.toLowerCase(), text: el?.textContent?.trim().slice(0, 60) };
  }, first.href.slice(1));
  if (!inside.ok) return `after following the skip link, Tab focused <${inside.tag}> "${inside.text}" outside ${first.href}`;
  return 'ok';
}
