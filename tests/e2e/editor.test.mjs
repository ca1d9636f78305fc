// End-to-end tests of the file tree and the editor (headless system Chromium):
// problems underlined at their line and listed, Ctrl+S and autosave write the
// project (the terminal's `cat` sees it), undo/redo, Tab indenting, leaving
// with Esc then Tab, buffers following commands, learner text never HTML.
// Screenshots (1280x800 and 390x844, light and dark) go to target/screenshots/.
// Needs dist/ (trunk build --release); ./dev test builds it first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { serveDist, launchBrowser, waitReady, runCommand, ROOT } from './helpers.mjs';

const SHOTS = path.join(ROOT, 'target', 'screenshots');
const EDITOR = '[data-testid="editor"]';
const INPUT = '[data-testid="editor-input"]';
const PROBLEMS = '[data-testid="problems"]';
const UNDERLINE = '[data-testid="problem-underline"]';
const tab = (p) => `[data-testid="file-tab"][data-path="${p}"]`;
const treeItem = (p) => `[data-testid="tree-item"][data-path="${p}"]`;

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

/** Open the app in a fresh context (of `viewport` size from the start: the
 *  file tree folds itself on narrow screens when the page loads); close it
 *  after `fn`, failing on uncaught page errors / panics. */
async function withApp(fn, { viewport } = {}) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
  try {
    await page.goto(server.url, { waitUntil: 'load' });
    await waitReady(page);
    await fn(page);
    const fatal = errors.filter((e) => e.startsWith('pageerror') || /panicked/.test(e));
    assert.deepEqual(fatal, [], 'page reported uncaught errors');
  } finally {
    await context.close();
  }
}

/** The editor's text. */
const text = (page) => page.$eval(INPUT, (el) => el.value);

/** Focus the editor with the caret (or a selection) at UTF-16 offsets. */
async function select(page, start, end = start) {
  await page.$eval(INPUT, (el, [s, e]) => { el.focus(); el.setSelectionRange(s, e); }, [start, end]);
}

/** Put the caret right after the first occurrence of `needle`. */
async function caretAfter(page, needle) {
  const value = await text(page);
  const at = value.indexOf(needle);
  assert.ok(at >= 0, `${JSON.stringify(needle)} is in the editor`);
  await select(page, at + needle.length);
}

/** Turn autosave off (saved in localStorage per context). */
async function autosaveOff(page) {
  const box = page.locator('[data-testid="autosave"]');
  if (await box.isChecked()) await box.click();
  assert.equal(await box.isChecked(), false);
}

test('the tree lists the project and opens a file in a tab with highlighting', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    const tree = page.locator('[data-testid="file-tree"]');
    for (const file of ['main.py', 'models.py', 'database.py', 'config.py', 'requirements.txt']) {
      assert.equal(await tree.locator(treeItem(file)).count(), 1, `${file} in the tree`);
    }
    // models.py is open at start; open database.py with the keyboard.
    await page.locator(tab('models.py')).waitFor();
    await tree.locator(treeItem('database.py')).focus();
    await page.keyboard.press('Enter');
    await page.locator(tab('database.py')).waitFor();
    assert.match(await text(page), /^"""Database engine/);
    assert.equal(await page.locator(`${tab('database.py')} [role="tab"]`).getAttribute('aria-selected'), 'true');
    assert.equal(await tree.locator(treeItem('database.py')).getAttribute('aria-current'), 'true');
    // Highlighting comes from our tokenizer: keywords, types, strings.
    const kinds = await page.$$eval(`${EDITOR} .tok`, (spans) => spans.map((s) => `${s.className.replace('tok tok-', '')}:${s.textContent}`));
    for (const expected of ['keyword:from', 'keyword:import', 'type:Base', 'keyword:def', 'function:get_db']) {
      assert.ok(kinds.includes(expected), `${expected} in ${kinds.slice(0, 30).join(' ')}`);
    }
    // Arrow keys move in the tree; closing a tab shows the previous one.
    await tree.locator(treeItem('database.py')).focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.path), 'main.py');
    await page.locator(`${tab('database.py')} .file-tab-close`).click();
    assert.equal(await page.locator(tab('database.py')).count(), 0);
    assert.match(await text(page), /The todo app's tables/);
  });
});

test('a syntax error is underlined at its line and listed; fixing it clears it', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    await page.locator(tab('models.py')).waitFor();
    assert.equal(await page.locator(UNDERLINE).count(), 0, 'the starter has no problems');
    // Remove the colon of `class Todo(Base):` (line 7).
    await caretAfter(page, 'class Todo(Base):');
    await page.keyboard.press('Backspace');
    const underline = page.locator(`${UNDERLINE}[data-line="7"]`);
    await underline.waitFor({ timeout: 5_000 });
    assert.equal(await page.locator(UNDERLINE).count(), 1, 'one problem');
    assert.equal(await underline.getAttribute('title'), "SyntaxError: expected ':'");
    assert.match(await underline.getAttribute('class'), /problem-error/);
    // Drawn on line 7: level with the gutter's 7.
    const [mark, gutter7] = await Promise.all([
      underline.boundingBox(),
      page.locator(`${EDITOR} .gutter-line`).nth(6).boundingBox(),
    ]);
    assert.ok(Math.abs(mark.y - gutter7.y) < 4, `underline at y=${mark.y}, line 7 at y=${gutter7.y}`);
    assert.equal(await page.locator(`${EDITOR} .gutter-line.has-problem`).textContent(), '7');
    // Hovering the place shows the message (the textarea lies over the underline).
    await page.mouse.move(mark.x + mark.width / 2, mark.y + mark.height / 2);
    await page.waitForFunction((sel) => document.querySelector(sel).title === "SyntaxError: expected ':'", INPUT);
    const listed = await page.locator(`${PROBLEMS} [data-testid="problem-item"]`).allTextContents();
    assert.equal(listed.length, 1);
    assert.match(listed[0], /models\.py:7:17 — SyntaxError: expected ':'/);

    // A second error elsewhere: both underlined at once.
    await caretAfter(page, 'Column(Integer');
    await page.keyboard.press('Backspace');
    await page.locator(`${UNDERLINE}[data-line="10"]`).waitFor();
    assert.equal(await page.locator(UNDERLINE).count(), 2);

    // Clicking a problem in the list puts the caret on it.
    await page.locator(`${PROBLEMS} [data-testid="problem-item"][data-line="7"]`).click();
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'editor-input');
    const caret = await page.$eval(INPUT, (el) => el.value.slice(0, el.selectionStart).split('\n').length);
    assert.equal(caret, 7, 'the caret is on line 7');

    // Fix both: the underlines and the list empty.
    await page.keyboard.type(':');
    await caretAfter(page, 'Column(Intege');
    await page.keyboard.type('r');
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0, UNDERLINE, { timeout: 5_000 });
    assert.equal(await page.locator(`${PROBLEMS} [data-testid="problem-item"]`).count(), 0);
    assert.equal(await page.locator('[data-testid="problem-count"]').textContent(), '0');
  });
});

test('Ctrl+S saves: the unsaved marker goes and `cat` shows the new text', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    await page.locator(tab('models.py')).waitFor();
    await autosaveOff(page);
    await caretAfter(page, '__tablename__ = "todos"');
    await page.keyboard.type('  # saved with ctrl+s');
    const marker = page.locator(`${tab('models.py')} [data-testid="unsaved-marker"]`);
    await marker.waitFor();
    assert.equal(await marker.textContent(), '●');
    let cat = await runCommand(page, 'cat models.py');
    assert.doesNotMatch(cat.stdout, /saved with ctrl\+s/, 'not written before saving');

    await page.locator(INPUT).focus();
    await page.keyboard.press('Control+s');
    await marker.waitFor({ state: 'detached' });
    cat = await runCommand(page, 'cat models.py');
    assert.match(cat.stdout, /__tablename__ = "todos"  # saved with ctrl\+s\n/);
  });
});

test('saving while `uvicorn --reload` runs: the reload shows in the terminal', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    await page.locator(tab('models.py')).waitFor();
    await autosaveOff(page);
    const started = await runCommand(page, 'uvicorn main:app --reload');
    assert.match(started.stderr, /Will watch for changes/);
    await caretAfter(page, '__tablename__ = "todos"');
    await page.keyboard.type('  # reload me');
    await page.keyboard.press('Control+s');
    await page.waitForFunction(
      () => /WatchFiles detected changes in 'models\.py'\. Reloading\.\.\./.test(document.querySelector('[data-testid="terminal-output"]').textContent),
      null,
      { timeout: 5_000 },
    );
  });
});

test('autosave writes the file a moment after typing stops', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    await page.locator(tab('models.py')).waitFor();
    assert.equal(await page.locator('[data-testid="autosave"]').isChecked(), true, 'on by default');
    await caretAfter(page, '__tablename__ = "todos"');
    await page.keyboard.type('  # autosaved');
    await page.locator(`${tab('models.py')} [data-testid="unsaved-marker"]`).waitFor({ state: 'detached', timeout: 3_000 });
    const cat = await runCommand(page, 'cat models.py');
    assert.match(cat.stdout, /# autosaved\n/);
  });
});

test('undo and redo: Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    await page.locator(tab('models.py')).waitFor();
    const original = await text(page);
    await caretAfter(page, '__tablename__ = "todos"');
    await page.keyboard.type('  # first');
    await page.waitForTimeout(1_100); // a pause ends an undo step
    await page.keyboard.type(' second');
    assert.match(await text(page), /"todos"  # first second\n/);
    await page.keyboard.press('Control+z');
    assert.match(await text(page), /"todos"  # first\n/, 'one step: what was typed after the pause');
    await page.keyboard.press('Control+z');
    assert.equal(await text(page), original, 'back to the start');
    await page.keyboard.press('Control+Shift+z');
    assert.match(await text(page), /"todos"  # first\n/);
    await page.keyboard.press('Control+y');
    assert.match(await text(page), /"todos"  # first second\n/);
    // The caret follows the restored text.
    const caret = await page.$eval(INPUT, (el) => el.value.slice(0, el.selectionStart));
    assert.ok(caret.endsWith('# first second'), `caret after the redone text: ${JSON.stringify(caret.slice(-20))}`);
  });
});

test('Tab indents (a selection by lines), Shift+Tab dedents, Enter keeps the indentation, Esc then Tab leaves', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    await page.locator(tab('models.py')).waitFor();
    await autosaveOff(page);
    // At the start of an empty line: four spaces.
    await caretAfter(page, 'import Base\n');
    await page.keyboard.press('Tab');
    assert.match(await text(page), /import Base\n    \n/);
    await page.keyboard.press('Shift+Tab');
    assert.match(await text(page), /import Base\n\n/);
    // Two selected lines move together, and back.
    const value = await text(page);
    const start = value.indexOf('    id = Column');
    const end = value.indexOf('    title = Column') + 10;
    await select(page, start, end);
    await page.keyboard.press('Tab');
    assert.match(await text(page), /\n {8}id = Column\(.*\n {8}title = Column/);
    await page.keyboard.press('Shift+Tab');
    assert.match(await text(page), /\n {4}id = Column\(.*\n {4}title = Column/);
    // Enter after a colon opens an indented line.
    await caretAfter(page, 'class Todo(Base):');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"""A todo."""');
    assert.match(await text(page), /class Todo\(Base\):\n {4}"""A todo."""\n/);
    // Tab stays in the editor; Escape then Tab moves focus on.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'editor-input');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement.dataset.testid), 'editor-input', 'focus left the editor');
  });
});

test('open files follow commands: reloads, deleted files, new files in the tree', { timeout: 180_000 }, async () => {
  await withApp(async (page) => {
    await page.locator(tab('models.py')).waitFor();
    await page.locator(treeItem('config.py')).click();
    await page.locator(tab('config.py')).waitFor();
    await runCommand(page, 'echo "# appended by a command" >> config.py');
    await page.waitForFunction((sel) => document.querySelector(sel).value.includes('# appended by a command'), INPUT);
    assert.equal(await page.locator(`${tab('config.py')} [data-testid="unsaved-marker"]`).count(), 0, 'a reload is not an edit');

    await runCommand(page, 'rm config.py');
    await page.locator('[data-testid="editor-deleted"]').waitFor();
    assert.match(await page.locator(tab('config.py')).textContent(), /deleted/);
    assert.equal(await page.locator(treeItem('config.py')).count(), 0, 'gone from the tree');
    assert.match(await text(page), /# appended by a command/, 'the text is kept');

    await runCommand(page, 'alembic init alembic');
    await page.locator(treeItem('alembic/versions')).waitFor();
    await page.locator(treeItem('alembic/env.py')).click();
    await page.locator(tab('alembic/env.py')).waitFor();
    assert.match(await text(page), /from alembic import context/);
    // alembic.ini's template URL is a problem the editor shows for alembic.ini.
    await page.locator(`${PROBLEMS} [data-testid="problem-item"][data-path="alembic.ini"]`).waitFor();

    // A migration file is edited like any file.
    await runCommand(page, 'alembic revision -m "add priority"');
    const migration = page.locator('[data-testid="tree-item"][data-path^="alembic/versions/"][data-path$="_add_priority.py"]');
    await migration.waitFor();
    assert.equal(await migration.getAttribute('data-depth'), '2');
    const migrationPath = await migration.getAttribute('data-path');
    await migration.click();
    await page.locator(tab(migrationPath)).waitFor();
    await caretAfter(page, 'def upgrade() -> None:');
    await page.keyboard.press('Enter');
    await page.keyboard.type('op.add_column("todos", sa.Column("priority", sa.Integer()))');
    await page.keyboard.press('Control+s');
    const shown = await runCommand(page, `cat ${migrationPath}`);
    assert.match(shown.stdout, /def upgrade\(\) -> None:\n {4}op\.add_column\("todos", sa\.Column\("priority", sa\.Integer\(\)\)\)\n/);

    // A database opens as a notice, not as text.
    await runCommand(page, 'sqlite3 todos.db "create table t(a)"');
    await page.locator(treeItem('todos.db')).click();
    await page.locator('[data-testid="editor-binary"]').waitFor();
    assert.match(await page.locator('[data-testid="editor-binary"]').textContent(), /todos\.db is an SQLite database: see the Database view/);
  });
});

test('what the learner types is shown as text, never as HTML', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    await page.locator(tab('models.py')).waitFor();
    await autosaveOff(page);
    await page.evaluate(() => { window.__pwned = 0; });
    await caretAfter(page, '__tablename__ = "todos"');
    const payload = '\n    <img src=x onerror=window.__pwned++><script>window.__pwned++</script>';
    await page.keyboard.insertText(payload);
    // The broken line is a problem, and its text is in the overlay as text.
    await page.locator(UNDERLINE).first().waitFor();
    assert.equal(await page.locator(`${EDITOR} img, ${EDITOR} script`).count(), 0, 'no element made from the text');
    const overlay = await page.locator(`${EDITOR} .editor-highlight`).textContent();
    assert.ok(overlay.includes('<img src=x onerror=window.__pwned++><script>'), 'the payload is shown as typed');
    await page.keyboard.press('Control+s');
    await runCommand(page, 'cat models.py');
    assert.equal(await page.evaluate(() => window.__pwned), 0);
  });
});

test('screenshots: wide and narrow, light and dark', { timeout: 300_000 }, async () => {
  await fs.mkdir(SHOTS, { recursive: true });
  for (const [label, viewport] of [['1280x800', { width: 1280, height: 800 }], ['390x844', { width: 390, height: 844 }]]) {
    await withApp(async (page) => {
      // On a narrow screen the areas are tabs: show the code.
      const codeTab = page.locator('[data-testid="area-tab"][data-area="code"]');
      if (await codeTab.isVisible()) await codeTab.click();
      await page.locator(tab('models.py')).waitFor();
      await autosaveOff(page);
      await caretAfter(page, 'Column(Integer');
      await page.keyboard.press('Backspace');
      await caretAfter(page, 'class Todo(Base):');
      await page.keyboard.press('Backspace');
      await page.locator(UNDERLINE).nth(1).waitFor();
      for (const theme of ['light', 'dark']) {
        await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
        await page.screenshot({ path: path.join(SHOTS, `editor-${label}-${theme}.png`) });
      }
    }, { viewport });
  }
});
