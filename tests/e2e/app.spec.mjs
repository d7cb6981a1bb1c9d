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
//   - screenshots at desktop and phone sizes go to tests/artifacts/.
//
// Usage: node tests/e2e/app.spec.mjs   (after `trunk build --release`; scripts/test.sh does both)
// Env:   DIST_DIR (default ./dist), CHROMIUM (default /usr/bin/chromium), E2E_HEADFUL=1 to watch.
// Exit status 0 on success, 1 with a message saying what failed.

import { mkdir, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './static-server.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = process.env.DIST_DIR ?? join(ROOT, 'dist');
const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PREFIX = '/sub/path/';
// As root Chromium needs --no-sandbox; the others stop it from calling Google services, which
// would flood the closed network and slow everything down.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const MODEL_TIMEOUT_MS = 120_000; // first load: fetch + decode the model bundle (2 slow cores)
const UI_TIMEOUT_MS = 15_000; // anything after that is local computation
const WHOLE_TEST_TIMEOUT_MS = 10 * 60_000;

// Movies present in MovieLens ml-latest-small, with the rating to give and the button to click
// (data-rating as the app writes it: "5", "4.5", "0.5").
const RATINGS = [
  { query: 'matrix', title: 'The Matrix', year: '1999', rating: '5' },
  { query: 'toy story', title: 'Toy Story', year: '1995', rating: '4.5' },
  { query: 'pulp fiction', title: 'Pulp Fiction', year: '1994', rating: '5' },
  { query: 'titanic', title: 'Titanic', year: '1997', rating: '1' },
  { query: 'notebook', title: 'The Notebook', year: '2004', rating: '0.5' },
];

const SEL = {
  rec: '[data-testid="rec-item"]',
  rated: '[data-testid="my-ratings"] [data-testid="rated-item"]',
  result: '[data-testid="search-result"]',
  search: 'input#search',
  genre: 'select#genre-filter',
  error: '[data-testid="error"]',
};

class TestFailure extends Error {}
function fail(msg) {
  throw new TestFailure(msg);
}
const log = (...a) => console.log('[e2e]', ...a);
const key = (m) => `${m.title} (${m.year})`;

// Problems the page reports by itself: any of them fails the test at the next check.
function watch(context, page, origin, problems, label) {
  const here = (what) => problems.push(`[${label}] ${what}`);
  page.on('pageerror', (e) => here(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') here(`console error: ${m.text()} (${m.location()?.url ?? '?'})`);
  });
  page.on('requestfailed', (r) => {
    // Requests we aborted ourselves are already reported as foreign.
    if (new URL(r.url()).origin === origin) here(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) here(`HTTP ${r.status()} for ${r.url()}`);
  });
  // Block (and report) every request to anywhere but our own server.
  return context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    here(`request to a foreign origin: ${url}`);
    return route.abort('blockedbyclient');
  });
}

function assertNoProblems(problems, when) {
  if (problems.length) fail(`${when}: the page reported problems:\n  - ${problems.join('\n  - ')}`);
}

// The recommendation list as [{title, year}], in order.
function readRecs(page) {
  return page.$$eval(SEL.rec, (els) =>
    els.map((e) => ({
      title: e.querySelector('[data-testid="rec-title"]')?.textContent.trim() ?? e.innerText.trim(),
      year: (e.querySelector('.meta')?.textContent.match(/\b(1[89]|20)\d\d\b/) ?? [''])[0],
      meta: e.querySelector('.meta')?.textContent.trim() ?? '',
      mean: parseFloat(e.querySelector('.pred strong')?.textContent ?? 'NaN'),
      interval: (e.querySelector('[data-testid="rec-interval"]')?.textContent.match(/^(\d\.\d)–(\d\.\d)$/) ?? [])
        .slice(1)
        .map(parseFloat),
    })),
  );
}

// Every recommendation shows its predicted stars inside an 80% interval on the 0.5–5 scale.
function assertIntervals(recs, when) {
  for (const r of recs) {
    const [lo, hi] = r.interval;
    const ok = r.interval.length === 2 && lo >= 0.5 && hi <= 5 && lo <= r.mean && r.mean <= hi && lo < hi;
    if (!ok) fail(`${when}: "${r.title}" shows ${r.mean} ★ with interval ${JSON.stringify(r.interval)}`);
  }
}

function readRated(page) {
  return page.$$eval(SEL.rated, (els) =>
    els.map((e) => ({
      title: e.querySelector('.title')?.textContent.trim() ?? e.innerText.trim(),
      year: (e.querySelector('.meta')?.textContent.match(/\b(1[89]|20)\d\d\b/) ?? [''])[0],
    })),
  );
}

// Waits for the first recommendation (or the app's error box) and returns the time since
// navigation start as the page itself measured it (performance.now() counts from timeOrigin).
// Polls in short slices so that a reported problem (a 404, a page error) fails at once instead
// of after the whole model timeout.
async function waitForFirstRecs(page, problems, what) {
  const deadline = Date.now() + MODEL_TIMEOUT_MS;
  let r;
  for (;;) {
    try {
      const handle = await page.waitForFunction(
        ([rec, err]) => {
          const e = document.querySelector(err);
          if (e) return { error: e.innerText.trim() };
          return document.querySelector(rec) ? { ms: performance.now() } : null;
        },
        [SEL.rec, SEL.error],
        { polling: 'raf', timeout: 1000 },
      );
      r = await handle.jsonValue();
      break;
    } catch (e) {
      if (!/Timeout/i.test(e.message)) throw e;
      assertNoProblems(problems, `${what} (before any recommendation appeared)`);
      if (Date.now() > deadline) {
        const body = (await page.locator('body').innerText().catch(() => '')).slice(0, 600);
        fail(`${what}: no [data-testid="rec-item"] within ${MODEL_TIMEOUT_MS / 1000} s. Page text:\n${body}`);
      }
    }
  }
  if (r.error) fail(`${what}: the app shows an error instead of recommendations: ${r.error}`);
  const ready = await page.getAttribute('body', 'data-ready');
  if (ready !== 'true') fail(`${what}: recommendations shown but body[data-ready] is ${ready}`);
  return Math.round(r.ms);
}

async function waitForCount(page, selector, n, what) {
  try {
    await page.waitForFunction(([s, n]) => document.querySelectorAll(s).length === n, [selector, n], {
      timeout: UI_TIMEOUT_MS,
    });
  } catch {
    const got = await page.locator(selector).count();
    fail(`${what}: expected ${n} × ${selector}, found ${got}`);
  }
}

// Polls until the recommendation list differs from `before` (rendering may lag a frame).
async function waitForRecsToChange(page, before, what) {
  const was = JSON.stringify(before.map(key));
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const now = await readRecs(page);
    if (now.length && JSON.stringify(now.map(key)) !== was) return now;
    if (Date.now() > deadline) fail(`${what}: the recommendation list did not change (${before.map(key).join('; ')})`);
    await page.waitForTimeout(100);
  }
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function searchAndRate(page, spec, expectedCount) {
  await page.fill(SEL.search, spec.query);
  const result = page
    .locator(SEL.result)
    .filter({ has: page.locator('.title', { hasText: new RegExp(`^\\s*${escapeRe(spec.title)}\\s*$`) }) })
    .filter({ has: page.locator('.meta', { hasText: spec.year }) })
    .first();
  try {
    await result.waitFor({ timeout: UI_TIMEOUT_MS });
  } catch {
    const shown = await page.locator(SEL.result).allInnerTexts();
    fail(
      `search "${spec.query}": no result "${spec.title}" (${spec.year}). Results shown:\n  ` +
        (shown.map((t) => t.replace(/\s+/g, ' ')).join('\n  ') || '(none)'),
    );
  }
  const button = result.locator(`button[data-rating="${spec.rating}"]`);
  if ((await button.count()) !== 1) fail(`"${spec.title}": no button[data-rating="${spec.rating}"] in its search result`);
  await button.click();
  await waitForCount(page, SEL.rated, expectedCount, `after rating "${spec.title}" ${spec.rating}★`);
  const rated = await readRated(page);
  if (!rated.some((m) => m.title === spec.title)) {
    fail(`"${spec.title}" is not under My ratings after rating it; listed: ${rated.map(key).join('; ')}`);
  }
  log(`rated ${key(spec)} ${spec.rating}★ → ${rated.length} rating(s) listed`);
}

async function distSizes() {
  const out = {};
  for (const f of await readdir(DIST)) {
    const s = await stat(join(DIST, f));
    if (f.endsWith('.wasm')) out.wasm_bytes = (out.wasm_bytes ?? 0) + s.size;
    if (f.endsWith('.js')) out.js_bytes = (out.js_bytes ?? 0) + s.size;
    if (f === 'model.bin') out.model_bytes = s.size;
  }
  return out;
}

async function main() {
  if (!existsSync(join(DIST, 'index.html'))) {
    fail(`${DIST}/index.html not found: build the site first (trunk build --release --skip-version-check)`);
  }
  if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} not found: run scripts/setup.sh (installs Debian chromium)`);
  await mkdir(ARTIFACTS, { recursive: true });

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

    await page.screenshot({ path: join(ARTIFACTS, 'desktop.png'), fullPage: true });
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
    await page.screenshot({ path: join(ARTIFACTS, 'phone.png'), fullPage: true });
    assertNoProblems(problems, 'phone');
    await phone.close();

    for (const [k, v] of Object.entries(await distSizes())) console.log(`${k}=${v}`);
    log(`PASS (screenshots in ${ARTIFACTS})`);
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
