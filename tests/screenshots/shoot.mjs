// Screenshots of the page for README and for looking at the UI:
//   node tests/screenshots/shoot.mjs [outdir]   (after ./dev build)
// Each shot: a viewport, a colour scheme, and commands run first.
import path from 'node:path';
import fs from 'node:fs';
import { serveDist, launchBrowser, waitReady, runCommand, ROOT } from '../e2e/helpers.mjs';

const outDir = path.resolve(process.argv[2] || path.join(ROOT, 'docs', 'screenshots'));
fs.mkdirSync(outDir, { recursive: true });

// Lesson 3 under way: the app ran (create_all made todos.db), Alembic set up.
const SETUP = [
  'lesson:03-the-empty-migration',
  'alembic init alembic',
  'next',
];

const SHOTS = [
  { name: 'desktop-light', width: 1280, height: 800, scheme: 'light', commands: SETUP },
  { name: 'desktop-dark', width: 1280, height: 800, scheme: 'dark', commands: SETUP },
  { name: 'desktop-drift-dark', width: 1280, height: 800, scheme: 'dark', commands: [...SETUP, 'tab:drift'] },
  { name: 'desktop-history-light', width: 1280, height: 800, scheme: 'light', commands: [...SETUP, 'show-me', 'next', 'show-me', 'next', 'show-me', 'next', 'show-me', 'tab:history'] },
  { name: 'narrow-light', width: 390, height: 844, scheme: 'light', commands: ['lesson:03-the-empty-migration'] },
  { name: 'narrow-dark', width: 390, height: 844, scheme: 'dark', commands: ['lesson:03-the-empty-migration', 'area:side'] },
];

const only = process.env.SHOTS ? process.env.SHOTS.split(',') : null;
const server = await serveDist();
const browser = await launchBrowser();
try {
  for (const shot of SHOTS.filter((s) => !only || only.includes(s.name))) {
    const context = await browser.newContext({ viewport: { width: shot.width, height: shot.height }, colorScheme: shot.scheme });
    const page = await context.newPage();
    await page.goto(server.url, { waitUntil: 'load' });
    await waitReady(page);
    for (const line of shot.commands) {
      if (line === '^C') await page.locator('[data-testid="terminal-input"]').press('Control+c');
      else if (line.startsWith('lesson:')) {
        await page.locator('[data-testid="lessons-toggle"]').click();
        await page.locator(`[data-testid="lesson-link"][data-lesson="${line.slice(7)}"]`).click();
      } else if (line === 'show-me') await page.locator('[data-testid="show-me"]').click();
      else if (line === 'next') await page.locator('[data-testid="step-next"]').click();
      else if (line.startsWith('tab:')) await page.locator(`[data-testid="side-tab"][data-tab="${line.slice(4)}"]`).click();
      else if (line.startsWith('area:')) await page.locator(`[data-testid="area-tab"][data-area="${line.slice(5)}"]`).click();
      else await runCommand(page, line);
    }
    await page.waitForTimeout(300);
    const file = path.join(outDir, `${shot.name}.png`);
    await page.screenshot({ path: file });
    console.log(file);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
