// End-to-end test of the BUILT site (dist/, from `trunk build --release`) in headless Chromium.
//
// What it proves, as a visitor would see it:
//   - the page loads from a sub-path (/sub/path/) with no page error, no console error, no failed
//     or 4xx/5xx request and no request to any other origin (the app is fully self-contained);
//   - recommendations appear (time_to_first_recs_ms is printed as a measurement);
//   - searching and rating five well-known MovieLens movies lists them under "My ratings", changes
//     the recommendations and never recommends a rated movie;
//   - the ratings survive a reload (localStorage);
//   - the genre filter restricts the list;
//   - the "learn a visitor fast" flows (learn.mjs): the first screen's three ways in,
//     the popular grid, questions with every answer (keyboard and "haven't seen" included),
//     rating by comparisons, feedback on recommendations, the settings panel's filters;
//   - what a visitor asks (visitor.mjs): a click on a title opens the movie's own view
//     (#movie=<id>; Esc, Back and its button close it and give the focus back; an address opens
//     it directly) with its prediction, IMDb votes and "More like this";
//   - two opposite tastes (tastes.mjs): five horror classics or five romantic comedies rated
//     5★ in fresh contexts give top 10s sharing at most 3 films, reasons naming only rated films;
//   - share links (share.mjs): the link from "Share my ratings" opened in a fresh context shows
//     that profile read-only with its recommendations; "Merge into mine" survives a reload; a
//     tampered link is a clear notice and changes nothing;
//   - the visitor's data (data.mjs): IMDb and Letterboxd exports imported (picker and drop) with
//     their preview, bad files refused with a clear message, "Download my data" brought to a
//     fresh browser, a damaged profile restored from its last good copy, storage full, and
//     "Delete all my data";
//   - offline (offline.mjs): sw.js precaches exactly dist/; the Content-Security-Policy <meta>
//     allows only the site's origin and no violation is reported; the service worker controls
//     the page, scoped and cached per directory and build version; with the server stopped and
//     the browser offline, a reload still shows the recommendations and the rating;
//   - the whole journey (journey.mjs): import an IMDb export, share a link, open it in a fresh
//     context, merge, go offline, reload: the ratings and recommendations are still there;
//   - first load (load.mjs): a phone over localhost, fast 4G and slow 4G with a 4× slower CPU,
//     fresh contexts, cache off, no compression by the server: first_list_ms_*, repeat visits,
//     bytes before the first list, the wasm's gzip size, long tasks while typing and rating;
//   - the catalogue's tail (tail.mjs): the list from the head says "N of M films", a search for
//     a film of the tail says it is still loading, the tail's arrival keeps focus, a damaged
//     tail shows Retry, and a returning visitor's answers about tail films wait and then count;
//   - screenshots at desktop and phone sizes go to tests/artifacts/ (or $SHOTS_DIR).
//
// Usage: node tests/e2e/app.spec.mjs   (after `trunk build --release`; scripts/test.sh does both)
// Env:   DIST_DIR (default ./dist), CHROMIUM (default /usr/bin/chromium), E2E_HEADFUL=1 to watch,
//        SHOTS_DIR (where the screenshots go; default tests/artifacts).
// Exit status 0 on success, 1 with a message saying what failed.

import { mkdir, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './static-server.mjs';
import {
  CHROMIUM_ARGS,
  MODEL_TIMEOUT_MS,
  RATINGS,
  SEL,
  TestFailure,
  WHOLE_TEST_TIMEOUT_MS,
  assertIntervals,
  assertNoProblems,
  fail,
  key,
  log,
  readRated,
  readRecs,
  searchAndRate,
  waitForCount,
  waitForFirstRecs,
  waitForRecsToChange,
  watch,
} from './lib.mjs';
import { learnFlows, phoneShots } from './learn.mjs';
import { dataFlows } from './data.mjs';
import { journeyFlow } from './journey.mjs';
import { loadFlows } from './load.mjs';
import { tailFlows } from './tail.mjs';
import { offlineFlows } from './offline.mjs';
import { shareFlows } from './share.mjs';
import { tastesFlow } from './tastes.mjs';
import { visitorFlows } from './visitor.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = process.env.DIST_DIR ?? join(ROOT, 'dist');
const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PREFIX = '/sub/path/';
// Screenshots of every screen, desktop and phone (also kept in ARTIFACTS on failure).
const SHOTS = process.env.SHOTS_DIR ?? ARTIFACTS;
async function distSizes() {
  const out = {};
  for (const f of await readdir(DIST)) {
    const s = await stat(join(DIST, f));
    if (f.endsWith('.wasm')) out.wasm_bytes = (out.wasm_bytes ?? 0) + s.size;
    if (f.endsWith('.js')) out.js_bytes = (out.js_bytes ?? 0) + s.size;
    if (/^model(-[0-9a-f]+)?\.bin$/.test(f)) out.model_bytes = (out.model_bytes ?? 0) + s.size;
  }
  return out;
}

async function main() {
  if (!existsSync(join(DIST, 'index.html'))) {
    fail(`${DIST}/index.html not found: build the site first (trunk build --release --skip-version-check)`);
  }
  if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} not found: run scripts/setup.sh (installs Debian chromium)`);
  await mkdir(ARTIFACTS, { recursive: true });
  await mkdir(SHOTS, { recursive: true });

  const server = await startServer({ root: DIST, prefix: PREFIX });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: !process.env.E2E_HEADFUL,
  });
  const problems = [];
  let page;
  try {
    log(`serving ${DIST} at ${server.url}; ${(await browser.version()) || 'chromium'}`);

    // --- Desktop: load, rate, reload, filter ----------------------------------------------
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await desktop.newPage();
    await watch(desktop, page, server.origin, problems, 'desktop');

    const navStart = Date.now();
    await page.goto(server.url, { waitUntil: 'commit' });
    const firstRecsMs = await waitForFirstRecs(page, problems, 'first load');
    const wallMs = Date.now() - navStart;
    console.log(`time_to_first_recs_ms=${firstRecsMs}`);
    console.log(`time_to_first_recs_wall_ms=${wallMs}`);
    assertNoProblems(problems, 'first load');

    const initial = await readRecs(page);
    assertIntervals(initial, 'initial list');
    log(`initial recommendations (${initial.length}): ${initial.map(key).join('; ')}`);
    if ((await page.locator(SEL.rated).count()) !== 0) fail('a fresh browser profile already lists ratings');

    for (const [i, spec] of RATINGS.entries()) {
      await searchAndRate(page, spec, i + 1);
      assertNoProblems(problems, `rating "${spec.title}"`);
    }

    const after = await waitForRecsToChange(page, initial, 'after five ratings');
    // Reasons come from the engine's exact attribution: after rating, some recommendation is
    // there "because you liked / disliked" one of the movies just rated.
    const reasons = await page.$$eval('[data-testid="rec-reasons"]', (els) => els.map((e) => e.textContent.trim()));
    log(`reasons: ${reasons.slice(0, 5).join(' | ')}`);
    const rated = RATINGS.map((r) => r.title);
    if (!reasons.some((t) => rated.some((title) => t.includes(`liked ${title} (`))))
      fail(`no recommendation names a rated movie as its reason: ${JSON.stringify(reasons.slice(0, 5))}`);
    log(`recommendations after rating (${after.length}): ${after.map(key).join('; ')}`);
    const ratedKeys = new Set(RATINGS.map(key));
    const leaked = after.filter((m) => ratedKeys.has(key(m)));
    if (leaked.length) fail(`rated movies are still recommended: ${leaked.map(key).join('; ')}`);

    await page.reload({ waitUntil: 'commit' });
    await waitForFirstRecs(page, problems, 'reload');
    await waitForCount(page, SEL.rated, RATINGS.length, 'after reload');
    const kept = await readRated(page);
    const missing = RATINGS.filter((s) => !kept.some((m) => m.title === s.title));
    if (missing.length) fail(`ratings lost on reload: ${missing.map(key).join('; ')}`);
    log(`after reload: ${kept.length} ratings kept`);
    assertNoProblems(problems, 'reload');

    const beforeFilter = await readRecs(page);
    assertIntervals(beforeFilter, 'after rating');
    const chosen = await page.selectOption(SEL.genre, { label: 'Comedy' }).catch((e) => {
      fail(`cannot choose "Comedy" in ${SEL.genre}: ${e.message.split('\n')[0]}`);
    });
    const comedies = await waitForRecsToChange(page, beforeFilter, 'after choosing the Comedy genre');
    const notComedy = comedies.filter((m) => m.meta && !/\bComedy\b/.test(m.meta));
    if (notComedy.length) fail(`genre filter Comedy lets through: ${notComedy.map((m) => `${key(m)} [${m.meta}]`).join('; ')}`);
    log(`genre filter Comedy (option ${chosen}): ${comedies.map(key).join('; ')}`);
    assertNoProblems(problems, 'genre filter');

    await page.screenshot({ path: join(SHOTS, 'desktop.png'), fullPage: true });
    await desktop.close();

    // --- Phone: fresh profile, just load and look --------------------------------------------
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    page = await phone.newPage();
    await watch(phone, page, server.origin, problems, 'phone');
    await page.goto(server.url, { waitUntil: 'commit' });
    const phoneMs = await waitForFirstRecs(page, problems, 'phone load');
    console.log(`time_to_first_recs_phone_ms=${phoneMs}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) console.log(`[e2e] WARNING: the phone layout scrolls sideways by ${overflow}px`);
    await page.screenshot({ path: join(SHOTS, 'phone.png'), fullPage: true });
    assertNoProblems(problems, 'phone');
    await phone.close();

    // --- Learn a visitor fast: the ways in, questions, comparisons, feedback, settings ------------------
    await learnFlows({ browser, server, problems, shots: SHOTS });
    await phoneShots({ browser, server, problems, shots: SHOTS });

    // --- One film's own view and "more like this" (desktop and phone) ------------------------
    await visitorFlows({ browser, server, problems, shots: SHOTS });

    // --- Two opposite tastes: personal top 10s, reasons naming only what was rated ----------
    await tastesFlow({ browser, server, problems, shots: SHOTS });

    // --- Share links (make, open in a fresh context, merge, tampered) -------------
    await shareFlows({ browser, server, problems, shots: SHOTS });

    // --- The visitor's data (import, download, restore, storage full, delete) ----
    await dataFlows({ browser, server, problems, shots: SHOTS });

    // --- Offline, CSP, service worker (on a server of its own, which it switches off) ------
    await offlineFlows({ browser, dist: DIST, prefix: PREFIX, problems, shots: SHOTS });

    // --- A visitor's whole journey: import, share, a fresh context, offline reload -----------
    await journeyFlow({ browser, dist: DIST, problems, shots: SHOTS });

    // --- First load on a phone: localhost, fast 4G, slow 4G + 4× CPU; repeat visits ----------
    await loadFlows({ browser, server, problems, dist: DIST });

    // --- The catalogue's tail: held back, damaged, a returning visitor's answers about it -----
    await tailFlows({ browser, server, problems, shots: SHOTS });

    for (const [k, v] of Object.entries(await distSizes())) console.log(`${k}=${v}`);
    log(`PASS (screenshots in ${SHOTS})`);
  } catch (e) {
    if (problems.length && !(e instanceof TestFailure && e.message.includes('reported problems'))) {
      console.error(`[e2e] problems the page reported before the failure:\n  - ${problems.join('\n  - ')}`);
    }
    if (page && !page.isClosed()) {
      await page.screenshot({ path: join(ARTIFACTS, 'failure.png'), fullPage: true }).catch(() => {});
    }
    throw e;
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}

const watchdog = setTimeout(() => {
  console.error(`E2E FAILED: the whole test took longer than ${WHOLE_TEST_TIMEOUT_MS / 60000} min`);
  process.exit(1);
}, WHOLE_TEST_TIMEOUT_MS);

try {
  await main();
  clearTimeout(watchdog);
} catch (e) {
  console.error(`\nE2E FAILED: ${e instanceof TestFailure ? e.message : e.stack ?? e}`);
  console.error(`(a screenshot of the failing page, if any, is in ${ARTIFACTS}/failure.png)`);
  process.exit(1);
}
