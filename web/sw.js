// MovieMatch service worker: after the first visit the site works with the network off.
//
// This is a template: scripts/postbuild.mjs (Trunk's post_build hook) writes dist/sw.js from it
// with the BUILD line filled in: this build's version (a hash over every built file and this
// template) and the files to precache ("./" is index.html). The app registers it as "./sw.js",
// so its scope is the site's own directory (say /<repo>/ on a project page).
//
// Why a new app never runs with an old bundle (or an old app with a new one):
//   - every file index.html loads has a content-hashed name: app-<h>.js, app-<h>_bg.wasm and
//     <sheet>-<h>.css (Trunk, with integrity attributes), model-<h>.bin (postbuild; the app reads
//     the name from index.html's <meta name="moviematch-model">). Whichever index.html runs, from
//     the network or from a cache, it can only ask for its own files: a mismatch is impossible,
//     the worst case is a file that cannot be found;
//   - each version's files live in their own cache, "moviematch <scope> <version>", filled
//     completely at install (any failed file, or a "./" that is not this version's index.html,
//     fails the install and keeps the previous version) and never written to afterwards;
//   - index.html, the one unhashed file, is fetched network-first so a new deploy is picked up
//     when online, and falls back to this version's cached "./", which names this version's
//     files, all in the same cache. Other files are cache-first: under a hashed name a cached copy
//     is always the right one. Anything not in the cache goes to the network and is not stored.
//   - sw.js itself holds the version, so every new build is a new worker for the browser: it
//     installs its own complete cache, then activates and drops the older caches of this scope.
//
// Caches are namespaced by the registration scope, so two copies of the site on one origin
// (/moviematch/ and /moviematch-beta/) never delete each other's caches. Only same-origin GET
// requests inside the scope are answered; everything else goes to the network untouched.

// scripts/postbuild.mjs replaces the next line with this build's { version, files }.
const BUILD = { version: 'unbuilt', files: [] };

const SCOPE = self.registration.scope;
// A space never occurs in a parsed URL, so "/a/" can never be a prefix of "/a/b/"'s caches.
const PREFIX = `moviematch ${SCOPE} `;
const CACHE = PREFIX + BUILD.version;
const INDEX = new URL('./', self.location).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      await caches.delete(CACHE); // a half-filled cache from an earlier failed install
      const cache = await caches.open(CACHE);
      // Hashed files may come from the HTTP cache (the page has just downloaded them); the
      // index must be revalidated, or a stale one could be stored with newer files.
      const requests = BUILD.files.map((f) => new Request(f, { cache: f === './' ? 'no-cache' : 'default' }));
      try {
        await cache.addAll(requests);
        const index = await cache.match(INDEX);
        const html = index ? await index.text() : '';
        if (!html.includes(`<meta name="moviematch-version" content="${BUILD.version}">`)) {
          throw new Error(`${INDEX} is not version ${BUILD.version} (a deploy in progress?)`);
        }
      } catch (e) {
        await caches.delete(CACHE);
        throw e;
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || !req.url.startsWith(SCOPE)) return;
  event.respondWith(req.mode === 'navigate' ? networkFirst(req) : cacheFirst(req));
});

async function networkFirst(req) {
  try {
    return await fetch(req);
  } catch (offline) {
    const hit = await caches.open(CACHE).then((c) => c.match(INDEX));
    if (hit) return hit;
    throw offline;
  }
}

async function cacheFirst(req) {
  const hit = await caches.open(CACHE).then((c) => c.match(req));
  return hit ?? fetch(req);
}
