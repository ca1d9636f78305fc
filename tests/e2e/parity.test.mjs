// Parity: the same commands give identical stdout/stderr/exit in the page and in the
// native CLI (`driftlab run --project DIR -- WORDS...`, one process per command, state
// kept in DIR). Both start from a project holding an empty todos.db.
// Needs dist/ and target/release/driftlab (override with DRIFTLAB_BIN); ./dev test builds both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import {
  serveDist, launchBrowser, openApp, runCommand, runCli, makeCliProject, DRIFTLAB_BIN,
} from './helpers.mjs';
import { existsSync } from 'node:fs';

const COMMANDS = [
  'sqlite3 todos.db "create table todo(id integer primary key, title text not null unique, done integer not null default 0)"',
  `sqlite3 todos.db "insert into todo(title) values ('write tests'), ('ship it')"`,
  `sqlite3 todos.db "insert into todo(title, done) values ('celebrate', 1)"`,
  'sqlite3 todos.db "select * from todo order by id"',
  'sqlite3 todos.db ".mode list" "select id, title from todo where done = 0 order by id"',
  'sqlite3 todos.db ".mode column" "select id, title, done from todo order by id"',
  'sqlite3 todos.db ".mode table" "select id, title, done from todo order by id"',
  'sqlite3 todos.db ".tables"',
  'sqlite3 todos.db ".schema"',
  `sqlite3 todos.db "insert into todo(title) values ('ship it')"`,
  'sqlite3 todos.db "insert into todo(done) values (1)"',
  'sqlite3 todos.db "selec 1"',
  'foo',
  'sqlite3 todos.db "select count(*), sum(done) from todo"',
];

let server;
let browser;
let projectDir;

before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
  projectDir = await makeCliProject();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (projectDir) await fs.rm(projectDir, { recursive: true, force: true });
});

test('page and native CLI agree on stdout, stderr and exit code', { timeout: 300_000 }, async () => {
  assert.ok(existsSync(DRIFTLAB_BIN), `${DRIFTLAB_BIN} missing: run \`cargo build --release --bin driftlab\``);

  const app = await openApp(browser, server.url);
  const page = [];
  const cli = [];
  try {
    for (const line of COMMANDS) {
      const r = await runCommand(app.page, line);
      assert.equal(r.command, line, 'page echoes the command');
      page.push({ stdout: r.stdout, stderr: r.stderr, exit: r.exit });
      cli.push(runCli(projectDir, line));
    }
  } finally {
    await app.context.close();
  }

  const at = (line) => COMMANDS.indexOf(line);
  const mismatches = [];
  COMMANDS.forEach((line, i) => {
    try {
      assert.deepEqual(page[i], cli[i]);
    } catch {
      mismatches.push(`#${i} ${line}\n  page: ${JSON.stringify(page[i])}\n  cli:  ${JSON.stringify(cli[i])}`);
    }
  });
  assert.equal(mismatches.length, 0, `page and CLI differ:\n${mismatches.join('\n')}`);

  // Sanity: the commands did what they should (so parity is not two identical failures).
  assert.equal(page[0].exit, 0, `create table: ${page[0].stderr}`);
  assert.match(page[at('sqlite3 todos.db "select * from todo order by id"')].stdout, /^1\|write tests\|0\n2\|ship it\|0\n3\|celebrate\|1\n?$/);
  assert.match(page[at('sqlite3 todos.db ".mode table" "select id, title, done from todo order by id"')].stdout, /\+-+\+/);
  assert.match(page[at('sqlite3 todos.db ".tables"')].stdout, /\btodo\b/);
  assert.match(page[at('sqlite3 todos.db ".schema"')].stdout, /CREATE TABLE todo/i);
  const unique = page[at(`sqlite3 todos.db "insert into todo(title) values ('ship it')"`)];
  // Real sqlite3 exits with the SQLite result code: 19 (SQLITE_CONSTRAINT) here.
  assert.notEqual(unique.exit, 0);
  assert.match(unique.stderr, /UNIQUE constraint failed: todo\.title/);
  const notNull = page[at('sqlite3 todos.db "insert into todo(done) values (1)"')];
  assert.notEqual(notNull.exit, 0);
  assert.match(notNull.stderr, /NOT NULL constraint failed: todo\.title/);
  const syntax = page[at('sqlite3 todos.db "selec 1"')];
  assert.equal(syntax.exit, 1);
  assert.match(syntax.stderr, /near "selec": syntax error/);
  const unknown = page[at('foo')];
  assert.equal(unknown.exit, 127);
  assert.notEqual(unknown.stderr, '');
  assert.equal(page.at(-1).stdout.trimEnd(), '3|1');
});
