// Keeping work (issue 9): autosave and restore across reloads, the notice
// when saved work can't be read or kept, and undo of a command that changed
// the project (src/ui/persistence.rs, share_menu.rs).
//
//   ./dev build && node --test tests/e2e/persistence.test.mjs

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { serveDist, launchBrowser, runCommand, readEntries, readSchema, waitReady, cspViolations } from './helpers.mjs';

const SESSION_KEY = 'driftlab.session';
const UNREADABLE_KEY = 'driftlab.session.unreadable';
const LESSON = '03-the-empty-migration';

async function withApp(fn, { init } = {}) {
  const server = await serveDist();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
    });
    // Storage written on the next load, before the page's scripts run and
    // after the page before it has saved what it had (see storeOnReload).
    await context.addInitScript(() => {
      const planned = sessionStorage.getItem('test.storeOnReload');
      if (planned !== null) {
        sessionStorage.removeItem('test.storeOnReload');
        for (const [key, value] of JSON.parse(planned)) localStorage.setItem(key, value);
      }
    });
    // Before the page's own scripts: what the test makes of the browser (a full storage).
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(server.url, { waitUntil: 'load' });
    await waitReady(page);
    await fn(page, { server, errors });
    assert.deepEqual(errors, [], 'no page errors');
    assert.deepEqual(await cspViolations(page), [], 'no CSP violations');
  } finally {
    await browser.close();
    await server.close();
  }
}

async function startLesson(page, slug) {
  await page.click('[data-testid="lessons-toggle"]');
  await page.click(`[data-testid="lesson-link"][data-lesson="${slug}"]`);
  await page.locator('[data-testid="lesson-step"]').first().waitFor();
}

/** The lesson pane's state: heading, the step shown, the steps done. */
async function lessonState(page) {
  return page.evaluate(() => ({
    heading: document.querySelector('.lesson-heading')?.textContent ?? null,
    shown: document.querySelector('[data-testid="lesson-step"][aria-current="step"]')?.dataset.step ?? null,
    done: [...document.querySelectorAll('[data-testid="lesson-step"][data-state="done"]')].map((s) => s.dataset.step),
  }));
}

/** Reloads the page with `entries` ([key, value]) put in its localStorage first. */
async function reloadWith(page, entries) {
  await page.evaluate((planned) => sessionStorage.setItem('test.storeOnReload', JSON.stringify(planned)), entries);
  await page.reload();
  await waitReady(page);
}

/** Waits until autosave has written a session holding `needle`. */
async function savedContaining(page, needle) {
  await page.waitForFunction(([key, text]) => (localStorage.getItem(key) ?? '').includes(text), [SESSION_KEY, needle], { timeout: 10_000 });
}

test('reload mid-lesson restores everything, 50 times: files, databases, terminal, lesson step, layout', { timeout: 900_000 }, async () => {
  await withApp(async (page) => {
    await startLesson(page, LESSON);
    // Step 1 done by the learner, step 2 shown.
    assert.equal((await runCommand(page, 'alembic init alembic')).exit, 0);
    await page.locator('[data-testid="lesson-step"][data-step="0"][data-state="done"]').waitFor();
    await page.click('[data-testid="lesson-step"][data-step="1"] .step-title');
    // An edit saved in the editor.
    const editor = page.locator('[data-testid="editor-input"]');
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# kept across reloads\n');
    await page.keyboard.press('Control+s');
    await page.locator('[data-testid="unsaved-marker"]').waitFor({ state: 'detached' });
    // A layout choice: the History view.
    await page.click('[data-testid="side-tab"][data-tab="history"]');
    await savedContaining(page, 'kept across reloads');
    const lesson = await lessonState(page);
    assert.deepEqual(lesson.shown, '1');
    assert.deepEqual(lesson.done, ['0']);

    const commands = (await readEntries(page)).map((e) => e.command);
    for (let i = 0; i < 50; i++) {
      // Change files and a database, then reload at once: no waiting for the debounce.
      const line = `echo line-${i} >> notes.txt && sqlite3 notes.db "create table if not exists n(i); insert into n values (${i})"`;
      const ran = await runCommand(page, line);
      assert.equal(ran.exit, 0, JSON.stringify(ran));
      commands.push(line);
      await page.reload();
      await waitReady(page);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.start), 'restored', `reload ${i}`);
      // The terminal as it was.
      const shown = (await readEntries(page)).map((e) => e.command);
      assert.deepEqual(shown, commands, `reload ${i}: the terminal`);
      // The lesson at the same step, with the same steps done.
      assert.deepEqual(await lessonState(page), lesson, `reload ${i}: the lesson`);
      // The layout.
      assert.equal(await page.getAttribute('[data-testid="side-tab"][data-tab="history"]', 'aria-selected'), 'true', `reload ${i}: the side view`);
      // Every 10 reloads, and at the end: the files and rows, all of them.
      if (i % 10 === 9) {
        const check = 'cat notes.txt && sqlite3 notes.db "select count(*), sum(i) from n" && cat models.py';
        const out = await runCommand(page, check);
        commands.push(check);
        const lines = Array.from({ length: i + 1 }, (_, k) => `line-${k}\n`).join('');
        assert.ok(out.stdout.startsWith(lines), `reload ${i}: notes.txt has every line`);
        assert.ok(out.stdout.includes(`${i + 1}|${(i * (i + 1)) / 2}\n`), `reload ${i}: every row: ${out.stdout.slice(lines.length, lines.length + 40)}`);
        assert.ok(out.stdout.includes('# kept across reloads'), `reload ${i}: the editor's save`);
      }
    }
    // The lesson's own state is real: Alembic's folder is still there.
    assert.match((await runCommand(page, 'ls alembic')).stdout, /env\.py/);
  });
});

test('a corrupted saved session: the page says what happened, offers the data, starts fresh, keeps it until let go', { timeout: 180_000 }, async () => {
  await withApp(async (page) => {
    await runCommand(page, 'echo precious > work.txt');
    await savedContaining(page, 'precious');
    const corrupt = (await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).slice(0, 300);
    await reloadWith(page, [[SESSION_KEY, corrupt]]);
    const notice = page.locator('[data-testid="recovery-notice"][data-kind="unreadable"]');
    await notice.waitFor();
    assert.match(await notice.textContent(), /Your saved work could not be restored\. The saved session is damaged and can't be read \(EOF while parsing .* at line 1, column 300\)/);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.start), 'fresh');
    assert.equal((await readEntries(page)).length, 0, 'started fresh');
    // The raw data, exactly, as a download.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="recovery-download"]')]);
    assert.equal(download.suggestedFilename(), 'driftlab-saved-session.json');
    assert.equal(await fs.readFile(await download.path(), 'utf8'), corrupt);
    // Kept aside while new work is saved; offered again after a reload.
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), UNREADABLE_KEY), corrupt);
    await runCommand(page, 'echo new > new.txt');
    await savedContaining(page, 'new.txt');
    await page.reload();
    await waitReady(page);
    await notice.waitFor();
    assert.equal((await readEntries(page)).map((e) => e.command).join(), 'echo new > new.txt', 'the new work was restored');
    // Let go: gone for good.
    await page.click('[data-testid="recovery-dismiss"]');
    await notice.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), UNREADABLE_KEY), null);
    await page.reload();
    await waitReady(page);
    assert.equal(await page.locator('[data-testid="recovery-notice"]').count(), 0);
  });
});

test('saved sessions that are not readable for other reasons are named as such', { timeout: 180_000 }, async () => {
  const cases = [
    ['{"format":"driftlab-session","version":99,"project":{"files":{}}}', /comes from a newer driftlab \(format version 99\)/],
    ['{"format":"something-else","version":1}', /This is not a driftlab saved session/],
    ['{"format":"driftlab-session","version":1,"project":{"files":{"../../etc/passwd":{"text":"x"}}}}', /holds something driftlab won't load: the path "..\/..\/etc\/passwd" climbs out of the project/],
    ['<img src=x onerror="window.__pwned=1">', /damaged and can't be read/],
  ];
  await withApp(async (page) => {
    for (const [raw, message] of cases) {
      await page.evaluate((key) => localStorage.removeItem(key), UNREADABLE_KEY);
      await reloadWith(page, [[SESSION_KEY, raw]]);
      const notice = page.locator('[data-testid="recovery-notice"][data-kind="unreadable"]');
      await notice.waitFor();
      assert.match(await notice.textContent(), message, raw);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.equal(await page.locator('.notices img').count(), 0);
    }
  });
});

test('storage full: the page says the work is not saved and offers the zip', { timeout: 120_000 }, async () => {
  // The browser refuses every write, as when its quota is used up.
  const init = () => {
    Storage.prototype.setItem = function setItem() {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  };
  await withApp(async (page) => {
    await runCommand(page, 'echo a > a.txt');
    const notice = page.locator('[data-testid="recovery-notice"][data-kind="not-saved"]');
    await notice.waitFor();
    assert.match(await notice.textContent(), /Your latest changes are not saved in this browser: the browser's storage for this site is full \(the session needs \d+ KB\)\. Use Project → Download \.zip/);
    await page.click('[data-testid="project-menu"]');
    assert.match(await page.textContent('[data-testid="save-status"]'), /Not kept in this browser: the browser's storage for this site is full/);
  }, { init });
});

test('storage unavailable: the page says nothing will be kept', { timeout: 120_000 }, async () => {
  const init = () => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); } });
  };
  await withApp(async (page) => {
    const notice = page.locator('[data-testid="recovery-notice"][data-kind="no-storage"]');
    await notice.waitFor();
    assert.match(await notice.textContent(), /Your work can't be kept in this browser: the browser refused access to its storage: SecurityError: Access is denied for this document\./);
    assert.equal((await runCommand(page, 'echo still works')).stdout, 'still works\n');
  }, { init });
});

test('undo after rm todos.db brings the database back; going back before an earlier command', { timeout: 180_000 }, async () => {
  await withApp(async (page) => {
    await runCommand(page, 'sqlite3 todos.db "create table kept(a); insert into kept values (42), (43)"');
    await runCommand(page, 'echo x > extra.txt');
    assert.equal((await runCommand(page, 'rm todos.db')).exit, 0);
    assert.doesNotMatch((await runCommand(page, 'ls')).stdout, /todos\.db/);
    await page.click('[data-testid="project-menu"]');
    const undo = page.locator('[data-testid="undo-last"]');
    assert.equal(await undo.textContent(), 'Undo `rm todos.db`');
    await undo.click();
    assert.equal(await page.textContent('[data-testid="project-message"]'), 'Undid `rm todos.db`. Back as before it: todos.db.');
    assert.equal((await runCommand(page, 'sqlite3 todos.db "select a from kept"')).stdout, '42\n43\n');
    assert.ok('kept' in (await readSchema(page)), 'the Database view shows the table again');
    // Back to before the table was made: the table and extra.txt go.
    const first = page.locator('[data-testid="restore-before"]').last();
    await page.click('.project-history summary');
    await first.click();
    assert.match(await page.textContent('[data-testid="project-message"]'), /^Undid `sqlite3 todos\.db "create table kept\(a\); insert into kept values \(42\), \(43\)"`\. Back as before it: extra\.txt and todos\.db\.$/);
    assert.equal((await runCommand(page, 'ls extra.txt')).exit, 2);
    assert.ok(!('kept' in (await readSchema(page))));
    assert.equal(await page.locator('[data-testid="undo-last"]').isDisabled(), true, 'nothing left to undo');
  });
});
