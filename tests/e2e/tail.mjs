// The catalogue in two parts (scripts/postbuild.mjs: <meta name="moviematch-model"> is the head,
// "moviematch-tail" the rest): what a visitor sees while only the head is loaded, when the tail
// arrives, when it is damaged, and a returning visitor whose answers are partly about films
// outside the head. The tail's response is held back (or damaged) by routing it in the page's
// context (service workers blocked, so every request goes through the route).
//
// Printed: first_list_ms_returning_localhost, first_list_ms_returning_fast (median of 3; the
// returning visitor has 50 stored ratings, 10 of them films outside the head).

import { join } from 'node:path';
import { SEL, T, assertNoProblems, fail, log, searchAndRate, waitForFirstRecs, waitVisible, watch } from './lib.mjs';
import { FAST, median, throttle } from './load.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

// 40 films every head holds (among the most IMDb votes of all) and 10 none does (a few
// thousand votes; the head's last film had 148,186 in the 2017 IMDb file): MovieLens ids.
const HEAD_FILMS = [
  1, 32, 47, 50, 110, 150, 260, 296, 318, 356, 364, 480, 527, 589, 593, 858, 1196, 1198, 1210, 2571,
  2858, 2959, 4993, 5952, 7153, 58559, 79132, 1270, 1580, 780, 1721, 2028, 1136, 1089, 1214, 1240, 608,
  1197, 1265, 2762,
];
const TAIL_FILMS = [111663, 34435, 30, 4542, 7286, 30856, 55926, 79327, 105368, 127302];
// A film of the tail to search for: no film of the head matches the query.
const TAIL_SEARCH = { query: 'zombeavers', title: 'Zombeavers', year: '2014', rating: '3' };

const metaOf = (page, name) => page.getAttribute(`meta[name="${name}"]`, 'content');

// The tail's file name, as the served index.html names it.
async function tailName(server) {
  const html = await (await fetch(server.url)).text();
  const m = /<meta name="moviematch-tail" content="([^"]+)">/.exec(html);
  if (!m) fail('index.html names no tail (<meta name="moviematch-tail">)');
  return m[1];
}

// A context whose requests for the tail wait for `release()` (or get `damaged` bytes the first
// `damagedTimes` times).
async function heldContext(browser, server, problems, label, { damagedTimes = 0 } = {}) {
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
  const page = await context.newPage();
  await watch(context, page, server.origin, problems, label);
  let release;
  const held = new Promise((ok) => (release = ok));
  let damaged = 0;
  const tail = await tailName(server);
  await context.route(/model-[0-9a-f]{16}\.bin$/, async (route) => {
    if (!route.request().url().endsWith(`/${tail}`)) return route.continue();
    if (damaged < damagedTimes) {
      damaged++;
      const real = await route.fetch();
      const body = await real.body();
      return route.fulfill({ status: 200, contentType: 'application/octet-stream', body: body.subarray(0, body.length >> 1) });
    }
    await held;
    return route.continue();
  });
  return { context, page, release };
}

async function partialText(page) {
  return (await page.locator(T('partial-catalogue')).innerText()).replace(/\s+/g, ' ').trim();
}

async function waitGone(page, selector, what) {
  try {
    await page.locator(selector).waitFor({ state: 'detached', timeout: 120_000 });
  } catch {
    fail(`${what}: ${selector} is still shown`);
  }
}

// A new visitor before and after the tail arrives: the list from the head says so, a search
// for a film of the tail says it is still loading, and when the tail arrives the film is found
// where the visitor typed, focus still in the search box.
async function beforeAndAfterTail({ browser, server, problems, shots }) {
  const { context, page, release } = await heldContext(browser, server, problems, 'tail held');
  try {
    await page.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(page, problems, 'tail held: first list');
    await waitVisible(page, T('partial-catalogue'), 'the list while the tail is held');
    const said = await partialText(page);
    const total = Number(await metaOf(page, 'moviematch-films'));
    const m = /best-known ([\d,]+) of ([\d,]+) films; the rest is loading/.exec(said);
    if (!m || Number(m[2].replace(/,/g, '')) !== total) fail(`while the tail is held the list says "${said}"`);
    await page.click(T('nav-search'));
    await page.click(SEL.search);
    await page.keyboard.type(TAIL_SEARCH.query, { delay: 30 });
    await waitVisible(page, T('search-none'), `a search for "${TAIL_SEARCH.query}" before the tail`);
    const none = await page.locator(T('search-none')).innerText();
    if (!/still loading/.test(none)) fail(`a search with no head match says "${none}"`);
    log(`before the tail: "${said}"; search "${TAIL_SEARCH.query}": "${none}"`);
    await page.locator(T('partial-catalogue')).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'partial-catalogue-phone.png') });
    release();
    await waitGone(page, T('partial-catalogue'), 'after the tail arrived');
    await page
      .locator(SEL.result, { hasText: TAIL_SEARCH.title })
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(() => fail(`"${TAIL_SEARCH.title}" is not found once the tail arrived`));
    const focused = await page.evaluate(() => document.activeElement?.id);
    if (focused !== 'search') fail(`the tail's arrival moved focus from the search box to #${focused}`);
    await searchAndRate(page, TAIL_SEARCH, 1);
    log(`after the tail: "${TAIL_SEARCH.title}" found and rated, focus still in the search box`);
    assertNoProblems(problems, 'tail held');
  } finally {
    await context.close();
  }
}

// A damaged tail: the head keeps working, the list says how many films there are, and Retry
// loads the tail.
async function damagedTail({ browser, server, problems }) {
  const { context, page, release } = await heldContext(browser, server, problems, 'tail damaged', { damagedTimes: 1 });
  release();
  try {
    await page.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(page, problems, 'damaged tail: first list');
    const notice = page.locator(T('partial-catalogue'), { hasText: 'could be loaded' });
    await notice.waitFor({ timeout: 60_000 }).catch(async () => {
      const body = (await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 500);
      fail(`a damaged tail shows no notice; problems: ${problems.join('; ')}; the page: ${body}`);
    });
    const said = await partialText(page);
    if (!/^Only [\d,]+ of [\d,]+ films could be loaded: .*damaged/.test(said)) fail(`a damaged tail says "${said}"`);
    if (!(await page.locator(SEL.rec).count())) fail('a damaged tail left no list');
    await page.click(T('tail-retry'));
    await waitGone(page, T('partial-catalogue'), 'after Retry');
    log(`damaged tail: "${said}"; Retry loaded it`);
    // The page logged the damaged file as an error: expected here, and only here.
    problems.splice(0, problems.length, ...problems.filter((p) => !/tail of the model/.test(p)));
    assertNoProblems(problems, 'damaged tail');
  } finally {
    await context.close();
  }
}

function returningProfile() {
  const at = Date.UTC(2026, 0, 1);
  const events = [...HEAD_FILMS, ...TAIL_FILMS].map((id, i) => ({
    type: 'rating',
    item: { movielens: id },
    value: [4.5, 3, 5, 2, 4][i % 5],
    scale: 'stars',
    at: at + i,
  }));
  return JSON.stringify({ version: 2, events });
}

// A returning visitor with 50 ratings, 10 of them outside the head: the first list comes from
// the head, says that 10 answers wait, and once the tail is joined every rating counts.
async function returningVisitor({ browser, server, problems }, profileName, profile, runs) {
  const times = [];
  for (let r = 0; r < runs; r++) {
    const { context, page, release } = await heldContext(browser, server, problems, `returning ${profileName}`);
    try {
      const key = `moviematch:${new URL(server.url).pathname}:profile`;
      await page.addInitScript(([k, v]) => localStorage.getItem(k) ?? localStorage.setItem(k, v), [key, returningProfile()]);
      await throttle(context, page, profile, { cacheOff: true });
      await page.goto(server.url, { waitUntil: 'commit' });
      times.push(await waitForFirstRecs(page, problems, `returning visitor (${profileName})`));
      if (r === 0) {
        await waitVisible(page, T('partial-catalogue'), 'a returning visitor before the tail');
        const said = await partialText(page);
        if (!/ 10 of your answers wait for the rest\./.test(said)) fail(`a returning visitor before the tail: "${said}"`);
        const sub = await page.locator(T('recs-sub')).innerText();
        if (!/40 ratings/.test(sub)) fail(`before the tail the list is based on "${sub}", not the 40 ratings of head films`);
        release();
        await waitGone(page, T('partial-catalogue'), 'a returning visitor after the tail');
        await page.locator(T('recs-sub'), { hasText: '50 ratings' }).waitFor({ timeout: 30_000 })
          .catch(async () => fail(`after the tail the list says "${await page.locator(T('recs-sub')).innerText()}"`));
        log(`returning visitor: "${said}" → after the tail "${await page.locator(T('recs-sub')).innerText()}"`);
      }
      assertNoProblems(problems, `returning visitor (${profileName})`);
    } finally {
      release();
      await context.close();
    }
  }
  return median(times);
}

export async function tailFlows({ browser, server, problems, shots }) {
  await beforeAndAfterTail({ browser, server, problems, shots });
  await damagedTail({ browser, server, problems });
  const out = {
    first_list_ms_returning_localhost: await returningVisitor({ browser, server, problems }, 'localhost', null, 3),
    first_list_ms_returning_fast: await returningVisitor({ browser, server, problems }, 'fast', FAST, 3),
  };
  for (const [k, v] of Object.entries(out)) console.log(`${k}=${v}`);
  return out;
}
