#!/usr/bin/env node
// Checks a built intentions site in a real headless Chromium and with the Nu HTML Checker.
//
//   node tests/browser/check-site.mjs <site-dir> [--screenshots DIR]
//
// Every .html page gets: axe-core (WCAG 2.2 AA + best practice), one h1, a main landmark,
// a skip link as the first Tab stop, table captions and header cells, reflow at 320 px,
// and internal links (checked after the crawl, fragments included). Then vnu checks the
// whole directory. Ends with "N passed, M failed" and exits 1 when M > 0 or anything crashed.
// See README.md beside this file for how to add a check.

import { spawn } from 'node:child_process';
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-quic',
];

/** Debian's Chromium, headless, as every browser check here runs it. */
function launchChromium(chromium) {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
// The machines have 2 cores; a third worker only makes every page slower.
const WORKERS = 2;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 800 };
const REFLOW_WIDTH = 320;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const NAV_TIMEOUT_MS = 30_000;
// The server also serves axe here (no site file can clash with it in practice), because an
// external script lets Chromium cache its compiled code: 4x faster than an inline one.
const AXE_URL = '/__check-site__/axe.min.js';
let AXE_SOURCE = ''; // read in main(), once the npm packages are known to be there

// Check kinds in the order the summary lists them. A problem is recorded under one of these.
const KINDS = {
  load: 'page loads (HTTP 200, no uncaught script error)',
  axe: 'axe-core (WCAG 2.2 AA + best practice)',
  h1: 'exactly one h1',
  main: 'a main landmark',
  'skip-link': 'first Tab stop is a visible skip link',
  tables: 'tables: caption, th scope, every td has a header',
  reflow: `no horizontal scroll at ${REFLOW_WIDTH} px`,
  links: 'internal links and fragments resolve',
  html: 'Nu HTML Checker (vnu)',
  crash: 'checker crashed',
};

// ---------------------------------------------------------------------------------------
// Static server

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8', '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml; charset=utf-8', '.xsl': 'application/xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.avif': 'image/avif', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2',
  '.ttf': 'font/ttf', '.otf': 'font/otf', '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
};

function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

async function statOrNull(file) {
  try {
    return await fs.stat(file);
  } catch {
    return null;
  }
}

function startServer(root) {
  const server = createServer(async (req, res) => {
    const send = (status, file, headers = {}) => {
      res.writeHead(status, { 'Cache-Control': 'no-store', ...headers,
        ...(file ? { 'Content-Type': contentType(file) } : {}) });
      if (file && req.method !== 'HEAD') createReadStream(file).pipe(res);
      else res.end();
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, null, { Allow: 'GET, HEAD' });
      const url = new URL(req.url, 'http://localhost');
      if (url.pathname === AXE_URL) {
        res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.js'], 'Cache-Control': 'max-age=86400' });
        return res.end(AXE_SOURCE);
      }
      const rel = decodeURIComponent(url.pathname);
      const file = path.join(root, rel);
      // Never serve outside the site directory.
      if (rel.includes('\0') || (file !== root && !file.startsWith(root + path.sep))) return send(400);
      let st = await statOrNull(file);
      if (st?.isDirectory()) {
        if (!url.pathname.endsWith('/')) {
          return send(301, null, { Location: url.pathname + '/' + url.search });
        }
        const index = path.join(file, 'index.html');
        st = await statOrNull(index);
        if (st?.isFile()) return send(200, index);
      } else if (st?.isFile()) {
        return send(200, file);
      }
      const notFound = path.join(root, '404.html');
      if (await statOrNull(notFound)) return send(404, notFound);
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 not found\n');
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(String(err));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------
// Site files

async function listFiles(root, dir = root, out = []) {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await listFiles(root, full, out);
    else if (entry.isFile()) out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out;
}

// "a/b/index.html" is served and linked as "/a/b/"; other files keep their name.
function urlPathOf(file) {
  const p = '/' + file;
  return p.endsWith('/index.html') ? p.slice(0, -'index.html'.length) : p;
}

// The file a URL path resolves to, as the server would serve it, or null.
function resolveToFile(pathname, files) {
  let p;
  try {
    p = decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return null;
  }
  if (p === '' || p.endsWith('/')) return files.has(p + 'index.html') ? p + 'index.html' : null;
  if (files.has(p)) return p;
  if (files.has(p + '/index.html')) return p + '/index.html';
  return null;
}

// Screenshot group: home, else first path segment plus depth, so that a listing
// (/organisations/) and a detail page (/organisations/x/) are both shown.
function pageType(urlPath) {
  const segments = urlPath.split('/').filter(Boolean);
  if (segments.length === 0) return 'home';
  const first = segments[0].replace(/\.html?$/i, '').replace(/[^A-Za-z0-9_-]/g, '_');
  return `${first}-${segments.length}`;
}

// ---------------------------------------------------------------------------------------
// Per-page checks. Each runs in order on a freshly loaded page at DESKTOP size and returns
// a list of problem strings; it may also leave data on `info` for the after-crawl checks.
// The skip-link check must come first (nothing may have moved focus) and reflow last
// (it resizes the viewport).

async function checkSkipLink(page) {
  await page.keyboard.press('Tab');
  const r = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { none: true };
    const out = { html: el.outerHTML.slice(0, 200), tag: el.localName };
    const href = el.getAttribute('href') || '';
    out.href = href;
    if (el.localName === 'a' && href.startsWith('#') && href.length > 1) {
      let id = href.slice(1);
      try {
        id = decodeURIComponent(id);
      } catch { /* keep as written */ }
      out.targetExists = document.getElementById(id) !== null;
    }
    const rect = el.getBoundingClientRect();
    out.visible = rect.width >= 1 && rect.height >= 1 && rect.right > 0 && rect.bottom > 0
      && rect.left < innerWidth && rect.top < innerHeight;
    el.blur();
    return out;
  });
  if (r.none) return ['the first Tab press focuses nothing: add a skip link as the first focusable element'];
  if (r.tag !== 'a' || !r.href.startsWith('#') || r.href.length < 2) {
    return [`the first Tab press focuses ${r.html}, not a skip link (<a href="#main">…)`];
  }
  const problems = [];
  if (!r.targetExists) problems.push(`skip link ${r.html} points at ${r.href}, but no element has that id`);
  if (!r.visible) problems.push(`skip link ${r.html} is not visible on screen when focused`);
  return problems;
}

async function checkHeadings(page) {
  const n = await page.evaluate(() => document.querySelectorAll('h1').length);
  return n === 1 ? [] : [`has ${n} h1 elements; a page needs exactly one`];
}

async function checkMain(page) {
  const n = await page.evaluate(() => document.querySelectorAll('main, [role="main"]').length);
  return n >= 1 ? [] : ['has no main landmark (<main>)'];
}

async function checkTables(page) {
  return page.evaluate(() => {
    const problems = [];
    const SCOPES = new Set(['row', 'col', 'rowgroup', 'colgroup']);
    const tables = [...document.querySelectorAll('table')]
      .filter((t) => !['presentation', 'none'].includes((t.getAttribute('role') || '').trim()));
    tables.forEach((table, i) => {
      const caption = table.querySelector(':scope > caption');
      const name = caption?.textContent.trim()
        ? `table "${caption.textContent.trim().slice(0, 60)}"`
        : `table ${i + 1} (${table.outerHTML.slice(0, 80).replace(/\s+/g, ' ')}…)`;
      if (!caption || !caption.textContent.trim()) problems.push(`${name} has no caption (or an empty one)`);
      const own = (sel) => [...table.querySelectorAll(sel)].filter((c) => c.closest('table') === table);
      const ths = own('th');
      const unscoped = ths.filter((th) => !SCOPES.has((th.getAttribute('scope') || '').trim().toLowerCase()));
      if (unscoped.length) {
        problems.push(`${name}: ${unscoped.length} th without a valid scope (row, col, rowgroup, colgroup), e.g. `
          + unscoped.slice(0, 3).map((th) => th.outerHTML.slice(0, 80)).join(' '));
      }
      if (!ths.length) return;
      // Lay the cells out on a grid, as spans make row/column membership non-obvious.
      const grid = [];
      const place = new Map();
      [...table.rows].forEach((row, r) => {
        grid[r] ||= [];
        let c = 0;
        for (const cell of row.cells) {
          while (grid[r][c]) c++;
          const rs = Math.max(1, cell.rowSpan || 1);
          const cs = Math.max(1, cell.colSpan || 1);
          for (let dr = 0; dr < rs; dr++) {
            grid[r + dr] ||= [];
            for (let dc = 0; dc < cs; dc++) grid[r + dr][c + dc] = cell;
          }
          place.set(cell, { r, c, rs, cs });
          c += cs;
        }
      });
      const isTh = (cell) => cell?.localName === 'th';
      const headerless = own('td').filter((td) => {
        const ids = (td.getAttribute('headers') || '').trim().split(/\s+/).filter(Boolean);
        if (ids.some((id) => isTh(document.getElementById(id)))) return false;
        const p = place.get(td);
        if (!p) return true;
        for (let r = p.r; r < p.r + p.rs; r++) if ((grid[r] || []).some(isTh)) return false;
        for (let c = p.c; c < p.c + p.cs; c++) if (grid.some((row) => isTh(row?.[c]))) return false;
        return true;
      });
      if (headerless.length) {
        problems.push(`${name}: ${headerless.length} td with no header cell in its row or column, e.g. `
          + headerless.slice(0, 3).map((td) => td.outerHTML.slice(0, 80)).join(' '));
      }
    });
    return problems;
  });
}

// Collects links and ids for checkLinks after the crawl; reports nothing itself.
async function collectLinks(page, info) {
  const found = await page.evaluate(() => {
    const refs = [];
    const add = (el, attr, value) => refs.push({ value, what: `<${el.localName} ${attr}="${value}">` });
    for (const el of document.querySelectorAll('a[href], area[href], link[href]')) add(el, 'href', el.getAttribute('href'));
    for (const el of document.querySelectorAll('img[src], script[src], iframe[src], source[src], video[src], audio[src], track[src], embed[src], input[src]')) {
      add(el, 'src', el.getAttribute('src'));
    }
    for (const el of document.querySelectorAll('img[srcset], source[srcset]')) {
      for (const candidate of el.getAttribute('srcset').split(',')) {
        const url = candidate.trim().split(/\s+/)[0];
        if (url) add(el, 'srcset', url);
      }
    }
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    // HTML also scrolls to <a name>, so count those as targets.
    ids.push(...[...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name')));
    return { refs, ids, base: document.baseURI };
  });
  info.ids = new Set(found.ids);
  info.links = [];
  for (const { value, what } of found.refs) {
    const v = value.trim();
    if (v === '' || v === '#') continue;
    let url;
    try {
      url = new URL(v, found.base);
    } catch {
      info.links.push({ bad: true, what });
      continue;
    }
    if (url.origin !== info.origin) continue; // external, mailto:, data: …
    info.links.push({ pathname: url.pathname, fragment: url.hash.slice(1), what });
  }
  return [];
}

async function checkAxe(page) {
  await page.addScriptTag({ url: AXE_URL });
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html })),
    }));
  }, AXE_TAGS);
  return violations.map((v) => [
    `${v.id} (${v.impact}): ${v.help}  ${v.helpUrl.replace(/\?.*$/, '')}`,
    ...v.nodes.slice(0, 10).map((n) => `    - ${n.target}  ${oneLine(n.html, 200)}`),
    ...(v.nodes.length > 10 ? [`    - … and ${v.nodes.length - 10} more`] : []),
  ].join('\n'));
}

async function checkReflow(page) {
  await page.setViewportSize({ width: REFLOW_WIDTH, height: 640 });
  const r = await page.evaluate(async () => {
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const doc = document.documentElement;
    const out = { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, offenders: [] };
    if (out.scrollWidth <= out.clientWidth + 1) return out;
    // Name the outermost elements sticking out, leaving alone anything inside its own
    // scroll (or clipping) container: that does not scroll the page.
    const clips = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const inContainer = (el) => {
      for (let p = el.parentElement; p && p !== document.body && p !== doc; p = p.parentElement) {
        if (clips(p)) return true;
      }
      return false;
    };
    const wide = (el) => el.getBoundingClientRect().right > out.clientWidth + 1;
    for (const el of document.body.querySelectorAll('*')) {
      if (out.offenders.length >= 5) break;
      if (!wide(el) || inContainer(el)) continue;
      if (el.parentElement && el.parentElement !== document.body && wide(el.parentElement)) continue;
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\s+/).join('.') : '';
      out.offenders.push(`${el.localName}${el.id ? '#' + el.id : ''}${cls} (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`);
    }
    return out;
  });
  if (r.scrollWidth <= r.clientWidth + 1) return [];
  return [`scrolls horizontally at ${REFLOW_WIDTH} px: content is ${r.scrollWidth} px wide`
    + (r.offenders.length ? `; sticking out: ${r.offenders.join(', ')}` : '')];
}

const PAGE_CHECKS = [
  { kind: 'skip-link', run: checkSkipLink },
  { kind: 'h1', run: checkHeadings },
  { kind: 'main', run: checkMain },
  { kind: 'tables', run: checkTables },
  { kind: 'links', run: collectLinks },
  { kind: 'axe', run: checkAxe },
  { kind: 'reflow', run: checkReflow },
];

// ---------------------------------------------------------------------------------------
// After the crawl

function checkLinks(pages, files) {
  const byFile = new Map(pages.map((p) => [p.file, p]));
  for (const page of pages) {
    const seen = new Set();
    for (const link of page.links || []) {
      const key = `${link.what}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (link.bad) {
        page.add('links', `${link.what}: not a valid URL`);
        continue;
      }
      const target = resolveToFile(link.pathname, files);
      if (!target) {
        page.add('links', `${link.what}: no such file in the site (${decodeSafe(link.pathname)})`);
        continue;
      }
      const frag = decodeSafe(link.fragment);
      if (!frag || frag.toLowerCase() === 'top') continue;
      const targetPage = byFile.get(target);
      if (targetPage?.ids && !targetPage.ids.has(frag)) {
        page.add('links', `${link.what}: ${urlPathOf(target)} has no element with id "${frag}"`);
      }
    }
  }
}

function runVnu(siteDir) {
  const jar = String(require('vnu-jar'));
  return new Promise((resolve) => {
    const child = spawn('java', ['-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', siteDir],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => resolve({ crash: `could not run java: ${e.message}` }));
    child.on('close', (code) => {
      // vnu prints its JSON report on stderr and exits 1 when it found errors.
      try {
        resolve({ messages: JSON.parse(err || out).messages });
      } catch {
        resolve({ crash: `vnu exited ${code}: ${oneLine(err || out, 500)}` });
      }
    });
  });
}

function applyVnu(result, siteDir, pagesByFile, report) {
  if (result.crash) {
    // No page had its HTML checked, so none can be said to pass.
    for (const page of pagesByFile.values()) page.add('crash', 'not checked by the Nu HTML Checker (see below)');
    return report.crash(`Nu HTML Checker: ${result.crash}`);
  }
  for (const m of result.messages) {
    let file = null;
    try {
      file = path.relative(siteDir, fileURLToPath(m.url)).split(path.sep).join('/');
    } catch { /* no file url: reported below */ }
    const page = file && pagesByFile.get(file);
    const where = m.lastLine ? `line ${m.lastLine}${m.firstColumn ? `, column ${m.firstColumn}` : ''}` : '';
    const text = `${where ? where + ': ' : ''}${m.message}${m.extract ? `\n    ${oneLine(m.extract, 200)}` : ''}`;
    if (m.type === 'error' && page) page.add('html', text);
    else report.crash(`Nu HTML Checker (${m.type}, ${m.url || 'no file'}): ${m.message}`);
  }
}

// ---------------------------------------------------------------------------------------

function oneLine(s, max) {
  const t = String(s).replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max) + '…' : t;
}

function decodeSafe(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function usage(message) {
  if (message) console.error(`check-site: ${message}`);
  console.error('usage: node tests/browser/check-site.mjs <site-dir> [--screenshots DIR]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { siteDir: null, screenshots: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--screenshots') {
      if (!argv[i + 1]) usage('--screenshots needs a directory');
      opts.screenshots = path.resolve(argv[++i]);
    } else if (a.startsWith('--screenshots=')) {
      opts.screenshots = path.resolve(a.slice('--screenshots='.length));
    } else if (a === '-h' || a === '--help') {
      usage();
    } else if (a.startsWith('-')) {
      usage(`unknown option ${a}`);
    } else if (!opts.siteDir) {
      opts.siteDir = path.resolve(a);
    } else {
      usage(`unexpected argument ${a}`);
    }
  }
  if (!opts.siteDir) usage('no site directory given');
  return opts;
}

async function main() {
  const started = Date.now();
  const opts = parseArgs(process.argv.slice(2));
  if (!(await statOrNull(opts.siteDir))?.isDirectory()) usage(`${opts.siteDir} is not a directory`);
  const siteDir = await fs.realpath(opts.siteDir);
  if (!existsSync(CHROMIUM)) usage(`${CHROMIUM} not found: run scripts/install-test-deps`);
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
    AXE_SOURCE = await fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch {
    usage('npm packages missing: run scripts/install-test-deps');
  }

  const fileList = (await listFiles(siteDir)).sort();
  const files = new Set(fileList);
  const crashes = [];
  const report = { crash: (msg) => crashes.push(msg) };
  const pages = fileList.filter((f) => /\.html?$/i.test(f)).map((file) => {
    const page = { file, urlPath: urlPathOf(file), problems: [] };
    page.add = (kind, text) => page.problems.push({ kind, text });
    return page;
  });
  if (!pages.length) usage(`no .html files in ${siteDir}`);
  const pagesByFile = new Map(pages.map((p) => [p.file, p]));

  const shotOf = new Map(); // page → screenshot name: the first page of each type
  if (opts.screenshots) {
    await fs.mkdir(opts.screenshots, { recursive: true });
    const types = new Set();
    for (const p of pages) {
      const type = pageType(p.urlPath);
      if (!types.has(type)) shotOf.set(p, type);
      types.add(type);
    }
  }

  // vnu runs on the JVM alongside the browser crawl, which takes far longer.
  const vnuDone = runVnu(siteDir);

  const server = await startServer(siteDir);
  const origin = `http://127.0.0.1:${server.address().port}`;
  // launch() gives each run a fresh temporary profile (--user-data-dir) and removes it on close.
  const browser = await launchChromium(chromium);
  let next = 0;
  let done = 0;

  async function worker() {
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true, reducedMotion: 'reduce' });
    const tab = await context.newPage();
    tab.setDefaultTimeout(NAV_TIMEOUT_MS);
    let scriptErrors = [];
    tab.on('pageerror', (e) => scriptErrors.push(e.message));
    while (next < pages.length) {
      const p = pages[next++];
      const info = { origin };
      scriptErrors = [];
      try {
        await tab.setViewportSize(DESKTOP);
        const response = await tab.goto(origin + p.urlPath, { waitUntil: 'load' });
        if (response?.status() !== 200) p.add('load', `HTTP ${response?.status()} for ${p.urlPath}`);
        for (const check of PAGE_CHECKS) {
          try {
            for (const text of await check.run(tab, info)) p.add(check.kind, text);
          } catch (err) {
            p.add('crash', `${check.kind} check crashed: ${oneLine(err.message, 300)}`);
          }
        }
        if (shotOf.has(p)) await screenshots(tab, shotOf.get(p), opts.screenshots);
        p.links = info.links;
        p.ids = info.ids;
        for (const msg of scriptErrors) p.add('load', `uncaught script error: ${oneLine(msg, 300)}`);
      } catch (err) {
        p.add('crash', `could not check ${p.urlPath}: ${oneLine(err.message, 300)}`);
      }
      if (++done % 50 === 0) console.error(`check-site: ${done}/${pages.length} pages checked`);
    }
    await context.close();
  }

  try {
    await Promise.all(Array.from({ length: Math.min(WORKERS, pages.length) }, worker));
  } finally {
    await browser.close();
    server.close();
  }
  checkLinks(pages, files);
  applyVnu(await vnuDone, siteDir, pagesByFile, report);

  // Report: failures by page, then the summary.
  const failed = pages.filter((p) => p.problems.length);
  for (const p of failed) {
    console.log(`\nFAIL ${p.urlPath}  (${p.file})`);
    for (const { kind, text } of p.problems) console.log(`  [${kind}] ${text.replace(/\n/g, '\n  ')}`);
  }
  for (const msg of crashes) console.log(`\nCRASH ${msg}`);

  console.log(`\nChecked ${pages.length} pages in ${((Date.now() - started) / 1000).toFixed(1)} s`
    + (opts.screenshots ? `; ${shotOf.size * 2} screenshots in ${opts.screenshots}` : ''));
  for (const [kind, label] of Object.entries(KINDS)) {
    const hit = pages.filter((p) => p.problems.some((x) => x.kind === kind));
    const count = pages.reduce((n, p) => n + p.problems.filter((x) => x.kind === kind).length, 0)
      + (kind === 'crash' ? crashes.length : 0);
    if (kind === 'crash' && !count) continue;
    const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
    console.log(`  ${count ? 'FAIL' : 'ok  '} ${label}: ${plural(hit.length, 'page')} failed, ${plural(count, 'problem')}`);
  }
  console.log(`${pages.length - failed.length} passed, ${failed.length} failed`);
  return failed.length || crashes.length ? 1 : 0;
}

async function screenshots(tab, type, dir) {
  await tab.setViewportSize(DESKTOP);
  await tab.screenshot({ path: path.join(dir, `${type}-${DESKTOP.width}.png`), fullPage: true });
  await tab.setViewportSize(PHONE);
  await tab.screenshot({ path: path.join(dir, `${type}-${PHONE.width}.png`), fullPage: true });
}

// Run only when invoked as a script, so that tests can import the helpers.
const invokedDirectly = process.argv[1]
  && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`check-site: crashed: ${err.stack || err}`);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}

export { startServer, launchChromium, resolveToFile, urlPathOf, pageType, PAGE_CHECKS, KINDS };
