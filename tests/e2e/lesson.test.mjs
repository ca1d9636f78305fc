// The course in headless Chromium, played only as a learner would: typing in
// the terminal and editing files in the editor — never "show me". Lesson 3
// must end with every step done; progress survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launchBrowser, openApp, runCommand, waitReady, ROOT, SEL } from './helpers.mjs';

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

const LESSON_3 = '03-the-empty-migration';

/** Each step's solution, read from lesson.md: `$ command`, `@ ctrl-c`, `@ replace`/`@ write` edits. */
function solutions(slug) {
  const text = fs.readFileSync(path.join(ROOT, 'lessons', slug, 'lesson.md'), 'utf8');
  const steps = [];
  for (const part of text.split(/^## Step: /m).slice(1)) {
    const block = part.match(/```solution\n([\s\S]*?)\n```/);
    assert.ok(block, 'every step has a solution');
    const actions = [];
    const lines = block[1].split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.startsWith('$ ')) actions.push({ run: line.slice(2) });
      else if (line === '@ ctrl-c') actions.push({ interrupt: true });
      else if (line.startsWith('@ replace ') || line.startsWith('@ write ')) {
        const [, kind, file] = line.match(/^@ (replace|write) (.+)$/);
        const old = [];
        const neu = [];
        let target = kind === 'replace' ? old : neu;
        for (i++; lines[i] !== '@ end'; i++) {
          if (lines[i] === '@ with') target = neu;
          else target.push(lines[i]);
        }
        actions.push({ edit: file, kind, old: old.join('\n'), new: neu.join('\n') });
      }
    }
    steps.push(actions);
  }
  return steps;
}

async function startLesson(page, slug) {
  await page.locator('[data-testid="lessons-toggle"]').click();
  await page.locator(`[data-testid="lesson-link"][data-lesson="${slug}"]`).click();
  await page.locator('[data-testid="lesson-step"]').first().waitFor();
}

/** Open a file from the tree and change it in the editor, then save with Ctrl+S. */
async function editFile(page, action) {
  await page.locator(`[data-testid="tree-item"][data-path="${action.edit}"]`).click();
  const editor = page.locator('[data-testid="editor-input"]');
  await editor.waitFor();
  const text = await editor.inputValue();
  let next;
  if (action.kind === 'write') next = action.new + (action.new.endsWith('\n') ? '' : '\n');
  else {
    assert.ok(text.includes(action.old), `${action.edit} contains the text to replace`);
    next = text.replace(action.old, action.new);
  }
  await editor.fill(next);
  await editor.press('Control+s');
  await page.waitForFunction(
    (p) => !document.querySelector(`[data-testid="file-tab"][data-path="${p}"] [data-testid="unsaved-marker"]`),
    action.edit,
  );
}

async function perform(page, actions) {
  for (const action of actions) {
    if (action.run) {
      const r = await runCommand(page, action.run);
      assert.ok(r, `ran ${action.run}`);
    } else if (action.interrupt) {
      await page.locator(SEL.input).press('Control+c');
    } else {
      await editFile(page, action);
    }
  }
}

const stepStates = (page) => page.locator('[data-testid="lesson-step"]').evaluateAll((els) => els.map((e) => e.dataset.state));

test('lesson 3, played by typing and editing, ends with every step done', { timeout: 300_000 }, async () => {
  const app = await openApp(browser, server.url, { context: { viewport: { width: 1280, height: 800 } } });
  const { page } = app;
  try {
    await startLesson(page, LESSON_3);
    const steps = solutions(LESSON_3);
    assert.ok(steps.length >= 4);
    assert.deepEqual(await stepStates(page), steps.map(() => 'pending'));
    for (let i = 0; i < steps.length; i++) {
      const step = page.locator('[data-testid="lesson-step"]').nth(i);
      assert.equal(await step.getAttribute('aria-current'), 'step', `step ${i + 1} is shown`);
      await perform(page, steps[i]);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="lesson-step"]')[n]?.dataset.state === 'done', i, { timeout: 5_000 })
        .catch(async () => {
          const checks = await step.locator('.check').allTextContents();
          throw new Error(`step ${i + 1} did not turn done; checks: ${checks.join(' | ')}`);
        });
      assert.ok(await step.locator('[data-testid="why"]').isVisible(), 'a done step says why it matters');
      if (i + 1 < steps.length) await page.locator('[data-testid="step-next"]').click();
    }
    assert.deepEqual(await stepStates(page), steps.map(() => 'done'));
    await page.locator('[data-testid="lesson-complete"]').waitFor();
    const fatal = app.errors.filter((e) => e.startsWith('pageerror') || /panicked/.test(e));
    assert.deepEqual(fatal, []);
  } finally {
    await app.context.close();
  }
});

test('hints come one at a time; show me performs the step; reset asks first', { timeout: 120_000 }, async () => {
  const app = await openApp(browser, server.url);
  const { page } = app;
  try {
    await startLesson(page, LESSON_3);
    const first = page.locator('[data-testid="lesson-step"]').first();
    assert.equal(await page.locator('[data-testid="hint"]').count(), 0);
    await page.locator('[data-testid="hint-button"]').click();
    assert.equal(await page.locator('[data-testid="hint"]').count(), 1);
    await page.locator('[data-testid="show-me"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step"]')?.dataset.state === 'done');
    // Show me typed the command into the terminal, where the learner sees it.
    const commands = await page.locator(SEL.command).allTextContents();
    assert.ok(commands.includes('alembic init alembic'), `terminal shows: ${commands}`);
    assert.equal(await first.getAttribute('data-state'), 'done');

    await page.locator('[data-testid="reset-lesson"]').click();
    assert.equal(await first.getAttribute('data-state'), 'done', 'nothing reset before confirming');
    await page.locator('[data-testid="reset-confirm"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step"]')?.dataset.state === 'pending');
    const r = await runCommand(page, 'ls alembic');
    assert.notEqual(r.exit, 0, 'the reset lesson starts without alembic/');
  } finally {
    await app.context.close();
  }
});

test('progress is kept across a reload mid-lesson', { timeout: 180_000 }, async () => {
  const app = await openApp(browser, server.url);
  const { page } = app;
  try {
    await startLesson(page, LESSON_3);
    const steps = solutions(LESSON_3);
    await perform(page, steps[0]);
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step"]')?.dataset.state === 'done');
    await page.locator('[data-testid="step-next"]').click();
    await page.waitForTimeout(500); // autosave
    await page.reload();
    await waitReady(page);
    await page.locator('[data-testid="lesson-step"]').first().waitFor();
    assert.deepEqual((await stepStates(page)).slice(0, 2), ['done', 'pending']);
    assert.equal(await page.locator('[data-testid="lesson-step"]').nth(1).getAttribute('aria-current'), 'step');
    // The project came back too: alembic/ is there, and step 2 can be done.
    await perform(page, steps[1]);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="lesson-step"]')[1]?.dataset.state === 'done');
  } finally {
    await app.context.close();
  }
});
