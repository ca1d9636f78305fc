// Hostile text never becomes markup: table and column names, values, file
// names, file contents, migration messages and terminal input carrying
// <img onerror> / <script> payloads are shown as text and run nothing.
// The CSP would block inline handlers anyway, so the test also checks that no
// element was injected at all (not only that nothing ran).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openApp, runCommand, SEL } from './helpers.mjs';

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

const IMG = (n) => `<img src=x onerror=window.__xss=${n}>`;
const SCRIPT = (n) => `<script>window.__xss=${n}</script>`;

/** Elements a payload would have created, anywhere in the document. */
async function injected(page) {
  return page.evaluate(() => ({
    xss: window.__xss ?? null,
    imgs: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__xss')).length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
  }));
}

test('payloads in names, values, files, messages and input stay text', { timeout: 180_000 }, async () => {
  const app = await openApp(browser, server.url, { context: { viewport: { width: 1280, height: 800 } } });
  const { page } = app;
  try {
    const lines = [
      `echo '${IMG(1)}${SCRIPT(2)}'`,
      `sqlite3 todos.db "create table \\"${IMG(3)}\\" (\\"${SCRIPT(4)}\\" text default '${IMG(5)}')"`,
      `sqlite3 todos.db "insert into \\"${IMG(3)}\\" values ('${SCRIPT(6)}')"`,
      `touch '${IMG(7)}.py'`,
      `echo '${SCRIPT(8)}' > evil.py`,
      'alembic init alembic',
      `alembic revision -m '${IMG(9)}'`,
    ];
    for (const line of lines) {
      const r = await runCommand(page, line);
      assert.equal(r.exit, 0, `${line}\n${r.stderr}`);
    }
    // Terminal: the echo printed the markup as text.
    const entries = await page.locator(SEL.stdout).allTextContents();
    assert.ok(entries.some((t) => t.includes(`${IMG(1)}${SCRIPT(2)}`)), 'echo output shown as text');

    // Database view: the table, its column and the rows (opened by a click) are text.
    const table = page.locator(`${SEL.schema} [data-testid="schema-table"]`).filter({ hasText: IMG(3) });
    assert.equal(await table.count(), 1, 'the hostile table is listed by its name');
    const rowsButton = table.locator('button').filter({ hasText: /rows/i }).first();
    if (await rowsButton.count()) await rowsButton.click();

    // Files: the tree lists the hostile name; the editor shows the hostile content as text.
    const tree = page.locator('[data-testid="file-tree"]');
    await tree.getByText(`${IMG(7)}.py`).waitFor();
    await tree.getByText('evil.py').click();
    await page.locator('[data-testid="editor"]').getByText(SCRIPT(8)).first().waitFor();

    // History: the revision's message is a label.
    await page.locator('[data-testid="side-tab"][data-tab="history"]').click();
    await page.locator('[data-testid="history-node"]').first().waitFor();
    const historyText = await page.locator('[data-testid="history-view"]').textContent();
    assert.ok(historyText.includes(IMG(9)), 'the revision message is shown as text');

    // Drift view renders with the hostile table present.
    await page.locator('[data-testid="side-tab"][data-tab="drift"]').click();
    await page.locator('[data-testid="drift-view"]').waitFor();

    // Terminal input itself: a payload typed but not run.
    await page.locator(SEL.input).fill(`${SCRIPT(10)}${IMG(11)}`);
    await page.waitForTimeout(300);

    assert.deepEqual(await injected(page), { xss: null, imgs: 0, scripts: 0, handlers: 0 });
    const fatal = app.errors.filter((e) => e.startsWith('pageerror') || /panicked/.test(e));
    assert.deepEqual(fatal, []);
  } finally {
    await app.context.close();
  }
});
