// End-to-end tests of the Database view (headless system Chromium): after
// `alembic upgrade head` the new tables are marked added and the
// alembic_version badge shows the revision; the marks last until the next
// command; removed columns stay, struck through; rows on click; the ER
// diagram; database text is never markup. Screenshots (1280x800 and 390x844,
// light and dark) go to target/screenshots/.
// Needs dist/ (trunk build --release); ./dev test builds it first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { serveDist, launchBrowser, openApp, runCommand, ROOT, SEL } from './helpers.mjs';

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

const SHOTS = path.join(ROOT, 'target', 'screenshots');

/** Open the app in a fresh context; close it after `fn`, failing on uncaught page errors / panics. */
async function withApp(fn, { viewport } = {}) {
  const app = await openApp(browser, server.url);
  try {
    if (viewport) await app.page.setViewportSize(viewport);
    await fn(app.page);
    const fatal = app.errors.filter((e) => e.startsWith('pageerror') || /panicked/.test(e));
    assert.deepEqual(fatal, [], 'page reported uncaught errors');
  } finally {
    await app.context.close();
  }
}

/** `echo -e` argument: newlines as \n, for a file written from the terminal. */
const escaped = (text) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

// alembic.ini pointing at todos.db (the terminal has no editor; the file is written whole).
const ALEMBIC_INI = `[alembic]
script_location = alembic
sqlalchemy.url = sqlite:///todos.db

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
`;

const REV1 = 'a1b2c3d4e5f6';
const REV2 = 'b2c3d4e5f6a7';

function migration(revision, down, upgrade, downgrade) {
  return `from alembic import op
import sqlalchemy as sa

revision = '${revision}'
down_revision = ${down ? `'${down}'` : 'None'}
branch_labels = None
depends_on = None


def upgrade():
${upgrade.map((l) => `    ${l}`).join('\n')}


def downgrade():
${downgrade.map((l) => `    ${l}`).join('\n')}
`;
}

const FIRST = migration(REV1, null, [
  "op.create_table('users', sa.Column('id', sa.Integer(), nullable=False), sa.Column('email', sa.String(length=120), nullable=False), sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('email'))",
  "op.create_table('todos', sa.Column('id', sa.Integer(), nullable=False), sa.Column('title', sa.String(length=200), nullable=False), sa.Column('user_id', sa.Integer(), nullable=True), sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'), sa.PrimaryKeyConstraint('id'))",
  "op.create_index('ix_todos_title', 'todos', ['title'])",
], ["op.drop_index('ix_todos_title', table_name='todos')", "op.drop_table('todos')", "op.drop_table('users')"]);

const SECOND = migration(REV2, REV1, [
  "op.add_column('todos', sa.Column('priority', sa.Integer(), server_default='0', nullable=False))",
], ["op.drop_column('todos', 'priority')"]);

async function ok(page, line) {
  const r = await runCommand(page, line);
  assert.equal(r.exit, 0, `${line}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** Set up Alembic and the first migration (no database yet). */
async function alembicProject(page) {
  await ok(page, 'alembic init alembic');
  await ok(page, `echo -e "${escaped(ALEMBIC_INI)}" > alembic.ini`);
  await ok(page, `echo -e "${escaped(FIRST)}" > alembic/versions/${REV1}_create_users_and_todos.py`);
}

const table = (name) => `${SEL.schema} ${SEL.table(name)}`;
const change = (locator) => locator.getAttribute('data-change');

async function showTerminal(page) {
  const tab = page.locator('[data-testid="area-tab"][data-area="terminal"]');
  if (await tab.isVisible()) await tab.click();
}

async function showDatabase(page) {
  // Narrow screens show one area at a time: the views' area, then its Database tab.
  for (const area of ['side', 'database']) {
    const tab = page.locator(`[data-testid="area-tab"][data-area="${area}"]`);
    if (await tab.isVisible()) await tab.click();
  }
  const side = page.locator('[data-testid="side-tab"][data-tab="database"]');
  if (await side.isVisible()) await side.click();
}

test('alembic upgrade head marks the new tables added and shows the revision', { timeout: 180_000 }, async () => {
  await withApp(async (page) => {
    await alembicProject(page);
    await ok(page, 'alembic upgrade head');

    const todos = page.locator(table('todos'));
    await todos.waitFor({ timeout: 10_000 });
    assert.equal(await change(todos), 'added', 'todos marked added');
    assert.equal(await change(page.locator(table('users'))), 'added', 'users marked added');
    const versionTable = page.locator(table('alembic_version'));
    assert.equal(await change(versionTable), 'added', 'alembic_version marked added');
    assert.match(await versionTable.textContent(), /Alembic's version table/, 'version table flagged as Alembic\'s');
    assert.match(await todos.locator('.change-tag').first().textContent(), /added/, 'a word, not colour alone');

    const badge = page.locator('[data-testid="db-version"]');
    assert.match(await badge.textContent(), new RegExp(`alembic_version: ${REV1}`));
    assert.equal(await badge.getAttribute('data-state'), 'revision');
    assert.equal(await badge.getAttribute('data-change'), 'altered');

    // Columns, indexes, unique constraints and foreign keys of the new tables.
    const title = todos.locator(SEL.column('title'));
    assert.match(await title.textContent(), /VARCHAR\(200\)/);
    assert.match(await title.textContent(), /NOT NULL/);
    assert.match(await todos.locator('[data-testid="schema-index"]').textContent(), /ix_todos_title \(title\)/);
    assert.match(await todos.locator('[data-testid="schema-fk"]').textContent(), /user_id → users\(id\) ON DELETE CASCADE/);
    assert.match(await page.locator(table('users')).locator('[data-testid="schema-unique"]').textContent(), /\(email\)/);
    const summary = await page.locator('[data-testid="schema-changes"]').textContent();
    assert.match(summary, /added table todos/);
    assert.match(summary, new RegExp(`alembic_version: none → ${REV1}`));

    // The next command moves the marks on: rows alone mark only the count.
    await ok(page, `sqlite3 todos.db "insert into users(email) values ('ada@example.com'); insert into todos(title, user_id) values ('write tests', 1), ('NULL', NULL)"`);
    await page.waitForFunction((sel) => !document.querySelector(sel)?.hasAttribute('data-change'), table('todos'));
    assert.equal(await change(page.locator(table('users'))), null);
    const count = todos.locator('[data-testid="row-count"]');
    assert.match(await count.textContent(), /2 rows \(was 0\)/);
    assert.equal(await change(count), 'altered');
    assert.equal(await badge.getAttribute('data-change'), null, 'version unchanged by that command');
  });
});

test('a column added, then removed by a downgrade, stays struck through until the next command', { timeout: 180_000 }, async () => {
  await withApp(async (page) => {
    await alembicProject(page);
    await ok(page, 'alembic upgrade head');
    await ok(page, `echo -e "${escaped(SECOND)}" > alembic/versions/${REV2}_add_priority.py`);
    await ok(page, 'alembic upgrade head');

    const todos = page.locator(table('todos'));
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-change') === 'altered', table('todos'));
    const priority = todos.locator(SEL.column('priority'));
    assert.equal(await change(priority), 'added');
    assert.equal(await change(todos.locator(SEL.column('title'))), null, 'untouched columns are not marked');
    assert.match(await page.locator('[data-testid="db-version"]').textContent(), new RegExp(REV2));

    await ok(page, 'alembic downgrade -1');
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-change') === 'removed', `${table('todos')} ${SEL.column('priority')}`);
    assert.match(await priority.textContent(), /removed/);
    const struck = await priority.locator('td').first().evaluate((td) => getComputedStyle(td).textDecorationLine);
    assert.equal(struck, 'line-through');
    assert.match(await page.locator('[data-testid="db-version"]').textContent(), new RegExp(REV1));

    // Until the next command: then it is gone.
    await ok(page, 'alembic current');
    await page.waitForFunction((sel) => !document.querySelector(sel), `${table('todos')} ${SEL.column('priority')}`);

    // A downgrade to base empties the version table; dropped tables stay, struck through.
    await ok(page, 'alembic downgrade base');
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-change') === 'removed', table('todos'));
    assert.match(await page.locator('[data-testid="db-version"]').textContent(), /empty \(base\)/);
  });
});

test('rows on click: a small table, NULL apart from the text NULL, keyboard reachable', { timeout: 180_000 }, async () => {
  await withApp(async (page) => {
    await ok(page, `sqlite3 todos.db "create table notes(id integer primary key, body text); insert into notes(body) values ('hello'), (NULL), ('NULL')"`);
    const notes = page.locator(table('notes'));
    await notes.waitFor();
    const toggle = notes.locator('[data-testid="rows-toggle"]');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    const rows = notes.locator('[data-testid="table-rows"]');
    await rows.locator('[data-testid="table-row"]').first().waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.match(await rows.locator('[data-testid="rows-caption"]').textContent(), /3 rows/);
    const cells = await rows.locator('[data-testid="table-row"]').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => (td.dataset.null ? null : td.textContent))));
    assert.deepEqual(cells, [['1', 'hello'], ['2', null], ['3', 'NULL']]);

    // Open rows follow later commands; more than 100 rows say how many are shown.
    await ok(page, `sqlite3 todos.db "with recursive n(i) as (select 1 union all select i + 1 from n where i < 150) insert into notes(body) select 'row ' || i from n"`);
    await page.waitForFunction((sel) => /Showing 100 of 153 rows/.test(document.querySelector(sel)?.textContent ?? ''), `${table('notes')} [data-testid="rows-caption"]`);
    assert.equal(await rows.locator('[data-testid="table-row"]').count(), 100);

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await rows.isHidden(), true);
  });
});

test('the diagram toggle draws tables as boxes and foreign keys as arrows', { timeout: 180_000 }, async () => {
  await withApp(async (page) => {
    await alembicProject(page);
    await ok(page, 'alembic upgrade head');
    await page.locator(table('todos')).waitFor();
    await page.locator('[data-testid="schema-mode"][data-mode="diagram"]').click();
    const svg = page.locator(`${SEL.schema} [data-testid="er-diagram"]`);
    await svg.waitFor();
    const boxes = await svg.locator('[data-testid="er-table"]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-table')).sort());
    assert.deepEqual(boxes, ['alembic_version', 'todos', 'users']);
    const arrow = svg.locator('[data-testid="er-arrow"]');
    assert.equal(await arrow.count(), 1);
    assert.equal(await arrow.getAttribute('data-from'), 'todos.user_id');
    assert.equal(await arrow.getAttribute('data-to'), 'users.id');
    assert.equal(await svg.locator('[data-testid="er-table"][data-table="todos"]').getAttribute('data-change'), 'added');
    // Boxes do not overlap on the page either.
    const rects = await svg.locator('.er-box').evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().toJSON()));
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const [a, b] = [rects[i], rects[j]];
        const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        assert.ok(apart, `boxes ${i} and ${j} overlap`);
      }
    }
    // SVG elements, in the SVG namespace (text nodes, not markup).
    assert.equal(await svg.evaluate((s) => s.namespaceURI), 'http://www.w3.org/2000/svg');
    assert.equal(await svg.locator('text.er-title').first().evaluate((t) => t.namespaceURI), 'http://www.w3.org/2000/svg');

    await page.locator('[data-testid="schema-mode"][data-mode="table"]').click();
    await page.locator(table('todos')).waitFor();
    assert.equal(await svg.count(), 0);
  });
});

test('table names, column names and values are shown as text, never run as markup', { timeout: 180_000 }, async () => {
  await withApp(async (page) => {
    await page.evaluate(() => { window.__pwned = 0; });
    const name = '<img src=x onerror=window.__pwned++>';
    const column = '<script>window.__pwned++</script>';
    await ok(page, `sqlite3 todos.db "create table [${name}]([${column}] text default '<b>x</b>'); insert into [${name}] values ('<img src=y onerror=window.__pwned++>')"`);
    const shown = page.locator(table(name));
    await shown.waitFor();
    await shown.locator('[data-testid="rows-toggle"]').click();
    await shown.locator('[data-testid="table-row"]').waitFor();
    await page.locator('[data-testid="schema-mode"][data-mode="diagram"]').click();
    await page.locator('[data-testid="er-table"]').waitFor();
    await page.locator('[data-testid="schema-mode"][data-mode="table"]').click();
    assert.equal(await page.locator(`${SEL.schema} img, ${SEL.schema} script, ${SEL.schema} b`).count(), 0, 'no element made from database text');
    assert.match(await shown.locator('.table-name').textContent(), /^<img src=x onerror=window.__pwned\+\+>$/);
    assert.equal(await page.evaluate(() => window.__pwned), 0);
  });
});

test('screenshots: wide and narrow, light and dark', { timeout: 300_000 }, async () => {
  await fs.mkdir(SHOTS, { recursive: true });
  for (const [label, viewport] of [['1280x800', { width: 1280, height: 800 }], ['390x844', { width: 390, height: 844 }]]) {
    await withApp(async (page) => {
      await showTerminal(page);
      await alembicProject(page);
      await ok(page, 'alembic upgrade head');
      await ok(page, `sqlite3 todos.db "insert into users(email) values ('ada@example.com'); insert into todos(title, user_id) values ('write tests', 1), ('ship it', NULL)"`);
      await ok(page, `echo -e "${escaped(SECOND)}" > alembic/versions/${REV2}_add_priority.py`);
      await ok(page, 'alembic upgrade head');
      await showDatabase(page);
      const todos = page.locator(table('todos'));
      await todos.locator('[data-testid="rows-toggle"]').click();
      await todos.locator('[data-testid="table-row"]').first().waitFor();
      for (const theme of ['light', 'dark']) {
        await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
        await todos.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SHOTS, `database-table-${label}-${theme}.png`) });
        await page.locator('[data-testid="schema-mode"][data-mode="diagram"]').click();
        await page.locator('[data-testid="er-diagram"]').waitFor();
        await page.screenshot({ path: path.join(SHOTS, `database-diagram-${label}-${theme}.png`) });
        await page.locator('[data-testid="schema-mode"][data-mode="table"]').click();
        await todos.waitFor();
      }
    }, { viewport });
  }
});
