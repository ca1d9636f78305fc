// The workspace layout in headless Chromium: the CSP holds, panes resize from
// the keyboard, the theme toggle sticks, and the narrow layout turns areas
// into tabs. Needs dist/ (./dev build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openApp, runCommand, cspViolations, waitReady, SEL } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function withApp(options, fn) {
  const app = await openApp(browser, server.url, options);
  try {
    await fn(app.page, app);
    const fatal = app.errors.filter((e) => e.startsWith('pageerror') || /panicked/.test(e));
    assert.deepEqual(fatal, [], 'page reported uncaught errors');
  } finally {
    await app.context.close();
  }
}

test('the page runs under its Content-Security-Policy without a violation', { timeout: 120_000 }, async () => {
  await withApp({}, async (page, app) => {
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script left in the page');
    await runCommand(page, 'uvicorn main:app');
    await page.locator(SEL.input).press('Control+c');
    await page.locator('[data-testid="side-tab"][data-tab="drift"]').click();
    await page.locator('[data-testid="side-tab"][data-tab="history"]').click();
    const splitter = page.locator('.splitter-columns');
    await splitter.focus();
    await splitter.press('ArrowLeft');
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(app.errors.filter((e) => /Content Security Policy/i.test(e)), []);
  });
});

test('splitters resize the panes from the keyboard', { timeout: 60_000 }, async () => {
  await withApp({ context: { viewport: { width: 1280, height: 800 } } }, async (page) => {
    const side = page.locator('.area-side');
    const widthBefore = (await side.boundingBox()).width;
    const splitter = page.locator('.splitter-columns');
    assert.equal(await splitter.getAttribute('role'), 'separator');
    await splitter.focus();
    for (let i = 0; i < 5; i++) await splitter.press('ArrowLeft');
    const widthAfter = (await side.boundingBox()).width;
    assert.ok(widthAfter > widthBefore + 50, `side area grew: ${widthBefore} -> ${widthAfter}`);
    assert.equal(await splitter.getAttribute('aria-valuenow'), '48');

    const rows = page.locator('.splitter-rows');
    const terminalBefore = (await page.locator('.area-terminal').boundingBox()).height;
    await rows.focus();
    for (let i = 0; i < 5; i++) await rows.press('ArrowUp');
    const terminalAfter = (await page.locator('.area-terminal').boundingBox()).height;
    assert.ok(terminalAfter > terminalBefore + 40, `terminal grew: ${terminalBefore} -> ${terminalAfter}`);
  });
});

test('side views are tabs reachable with the arrow keys', { timeout: 60_000 }, async () => {
  await withApp({}, async (page) => {
    const database = page.locator('[data-testid="side-tab"][data-tab="database"]');
    await database.focus();
    await database.press('ArrowRight');
    const drift = page.locator('[data-testid="side-tab"][data-tab="drift"]');
    assert.equal(await drift.getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.tab), 'drift');
    assert.ok(await page.locator('[data-testid="drift-view"]').isVisible());
    assert.ok(!(await page.locator(SEL.schema).isVisible()));
  });
});

test('the theme follows the system, and a chosen theme survives a reload', { timeout: 60_000 }, async () => {
  await withApp({ context: { colorScheme: 'dark' } }, async (page) => {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    assert.equal(await theme(), 'dark');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = await background();
    await page.locator('[data-testid="theme-toggle"]').click();
    assert.equal(await theme(), 'light');
    assert.notEqual(await background(), dark);
    await page.reload();
    await waitReady(page);
    assert.equal(await theme(), 'light');
  });
});

test('on a narrow screen the areas are tabs, one shown at a time', { timeout: 120_000 }, async () => {
  await withApp({ context: { viewport: { width: 390, height: 844 } } }, async (page) => {
    const tabs = page.locator('[data-testid="area-tab"]');
    assert.deepEqual(await tabs.evaluateAll((els) => els.map((e) => e.dataset.area)), ['lesson', 'code', 'terminal', 'side']);
    for (let i = 0; i < 4; i++) assert.ok(await tabs.nth(i).isVisible(), `tab ${i} visible`);
    const last = await tabs.nth(3).boundingBox();
    assert.ok(last.x + last.width <= 390, `last tab ends at ${last.x + last.width}`);
    // The lesson comes first.
    assert.ok(await page.locator('[data-testid="lesson"]').isVisible());
    assert.ok(!(await page.locator(SEL.input).isVisible()));

    await page.locator('[data-testid="area-tab"][data-area="terminal"]').click();
    assert.ok(await page.locator(SEL.input).isVisible());
    assert.ok(!(await page.locator('[data-testid="editor"]').isVisible()));
    assert.ok(!(await page.locator('[data-testid="lesson"]').isVisible()));
    const r = await runCommand(page, 'sqlite3 todos.db "create table narrow(id integer primary key)"');
    assert.equal(r.exit, 0);

    await page.locator('[data-testid="area-tab"][data-area="side"]').click();
    assert.ok(!(await page.locator(SEL.input).isVisible()));
    await page.locator('[data-testid="side-tab"][data-tab="database"]').click();
    assert.ok(await page.locator(SEL.table('narrow')).isVisible());
    await page.locator('[data-testid="side-tab"][data-tab="history"]').click();
    assert.ok(await page.locator('[data-testid="history-view"]').isVisible());
    assert.ok(!(await page.locator(SEL.schema).isVisible()));

    await page.locator('[data-testid="area-tab"][data-area="code"]').click();
    assert.ok(await page.locator('[data-testid="editor"]').isVisible());
    assert.ok(await page.locator('[data-testid="file-tree"]').isVisible());
    // Nothing is wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 390, `page is ${overflow}px wide`);
  });
});
