// Each terminal entry whose command changed the project has an Undo button
// that brings files and databases back to just before it.
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

test('an entry\'s Undo restores the project to before that command', { timeout: 120_000 }, async () => {
  const app = await openApp(browser, server.url);
  const { page } = app;
  try {
    await page.locator('[data-testid="sandbox"]').click();
    await runCommand(page, 'touch notes.txt');
    await runCommand(page, 'sqlite3 todos.db "create table a(x integer)"');
    await runCommand(page, 'ls');
    await runCommand(page, 'rm notes.txt');
    const entries = page.locator(SEL.entry);
    const undoIn = (i) => entries.nth(i).locator('[data-testid="entry-undo"]');
    assert.equal(await undoIn(0).count(), 1, 'touch changed the project');
    assert.equal(await undoIn(1).count(), 1, 'sqlite3 changed the project');
    assert.equal(await undoIn(2).count(), 0, 'ls changed nothing: no undo');
    assert.equal(await undoIn(3).count(), 1, 'rm changed the project');
    assert.match(await undoIn(1).getAttribute('aria-label'), /before `sqlite3 todos.db/);

    await undoIn(1).click();
    // Shown struck through as removed until the next command.
    await page.locator(`${SEL.table('a')}[data-change="removed"]`).waitFor();
    const ls = await runCommand(page, 'ls');
    assert.match(ls.stdout, /notes\.txt/, 'the later rm is undone too');
    assert.doesNotMatch(ls.stdout, /todos\.db/, 'the database the command created is gone');
    // Snapshots from that command on were used up.
    assert.equal(await undoIn(1).count(), 0);
    assert.equal(await undoIn(3).count(), 0);
    assert.equal(await undoIn(0).count(), 1);
  } finally {
    await app.context.close();
  }
});
