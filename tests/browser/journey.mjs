#!/usr/bin/env node
// The whole journey of a practice, in Debian's Chromium driven by playwright-core, against a
// real `riusa serve --demo` writing its emails to DATA_DIR/posta/ (no smtp_url):
//
//   the coordinator of Orvieto (made by the CLI) invites a colleague → the colleague accepts
//   from the email's link and sets a password → writes a draft in the practice form →
//   attaches a PDF → the coordinator submits → the editor asks for changes with a
//   remark on «Motivazione e obiettivi» → the colleague sees the remark and edits → the
//   coordinator resubmits (members cannot submit: docs/authorization.md) → the editor
//   publishes (the attachment with it) → the search page finds it within 2 seconds → edited again → two revisions
//   compared.
//
// axe-core (WCAG 2.1 AA) runs on every page kind visited, signed in and not; any violation,
// console error or failed step fails the run.
//
//   node tests/browser/journey.mjs --base http://127.0.0.1:PORT --data DATA_DIR --binary target/debug/riusa

import { parseArgs } from 'node:util';

import { axe, cli, finish, launch, linkIn, newContext, signInWithPassword, waitForEmail } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    data: { type: 'string' },
    binary: { type: 'string', default: 'target/debug/riusa' },
  },
});
if (!args.base || !args.data) {
  console.error('usage: node tests/browser/journey.mjs --base URL --data DATA_DIR [--binary PATH]');
  process.exit(2);
}
const BASE = args.base;
const url = (path) => new URL(path, BASE).href;

// One word of the title no demo practice has, so the search finds exactly this one; a run
// of its own, so the script can run twice against the same server.
const RUN = Array.from({ length: 7 }, () => 'bcdfghlmnprstvz'[Math.floor(Math.random() * 15)]).join('');
const TITLE = `Sportello digitale ${RUN} per le imprese`;
const PASSWORD = 'girasole-lampione-trattore-viaggio';
const COORDINATOR = { email: `referente.${RUN}@comune.orvieto.tr.it`, name: 'Rita Referente' };
const EDITOR = { email: `redazione.${RUN}@riusa.test`, name: 'Renzo Redattore' };
const COLLEAGUE = { email: `collega.${RUN}@comune.orvieto.tr.it`, name: 'Carla Collega' };

const failures = [];
const problems = [];
const check = (ok, what) => {
  if (ok) console.log(`  ok: ${what}`);
  else failures.push(what);
};
const step = (what) => console.log(`\n== ${what}`);

cli(args.binary, args.data, ['accounts', 'add', COORDINATOR.email, '--name', COORDINATOR.name, '--organization', 'c_g148', '--role', 'coordinator', '--password-stdin'], `${PASSWORD}\n`);
cli(args.binary, args.data, ['accounts', 'add', EDITOR.email, '--name', EDITOR.name, '--editor', '--password-stdin'], `${PASSWORD}\n`);

const browser = await launch();
try {
  /** Goes to `path` in `page` and checks the page kind with axe. */
  const visit = async (page, path, kind = path) => {
    const response = await page.goto(url(path));
    check(response?.ok(), `GET ${path} answers ${response?.status()}`);
    await axe(page, kind, failures);
    return response;
  };

  step('pages before signing in');
  const anonymous = await (await newContext(browser, problems)).newPage();
  for (const path of ['/accedi', '/registrati', '/password-dimenticata']) await visit(anonymous, path);
  await signInWithPassword(anonymous, BASE, COORDINATOR.email, 'una-password-sbagliata');
  check(await anonymous.getByText('Email o password non corretti').first().isVisible(), 'a wrong password is refused');
  await axe(anonymous, '/accedi con errore', failures);

  step('the coordinator invites a colleague');
  const coordinator = await (await newContext(browser, problems)).newPage();
  await signInWithPassword(coordinator, BASE, COORDINATOR.email, PASSWORD);
  check(coordinator.url().endsWith('/le-mie-schede'), `the coordinator lands on her practices (${coordinator.url()})`);
  await axe(coordinator, '/le-mie-schede', failures);
  await visit(coordinator, '/enti/c_g148/persone');
  await coordinator.getByLabel('Indirizzo email').fill(COLLEAGUE.email);
  // Only admins choose the role; a coordinator invites members.
  const member = coordinator.locator('label[for="ruolo-membro"]');
  if ((await member.count()) > 0) await member.click();
  await coordinator.getByRole('button', { name: "Invia l'invito" }).click();
  await coordinator.waitForLoadState('load');
  check(await coordinator.getByText(COLLEAGUE.email).first().isVisible(), 'the invitation is listed');
  await axe(coordinator, '/enti/c_g148/persone dopo l\'invito', failures);

  step('the colleague accepts from the email and sets a password');
  const email = await waitForEmail(args.data, COLLEAGUE.email, /\/invito\//);
  const invitation = linkIn(email, '/invito/');
  const colleague = await (await newContext(browser, problems)).newPage();
  await visit(colleague, invitation, '/invito/{token}');
  await colleague.getByLabel('Nome e cognome').fill(COLLEAGUE.name);
  await colleague.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await colleague.getByLabel('Ripeti la password').fill(PASSWORD);
  await colleague.getByRole('button', { name: "Crea l'account e accetta" }).click();
  await colleague.waitForLoadState('load');
  if (new URL(colleague.url()).pathname === '/accedi') {
    await signInWithPassword(colleague, BASE, COLLEAGUE.email, PASSWORD);
  }
  check(await colleague.getByRole('link', { name: COLLEAGUE.name }).isVisible(), 'the colleague is signed in');

  step('the colleague writes a draft');
  await visit(colleague, '/le-mie-schede/nuova');
  await colleague.getByRole('button', { name: 'Salva la bozza' }).click();
  await colleague.waitForLoadState('load');
  check(await colleague.locator('.is-invalid').first().isVisible(), 'an empty form is sent back with its errors');
  await axe(colleague, '/le-mie-schede/nuova con errori', failures);
  await colleague.getByLabel('Titolo', { exact: true }).fill(TITLE);
  await colleague.getByLabel('Sintesi').fill('Uno sportello unico digitale per le imprese del territorio.');
  // Bootstrap Italia draws the box on the label: a person clicks the label.
  await colleague.locator('label[for^="tema-"]').first().click();
  await colleague.locator('#ente-0').fill('c_g148');
  await colleague.getByLabel('Inizio').fill('2021-01-01');
  await colleague.getByLabel('Motivazione e obiettivi').fill('Le imprese dovevano rivolgersi a cinque uffici diversi.');
  await colleague.getByLabel('Attività', { exact: true }).fill('- Analisi dei procedimenti\n- Modulistica unica');
  await colleague.getByRole('button', { name: 'Salva la bozza' }).click();
  await colleague.waitForLoadState('load');
  const practicePath = new URL(colleague.url()).pathname;
  const id = practicePath.match(/\/le-mie-schede\/([^/]+)/)?.[1];
  check(!!id && !practicePath.endsWith('/nuova'), `the draft was saved (${practicePath})`);
  if (!id) throw new Error(`draft not saved: ${(await colleague.locator('main').innerText()).slice(0, 500)}`);
  await axe(colleague, '/le-mie-schede/{id}', failures);

  step('the colleague attaches a document to the draft');
  await colleague.locator('#campo-allegato').setInputFiles({
    name: 'regolamento-sportello.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  });
  await colleague.getByRole('button', { name: "Carica l'allegato" }).click();
  await colleague.waitForLoadState('load');
  check(
    await colleague.getByRole('link', { name: /regolamento-sportello\.pdf/ }).first().isVisible(),
    'the attachment is listed on the draft',
  );
  await axe(colleague, '/le-mie-schede/{id} (with an attachment)', failures);

  step('the coordinator submits it for review');
  await visit(coordinator, `/le-mie-schede/${id}`, '/le-mie-schede/{id}');
  await coordinator.getByRole('button', { name: 'Invia in revisione' }).click();
  await coordinator.waitForLoadState('load');
  check(await coordinator.getByText(/in revisione/i).first().isVisible(), 'the practice is in review');

  step('the editor asks for changes with a remark on a section');
  const editor = await (await newContext(browser, problems)).newPage();
  await signInWithPassword(editor, BASE, EDITOR.email, PASSWORD);
  await visit(editor, '/redazione');
  await editor.getByRole('link', { name: TITLE }).first().click();
  await editor.waitForLoadState('load');
  await axe(editor, '/redazione/{id}', failures);
  const remark = 'Quante imprese usano lo sportello?';
  await editor.getByLabel('Osservazione su «Motivazione e obiettivi» (facoltativa)').fill(remark);
  await editor.getByRole('button', { name: 'Chiedi modifiche agli autori' }).click();
  await editor.waitForLoadState('load');

  step('the colleague sees the remark and edits');
  await visit(colleague, `/le-mie-schede/${id}`, '/le-mie-schede/{id} con osservazioni');
  check(await colleague.getByText(remark).first().isVisible(), 'the remark is on the practice page');
  await visit(colleague, `/le-mie-schede/${id}/modifica`, '/le-mie-schede/{id}/modifica');
  check(await colleague.getByText(remark).first().isVisible(), 'the remark is beside the section in the form');
  await colleague.getByLabel('Motivazione e obiettivi').fill('Lo usano 430 imprese, che prima si rivolgevano a cinque uffici.');
  await colleague.getByRole('button', { name: 'Salva la bozza' }).click();
  await colleague.waitForLoadState('load');
  await visit(colleague, '/notifiche');
  check(await colleague.getByText(/chiesto modifiche/).first().isVisible(), 'the inbox tells of the remark');

  step('the coordinator resubmits, the editor publishes');
  await visit(coordinator, `/le-mie-schede/${id}`, '/le-mie-schede/{id}');
  await coordinator.getByRole('button', { name: 'Invia in revisione' }).click();
  await coordinator.waitForLoadState('load');
  await editor.goto(url(`/redazione/${id}`));
  await editor.getByRole('button', { name: 'Pubblica' }).click();
  await editor.waitForLoadState('load');
  const publicPath = new URL(editor.url()).pathname;
  check(publicPath.startsWith('/pratiche/'), `publishing shows the public page (${publicPath})`);
  const download = editor.getByRole('link', { name: /regolamento-sportello\.pdf/ }).first();
  check(await download.isVisible(), 'the published page lists the attachment');
  const file = await editor.request.get(url(await download.getAttribute('href')));
  check(file.ok() && (await file.body()).subarray(0, 5).toString() === '%PDF-', 'the attachment downloads as it was uploaded');
  await axe(editor, '/pratiche/{slug}', failures);

  step('the search page finds it within 2 seconds');
  const searcher = await (await newContext(browser, problems)).newPage();
  const published = Date.now();
  let found = false;
  while (!found && Date.now() - published < 2000) {
    await searcher.goto(url(`/pratiche?q=${RUN}`));
    found = (await searcher.getByRole('link', { name: TITLE }).count()) > 0;
    if (!found) await searcher.waitForTimeout(100);
  }
  check(found, `found by /pratiche?q=${RUN} ${Date.now() - published} ms after publication`);
  await axe(searcher, '/pratiche?q= (risultato)', failures);
  await visit(searcher, publicPath, '/pratiche/{slug} senza accesso');
  check(await searcher.getByText('Lo usano 430 imprese').first().isVisible(), 'the public page shows the edited text');

  step('edited again, two revisions compared');
  await visit(colleague, `/le-mie-schede/${id}/modifica`, '/le-mie-schede/{id}/modifica');
  await colleague.getByLabel('Motivazione e obiettivi').fill('Lo usano ormai 600 imprese, che prima si rivolgevano a cinque uffici.');
  await colleague.getByRole('button', { name: 'Salva la bozza' }).click();
  await colleague.waitForLoadState('load');
  await visit(colleague, `/le-mie-schede/${id}/versioni`, '/le-mie-schede/{id}/versioni');
  const numbers = await colleague.locator('input[name="a"]').evaluateAll((els) => els.map((e) => Number(e.value)));
  const newest = Math.max(...numbers);
  await colleague.locator(`#da-${newest - 1}`).check();
  await colleague.locator(`#a-${newest}`).check();
  await colleague.getByRole('button', { name: 'Confronta le versioni scelte' }).click();
  await colleague.waitForLoadState('load');
  check(new URL(colleague.url()).pathname.endsWith('/confronta'), 'the comparison opens');
  await axe(colleague, '/le-mie-schede/{id}/confronta', failures);
  check((await colleague.locator('del').filter({ hasText: '430' }).count()) > 0, 'the removed «430» is marked');
  check((await colleague.locator('ins').filter({ hasText: 'ormai 600' }).count()) > 0, 'the added «ormai 600» is marked');
  await visit(searcher, `${publicPath}/versioni`, '/pratiche/{slug}/versioni');

  step('other signed-in pages');
  await visit(colleague, '/profilo');
  await visit(editor, '/notifiche');
} catch (err) {
  failures.push(`error: ${err.stack ?? err.message}`);
} finally {
  await browser.close();
}
finish('journey', failures, problems);
