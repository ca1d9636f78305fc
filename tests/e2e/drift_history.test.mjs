// The Drift and History views in headless Chromium: an edit of models.py,
// typed in the editor and autosaved, shows in the Drift view within a
// second; `alembic upgrade head` moves the current marker in the History
// view; clicking a revision opens its file and shows the schema at it;
// learner text stays text. Needs dist/ (./dev build).
// DRIFTLAB_SHOTS=DIR also saves screenshots (1280x800 and 390x844, light and dark).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, launchBrowser, openApp, readEntries, SEL } from './helpers.mjs';

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

const DRIFT = '[data-testid="drift-view"]';
const HISTORY = '[data-testid="history-view"]';
const NODE = '[data-testid="history-node"]';
const EDITOR = '[data-testid="editor-input"]';
const SHOTS = process.env.DRIFTLAB_SHOTS;

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

/**
 * Runs `line` in the terminal like helpers' runCommand, without requiring the
 * input to be visible (on a narrow screen the terminal may be another tab).
 */
async function runCommand(page, line, { timeout = 30_000 } = {}) {
  await page.waitForSelector(SEL.inputReady, { timeout, state: 'attached' });
  const before = await page.locator(SEL.entry).count();
  const input = page.locator(SEL.input);
  await input.fill(line, { force: true });
  await input.press('Enter');
  await page.waitForFunction(({ sel, n }) => {
    const entries = document.querySelectorAll(sel.entry);
    const input = document.querySelector(sel.input);
    return entries.length > n && entries[n].hasAttribute('data-exit') && input && !input.disabled;
  }, { sel: { entry: SEL.entry, input: SEL.input }, n: before }, { timeout });
  return (await readEntries(page))[before];
}

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Shows a side view: on a narrow screen, the side area's tab first. */
async function showSide(page, tab) {
  const sideTab = page.locator(`[data-testid="side-tab"][data-tab="${tab}"]`);
  if (!(await sideTab.isVisible())) await page.locator('[data-testid="area-tab"][data-area="side"]').click();
  await sideTab.click();
}

async function showArea(page, area) {
  const tab = page.locator(`[data-testid="area-tab"][data-area="${area}"]`);
  if (await tab.isVisible()) await tab.click();
}

async function detected(page) {
  return page.$$eval(`${DRIFT} [data-testid="drift-detected"]`, (items) => items.map((i) => i.textContent.trim()));
}

/** Opens `file` from the file tree and replaces its whole text, then saves (Ctrl+S). */
async function rewrite(page, file, edit) {
  await showArea(page, 'code');
  const item = page.locator(`[data-testid="tree-item"][data-path="${file}"]`);
  // On a narrow screen the file list is folded away.
  if (!(await item.isVisible())) await page.locator('[data-testid="file-tree-toggle"]').click();
  await item.click();
  await page.waitForFunction(
    ({ sel, file }) => document.querySelector(sel)?.getAttribute('aria-label') === `Contents of ${file}`,
    { sel: EDITOR, file },
  );
  const input = page.locator(EDITOR);
  const text = await input.inputValue();
  await input.fill(edit(text));
  await input.press('Control+s');
}

/** Sets up Alembic on the starter project through the terminal and the editor. */
async function setUpAlembic(page) {
  await showArea(page, 'terminal');
  assert.equal((await runCommand(page, 'alembic init alembic')).exit, 0);
  await rewrite(page, 'alembic.ini', (t) => t.replace('driver://user:pass@localhost/dbname', 'sqlite:///./todos.db'));
  await rewrite(page, 'alembic/env.py', (t) =>
    t.replace('target_metadata = None', 'from database import Base\nimport models  # noqa: F401\ntarget_metadata = Base.metadata'));
}

test('typing in models.py updates the Drift view within a second of the autosave', { timeout: 120_000 }, async () => {
  await withApp({ context: { viewport: { width: 1280, height: 800 } } }, async (page) => {
    await showSide(page, 'drift');
    const drift = page.locator(DRIFT);
    // No database yet: autogenerate would create everything.
    assert.equal(await drift.getAttribute('data-state'), 'changes');
    assert.deepEqual(await detected(page), ["Detected added table 'todos'", "Detected added index 'ix_todos_id' on '('id',)'"]);

    // The app's create_all makes the table: in sync, and the empty-migration trap is explained.
    await runCommand(page, 'uvicorn main:app');
    await page.locator(SEL.input).press('Control+c');
    await page.waitForSelector(`${DRIFT}[data-state="in-sync"]`);
    assert.match(await drift.locator('[data-testid="drift-trap"]').textContent(), /first alembic revision --autogenerate would be empty/);
    assert.match(await drift.locator('[data-testid="drift-database"]').textContent(), /todos\.db is not under Alembic/);
    await shot(page, 'drift-trap-1280-light');

    // Type a new column at the end of models.py (autosave, no Ctrl+S).
    await page.locator('[data-testid="tree-item"][data-path="models.py"]').click();
    const input = page.locator(EDITOR);
    await input.focus();
    await input.press('Control+End');
    await page.keyboard.type('    priority = Column(Integer, nullable=True)', { delay: 5 });
    const typed = Date.now();
    await page.waitForFunction(
      (sel) => [...document.querySelectorAll(`${sel} [data-testid="drift-detected"]`)]
        .some((li) => li.textContent.includes("Detected added column 'todos.priority'")),
      DRIFT,
      { timeout: 5_000, polling: 20 },
    );
    const elapsed = Date.now() - typed;
    assert.ok(elapsed < 1000, `the Drift view updated ${elapsed} ms after the last keystroke`);
    assert.equal(await drift.getAttribute('data-state'), 'changes');
    const computeMs = Number(await drift.getAttribute('data-compute-ms'));
    console.log(`drift: updated ${elapsed} ms after the last keystroke (autosave 400 ms); report computed in ${computeMs} ms`);

    // A typo: nothing compared, the error with its place.
    await input.press('Control+End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(')  # done', { delay: 5 });
    await input.fill((await input.inputValue()).replace('Column(Integer, nullable=True)', 'Column(Intger, nullable=True)'));
    await input.press('Control+s');
    await page.waitForSelector(`${DRIFT} [data-testid="drift-error"]`);
    assert.match(await drift.locator('[data-testid="drift-error"]').first().textContent(), /models\.py:\d+:\d+ NameError: name 'Intger' is not defined/);
    await shot(page, 'drift-errors-1280-light');
  });
});

test('an include_object filter in env.py keeps a table another tool owns out of the Drift view', { timeout: 180_000 }, async () => {
  await withApp({ context: { viewport: { width: 1280, height: 800 } } }, async (page) => {
    await setUpAlembic(page);
    await showArea(page, 'terminal');
    assert.equal((await runCommand(page, 'alembic revision --autogenerate -m "Initial migration" --rev-id 0001')).exit, 0);
    assert.equal((await runCommand(page, 'alembic upgrade head')).exit, 0);
    assert.equal((await runCommand(page, 'sqlite3 todos.db "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, action TEXT)"')).exit, 0);
    await showSide(page, 'drift');
    await page.waitForSelector(`${DRIFT}[data-state="changes"]`);
    assert.deepEqual(await detected(page), ["Detected removed table 'audit_log'"]);

    const hook = 'target_metadata = Base.metadata\n\n\ndef include_object(object, name, type_, reflected, compare_to):\n'
      + '    return not (type_ == "table" and reflected and compare_to is None)\n';
    await rewrite(page, 'alembic/env.py', (t) => t
      .replace('target_metadata = Base.metadata\n', hook)
      .replace('connection=connection, target_metadata=target_metadata\n', 'connection=connection, target_metadata=target_metadata,\n            include_object=include_object,\n'));
    await showSide(page, 'drift');
    await page.waitForSelector(`${DRIFT}[data-state="in-sync"]`);
    await showArea(page, 'terminal');
    const check = await runCommand(page, 'alembic check');
    assert.equal(check.exit, 0);
    assert.match(check.stdout, /No new upgrade operations detected\./);

    // A typo in the hook: Python's NameError, in the terminal and in the view.
    await rewrite(page, 'alembic/env.py', (t) => t.replace('and reflected and compare_to', 'and reflectd and compare_to'));
    await showSide(page, 'drift');
    const error = page.locator(`${DRIFT} [data-testid="drift-hook-error"]`);
    await error.waitFor();
    assert.match(await error.textContent(), /NameError: name 'reflectd' is not defined\. Did you mean: 'reflected'\?/);
    await shot(page, 'drift-hook-error-1280-light');
    await showArea(page, 'terminal');
    const failed = await runCommand(page, 'alembic check');
    assert.equal(failed.exit, 1);
    assert.match(failed.stderr, /File ".*alembic\/env\.py", line \d+, in include_object/);
  });
});

test('the History view draws revisions and moves the current marker on upgrade', { timeout: 180_000 }, async () => {
  await withApp({ context: { viewport: { width: 1280, height: 800 } } }, async (page) => {
    await setUpAlembic(page);
    await showArea(page, 'terminal');
    assert.equal((await runCommand(page, 'alembic revision --autogenerate -m "Initial migration" --rev-id 0001')).exit, 0);
    await showSide(page, 'drift');
    await page.waitForSelector(`${DRIFT} [data-testid="drift-pending-item"][data-rev="0001"]`);
    assert.match(await page.locator(`${DRIFT} [data-testid="drift-refusal"]`).textContent(), /Target database is not up to date\./);

    await showSide(page, 'history');
    const node = (rev) => page.locator(`${NODE}[data-rev="${rev}"]`);
    await node('0001').waitFor();
    assert.equal(await node('0001').getAttribute('data-current'), null);
    assert.equal(await node('0001').getAttribute('data-head'), 'true');

    await showArea(page, 'terminal');
    assert.equal((await runCommand(page, 'alembic upgrade head')).exit, 0);
    await showSide(page, 'history');
    assert.equal(await node('0001').getAttribute('data-current'), 'true');

    // A second revision: the marker stays on 0001 until the next upgrade.
    await rewrite(page, 'models.py', (t) => t.replace(
      '    created_at = Column(DateTime(timezone=True), server_default=func.now())\n',
      '    created_at = Column(DateTime(timezone=True), server_default=func.now())\n    priority = Column(Integer, nullable=True)\n'));
    await showArea(page, 'terminal');
    assert.equal((await runCommand(page, 'alembic revision --autogenerate -m "add priority to todos" --rev-id 0002')).exit, 0);
    await showSide(page, 'history');
    await node('0002').waitFor();
    assert.equal(await node('0001').getAttribute('data-current'), 'true');
    assert.equal(await node('0002').getAttribute('data-current'), null);
    assert.equal(await page.locator(`${NODE}[data-current="true"]`).count(), 1);
    // Heads first, as `alembic history` lists them; an edge joins them.
    assert.deepEqual(await page.$$eval(NODE, (ns) => ns.map((n) => n.dataset.rev)), ['0002', '0001']);
    assert.equal(await page.locator(`${HISTORY} path[data-from="0002"][data-to="0001"]`).count(), 1);

    await showArea(page, 'terminal');
    assert.equal((await runCommand(page, 'alembic upgrade head')).exit, 0);
    await showSide(page, 'history');
    assert.equal(await node('0002').getAttribute('data-current'), 'true');
    assert.equal(await node('0001').getAttribute('data-current'), null);

    // Enter on a focused revision opens its file and shows the schema at it.
    await node('0002').focus();
    await node('0002').press('Enter');
    const details = page.locator('[data-testid="history-details"][data-rev="0002"]');
    await details.waitFor();
    assert.match(await details.locator('[data-testid="history-changes"]').textContent(), /added column todos\.priority/);
    assert.match(await details.locator('[data-testid="history-schema"]').textContent(), /priority/);
    assert.equal(
      await page.locator(`${EDITOR}`).getAttribute('aria-label'),
      'Contents of alembic/versions/0002_add_priority_to_todos.py',
    );
    // A click on the first revision: its schema has no priority yet.
    await node('0001').click();
    const first = page.locator('[data-testid="history-details"][data-rev="0001"]');
    await first.waitFor();
    assert.match(await first.locator('[data-testid="history-changes"]').textContent(), /added table todos/);
    assert.doesNotMatch(await first.locator('[data-testid="history-schema"]').textContent(), /priority/);
    await showSide(page, 'history');
    await shot(page, 'history-select-1280-light');

    // Downgrade: the marker moves back, the Drift view has 0002 pending.
    await showArea(page, 'terminal');
    assert.equal((await runCommand(page, 'alembic downgrade -1')).exit, 0);
    await showSide(page, 'history');
    assert.equal(await node('0001').getAttribute('data-current'), 'true');
    await showSide(page, 'drift');
    await page.waitForSelector(`${DRIFT} [data-testid="drift-pending-item"][data-rev="0002"]`);
    assert.equal(await page.locator(`${DRIFT} [data-testid="drift-at-head"]`).getAttribute('data-at-head'), 'false');
  });
});

test('revision messages and table names are shown as text, never as HTML', { timeout: 120_000 }, async () => {
  await withApp({ context: { viewport: { width: 1280, height: 800 } } }, async (page) => {
    await page.evaluate(() => { window.__pwned = 0; });
    await setUpAlembic(page);
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await showArea(page, 'terminal');
    await runCommand(page, `alembic revision -m '${payload}' --rev-id 0001`);
    await runCommand(page, `sqlite3 todos.db 'create table "<img src=x onerror=window.__pwned=3>"(id integer)'`);
    await showSide(page, 'history');
    await page.locator(`${NODE}[data-rev="0001"]`).click();
    await page.locator('[data-testid="history-details"][data-rev="0001"]').waitFor();
    await showSide(page, 'drift');
    await page.waitForSelector(`${DRIFT} [data-testid="drift-pending-item"][data-rev="0001"]`);
    assert.match(await page.locator(`${DRIFT} [data-testid="drift-pending-item"]`).textContent(), /<img src=x onerror=/);
    assert.equal(await page.locator(`${DRIFT} img, ${HISTORY} img, ${DRIFT} script, ${HISTORY} script`).count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), 0);
  });
});

test('narrow screens and dark theme: the views fit and stay usable', { timeout: 180_000 }, async () => {
  for (const colorScheme of ['light', 'dark']) {
    await withApp({ context: { viewport: { width: 390, height: 844 }, colorScheme } }, async (page) => {
      await setUpAlembic(page);
      await showArea(page, 'terminal');
      await runCommand(page, 'alembic revision --autogenerate -m "Initial migration" --rev-id 0001');
      await runCommand(page, 'alembic upgrade head');
      await runCommand(page, 'alembic revision -m "a teammate\'s branch" --head 0001 --rev-id 0002b');
      await runCommand(page, 'alembic revision -m "my change" --head 0001 --splice --rev-id 0002a');
      await showSide(page, 'history');
      await page.locator(`${NODE}[data-rev="0002a"]`).waitFor();
      assert.equal(await page.locator(`${NODE}[data-head="true"]`).count(), 2);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(overflow <= 390, `page is ${overflow}px wide`);
      await shot(page, `history-390-${colorScheme}`);
      await showSide(page, 'drift');
      await page.locator(`${DRIFT} [data-testid="drift-pending-item"]`).first().waitFor();
      await shot(page, `drift-390-${colorScheme}`);
    });
    await withApp({ context: { viewport: { width: 1280, height: 800 }, colorScheme } }, async (page) => {
      await setUpAlembic(page);
      await showArea(page, 'terminal');
      await runCommand(page, 'alembic revision --autogenerate -m "Initial migration" --rev-id 0001');
      await runCommand(page, 'alembic upgrade head');
      await runCommand(page, 'alembic revision -m "a teammate\'s branch" --rev-id 0002b');
      await runCommand(page, 'alembic revision -m "my change" --head 0001 --splice --rev-id 0002a');
      await runCommand(page, 'alembic merge heads -m "merge the branches" --rev-id 0003');
      await showSide(page, 'history');
      await page.locator(`${NODE}[data-rev="0003"]`).click();
      await page.locator('[data-testid="history-details"][data-rev="0003"]').waitFor();
      await showSide(page, 'history');
      await shot(page, `history-1280-${colorScheme}`);
      await showSide(page, 'drift');
      await shot(page, `drift-1280-${colorScheme}`);
    });
  }
});
