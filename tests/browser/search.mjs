#!/usr/bin/env node
// Checks the static search of a built intentions site in headless Chromium: /search/?q=WORD
// must list a known intention, the search form must be usable by keyboard, and where the
// index is in parts (a large site's, dealt between parts that the search page merges) the
// word must find pages from more than one.
//
//   node tests/browser/search.mjs <site-dir> [word] [expected-path]
//
// Defaults: the bundled example, where "bureau" must find Somerset's intention on the
// Active Living Network and the Volunteer Bureau. Exits 1 when the expected result is missing.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';

import { launchChromium, startServer } from './check-site.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [siteArg, word = 'bureau', expected = '/intentions/somerset-county-council/active-living-network-and-volunteering/'] = process.argv.slice(2);
if (!siteArg) {
  console.error('usage: node tests/browser/search.mjs <site-dir> [word] [expected-path]');
  process.exit(2);
}
const root = path.resolve(siteArg);

// The pages each part of the index holds, read from its fragments (gzipped
// "pagefind_dcd" + JSON): the first part is /pagefind/, the others /pagefind/part-N/.
function partPages(dir) {
  const fragments = path.join(dir, 'fragment');
  return new Set(fs.readdirSync(fragments).map((name) => {
    const text = zlib.gunzipSync(fs.readFileSync(path.join(fragments, name))).toString('utf8');
    return JSON.parse(text.slice(text.indexOf('{'))).url;
  }));
}
const bundle = path.join(root, 'pagefind');
const parts = [bundle, ...fs.readdirSync(bundle).filter((n) => /^part-\d+$/.test(n)).map((n) => path.join(bundle, n))]
  .map(partPages);

const server = await startServer(root);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium(chromium);
const failures = [];
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // 1. A search given in the address lists results.
  await page.goto(`${base}/search/?q=${encodeURIComponent(word)}`);
  await page.waitForSelector('#search-results li a', { timeout: 20_000 }).catch(() => {});
  const hrefs = await page.$$eval('#search-results li a', (as) => as.map((a) => a.getAttribute('href')));
  const status = await page.textContent('#search-status');
  if (hrefs.length === 0) failures.push(`no results for "${word}" (status: ${status})`);
  if (!hrefs.every((h) => h.startsWith('/intentions/') || h.startsWith('/organisations/'))) {
    failures.push(`results outside intentions and organisations: ${hrefs.join(', ')}`);
  }
  if (expected && !hrefs.includes(expected)) failures.push(`"${word}" did not find ${expected}: ${hrefs.join(', ')}`);

  // 2. Typing into the form, by keyboard, replaces the results.
  await page.focus('#search-input');
  await page.fill('#search-input', '');
  await page.keyboard.type(word);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#search-status').textContent.includes('result'), null, { timeout: 20_000 })
    .catch(() => failures.push('typing a search and pressing Enter shows no result count'));

  // 3. On a site whose index is in parts, results come from all of them: a word on most
  // pages finds more pages than any one part holds.
  if (parts.length > 1) {
    const most = Math.max(...parts.map((p) => p.size));
    const found = Number((status.match(/^([\d,]+) result/) || ['', '0'])[1].replace(/,/g, ''));
    if (!(found > most)) failures.push(`"${word}" found ${found} pages, no more than one part of the index holds (${most}): the parts are not merged`);
  }

  // 4. A result link leads to a page with that intention.
  if (hrefs.length > 0) {
    const response = await page.goto(base + hrefs[0]);
    if (!response || response.status() !== 200) failures.push(`result ${hrefs[0]} does not load`);
  }
  if (errors.length) failures.push(`script errors: ${errors.join('; ')}`);
  console.log(`search "${word}": ${hrefs.length} result(s)${hrefs.length ? `, first ${hrefs[0]}` : ''}; ${parts.length} part(s) of the index, of ${parts.map((p) => p.size).join(' + ')} pages`);
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  for (const f of failures) console.error(`FAIL ${f}`);
  process.exit(1);
}
console.log('search: passed');
