// driftlab's service worker: after one visit the page loads, and every lesson
// works (they are embedded in the wasm), with the network off.
//
// - Install: precaches the build's files (their names carry content hashes),
//   listed below by tools/trunk-post-build.mjs (writePrecacheList), in a cache
//   named after the build's version.
// - Fetch: cache first for those files; opening the page (with any query, e.g.
//   an embed's ?embed=1&...) gets the cached index.html; anything else goes to
//   the network as usual.
// - Activate: deletes the caches of earlier builds, and takes over open pages.
//   A new build has a new list, so a new sw.js: the browser installs it on the
//   next visit, and the page after that runs the new build.

// Replaced by tools/trunk-post-build.mjs; this placeholder precaches nothing.
const BUILD = { version: 'unbuilt', files: [] };

const PREFIX = 'driftlab-';
const CACHE = `${PREFIX}${BUILD.version}`;
const scope = new URL(self.registration ? self.registration.scope : './', self.location.href);
const url = (name) => new URL(name, scope).href;
const INDEX = url('index.html');

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // `reload`: straight from the network, never from the HTTP cache.
    await cache.addAll(BUILD.files.map((name) => new Request(url(name), { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const path = new URL(request.url).pathname;
    if (request.mode === 'navigate' && (path === scope.pathname || path === new URL(INDEX).pathname)) {
      const page = await cache.match(INDEX);
      if (page) return page;
    } else {
      const hit = await cache.match(request, { ignoreVary: true });
      if (hit) return hit;
    }
    return fetch(request);
  })());
});
