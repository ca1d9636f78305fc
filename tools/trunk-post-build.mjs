// Trunk post_build hook (Trunk.toml): moves Trunk's inline module script (the
// wasm loader) into its own file, so the Content-Security-Policy in
// index.html can allow scripts from 'self' only — no 'unsafe-inline', no
// per-build hashes. Fails the build if the page has any other inline script.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('trunk-post-build: TRUNK_STAGING_DIR is not set (run me from Trunk)');
  process.exit(1);
}
const htmlPath = path.join(dir, 'index.html');
let html = fs.readFileSync(htmlPath, 'utf8');
const inline = /<script type="module">([\s\S]*?)<\/script>/g;
let moved = 0;
html = html.replace(inline, (_, body) => {
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
  const name = `boot-${hash}.js`;
  fs.writeFileSync(path.join(dir, name), body.trim() + '\n');
  moved += 1;
  return `<script type="module" src="/${name}"></script>`;
});
if (moved !== 1) {
  console.error(`trunk-post-build: expected Trunk's one inline loader script, found ${moved}`);
  process.exit(1);
}
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) {
  console.error('trunk-post-build: an inline <script> is left in index.html; the CSP would block it');
  process.exit(1);
}
fs.writeFileSync(htmlPath, html);

// ---------------------------------------------------------------------------
// Offline (issue 9, with public/sw.js): the service worker's precache list.
// Every file of the build except sw.js itself — the page, the loader, the
// hashed wasm/js/css, the manifest and icons — and a version hashed from
// their names and contents, written into sw.js's `const BUILD = …;` line. A
// new build is then a new sw.js, which the browser installs on the next
// visit (and which drops the previous build's cache).
function writePrecacheList(staging) {
  const swPath = path.join(staging, 'sw.js');
  if (!fs.existsSync(swPath)) {
    console.error('trunk-post-build: sw.js is missing from the build (index.html copies public/sw.js)');
    process.exit(1);
  }
  const files = [];
  const walk = (sub) => {
    for (const entry of fs.readdirSync(path.join(staging, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (rel !== 'sw.js' && !rel.endsWith('.map')) files.push(rel);
    }
  };
  walk('');
  files.sort();
  const hash = crypto.createHash('sha256');
  for (const rel of files) {
    hash.update(rel).update('\0').update(fs.readFileSync(path.join(staging, rel))).update('\0');
  }
  const build = { version: hash.digest('hex').slice(0, 16), files };
  const sw = fs.readFileSync(swPath, 'utf8');
  const line = /^const BUILD = .*;$/m;
  if (!line.test(sw)) {
    console.error('trunk-post-build: sw.js has no `const BUILD = …;` line to fill in');
    process.exit(1);
  }
  fs.writeFileSync(swPath, sw.replace(line, `const BUILD = ${JSON.stringify(build)};`));
}
writePrecacheList(dir);
