#!/usr/bin/env node
// Checks `intentions serve`'s live reload in headless Chromium, as an editor uses it: with
// one tab on an intention and one on a page the edit does not touch, saving the intention
// reloads the first tab once, with the new title, and leaves the second alone.
//
//   node tests/browser/reload.mjs <intentions-binary> [site-root]
//
// The site root (default: this repository) is copied to a temporary folder, so nothing of
// the repository is edited. Exits 1 when a check fails.

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchChromium } from './check-site.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const here = path.dirname(fileURLToPath(import.meta.url));
const [binary, rootArg = path.resolve(here, '../..')] = process.argv.slice(2);
if (!binary) {
  console.error('usage: node tests/browser/reload.mjs <intentions-binary> [site-root]');
  process.exit(2);
}
const EDITED = 'content/intentions/warwickshire-county-council/falls-prevention.md';
const EDITED_PAGE = '/intentions/warwickshire-county-council/falls-prevention/';
// About the site's data, not any intention: an intention's title does not appear on it.
const UNTOUCHED_PAGE = '/data/';
const NEW_TITLE = 'Falls prevention, edited while watched';

const site = await fs.mkdtemp(path.join(os.tmpdir(), 'intentions-reload-'));
await fs.cp(path.join(path.resolve(rootArg), 'content'), path.join(site, 'content'), { recursive: true });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(path.resolve(binary), ['serve', '--root', site, '--port', String(port)], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
let log = '';
server.stdout.on('data', (d) => { log += d; });
server.stderr.on('data', (d) => { log += d; });

const failures = [];
let browser;
try {
  await until(async () => (await fetch(base + EDITED_PAGE)).ok, 'the server answers');
  browser = await launchChromium(chromium);
  const edited = await watched(browser, base + EDITED_PAGE);
  const untouched = await watched(browser, base + UNTOUCHED_PAGE);

  const file = path.join(site, EDITED);
  const text = await fs.readFile(file, 'utf8');
  const retitled = text.replace(/^title: .*$/m, `title: ${NEW_TITLE}`);
  if (retitled === text) throw new Error(`${EDITED} has no title line`);
  await fs.writeFile(file, retitled);

  await edited.page.waitForFunction(
    (title) => document.querySelector('h1')?.textContent.includes(title), NEW_TITLE, { timeout: 30_000 },
  ).catch(() => failures.push(`${EDITED_PAGE} did not reload with the new title`));
  // The organisation's page lists the title: once it does, the rebuild has settled.
  await until(async () => (await (await fetch(`${base}/organisations/warwickshire-county-council/`)).text()).includes(NEW_TITLE),
    'the rest of the site shows the edit');
  // Any reload still to come would be announced by now; give it time to happen.
  await new Promise((r) => setTimeout(r, 1500));
  if (edited.loads() !== 2) failures.push(`${EDITED_PAGE} loaded ${edited.loads()} times; once, then once on the edit`);
  if (untouched.loads() !== 1) failures.push(`${UNTOUCHED_PAGE} reloaded though the edit did not change it`);
  for (const tab of [edited, untouched]) {
    if (tab.errors.length) failures.push(`script errors on ${tab.page.url()}: ${tab.errors.join('; ')}`);
  }
  console.log(`live reload: edited page loaded ${edited.loads()} times, untouched page ${untouched.loads()}`);
} catch (e) {
  failures.push(String(e));
} finally {
  if (browser) await browser.close();
  server.kill();
  await fs.rm(site, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`live reload: ${failures.length} failure(s):\n  ${failures.join('\n  ')}\nserver said:\n${log}`);
  process.exit(1);
}

/** A tab on `url`, counting its loads, once its reload script is listening. */
async function watched(browser, url) {
  const page = await browser.newPage();
  let loads = 0;
  const errors = [];
  page.on('load', () => { loads += 1; });
  page.on('pageerror', (e) => errors.push(String(e)));
  const connected = page.waitForResponse((r) => r.url().endsWith('/__intentions/events'), { timeout: 20_000 });
  await page.goto(url);
  await connected;
  return { page, errors, loads: () => loads };
}

async function until(check, what, timeout = 30_000) {
  const started = Date.now();
  for (;;) {
    try {
      if (await check()) return;
    } catch { /* not yet */ }
    if (Date.now() - started > timeout) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
