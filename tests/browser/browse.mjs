#!/usr/bin/env node
// Checks the client-side filter of /intentions/ in headless Chromium: the form appears only
// with JavaScript, each select filter shows exactly the rows of the matching pre-built view
// (/intentions/<filter>/<id>/), words narrow the rows, the live region says how many, and
// "Clear filters" brings every row back. Without JavaScript the form stays hidden.
//
//   node tests/browser/browse.mjs <site-dir>
//
// Exits 1 when anything differs.

import { createRequire } from 'node:module';
import path from 'node:path';

import { launchChromium, startServer } from './check-site.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [siteArg] = process.argv.slice(2);
if (!siteArg) {
  console.error('usage: node tests/browser/browse.mjs <site-dir>');
  process.exit(2);
}
const root = path.resolve(siteArg);

const server = await startServer(root);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium(chromium);
const failures = [];
const visibleRows = (page) => page.$$eval('#browse-table tbody tr', (rows) =>
  rows.filter((r) => !r.hidden).map((r) => r.querySelector('th a').getAttribute('href')));
const allRows = (page) => page.$$eval('#browse-table tbody tr', (rows) =>
  rows.map((r) => r.querySelector('th a').getAttribute('href')));
let checked = 0;
try {
  // Without JavaScript: the form stays hidden, every row shows.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noScript = await plain.newPage();
  await noScript.goto(`${base}/intentions/`);
  if (await noScript.isVisible('#browse-form')) failures.push('the filter form shows without JavaScript');
  await plain.close();

  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/intentions/`);
  if (!(await page.isVisible('#browse-form'))) failures.push('the filter form does not show with JavaScript');
  const total = (await allRows(page)).length;

  // Each select value shows exactly the rows of its pre-built page.
  const selects = await page.$$eval('#browse-form select', (ss) =>
    ss.map((s) => ({ id: s.id, filter: s.dataset.filter, values: [...s.options].map((o) => o.value).filter(Boolean) })));
  const other = await browser.newPage();
  for (const select of selects) {
    for (const value of select.values) {
      await page.selectOption(`#${select.id}`, value);
      const shown = await visibleRows(page);
      await other.goto(`${base}/intentions/${select.filter}/${value}/`);
      const expected = await allRows(other);
      if (shown.join() !== expected.join()) {
        failures.push(`${select.filter}=${value}: ${shown.length} rows shown, the page /intentions/${select.filter}/${value}/ has ${expected.length}`);
      }
      const status = await page.textContent('#browse-status');
      if (status !== `Showing ${expected.length} of ${total} intentions.`) {
        failures.push(`${select.filter}=${value}: status says "${status}"`);
      }
      checked += 1;
    }
    await page.selectOption(`#${select.id}`, '');
  }
  await other.close();

  // Words narrow the rows (case-insensitive, every word must appear in the row).
  await page.fill('#browse-text', 'HOME care');
  await page.waitForFunction(() => document.querySelector('#browse-status').textContent !== '', null, { timeout: 5_000 })
    .catch(() => failures.push('typing words does not update the status'));
  const byWords = await visibleRows(page);
  const expectedByWords = await page.$$eval('#browse-table tbody tr', (rows) => rows
    .filter((r) => { const t = r.textContent.toLowerCase(); return t.includes('home') && t.includes('care'); })
    .map((r) => r.querySelector('th a').getAttribute('href')));
  if (byWords.length === 0 || byWords.join() !== expectedByWords.join()) {
    failures.push(`words "HOME care" show ${byWords.length} rows, expected ${expectedByWords.length}`);
  }

  // "Clear filters" brings every row back and empties the status.
  await page.click('.browse-form__reset');
  await page.waitForFunction((n) => [...document.querySelectorAll('#browse-table tbody tr')].filter((r) => !r.hidden).length === n, total, { timeout: 5_000 })
    .catch(() => failures.push('clearing the filters does not show every row'));
  if (errors.length) failures.push(`script errors: ${errors.join('; ')}`);
  console.log(`browse: ${total} rows, ${checked} filter values compared with their pages`);
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  for (const f of failures) console.error(`FAIL ${f}`);
  process.exit(1);
}
console.log('browse: passed');
