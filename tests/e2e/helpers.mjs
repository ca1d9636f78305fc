// Shared helpers for the end-to-end tests (node:test + playwright-core) and the bench.
//
// - serveDist(): a tiny static server for dist/ on a free loopback port.
// - launchBrowser(): the system Chromium (/usr/bin/chromium), headless; never a
//   downloaded browser. Playwright gives every launch a fresh, empty temporary
//   profile (user-data-dir) and deletes it on close.
// - openApp(): a new context + page, navigated and waited until the app is ready.
// - runCommand(): type a line into the terminal, press Enter, return the new entry.
// - runCli(): the same command through the native CLI (`driftlab run`).

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = process.env.DRIFTLAB_DIST ? path.resolve(process.env.DRIFTLAB_DIST) : path.join(ROOT, 'dist');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const DRIFTLAB_BIN = process.env.DRIFTLAB_BIN || path.join(ROOT, 'target', 'release', 'driftlab');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SEL = {
  input: '[data-testid="terminal-input"]',
  inputReady: '[data-testid="terminal-input"]:not([disabled])',
  output: '[data-testid="terminal-output"]',
  entry: '[data-testid="terminal-entry"]',
  command: '[data-testid="entry-command"]',
  stdout: '[data-testid="entry-stdout"]',
  stderr: '[data-testid="entry-stderr"]',
  schema: '[data-testid="schema-view"]',
  table: (name) => `[data-testid="schema-table"][data-table="${name}"]`,
  column: (name) => `[data-testid="schema-column"][data-column="${name}"]`,
};

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** Serve `dir` (default dist/) on 127.0.0.1:<free port>. Returns { url, close }. */
export async function serveDist(dir = DIST) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: run \`./dev build\` (trunk build --release) first`);
  }
  const root = path.resolve(dir);
  const server = http.createServer(async (req, res) => {
    try {
      let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(root, '.' + rel);
      if (file !== root && !file.startsWith(root + path.sep)) {
        res.writeHead(403).end();
        return;
      }
      const body = await fsp.readFile(file);
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file)] || 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/** Launch the system Chromium headless (fresh temporary profile per launch). */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run ./dev setup`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * New browser context + page at `url`; waits for the app to be usable
 * (enabled terminal input and body[data-ready="1"]).
 * Returns { context, page, errors } where errors collects page errors and console errors.
 */
export async function openApp(browser, url, { timeout = 60_000, context: contextOptions = {} } = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  // Every Content-Security-Policy violation, for cspViolations().
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'} (${e.sourceFile || ''}:${e.lineNumber || ''})`);
    });
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
  await page.goto(url, { waitUntil: 'load', timeout });
  await waitReady(page, timeout);
  return { context, page, errors };
}

export async function waitReady(page, timeout = 60_000) {
  // Attached, not visible: on narrow screens the terminal may be another tab.
  await page.waitForSelector(SEL.inputReady, { timeout, state: 'attached' });
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout });
}

/** The CSP violations the page has reported so far. */
export async function cspViolations(page) {
  return page.evaluate(() => window.__cspViolations ?? []);
}

/** Read every terminal entry as { command, stdout, stderr, exit }. */
export async function readEntries(page) {
  return page.$$eval(SEL.entry, (entries, sel) => entries.map((e) => ({
    command: e.querySelector(sel.command)?.textContent ?? null,
    stdout: e.querySelector(sel.stdout)?.textContent ?? '',
    stderr: e.querySelector(sel.stderr)?.textContent ?? '',
    exit: e.hasAttribute('data-exit') ? Number(e.getAttribute('data-exit')) : null,
  })), { command: SEL.command, stdout: SEL.stdout, stderr: SEL.stderr });
}

/**
 * Type `line` into the terminal input, press Enter, wait for the new entry
 * (with its data-exit set) and the input to be enabled again.
 * Returns { command, stdout, stderr, exit } of that entry (stdout/stderr '' when absent).
 */
export async function runCommand(page, line, { timeout = 30_000 } = {}) {
  await page.waitForSelector(SEL.inputReady, { timeout });
  const before = await page.locator(SEL.entry).count();
  const input = page.locator(SEL.input);
  await input.fill(line);
  await input.press('Enter');
  await page.waitForFunction(({ sel, n }) => {
    const entries = document.querySelectorAll(sel.entry);
    if (entries.length <= n) return false;
    const input = document.querySelector(sel.input);
    return entries[n].hasAttribute('data-exit') && input && !input.disabled;
  }, { sel: { entry: SEL.entry, input: SEL.input }, n: before }, { timeout });
  const entries = await readEntries(page);
  return entries[before];
}

/** Structured view of the schema pane: { table: [column text, ...] } keyed by data-table / data-column. */
export async function readSchema(page) {
  return page.$eval(SEL.schema, (view) => {
    const out = {};
    for (const t of view.querySelectorAll('[data-testid="schema-table"]')) {
      out[t.getAttribute('data-table')] = [...t.querySelectorAll('[data-testid="schema-column"]')]
        .map((c) => ({ column: c.getAttribute('data-column'), text: c.textContent.trim() }));
    }
    return out;
  });
}

/**
 * Split a command line into words like a POSIX shell does for the simple cases
 * the tests use: whitespace separation, '...' literal, "..." with \" \\ \$ \` escapes,
 * backslash escapes outside quotes.
 */
export function shellWords(line) {
  const words = [];
  let cur = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (/\s/.test(ch)) {
      if (cur !== null) { words.push(cur); cur = null; }
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      cur = cur ?? '';
      i++;
      for (; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && '"\\$`'.includes(line[i + 1])) i++;
        cur += line[i];
      }
      if (i >= line.length) throw new Error(`unterminated " in: ${line}`);
    } else if (ch === '\\' && i + 1 < line.length) {
      cur = (cur ?? '') + line[++i];
    } else {
      cur = (cur ?? '') + ch;
    }
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** A new temp project dir containing an empty todos.db (the page's starting project). */
export async function makeCliProject() {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'driftlab-e2e-'));
  await fsp.writeFile(path.join(dir, 'todos.db'), '');
  return dir;
}

/** Run one command line via `driftlab run --project DIR -- WORDS...`. */
export function runCli(projectDir, line) {
  if (!fs.existsSync(DRIFTLAB_BIN)) {
    throw new Error(`${DRIFTLAB_BIN} is missing: build it with \`cargo build --release --bin driftlab\` (./dev test does)`);
  }
  const r = spawnSync(DRIFTLAB_BIN, ['run', '--project', projectDir, '--', ...shellWords(line)], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, exit: r.status };
}
