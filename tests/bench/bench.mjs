// driftlab bench: figures about what we ship, how fast it becomes usable, and how fast
// autogenerate is (natively, in the browser, and against real Alembic: autogen_bench.mjs).
//
//   node tests/bench/bench.mjs [--runs N] [--only NAME[,NAME]] [--out FILE]
//
// Needs dist/ (./dev bench runs `trunk build --release` first) and, for the autogen
// measurements, the builds of ./dev bench's autogen-build phase. Prints a table per
// measurement and writes every figure, flat, to target/bench.json.
//
// To add a figure: append a measurement to MEASUREMENTS. Each is
//   { name, description, run: async (ctx) => ({ figures: {flat_key: number|array}, table: string }) }
// `ctx` gives lazily started shared resources: ctx.server() (static server over dist/),
// ctx.browser() (headless system Chromium), ctx.opts (CLI options), ctx.dist, ctx.root.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, ROOT, serveDist, launchBrowser, SEL } from '../e2e/helpers.mjs';
import { median, round1, fmtBytes, textTable } from './format.mjs';
import { autogenNative, autogenBrowser } from './autogen_bench.mjs';
import { enterToOutput, keystrokeToDrift } from './interaction_bench.mjs';

// ------------------------------------------------------------------ helpers

function parseArgs(argv) {
  const opts = { runs: Number(process.env.BENCH_RUNS || 5), only: null, out: path.join(ROOT, 'target', 'bench.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--only') opts.only = argv[++i].split(',');
    else if (a === '--out') opts.out = path.resolve(argv[++i]);
    else if (a === '-h' || a === '--help') {
      console.log('usage: node tests/bench/bench.mjs [--runs N] [--only NAME[,NAME]] [--out FILE]');
      console.log(`measurements: ${MEASUREMENTS.map((m) => m.name).join(', ')}`);
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!(opts.runs >= 1)) throw new Error('--runs must be >= 1');
  return opts;
}

async function listFiles(dir) {
  const out = [];
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function kindOf(file) {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.wasm') return 'wasm';
  if (ext === '.js' || ext === '.mjs') return 'js';
  if (ext === '.css') return 'css';
  if (ext === '.html' || ext === '.htm') return 'html';
  return 'other';
}

function compressedSizes(buf) {
  return {
    raw: buf.length,
    gzip: zlib.gzipSync(buf, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(buf, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
}

// ------------------------------------------------------------------ measurements

const KINDS = ['wasm', 'js', 'css', 'html', 'other'];

/** Every file in dist/, grouped by kind: raw / gzip -9 / brotli q11 bytes. */
async function bundleSizes(ctx) {
  const files = await listFiles(ctx.dist);
  const groups = Object.fromEntries(KINDS.map((k) => [k, { files: 0, raw: 0, gzip: 0, brotli: 0 }]));
  const fileRows = [['file', 'kind', 'raw', 'gzip', 'brotli']];
  for (const f of files) {
    const s = compressedSizes(await fsp.readFile(f));
    const k = kindOf(f);
    groups[k].files++;
    for (const m of ['raw', 'gzip', 'brotli']) groups[k][m] += s[m];
    fileRows.push([path.relative(ctx.dist, f), k, fmtBytes(s.raw), fmtBytes(s.gzip), fmtBytes(s.brotli)]);
  }
  const figures = {};
  const total = { files: 0, raw: 0, gzip: 0, brotli: 0 };
  const rows = [['kind', 'files', 'raw B', 'gzip B', 'brotli B']];
  for (const k of KINDS) {
    const g = groups[k];
    if (k !== 'other' || g.files > 0) {
      figures[`bundle_${k}_raw_bytes`] = g.raw;
      figures[`bundle_${k}_gzip_bytes`] = g.gzip;
      figures[`bundle_${k}_brotli_bytes`] = g.brotli;
      rows.push([k, g.files, fmtBytes(g.raw), fmtBytes(g.gzip), fmtBytes(g.brotli)]);
    }
    for (const m of Object.keys(total)) total[m] += g[m];
  }
  rows.push(['total', total.files, fmtBytes(total.raw), fmtBytes(total.gzip), fmtBytes(total.brotli)]);
  figures.bundle_files = total.files;
  figures.bundle_raw_bytes = total.raw;
  figures.bundle_gzip_bytes = total.gzip;
  figures.bundle_brotli_bytes = total.brotli;
  return {
    figures,
    table: `${textTable(fileRows, (c) => c >= 2)}\n\n${textTable(rows)}`,
  };
}

/**
 * Navigation start -> usable terminal, in headless Chromium: a fresh browser context
 * per run (empty cache; HTTP cache also disabled via CDP), `page.goto`, then wait until
 * the terminal input is enabled and body[data-ready="1"]; the figure is the page's own
 * performance.now() (ms since navigation start) at the first poll that sees both.
 */
async function timeToTerminal(ctx) {
  const { url } = await ctx.server();
  const browser = await ctx.browser();
  const runs = [];
  for (let i = 0; i < ctx.opts.runs; i++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
      const handle = await page.waitForFunction((inputReady) => {
        const input = document.querySelector(inputReady);
        return input && document.body && document.body.dataset.ready === '1' ? performance.now() : false;
      }, SEL.inputReady, { timeout: 60_000, polling: 'raf' }).catch((e) => {
        throw new Error(`terminal never became usable (run ${i + 1}): ${e.message}${pageErrors.length ? `\npage errors: ${pageErrors.join('\n')}` : ''}`);
      });
      runs.push(round1(await handle.jsonValue()));
    } finally {
      await context.close();
    }
  }
  const med = round1(median(runs));
  const rows = [['figure', 'ms'], ['median', med], ['min', Math.min(...runs)], ['max', Math.max(...runs)]];
  return {
    figures: { tti_median_ms: med, tti_runs_ms: runs },
    table: `${textTable(rows)}\nruns (ms): ${runs.join(', ')}`,
  };
}

const MEASUREMENTS = [
  { name: 'bundle', description: 'shipped bundle (dist/) by kind: raw, gzip -9, brotli q11', run: bundleSizes },
  { name: 'tti', description: 'navigation start -> usable terminal, headless Chromium, cold, median', run: timeToTerminal },
  { name: 'autogen', description: 'reflect + compare + render, 10/100/500 tables: driftlab native vs real Alembic, median', run: autogenNative },
  { name: 'enter-to-output', description: 'Enter -> output of `alembic upgrade head` (one migration pending), headless Chromium, median', run: enterToOutput },
  { name: 'keystroke-to-drift', description: 'keystroke in models.py -> updated Drift view (autosave debounce included), headless Chromium, median', run: keystrokeToDrift },
  { name: 'autogen-browser', description: 'reflect + compare + render, 100 tables, wasm in headless Chromium, median', run: autogenBrowser },
];

// ------------------------------------------------------------------ main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error('dist/index.html missing: run ./dev build first');
  }
  let server = null;
  let browser = null;
  const ctx = {
    opts,
    root: ROOT,
    dist: DIST,
    server: async () => (server ??= await serveDist(DIST)),
    browser: async () => (browser ??= await launchBrowser()),
  };
  const figures = {};
  let failed = false;
  try {
    for (const m of MEASUREMENTS) {
      if (opts.only && !opts.only.includes(m.name)) continue;
      const t0 = performance.now();
      console.log(`\n## ${m.name}: ${m.description}`);
      try {
        const r = await m.run(ctx);
        Object.assign(figures, r.figures);
        console.log(r.table);
      } catch (e) {
        failed = true;
        console.error(`measurement ${m.name} failed: ${e.stack || e}`);
      }
      console.log(`(${m.name} took ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    if (browser) figures.chromium_version = browser.version();
  } finally {
    await browser?.close();
    await server?.close();
  }
  await fsp.mkdir(path.dirname(opts.out), { recursive: true });
  await fsp.writeFile(opts.out, `${JSON.stringify(figures, null, 2)}\n`);
  const rel = path.relative(process.cwd(), opts.out);
  console.log(`\nwrote ${rel.startsWith('..') ? opts.out : rel}`);
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
