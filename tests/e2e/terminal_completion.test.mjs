// End-to-end tests of the terminal's keys and output handling (headless system
// Chromium): Tab completion (command, flag, path, revision id), the list of an
// ambiguous Tab, Ctrl+L, copy buttons, text selection, folding of long output
// and the time to the next command after 200 commands and 10,000 lines.
// Needs dist/ (trunk build --release); ./dev test builds it first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openApp, runCommand, readEntries, SEL } from './helpers.mjs';

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

const COMPLETIONS = '[data-testid="terminal-completions"]';

/** Types `text` into the terminal line (replacing it) and presses Tab; returns the line and caret. */
async function typeAndTab(page, text) {
  const input = page.locator(SEL.input);
  await input.fill(text);
  await input.press('End');
  await input.press('Tab');
  return page.$eval(SEL.input, (el) => ({ value: el.value, caret: el.selectionStart, focused: document.activeElement === el }));
}

async function listedCompletions(page) {
  return page.$$eval(`${COMPLETIONS}.open li`, (items) => items.map((li) => li.textContent));
}

test('Tab completes a command, a flag and a file path, and keeps the focus', { timeout: 120_000 }, async () => {
  await withApp({}, async (page) => {
    let line = await typeAndTab(page, 'alem');
    assert.deepEqual(line, { value: 'alembic ', caret: 8, focused: true }, 'command name');

    line = await typeAndTab(page, 'alembic revision --autog');
    assert.equal(line.value, 'alembic revision --autogenerate ', 'flag');

    line = await typeAndTab(page, 'cat mod');
    assert.equal(line.value, 'cat models.py ', 'file path');

    await runCommand(page, "mkdir -p 'my notes' && touch 'my notes/plan.txt'");
    line = await typeAndTab(page, 'cat my');
    assert.equal(line.value, 'cat my\\ notes/', 'a folder: quoted as bash does, no space after it');
    await page.locator(SEL.input).press('Tab');
    assert.equal(await page.locator(SEL.input).inputValue(), 'cat my\\ notes/plan.txt ', 'then the file in it');

    // The caret in the middle of a line completes the word before it.
    const input = page.locator(SEL.input);
    await input.fill('sqli todos.db .tables');
    await page.$eval(SEL.input, (el) => el.setSelectionRange(4, 4));
    await input.press('Tab');
    assert.deepEqual(
      await page.$eval(SEL.input, (el) => [el.value, el.selectionStart]),
      ['sqlite3  todos.db .tables', 8],
    );
  });
});

test('Tab completes a revision id from the versions folder', { timeout: 120_000 }, async () => {
  await withApp({}, async (page) => {
    assert.equal((await runCommand(page, 'alembic init alembic')).exit, 0);
    assert.equal((await runCommand(page, 'alembic revision -m first')).exit, 0);
    const history = await runCommand(page, 'alembic history');
    const id = history.stdout.match(/^<base> -> ([0-9a-f]{12}) \(head\), first$/m)?.[1];
    assert.ok(id, `a revision id in: ${JSON.stringify(history.stdout)}`);

    const line = await typeAndTab(page, `alembic upgrade ${id.slice(0, 3)}`);
    assert.equal(line.value, `alembic upgrade ${id} `);
    // The completed id is one Alembic knows.
    assert.equal((await typeAndTab(page, `alembic show ${id.slice(0, 3)}`)).value, `alembic show ${id} `);
    await page.locator(SEL.input).press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll(n).length === 4, SEL.entry, { timeout: 10_000 });
    const shown = (await readEntries(page)).at(-1);
    assert.equal(shown.command, `alembic show ${id} `);
    assert.match(shown.stdout, new RegExp(`^Rev: ${id} \\(head\\)$`, 'm'));
  });
});

test('an ambiguous Tab lists the candidates under the prompt until the next key', { timeout: 120_000 }, async () => {
  await withApp({}, async (page) => {
    const line = await typeAndTab(page, 'alembic h');
    assert.equal(line.value, 'alembic h', 'nothing in common to add');
    assert.deepEqual(await listedCompletions(page), ['heads', 'history']);
    assert.equal(await page.locator(SEL.entry).count(), 0, 'the list is not printed into the scrollback');

    await page.locator(SEL.input).press('i');
    assert.deepEqual(await listedCompletions(page), [], 'typing hides the list');
    await page.locator(SEL.input).press('Tab');
    assert.equal(await page.locator(SEL.input).inputValue(), 'alembic history ');

    // What they share is inserted, the rest listed.
    await typeAndTab(page, 'alembic upgrade h');
    assert.equal(await page.locator(SEL.input).inputValue(), 'alembic upgrade head');
    assert.deepEqual(await listedCompletions(page), ['head', 'heads']);
    await page.locator(SEL.input).press('Escape');
    assert.deepEqual(await listedCompletions(page), [], 'Escape hides the list');
  });
});

test('Tab is no trap: Shift+Tab, or Escape then Tab, leaves the line', { timeout: 120_000 }, async () => {
  await withApp({}, async (page) => {
    const input = page.locator(SEL.input);
    await input.focus();
    await input.press('Shift+Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'terminal-input', 'Shift+Tab moved the focus back');
    await input.focus();
    await input.press('Escape');
    await input.press('Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'terminal-input', 'Escape then Tab moved on');
  });
});

test('Ctrl+L clears the screen and keeps the line being typed', { timeout: 120_000 }, async () => {
  await withApp({}, async (page) => {
    await runCommand(page, 'echo one');
    await runCommand(page, 'ls');
    assert.equal(await page.locator(SEL.entry).count(), 2);
    const input = page.locator(SEL.input);
    await input.fill('echo half-typed');
    await input.press('Control+l');
    assert.equal(await page.locator(SEL.entry).count(), 0, 'the screen is empty');
    assert.equal(await input.inputValue(), 'echo half-typed', 'the line survives');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'terminal-input');
    // History survives too.
    await input.fill('');
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'ls');
    const r = await runCommand(page, 'echo after');
    assert.equal(r.stdout, 'after\n');
  });
});

test('errors are told apart from output, and typed markup stays text', { timeout: 120_000 }, async () => {
  await withApp({}, async (page) => {
    const payload = `echo '<img src=x onerror="window.__pwned=1">' '<script>window.__pwned=2</script>'`;
    const r = await runCommand(page, payload);
    assert.equal(r.command, payload);
    assert.equal(r.stdout, '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>\n');
    assert.equal(await page.locator(`${SEL.output} img, ${SEL.output} script`).count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);

    await runCommand(page, 'cat nothere.txt');
    const failed = page.locator(SEL.entry).last();
    assert.equal(await failed.getAttribute('data-exit'), '1');
    const [out, err] = await Promise.all([
      page.locator(`${SEL.entry} ${SEL.stdout}`).first().evaluate((el) => getComputedStyle(el).color),
      failed.locator(SEL.stderr).evaluate((el) => getComputedStyle(el).color),
    ]);
    assert.notEqual(out, err, 'stderr of a failure has its own colour');
    assert.equal(await failed.locator('.entry-exit').textContent(), 'exit 1');
  });
});

test('copy buttons copy the command and its output; selecting text keeps the selection', { timeout: 120_000 }, async () => {
  const context = { permissions: ['clipboard-read', 'clipboard-write'] };
  await withApp({ context }, async (page) => {
    await runCommand(page, 'echo hello copy');
    await runCommand(page, 'cat nothere.txt');

    const copy = page.locator(SEL.entry).first().locator('button.entry-copy');
    assert.equal(await copy.getAttribute('aria-label'), 'Copy command and output');
    // Keyboard reachable: focus it and press Enter.
    await copy.focus();
    await copy.press('Enter');
    await page.waitForFunction(() => document.querySelector('button.entry-copy')?.dataset.state === 'done', null, { timeout: 5_000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '$ echo hello copy\nhello copy\n');

    await page.locator(SEL.entry).last().locator('button.entry-copy').click();
    await page.waitForFunction(() => [...document.querySelectorAll('button.entry-copy')].at(-1)?.dataset.state === 'done', null, { timeout: 5_000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
      "$ cat nothere.txt\ncat: nothere.txt: No such file or directory\n");

    // Drag across the first output: the text stays selected, the line does not take the focus.
    const out = page.locator(`${SEL.entry} ${SEL.stdout}`).first();
    const box = await out.boundingBox();
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    assert.match(await page.evaluate(() => String(window.getSelection())), /hello copy/);
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'terminal-input');
    // A plain click puts the caret back in the line.
    await page.locator(SEL.output).click({ position: { x: 5, y: 5 } });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'terminal-input');
  });
});

test('200 commands and a 10,000-line output: bounded on screen, the next command stays quick', { timeout: 600_000 }, async (t) => {
  await withApp({ context: { viewport: { width: 1280, height: 800 } } }, async (page) => {
    /** Enter → the new entry's output in the DOM, in ms (measured in the page). */
    const timeNext = async (line) => {
      const input = page.locator(SEL.input);
      await input.fill(line);
      return page.evaluate(({ sel, n }) => new Promise((resolve) => {
        const input = document.querySelector(sel.input);
        const start = performance.now();
        const observer = new MutationObserver(() => {
          const entries = document.querySelectorAll(sel.entry);
          if (entries.length && entries[entries.length - 1].querySelector(sel.stdout)?.textContent === n) {
            observer.disconnect();
            // Until the frame that shows it is painted.
            requestAnimationFrame(() => resolve(performance.now() - start));
          }
        });
        observer.observe(document.querySelector(sel.output), { childList: true, subtree: true, characterData: true });
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      }), { sel: { input: SEL.input, entry: SEL.entry, stdout: SEL.stdout, output: SEL.output }, n: line.replace(/^echo /, '') + '\n' });
    };
    const fresh = await timeNext('echo fresh');

    /** Runs a line and waits until it is the newest entry (the count stops growing at the cap). */
    const run = async (line) => {
      const input = page.locator(SEL.input);
      await input.fill(line);
      await input.press('Enter');
      await page.waitForFunction(({ sel, line }) => {
        const last = [...document.querySelectorAll(sel.entry)].at(-1);
        return last?.querySelector(sel.command)?.textContent === line && last.hasAttribute('data-exit');
      }, { sel: { entry: SEL.entry, command: SEL.command }, line }, { timeout: 30_000 });
      return (await readEntries(page)).at(-1);
    };
    for (let i = 0; i < 200; i++) await run(`echo line ${i}`);
    const sql = 'sqlite3 todos.db "with recursive c(x) as (select 1 union all select x + 1 from c where x < 10000) select x from c"';
    const big = await run(sql);
    assert.equal(big.exit, 0);

    const entries = page.locator(SEL.entry);
    assert.equal(await entries.count(), 200, 'the newest 200 commands stay on screen');
    assert.match(await page.locator('.terminal-dropped').textContent(), /^2 older commands were removed/);

    const bigEntry = entries.nth(199);
    const pre = bigEntry.locator(SEL.stdout);
    assert.equal(await pre.getAttribute('data-folded'), 'true');
    const shown = (await pre.textContent()).split('\n').filter(Boolean);
    assert.equal(shown.length, 200, 'a folded output shows its last 200 lines');
    assert.deepEqual([shown[0], shown.at(-1)], ['9801', '10000']);
    const showAll = bigEntry.locator('[data-testid="entry-show-all"]');
    assert.equal(await showAll.textContent(), 'Show all 10,000 lines');

    const loaded = await timeNext('echo after');
    // From here on the 10,000-line entry is the second newest (one more dropped off the top).
    const bigNow = entries.nth(198);
    t.diagnostic(`Enter → output: ${fresh.toFixed(1)} ms on a fresh page, ${loaded.toFixed(1)} ms after 200 commands and 10,000 lines`);
    assert.ok(loaded < 1_000, `next command took ${loaded} ms`);

    // Everything, on request; the page still answers quickly.
    await bigNow.locator('[data-testid="entry-show-all"]').click();
    const bigPre = bigNow.locator(SEL.stdout);
    assert.equal(await bigPre.getAttribute('data-folded'), 'false');
    assert.equal((await bigPre.textContent()).split('\n').filter(Boolean).length, 10_000);
    const expanded = await timeNext('echo expanded');
    t.diagnostic(`Enter → output with all 10,000 lines shown: ${expanded.toFixed(1)} ms`);
    assert.ok(expanded < 1_000, `next command took ${expanded} ms`);

    // The copy button copies the whole output, folded or not.
    const copied = await page.evaluate(() => new Promise((resolve) => {
      const original = navigator.clipboard.writeText.bind(navigator.clipboard);
      navigator.clipboard.writeText = (text) => { resolve(text); return original(text).catch(() => {}); };
      [...document.querySelectorAll('button.entry-copy')].at(-3).click();
    }));
    assert.equal(copied.split('\n').length, 10_002, 'command line + 10,000 lines + final newline');
  });
});
