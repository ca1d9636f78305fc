// Offline (issue 9): after one visit the service worker has the whole build,
// so with the network off — the browser offline and the server gone — a
// reload still works: the terminal runs commands and every lesson starts.
//
//   ./dev build && node --test tests/e2e/offline.test.mjs

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DIST, serveDist, launchBrowser, openApp, runCommand, waitReady, cspViolations } from './helpers.mjs';

test('the build lists every file for the service worker, with a version from their contents', async () => {
  const sw = await fs.readFile(path.join(DIST, 'sw.js'), 'utf8');
  const build = JSON.parse(sw.match(/^const BUILD = (.*);$/m)[1]);
  assert.match(build.version, /^[0-9a-f]{16}$/);
  const files = [];
  const walk = async (sub) => {
    for (const entry of await fs.readdir(path.join(DIST, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else if (rel !== 'sw.js') files.push(rel);
    }
  };
  await walk('');
  assert.deepEqual(build.files, files.sort());
  for (const needed of ['index.html', 'manifest.webmanifest']) assert.ok(build.files.includes(needed), needed);
  assert.ok(build.files.some((f) => f.endsWith('_bg.wasm')), 'the wasm');
  const manifest = JSON.parse(await fs.readFile(path.join(DIST, 'manifest.webmanifest'), 'utf8'));
  for (const icon of manifest.icons) assert.ok(build.files.includes(icon.src), icon.src);
});

test('after one visit, with the network off, a reload works: terminal, every lesson, an embed', { timeout: 600_000 }, async () => {
  const server = await serveDist();
  const browser = await launchBrowser();
  let serverOpen = true;
  try {
    const { context, page, errors } = await openApp(browser, server.url);
    // The worker is active once it has cached the whole build.
    await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active.state === 'activated');
    await runCommand(page, 'echo before > before.txt');
    await page.waitForFunction(() => (localStorage.getItem('driftlab.session') ?? '').includes('before.txt'));

    // No network at all: the browser offline (DevTools protocol) and the server closed.
    await context.setOffline(true);
    await server.close();
    serverOpen = false;
    assert.equal(await page.evaluate(() => fetch('/index.html?probe').then(() => 'online', () => 'offline')), 'offline');
    errors.length = 0; // the probe's own failure; from here on nothing may fail to load

    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    assert.equal((await runCommand(page, 'cat before.txt')).stdout, 'before\n', 'the saved session too');
    assert.equal((await runCommand(page, 'sqlite3 todos.db "create table t(a); insert into t values (1); select count(*) from t"')).stdout, '1\n', 'SQLite runs');

    // Every lesson starts.
    await page.click('[data-testid="lessons-toggle"]');
    const lessons = await page.$$eval('[data-testid="lesson-link"]', (links) => links.map((l) => l.dataset.lesson));
    assert.ok(lessons.length >= 15, `${lessons.length} lessons`);
    for (const slug of lessons) {
      if (!(await page.locator('#lesson-list').isVisible())) await page.click('[data-testid="lessons-toggle"]');
      await page.click(`[data-testid="lesson-link"][data-lesson="${slug}"]`);
      const number = Number(slug.slice(0, 2));
      await page.locator('.lesson-heading', { hasText: new RegExp(`^${number}\\. `) }).waitFor({ timeout: 60_000 });
      assert.equal(await page.locator('.lesson-error').count(), 0, slug);
      assert.ok((await page.locator('[data-testid="lesson-step"]').count()) > 0, slug);
    }
    // The last one is usable: a command runs in its project.
    assert.equal((await runCommand(page, 'ls')).exit, 0);

    // An embed URL (another query) loads offline too.
    await page.goto(`${server.url}?embed=1&lesson=03-the-empty-migration&step=2&panes=terminal`);
    await waitReady(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.start), 'embedded');
    assert.deepEqual(errors, []);
    assert.deepEqual(await cspViolations(page), []);
  } finally {
    await browser.close();
    if (serverOpen) await server.close();
  }
});
