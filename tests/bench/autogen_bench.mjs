// Autogenerate speed: reflect + compare + render on synthetic schemas, driftlab vs real Alembic.
//
// Two measurements for tests/bench/bench.mjs:
// - autogenNative: the release-built example `autogen_bench` (examples/autogen_bench/) on
//   10, 100 and 500 tables, then real Alembic (tests/bench/autogen_alembic.py in the oracle
//   venv) on the very same models and database; checks both rendered the same script and
//   reports the ratios. No venv: a note, and Alembic's column is left out.
// - autogenBrowser: the same workload built for wasm32 (`./dev bench` builds it into
//   target/bench-autogen-web/), run by headless Chromium on 100 tables.
// Each side times only the autogenerate step (models and database are made beforehand),
// one uncounted warm-up run, then the median of the timed runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, serveDist } from '../e2e/helpers.mjs';
import { round1, round2, textTable } from './format.mjs';

export const NATIVE_TABLE_COUNTS = [10, 100, 500];
export const BROWSER_TABLE_COUNT = 100;
export const NATIVE_BIN = path.join(ROOT, 'target', 'release-native', 'examples', 'autogen_bench');
export const WEB_DIR = path.join(ROOT, 'target', 'bench-autogen-web');
const WORK_DIR = path.join(ROOT, 'target', 'bench-autogen');
const ORACLE_VENV = process.env.ORACLE_VENV || path.join(os.homedir(), '.cache', 'alembic-oracle-venv');
const ALEMBIC_SCRIPT = path.join(ROOT, 'tests', 'bench', 'autogen_alembic.py');
const BUILD_HINT = 'run ./dev bench (its autogen-build phase builds it)';

/** Runs a command that prints one JSON object per line; returns them. */
function jsonLines(command, args) {
  const run = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} exited ${run.status}:\n${run.stderr}`);
  return run.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** The first line where two rendered scripts differ, or null when they are the same. */
function firstDifference(tables) {
  const read = (tool) => fs.readFileSync(path.join(WORK_DIR, `${tool}_${tables}.txt`), 'utf8').split('\n');
  const [ours, theirs] = [read('driftlab'), read('alembic')];
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    if (ours[i] !== theirs[i]) return `line ${i + 1}:\n  driftlab: ${ours[i] ?? '<end>'}\n  alembic:  ${theirs[i] ?? '<end>'}`;
  }
  return null;
}

/** Real Alembic's figures per table count, or a note saying why there are none. */
function alembicFigures(runs) {
  const python = path.join(ORACLE_VENV, 'bin', 'python');
  if (!fs.existsSync(python)) {
    return { note: `no Alembic venv at ${ORACLE_VENV} (./dev setup makes it): Alembic's column is skipped` };
  }
  const results = jsonLines(python, [ALEMBIC_SCRIPT, '--dir', WORK_DIR, '--tables', NATIVE_TABLE_COUNTS.join(','), '--runs', String(runs)]);
  return { byTables: Object.fromEntries(results.map((r) => [r.tables, r])) };
}

/** driftlab natively and real Alembic, side by side, on 10 / 100 / 500 tables. */
export async function autogenNative(ctx) {
  if (!fs.existsSync(NATIVE_BIN)) throw new Error(`${NATIVE_BIN} missing: ${BUILD_HINT}`);
  const driftlabRuns = Math.max(3 * ctx.opts.runs, 10);
  const ours = jsonLines(NATIVE_BIN, ['--tables', NATIVE_TABLE_COUNTS.join(','), '--runs', String(driftlabRuns), '--write-dir', WORK_DIR]);
  const alembic = alembicFigures(ctx.opts.runs);
  const figures = {};
  const rows = [['tables', 'driftlab ms', '(min)', 'alembic ms', '(min)', 'alembic / driftlab', 'same script']];
  const notes = [];
  let identical = true;
  for (const r of ours) {
    const n = r.tables;
    figures[`autogen_${n}_native_ms`] = round2(r.median_ms);
    figures[`autogen_${n}_native_runs_ms`] = r.runs_ms.map(round2);
    const theirs = alembic.byTables?.[n];
    if (!theirs) {
      rows.push([n, round2(r.median_ms), round2(Math.min(...r.runs_ms)), '-', '-', '-', '-']);
      continue;
    }
    const speedup = theirs.median_ms / r.median_ms;
    figures[`alembic_${n}_native_ms`] = round1(theirs.median_ms);
    figures[`alembic_${n}_native_runs_ms`] = theirs.runs_ms.map(round1);
    figures[`autogen_${n}_speedup`] = round1(speedup);
    const difference = firstDifference(n);
    if (difference) {
      identical = false;
      notes.push(`WARNING: ${n} tables: the two scripts differ at ${difference}`);
    }
    rows.push([
      n,
      round2(r.median_ms),
      round2(Math.min(...r.runs_ms)),
      round1(theirs.median_ms),
      round1(Math.min(...theirs.runs_ms)),
      `${round1(speedup)}x`,
      difference ? 'NO' : 'yes',
    ]);
  }
  if (alembic.note) notes.push(alembic.note);
  else {
    const any = Object.values(alembic.byTables)[0];
    figures.autogen_scripts_identical = identical;
    notes.push(`alembic ${any.alembic}, SQLAlchemy ${any.sqlalchemy}, Python ${any.python}`);
  }
  const alembicRuns = alembic.note ? '' : `, alembic of ${ctx.opts.runs}`;
  notes.push(`medians: driftlab of ${driftlabRuns} runs${alembicRuns} (each after 1 warm-up); work: each table adds a column and an index`);
  return { figures, table: [textTable(rows), ...notes].join('\n') };
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>driftlab autogen bench</title>
<script type="module">
  import init, { autogen_bench } from './autogen_bench.js';
  window.autogenBench = init().then(() => autogen_bench);
</script>
`;

/** The same workload in headless Chromium (wasm32, release profile like the page). */
export async function autogenBrowser(ctx) {
  const wasm = path.join(WEB_DIR, 'autogen_bench_bg.wasm');
  if (!fs.existsSync(wasm)) throw new Error(`${wasm} missing: ${BUILD_HINT}`);
  fs.writeFileSync(path.join(WEB_DIR, 'index.html'), PAGE);
  const server = await serveDist(WEB_DIR);
  const browser = await ctx.browser();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url, { timeout: 60_000 });
    const runs = Math.max(3 * ctx.opts.runs, 10);
    const json = await page
      .evaluate(async ([tables, runs]) => (await window.autogenBench)(tables, runs), [BROWSER_TABLE_COUNT, runs])
      .catch((e) => {
        throw new Error(`autogen_bench failed in the page: ${e.message}${pageErrors.length ? `\npage errors: ${pageErrors.join('\n')}` : ''}`);
      });
    const r = JSON.parse(json);
    const med = round1(r.median_ms);
    const rows = [
      ['figure', 'ms'],
      [`median of ${runs} (after 1 warm-up)`, med],
      ['first (warm-up) run', round1(r.first_ms)],
      ['min', round1(Math.min(...r.runs_ms))],
      ['max', round1(Math.max(...r.runs_ms))],
    ];
    return {
      figures: {
        [`autogen_${BROWSER_TABLE_COUNT}_browser_ms`]: med,
        [`autogen_${BROWSER_TABLE_COUNT}_browser_first_ms`]: round1(r.first_ms),
        [`autogen_${BROWSER_TABLE_COUNT}_browser_runs_ms`]: r.runs_ms.map(round1),
      },
      table: `${BROWSER_TABLE_COUNT} tables, reflect + compare + render\n${textTable(rows)}`,
    };
  } finally {
    await context.close();
    await server.close();
  }
}
