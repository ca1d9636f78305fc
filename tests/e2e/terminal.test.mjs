// End-to-end tests of the page's terminal and schema pane (headless system Chromium).
// Needs dist/ (trunk build --release); ./dev test builds it first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openApp, runCommand, readEntries, readSchema, SEL } from './helpers.mjs';

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

/** Open the app in a fresh context; close it after `fn`, failing on uncaught page errors / panics. */
async function withApp(fn) {
  const app = await openApp(browser, server.url);
  try {
    await fn(app.page);
    const fatal = app.errors.filter((e) => e.startsWith('pageerror') || /panicked/.test(e));
    assert.deepEqual(fatal, [], 'page reported uncaught errors');
  } finally {
    await app.context.close();
  }
}

const CREATE_T = 'sqlite3 todos.db "create table t(a integer primary key, b text not null)"';

test('create table shows the table and its columns in the schema pane', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    const r = await runCommand(page, CREATE_T);
    assert.equal(r.command, CREATE_T, 'entry echoes the command');
    assert.deepEqual({ stdout: r.stdout, stderr: r.stderr, exit: r.exit }, { stdout: '', stderr: '', exit: 0 });

    const table = page.locator(`${SEL.schema} ${SEL.table('t')}`);
    await table.waitFor({ timeout: 10_000 });
    const a = table.locator(SEL.column('a'));
    const b = table.locator(SEL.column('b'));
    assert.equal(await a.count(), 1, 'column a shown once');
    assert.equal(await b.count(), 1, 'column b shown once');
    assert.match(await a.textContent(), /integer/i, 'column a shows its type');
    assert.match(await b.textContent(), /text/i, 'column b shows its type');
    assert.equal(await table.locator('[data-testid="schema-column"]').count(), 2, 'exactly two columns');
  });
});

test('a bad statement prints the sqlite3 error, exits 1 and leaves the schema unchanged', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    await runCommand(page, CREATE_T);
    await page.locator(SEL.table('t')).waitFor({ timeout: 10_000 });
    const schemaBefore = await readSchema(page);

    const r = await runCommand(page, 'sqlite3 todos.db "selec 1"');
    assert.equal(r.exit, 1, 'exit code');
    assert.equal(r.stdout, '', 'no stdout');
    assert.ok(r.stderr.includes('near "selec": syntax error'), `stderr has the sqlite3 error text, got: ${JSON.stringify(r.stderr)}`);

    const entry = page.locator(SEL.entry).last();
    assert.equal(await entry.getAttribute('data-exit'), '1');
    assert.equal(await entry.locator(SEL.stderr).count(), 1, 'stderr element present');

    assert.deepEqual(await readSchema(page), schemaBefore, 'schema unchanged');
  });
});

test('the page survives 50 commands in a row', { timeout: 300_000 }, async () => {
  await withApp(async (page) => {
    const lines = [CREATE_T];
    const expected = [{ stdout: '', exit: 0 }];
    let rows = 0;
    for (let i = 1; i < 49; i++) {
      if (i % 10 === 0) {
        lines.push('sqlite3 todos.db ".tables"');
        expected.push({ stdout: 't', exit: 0 });
      } else if (i % 5 === 0) {
        lines.push('sqlite3 todos.db "select count(*) from t"');
        expected.push({ stdout: String(rows), exit: 0 });
      } else {
        rows++;
        lines.push(`sqlite3 todos.db "insert into t(b) values ('row ${i}')"`);
        expected.push({ stdout: '', exit: 0 });
      }
    }
    lines.push(`sqlite3 todos.db "select a, b from t where a = ${rows}"`);
    expected.push({ stdout: `${rows}|row 48`, exit: 0 });
    assert.equal(lines.length, 50);

    for (const line of lines) await runCommand(page, line);

    const entries = await readEntries(page);
    assert.equal(entries.length, 50, 'all 50 entries present');
    entries.forEach((e, i) => {
      assert.equal(e.command, lines[i], `entry ${i} command`);
      assert.equal(e.exit, expected[i].exit, `entry ${i} (${lines[i]}) exit; stderr: ${e.stderr}`);
      assert.equal(e.stderr, '', `entry ${i} (${lines[i]}) stderr`);
      assert.equal(e.stdout.trimEnd(), expected[i].stdout, `entry ${i} (${lines[i]}) stdout`);
    });
    // Still usable afterwards.
    const last = await runCommand(page, 'sqlite3 todos.db "select count(*) from t"');
    assert.equal(last.stdout.trimEnd(), String(rows));
  });
});

test('Up/Down arrows recall command history', { timeout: 120_000 }, async () => {
  await withApp(async (page) => {
    const first = 'sqlite3 todos.db "select 1"';
    const second = 'sqlite3 todos.db "select 2"';
    assert.equal((await runCommand(page, first)).stdout.trimEnd(), '1');
    assert.equal((await runCommand(page, second)).stdout.trimEnd(), '2');

    const input = page.locator(SEL.input);
    const expectValue = async (want, what) => {
      try {
        await page.waitForFunction(({ sel, want }) => document.querySelector(sel).value === want,
          { sel: SEL.input, want }, { timeout: 5_000 });
      } catch {
        assert.equal(await input.inputValue(), want, what);
      }
    };

    await expectValue('', 'input is cleared after running');
    await input.press('ArrowUp');
    await expectValue(second, 'Up recalls the newest command');
    await input.press('ArrowUp');
    await expectValue(first, 'Up again recalls the older command');
    await input.press('ArrowUp');
    await expectValue(first, 'Up at the oldest stays there');
    await input.press('ArrowDown');
    await expectValue(second, 'Down goes to the newer command');
    await input.press('ArrowDown');
    await expectValue('', 'Down past the newest returns to an empty line');

    // A recalled command runs again on Enter.
    await input.press('ArrowUp');
    await input.press('ArrowUp');
    await expectValue(first, 'recalled again');
    const before = await page.locator(SEL.entry).count();
    await input.press('Enter');
    await page.waitForFunction(({ sel, n }) => {
      const e = document.querySelectorAll(sel);
      return e.length > n && e[n].hasAttribute('data-exit');
    }, { sel: SEL.entry, n: before }, { timeout: 10_000 });
    const entries = await readEntries(page);
    assert.equal(entries.at(-1).command, first);
    assert.equal(entries.at(-1).stdout.trimEnd(), '1');
  });
});
