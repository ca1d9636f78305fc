// Share links and embeds (issue 9): a link opened in a fresh browser gives
// the same project; hostile links give clean messages and run nothing; an
// embed URL shows only the chosen panes, read-only when asked; the iframe
// example of docs/EMBED.md works when copied into a page of another site.
//
//   ./dev build && node --test tests/e2e/share_embed.test.mjs

import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, SEL, serveDist, launchBrowser, openApp, runCommand, readEntries, readSchema, waitReady, cspViolations } from './helpers.mjs';

/** A link's fragment made here, as share.rs makes one: JSON, zlib, base64url, `v1.`. */
function fragmentOf(json) {
  const bytes = Buffer.isBuffer(json) ? json : Buffer.from(typeof json === 'string' ? json : JSON.stringify(json));
  return `v1.${zlib.deflateSync(bytes).toString('base64url')}`;
}

async function withServer(fn) {
  const server = await serveDist();
  const browsers = [];
  try {
    await fn(server, async () => {
      // A new browser each time: a fresh, empty profile.
      const browser = await launchBrowser();
      browsers.push(browser);
      return browser;
    });
  } finally {
    for (const browser of browsers) await browser.close();
    await server.close();
  }
}

/** What a state is made of, read through the page: files, schema, rows, lesson. */
async function stateOf(page) {
  const files = (await runCommand(page, 'find . -type f')).stdout.split('\n').filter(Boolean).sort();
  const contents = {};
  for (const file of files.filter((f) => !f.endsWith('.db'))) {
    contents[file] = (await runCommand(page, `cat '${file}'`)).stdout;
  }
  const rows = (await runCommand(page, 'sqlite3 todos.db "select * from shared_rows order by a"')).stdout;
  const version = (await runCommand(page, 'sqlite3 todos.db "select version_num from alembic_version"')).stdout;
  return {
    files,
    contents,
    schema: await readSchema(page),
    rows,
    version,
    lesson: await page.evaluate(() => ({
      heading: document.querySelector('.lesson-heading')?.textContent ?? null,
      shown: document.querySelector('[data-testid="lesson-step"][aria-current="step"]')?.dataset.step ?? null,
    })),
  };
}

test('a share link opened in a fresh browser gives the same files, schema, rows and lesson step', { timeout: 300_000 }, async () => {
  await withServer(async (server, newBrowser) => {
    const { page } = await openApp(await newBrowser(), server.url);
    await page.click('[data-testid="lessons-toggle"]');
    await page.click('[data-testid="lesson-link"][data-lesson="03-the-empty-migration"]');
    for (let step = 0; step < 4; step++) {
      await page.locator(`[data-testid="lesson-step"][data-step="${step}"] .step-title`).click();
      await page.click('[data-testid="show-me"]');
      await page.locator(`[data-testid="lesson-step"][data-step="${step}"][data-state="done"]`).waitFor();
    }
    await page.locator('[data-testid="lesson-step"][data-step="4"] .step-title').click();
    await runCommand(page, 'alembic upgrade head');
    await runCommand(page, `sqlite3 todos.db "create table shared_rows(a text, b integer); insert into shared_rows values ('one', 1), ('two', 2)"`);
    await runCommand(page, 'echo "kept: é ✓" > notes.txt');
    const before = await stateOf(page);
    assert.equal(before.rows, 'one|1\ntwo|2\n');
    assert.match(before.version, /^[0-9a-f]{12}\n$/);

    await page.click('[data-testid="project-menu"]');
    await page.click('[data-testid="share-link"]');
    const link = await page.inputValue('[data-testid="share-url"]');
    assert.ok(link.startsWith(`${server.url}#project=v1.`), link.slice(0, 80));

    const other = await openApp(await newBrowser(), link);
    assert.equal(await other.page.evaluate(() => document.documentElement.dataset.start), 'shared');
    assert.equal(new URL(other.page.url()).hash, '', 'the link leaves the address bar, so a reload keeps later work');
    const notice = other.page.locator('[data-testid="recovery-notice"][data-kind="shared"]');
    assert.equal(await notice.textContent(), 'You opened a shared project, at lesson 3. The empty migration.OK');
    assert.deepEqual(await stateOf(other.page), before);
    assert.deepEqual(other.errors, []);
    // A reload keeps what was done since, rather than opening the link again.
    await runCommand(other.page, 'echo later > later.txt');
    await other.page.waitForFunction(() => (localStorage.getItem('driftlab.session') ?? '').includes('later.txt'));
    await other.page.reload();
    await waitReady(other.page);
    assert.equal((await runCommand(other.page, 'cat later.txt')).stdout, 'later\n');
  });
});

test('opening a link keeps the learner\'s own work aside until they choose', { timeout: 180_000 }, async () => {
  await withServer(async (server, newBrowser) => {
    const { page } = await openApp(await newBrowser(), server.url);
    await runCommand(page, 'echo mine > mine.txt');
    await page.waitForFunction(() => (localStorage.getItem('driftlab.session') ?? '').includes('mine.txt'));
    const link = `${server.url}#project=${fragmentOf({ project: { files: { 'theirs.txt': { text: 'theirs\n' } } } })}`;
    await page.goto(link);
    await waitReady(page);
    assert.equal((await runCommand(page, 'ls')).stdout, 'theirs.txt\n');
    await page.click('[data-testid="back-to-own-work"]');
    assert.equal((await runCommand(page, 'cat mine.txt')).stdout, 'mine\n');
    assert.equal(await page.evaluate(() => localStorage.getItem('driftlab.session.replaced')), null);
  });
});

test('hostile share links give clean messages and run nothing', { timeout: 300_000 }, async () => {
  const markup = '<img src=x onerror="window.__pwned=1">';
  const cases = [
    ['a path out of the project', fragmentOf({ project: { files: { '../../etc/passwd': { text: 'x' } } } }),
      'The link could not be opened. This share link holds something driftlab won\'t load: the path "../../etc/passwd" climbs out of the project.OK'],
    ['markup as a lesson name', fragmentOf({ project: { files: { 'a.py': { text: '' } } }, lesson: markup }),
      `The link could not be opened. This share link holds something driftlab won't load: the lesson name ${JSON.stringify(markup)} is not one a lesson can have.OK`],
    ['oversized', `v1.${'A'.repeat(70_000)}`,
      'The link could not be opened. This share link is too long (69 KB; the limit is 64 KB): driftlab won\'t open it.OK'],
    ['truncated', fragmentOf({ project: { files: { 'main.py': { text: 'print("hello")\n'.repeat(50) } } } }).slice(0, 40),
      'The link could not be opened. This share link is cut short: part of it is missing. Copy the whole link and try again.OK'],
    ['garbage', '%%%<script>window.__pwned=2</script>',
      'The link could not be opened. This is not a driftlab share link.OK'],
    ['garbage after the version', `v1.${encodeURIComponent('<script>window.__pwned=3</script>')}`,
      'The link could not be opened. This share link is damaged: it contains characters a driftlab link never has.OK'],
    ['another version', 'v7.abcdef',
      'The link could not be opened. This share link was made by another version of driftlab (format v7); this page reads v1.OK'],
    ['a zip bomb', fragmentOf({ project: { files: { 'big.txt': { text: 'a'.repeat(9 * 1024 * 1024) } } } }),
      'The link could not be opened. This share link unpacks to more than 8 MB: driftlab won\'t open it.OK'],
    ['not JSON inside', fragmentOf(markup),
      'The link could not be opened. This share link is damaged and can\'t be read (expected value at line 1, column 1).OK'],
    ['the wrong shape', fragmentOf({ project: { files: { 'a.py': { exe: 'rm -rf /' } } } }),
      /^The link could not be opened\. This share link is damaged and can't be read \(unknown variant `exe`, expected `text` or `base64` at line 1, column \d+\)\.OK$/],
  ];
  await withServer(async (server, newBrowser) => {
    const browser = await newBrowser();
    for (const [name, fragment, message] of cases) {
      const { page, errors, context } = await openApp(browser, `${server.url}#project=${fragment}`);
      const notice = page.locator('[data-testid="recovery-notice"][data-kind="bad-link"]');
      const text = await notice.textContent();
      if (message instanceof RegExp) assert.match(text, message, name);
      else assert.equal(text, message, name);
      // Nothing ran, nothing executed: the starter project, an empty terminal.
      assert.equal(await page.evaluate(() => document.documentElement.dataset.start), 'fresh', name);
      assert.deepEqual(await readEntries(page), [], name);
      assert.equal(await page.evaluate(() => window.__pwned), undefined, name);
      assert.equal(await page.locator('body img').count(), 0, name);
      assert.deepEqual(errors, [], name);
      assert.deepEqual(await cspViolations(page), [], name);
      await context.close();
    }
  });
});

test('markup in file and table names from a link stays text', { timeout: 180_000 }, async () => {
  const file = '<img src=x onerror="window.__pwned=1">.py';
  const table = '<script>window.__pwned=2</script>';
  await withServer(async (server, newBrowser) => {
    const { page } = await openApp(await newBrowser(), server.url);
    await runCommand(page, `echo '<b onmouseover=alert(1)>x</b>' > '${file}'`);
    await runCommand(page, `sqlite3 todos.db 'create table "${table}" (id integer primary key, "<i>c</i>" text)'`);
    await page.click('[data-testid="project-menu"]');
    await page.click('[data-testid="share-link"]');
    const link = await page.inputValue('[data-testid="share-url"]');

    const other = await openApp(await newBrowser(), link);
    assert.equal(await other.page.evaluate(() => document.documentElement.dataset.start), 'shared');
    const names = await other.page.$$eval('[data-testid="tree-item"]', (items) => items.map((i) => i.dataset.path));
    assert.ok(names.includes(file), names.join(' | '));
    assert.ok(table in (await readSchema(other.page)), 'the table, by its name');
    await other.page.locator(`[data-testid="tree-item"][data-path="${file.replace(/"/g, '\\"')}"]`).click();
    assert.equal(await other.page.evaluate(() => window.__pwned), undefined);
    assert.equal(await other.page.locator('body img, body b').count(), 0);
    assert.deepEqual(other.errors, []);
    assert.deepEqual(await cspViolations(other.page), []);
  });
});

/** Which areas of the page show. */
async function visibleAreas(page) {
  return page.evaluate(() => {
    const shown = (sel) => {
      const el = document.querySelector(sel);
      return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    return {
      topbar: shown('.topbar'),
      embedBar: shown('[data-testid="embed-bar"]'),
      lesson: shown('.area-lesson'),
      code: shown('.area-code'),
      terminal: shown('.area-terminal'),
      side: shown('.area-side'),
      sideTabs: shown('.side-tabs'),
      schema: shown('[data-testid="schema-view"]'),
      drift: shown('#side-panel-drift'),
      history: shown('#side-panel-history'),
      prompt: shown('.terminal-input-line'),
    };
  });
}

test('an embed URL shows only the chosen panes, keeps nothing, and plays the lesson to its step', { timeout: 180_000 }, async () => {
  await withServer(async (server, newBrowser) => {
    const browser = await newBrowser();
    // The learner's own work on this site, which an embed must not touch.
    const own = await openApp(browser, server.url);
    await runCommand(own.page, 'echo mine > mine.txt');
    await own.page.waitForFunction(() => (localStorage.getItem('driftlab.session') ?? '').includes('mine.txt'));
    const saved = await own.page.evaluate(() => localStorage.getItem('driftlab.session'));
    const progress = await own.page.evaluate(() => localStorage.getItem('driftlab.progress'));
    await own.page.close();

    const page = await own.context.newPage();
    await page.goto(`${server.url}?embed=1&lesson=03-the-empty-migration&step=2&panes=terminal,schema`);
    await waitReady(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.start), 'embedded');
    assert.deepEqual(await visibleAreas(page), {
      topbar: false, embedBar: true, lesson: false, code: false, terminal: true, side: true,
      sideTabs: false, schema: true, drift: false, history: false, prompt: true,
    });
    // Step 1's solution was played: its command is in the terminal, its result in the project.
    assert.deepEqual((await readEntries(page)).map((e) => e.command), ['pip install alembic', 'alembic init alembic']);
    assert.equal((await runCommand(page, 'ls alembic.ini')).exit, 0);
    assert.equal(await page.locator('[data-testid="embed-problems"]').count(), 0);
    await page.waitForTimeout(800);
    assert.equal(await page.evaluate(() => localStorage.getItem('driftlab.session')), saved, 'the embed kept nothing');
    assert.equal(await page.evaluate(() => localStorage.getItem('driftlab.progress')), progress, 'nor the lesson progress');

    // Two side views: both tabs, the first chosen one shown.
    await page.goto(`${server.url}?embed=1&panes=history,drift`);
    await waitReady(page);
    assert.deepEqual(await visibleAreas(page), {
      topbar: false, embedBar: true, lesson: false, code: false, terminal: false, side: true,
      sideTabs: true, schema: false, drift: true, history: false, prompt: false,
    });
    assert.deepEqual(await page.$$eval('.side-tab', (tabs) => tabs.filter((t) => t.getClientRects().length).map((t) => t.dataset.tab)), ['drift', 'history']);

    // What the URL gets wrong is said, the rest applies.
    await page.goto(`${server.url}?embed=1&lesson=99-nope&panes=terminal,${encodeURIComponent('<b>x</b>')}`);
    await waitReady(page);
    assert.deepEqual(await page.$$eval('[data-testid="embed-problems"] li', (items) => items.map((i) => i.textContent)), [
      'panes: "<b>x</b>" is not a pane (the panes are lesson, code, terminal, schema, drift, history); it is ignored.',
    ]);
    assert.equal(await page.textContent('[data-testid="recovery-notice"][data-kind="bad-link"]'), 'The link could not be opened. There is no lesson "99-nope" in this driftlab.OK');
    assert.equal((await visibleAreas(page)).terminal, true);
    assert.equal(await page.locator('body b').count(), 0);
  });
});

test('read-only: the editor takes no edits and the terminal has no prompt', { timeout: 180_000 }, async () => {
  await withServer(async (server, newBrowser) => {
    // The prompt is hidden, not gone: openApp's wait for it still holds.
    const { page: p, errors } = await openApp(await newBrowser(), `${server.url}?embed=1&lesson=5&step=4&panes=code,drift,terminal&readonly=1`);
    const areas = await visibleAreas(p);
    assert.equal(areas.code, true);
    assert.equal(areas.prompt, false, 'no prompt');
    assert.equal(await p.textContent('[data-testid="embed-readonly"]'), 'read-only');
    const editor = p.locator('[data-testid="editor-input"]');
    const text = await editor.inputValue();
    await editor.click();
    await p.keyboard.type('zzz');
    await p.keyboard.press('Enter');
    await p.keyboard.press('Backspace');
    await p.keyboard.press('Control+z');
    await p.keyboard.insertText('pasted');
    assert.equal(await editor.inputValue(), text, 'the text is unchanged');
    // Tab leaves the editor instead of indenting.
    await p.keyboard.press('Tab');
    assert.notEqual(await p.evaluate(() => document.activeElement?.dataset.testid), 'editor-input');
    assert.equal(await editor.inputValue(), text);
    assert.equal(await p.locator('[data-testid="show-me"]:visible, [data-testid="reset-lesson"]:visible').count(), 0);
    assert.deepEqual(errors, []);
  });
});

test('the iframe example of docs/EMBED.md works when copied into a page of another site', { timeout: 180_000 }, async () => {
  const doc = await fs.readFile(path.join(ROOT, 'docs', 'EMBED.md'), 'utf8');
  const snippet = doc.match(/```html\n(<iframe[\s\S]*?<\/iframe>)\n```/)[1];
  assert.match(snippet, /src="http:\/\/127\.0\.0\.1:8080\/\?embed=1&amp;lesson=03-the-empty-migration&amp;step=5&amp;panes=terminal,schema"/);
  await withServer(async (server, newBrowser) => {
    // The docs site: another origin, serving a page with the snippet as written
    // (only the address of driftlab changed, as the doc says).
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Docs</title></head><body><h1>Migrations</h1>\n${snippet.replace('http://127.0.0.1:8080/', server.url)}\n</body></html>`;
    const docs = http.createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html));
    await new Promise((resolve) => docs.listen(0, '127.0.0.1', resolve));
    try {
      const browser = await newBrowser();
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`http://localhost:${docs.address().port}/`);
      const frame = await (await page.waitForSelector('iframe')).contentFrame();
      await frame.waitForSelector(SEL.inputReady, { timeout: 60_000 });
      await frame.waitForFunction(() => document.body.dataset.ready === '1');
      const areas = await visibleAreas(frame);
      assert.deepEqual({ terminal: areas.terminal, schema: areas.schema, code: areas.code, lesson: areas.lesson, drift: areas.drift }, {
        terminal: true, schema: true, code: false, lesson: false, drift: false,
      });
      // The reader carries on from step 5: apply the revision.
      assert.deepEqual((await readEntries(frame)).map((e) => e.command).slice(0, 2), ['pip install alembic', 'alembic init alembic']);
      const upgrade = await runCommand(frame, 'alembic upgrade head');
      assert.equal(upgrade.exit, 0, upgrade.stderr);
      await frame.locator('[data-testid="db-version"]').filter({ hasText: 'alembic_version' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      docs.closeAllConnections?.();
      await new Promise((resolve) => docs.close(resolve));
    }
  });
});

/** Opens the Project menu (a click on its button toggles it). */
async function openMenu(page) {
  const button = page.locator('[data-testid="project-menu"]');
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
}

test('Download .zip, then import it in a fresh browser: the same project; a lone .db; files that are neither', { timeout: 300_000 }, async () => {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'driftlab-zip-'));
  try {
    await withServer(async (server, newBrowser) => {
      const { page } = await openApp(await newBrowser(), server.url);
      await runCommand(page, `sqlite3 todos.db "create table shared_rows(a text, b integer); insert into shared_rows values ('one', 1), ('two', 2)"`);
      await runCommand(page, 'mkdir -p alembic/versions && echo "kept" > alembic/versions/notes.txt');
      const before = await stateOf(page);
      await openMenu(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-zip"]')]);
      assert.equal(download.suggestedFilename(), 'todo-app.zip');
      const zipPath = path.join(tmp, 'todo-app.zip');
      await download.saveAs(zipPath);
      assert.match(await page.textContent('[data-testid="project-message"]'), /^Downloaded todo-app\.zip \(\d+ KB\): the project as a FastAPI \+ Alembic folder/);
      // A real zip, everything under one folder, with the README saying how to run it.
      const listed = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', zipPath], { encoding: 'utf8' });
      assert.equal(listed.status, 0, listed.stderr);
      const names = listed.stdout.trim().split('\n');
      for (const name of ['todo-app/README.md', 'todo-app/todos.db', 'todo-app/models.py', 'todo-app/alembic/versions/notes.txt']) {
        assert.ok(names.includes(name), `${name} in ${names.join(' ')}`);
      }

      const other = await openApp(await newBrowser(), server.url);
      await openMenu(other.page);
      await other.page.setInputFiles('[data-testid="import-file"]', zipPath);
      await other.page.locator('[data-testid="import-confirm"]').waitFor();
      await other.page.click('[data-testid="import-confirm"]');
      assert.equal(await other.page.textContent('[data-testid="project-message"]'), 'Imported todo-app.zip.');
      assert.deepEqual(await stateOf(other.page), before);

      // A lone database joins the project.
      const dbPath = path.join(tmp, 'extra.db');
      const made = spawnSync('sqlite3', [dbPath, "create table imported(a); insert into imported values ('from disk');"], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      await openMenu(other.page);
      await other.page.setInputFiles('[data-testid="import-file"]', dbPath);
      await other.page.locator('[data-testid="project-message"]', { hasText: 'Imported extra.db' }).waitFor();
      assert.equal((await runCommand(other.page, 'sqlite3 extra.db "select a from imported"')).stdout, 'from disk\n');

      // Neither a project zip nor a database: said, nothing changed.
      const cases = [
        ['notes.txt', 'just text', 'Can\'t import "notes.txt": driftlab imports a .zip of a project or an SQLite database (.db, .sqlite).'],
        ['broken.zip', 'PK\x03\x04 not really a zip', /^Can't import: /],
        ['fake.db', 'not a database at all', 'Can\'t import: this is not an SQLite database (it doesn\'t start with SQLite\'s header).'],
      ];
      for (const [name, content, message] of cases) {
        const file = path.join(tmp, name);
        await fs.writeFile(file, content);
        await openMenu(other.page);
        await other.page.setInputFiles('[data-testid="import-file"]', file);
        const shown = other.page.locator('[data-testid="project-message"][data-error="true"]');
        await shown.waitFor();
        if (message instanceof RegExp) assert.match(await shown.textContent(), message, name);
        else assert.equal(await shown.textContent(), message, name);
        await other.page.keyboard.press('Escape');
      }
      assert.deepEqual((await stateOf(other.page)).files, [...before.files, './extra.db'].sort());
      assert.deepEqual(other.errors, []);
    });
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
});
