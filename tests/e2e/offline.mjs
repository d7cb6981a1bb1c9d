// End-to-end scenario "offline, no leaks, any host":
//   - dist/sw.js precaches exactly the files in dist/ (index.html as "./"); its version is the one
//     index.html carries and the one recomputed from dist/ (nothing changed after the build);
//   - the served index.html carries the Content-Security-Policy <meta> before any script or
//     stylesheet: only 'self', the hash of each inline script, 'wasm-unsafe-eval'; the page
//     reports no CSP violation (console errors fail the test too, see lib.mjs `watch`);
//   - on its own server (so it can be switched off), from the sub-path: load, rate a movie, wait
//     until the service worker controls the page. Its scope is the site's directory, its cache is
//     "moviematch <scope> <version>" holding the precache list; an older cache of the same scope is
//     gone while a cache of another copy of the site on the same origin is kept, and a page outside
//     the scope is not controlled;
//   - a new deploy at the same address (dist/ with one more <meta>, restamped): an online reload
//     runs the new index.html at once, and its worker replaces the old version's cache;
//   - server stopped and browser offline, reload: the new version, its recommendations and the
//     rating are there.

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { startServer } from './static-server.mjs';
import {
  MODEL_TIMEOUT_MS,
  RATINGS,
  SEL,
  assertNoProblems,
  fail,
  log,
  readRated,
  readRecs,
  searchAndRate,
  waitForCount,
  waitForFirstRecs,
  watch,
} from './lib.mjs';
import { buildVersion, inlineScripts, precacheList, readBuild, siteFiles } from '../../scripts/postbuild.mjs';

const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const meta = (html, name) => html.match(new RegExp(`<meta name="${name}" content="([^"]*)">`))?.[1];

// What the build wrote into dist/, checked against dist/ itself.
async function checkDist(dist) {
  const sw = await readFile(join(dist, 'sw.js'), 'utf8').catch(() => fail(`${dist}/sw.js is missing: was the post-build hook run?`));
  const build = readBuild(sw);
  const files = precacheList(await siteFiles(dist));
  if (!same(build.files, files)) fail(`sw.js precaches ${JSON.stringify(build.files)} but dist/ holds ${JSON.stringify(files)}`);
  const version = await buildVersion(dist);
  if (build.version !== version) fail(`sw.js is version ${build.version}, dist/ hashes to ${version} (changed after the build?)`);
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  if (meta(html, 'moviematch-version') !== version) fail(`index.html names version ${meta(html, 'moviematch-version')}, sw.js ${version}`);
  const model = meta(html, 'moviematch-model');
  if (!/^model-[0-9a-f]{16}\.bin$/.test(model ?? '') || !files.includes(`./${model}`)) fail(`index.html names the model ${model}, not a hashed file of dist/`);
  log(`sw.js: version ${version}, precaches ${files.length} files = dist/`);
  return { version, files };
}

// The policy as the server sends it: before any script or stylesheet, nothing foreign.
function checkCsp(html) {
  const m = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
  if (!m) fail('the served index.html has no Content-Security-Policy <meta>');
  const csp = m[1];
  const first = Math.min(...['<script', '<link rel="stylesheet"', '<link rel="modulepreload"'].map((t) => html.indexOf(t)).filter((i) => i >= 0));
  if (m.index > first) fail('the Content-Security-Policy <meta> comes after a script or stylesheet');
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  for (const d of ['default-src', 'script-src', 'style-src', 'connect-src', 'worker-src', 'img-src']) {
    if (!directives[d]) fail(`the CSP has no ${d}: ${csp}`);
  }
  const allowed = new Set(["'self'", "'wasm-unsafe-eval'", "'none'", 'data:']);
  const scripts = inlineScripts(html).map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
  for (const h of scripts) if (!directives['script-src'].includes(h)) fail(`the CSP lacks the hash ${h} of an inline script: ${csp}`);
  for (const [k, v] of Object.entries(directives)) {
    for (const s of v) {
      if (!allowed.has(s) && !scripts.includes(s)) fail(`the CSP's ${k} allows ${s}: only the site's own origin is allowed`);
    }
  }
  if (!directives['script-src'].includes("'wasm-unsafe-eval'")) fail(`the CSP's script-src lacks 'wasm-unsafe-eval': ${csp}`);
  log(`CSP: ${csp}`);
}

// A "new deploy" of the same site: dist/ with one more <meta> in index.html, restamped like
// the post-build step does (new version in index.html and sw.js). Returns its directory.
async function redeploy(dist) {
  const dir = await mkdtemp(join(tmpdir(), 'moviematch-deploy-'));
  await cp(dist, dir, { recursive: true });
  const indexPath = join(dir, 'index.html');
  let html = await readFile(indexPath, 'utf8');
  html = html.replace('<meta name="moviematch-model"', '<meta name="e2e-deploy" content="2">\n  <meta name="moviematch-model"');
  await writeFile(indexPath, html);
  const version = await buildVersion(dir);
  await writeFile(indexPath, html.replace(/(<meta name="moviematch-version" content=")[0-9a-f]+/, `$1${version}`));
  const sw = await readFile(join(dir, 'sw.js'), 'utf8');
  await writeFile(join(dir, 'sw.js'), sw.replace(/"version":"[0-9a-f]+"/, `"version":"${version}"`));
  if (readBuild(await readFile(join(dir, 'sw.js'), 'utf8')).version !== version) fail('could not restamp the new deploy');
  return { dir, version };
}

// The worker registration and every cache of the origin, as the page sees them.
const swState = (page) =>
  page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    const out = { scope: reg?.scope, script: reg?.active?.scriptURL, caches: {} };
    for (const name of await caches.keys()) {
      out.caches[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
    }
    return out;
  });

export async function offlineFlows({ browser, dist, prefix, problems, shots }) {
  const { version, files } = await checkDist(dist);
  const next = await redeploy(dist);
  // Our own server: the flow swaps what it serves, then switches it off.
  let server = await startServer({ root: dist, prefix });
  const port = Number(new URL(server.origin).port);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const html = await (await fetch(server.url)).text();
    checkCsp(html);

    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
      );
    });
    const cspViolations = async (page, when) => {
      const v = await page.evaluate(() => window.__cspViolations ?? []);
      if (v.length) fail(`${when}: Content-Security-Policy violations:\n  - ${v.join('\n  - ')}`);
    };
    const deployed = (page) => page.evaluate(() => document.querySelector('meta[name="e2e-deploy"]') !== null);

    // Caches the origin already holds: an older version of this copy of the site (to be dropped)
    // and another copy of the site at /sub/other/ (to be kept). Made from a page outside the
    // scope (a 404, not watched).
    const own = `moviematch ${server.url} `;
    const other = `moviematch ${server.origin}/sub/other/ 0123456789abcdef`;
    const outside = await context.newPage();
    await outside.goto(`${server.origin}/sub/other/`);
    await outside.evaluate(async (names) => Promise.all(names.map((n) => caches.open(n))), [`${own}0000000000000000`, other]);

    const page = await context.newPage();
    await watch(context, page, server.origin, problems, 'offline');
    await page.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(page, problems, 'offline: first load');
    const spec = RATINGS[0];
    await searchAndRate(page, spec, 1);
    await cspViolations(page, 'first load');

    // The app registers the worker once the model is loaded; clients.claim() then takes the page.
    try {
      await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: MODEL_TIMEOUT_MS });
    } catch {
      fail('offline: the service worker never took control of the page');
    }
    const sw = await swState(page);
    if (sw.scope !== server.url) fail(`the service worker's scope is ${sw.scope}, not the site's directory ${server.url}`);
    if (sw.script !== `${server.url}sw.js`) fail(`the active service worker is ${sw.script}`);
    const mine = `${own}${version}`;
    const names = Object.keys(sw.caches);
    if (!names.includes(mine)) fail(`no cache "${mine}" (the build version); caches: ${JSON.stringify(names)}`);
    const expected = files.map((f) => new URL(f, server.url).href);
    if (!same(sw.caches[mine], expected)) fail(`the cache holds ${JSON.stringify(sw.caches[mine])}, expected ${JSON.stringify(expected)}`);
    const stale = names.filter((n) => n.startsWith(own) && n !== mine);
    if (stale.length) fail(`older caches of this scope were kept: ${JSON.stringify(stale)}`);
    if (!names.includes(other)) fail(`the cache of another copy of the site on this origin was deleted: ${JSON.stringify(names)}`);
    await outside.reload();
    if (await outside.evaluate(() => navigator.serviceWorker.controller !== null)) fail('a page outside the scope is controlled by the service worker');
    await outside.close();
    log(`service worker: scope ${sw.scope}, cache "${mine}" with ${expected.length} files`);

    // A new deploy at the same address: an online reload runs it at once (index.html is
    // network-first), and its worker replaces the old version's cache with its own.
    await server.close();
    server = await startServer({ root: next.dir, prefix, port });
    await page.reload({ waitUntil: 'commit' });
    await waitForFirstRecs(page, problems, 'offline: reload after a new deploy');
    if (!(await deployed(page))) fail('an online reload after a new deploy still runs the old index.html');
    const nextCache = `${own}${next.version}`;
    // (Polled from here: waitForFunction does not wait for an async predicate.)
    for (const deadline = Date.now() + MODEL_TIMEOUT_MS; ; await page.waitForTimeout(250)) {
      const mineNow = Object.keys((await swState(page)).caches).filter((n) => n.startsWith(own));
      if (mineNow.length === 1 && mineNow[0] === nextCache) break;
      if (Date.now() > deadline) fail(`after a new deploy the caches of this scope are ${JSON.stringify(mineNow)}, not just "${nextCache}"`);
    }
    log(`new deploy: cache "${nextCache}" replaced "${mine}"`);

    // Off the network: the server is gone and the browser is offline.
    const before = await readRecs(page);
    await server.close();
    await context.setOffline(true);
    await page.reload({ waitUntil: 'commit' });
    await waitForFirstRecs(page, problems, 'offline: reload with the network off');
    await waitForCount(page, SEL.rated, 1, 'offline: reload with the network off');
    if (!(await deployed(page))) fail('offline: the reload runs the old version, not the new deploy');
    const rated = await readRated(page);
    if (!rated.some((m) => m.title === spec.title)) fail(`offline: the rating of "${spec.title}" is gone: ${JSON.stringify(rated)}`);
    const after = await readRecs(page);
    if (after.some((m) => m.title === spec.title)) fail(`offline: the rated "${spec.title}" is recommended`);
    const kept = after.filter((m) => before.some((b) => b.title === m.title)).length;
    log(`offline: ${kept} of ${after.length} recommendations as online`);
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) fail('offline: the reloaded page is not controlled');
    await cspViolations(page, 'offline reload');
    await page.screenshot({ path: join(shots, 'offline.png'), fullPage: true });
    assertNoProblems(problems, 'offline');
    log(`offline reload: ${after.length} recommendations, ${rated.length} rating kept`);
  } finally {
    await context.close();
    await server.close();
    await rm(next.dir, { recursive: true, force: true });
  }
}
